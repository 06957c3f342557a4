/*
 * One commit per change: changes keyed by change, touching several items
 * (a new helper and its caller, a struct, a macro, a removed function),
 * each intermediate file a C file that compiles, and every refusal.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { findItems } from '../ts-src/csource/functions';
import { commitContents, changedItems, FILE_TAIL } from '../ts-src/series/commits';
import { Change } from '../ts-src/changes';

const BASE = `// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>

#define FOO_LIMIT	4

struct foo {
	int a;
};

static int foo_count;
static void (*foo_hook)(struct foo *f);
int foo_get(struct foo *f);

/* Old and unused. */
static int foo_old(void)
{
	return 0;
}

int foo_get(struct foo *f)
{
	return f->a < FOO_LIMIT ? f->a : FOO_LIMIT;
}
EXPORT_SYMBOL(foo_get);

/* end */
`;

const EMITTED = `// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>

#define FOO_LIMIT	8

struct foo {
	int a;
	int b;
};

static int foo_count;
static void (*foo_hook)(struct foo *f);
int foo_get(struct foo *f);

/* The sum of a foo's fields. */
static int foo_sum(struct foo *f)
{
	return f->a + f->b;
}

int foo_get(struct foo *f)
{
	return foo_sum(f) < FOO_LIMIT ? foo_sum(f) : FOO_LIMIT;
}
EXPORT_SYMBOL(foo_get);

/* end */
`;

const change = (subject: string, ...names: string[]): Change => ({ subject, body: '', touches: { 'foo.c': names } });
const FILES = new Map([['foo.c', { base: BASE, emitted: EMITTED }]]);

test('top-level items and their names', () => {
	assert.deepEqual(findItems(BASE).map((i) => `${i.kind} ${i.name}`), [
		'macro FOO_LIMIT', 'declaration struct foo', 'declaration foo_count', 'declaration foo_hook',
		'declaration foo_get', 'function foo_old', 'function foo_get', 'declaration EXPORT_SYMBOL(foo_get)',
	]);
	assert.deepEqual([...changedItems(BASE, EMITTED)].sort(), ['FOO_LIMIT', 'foo_get', 'foo_old', 'foo_sum', 'struct foo']);
});

/* gcc -fsyntax-only: each commit of the series must build on its own. */
function compiles(src: string): string | undefined {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-commits-'));
	try {
		const file = path.join(dir, 'foo.c');
		fs.writeFileSync(file, '#define EXPORT_SYMBOL(x) extern int x##_exported\n' + src);
		const r = spawnSync('gcc', ['-fsyntax-only', '-Wall', '-Werror', '-Wno-unused-function', '-Wno-unused-variable', file], { encoding: 'utf8' });
		return r.status === 0 ? undefined : r.stderr;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

test('a new helper, its caller and a struct change are one commit that builds; the rest follows', () => {
	const states = commitContents(FILES, [
		change('foo: sum both fields', 'struct foo', 'foo_sum', 'foo_get'),
		change('foo: raise the limit and drop foo_old()', 'FOO_LIMIT', 'foo_old'),
	]);
	assert.equal(states.length, 2);
	const first = states[0].get('foo.c')!;
	assert.match(first, /int b;/);
	assert.match(first, /static int foo_sum\(struct foo \*f\)/);
	assert.match(first, /return foo_sum\(f\)/);
	assert.match(first, /#define FOO_LIMIT\t4/, 'the second change is not in the first commit');
	assert.match(first, /Old and unused\.[\s\S]*foo_old/, 'the removal waits for its change');
	/* the removed function's place: before the new helper, as in the base */
	assert.ok(first.indexOf('foo_old') < first.indexOf('foo_sum'));
	assert.equal(states[1].get('foo.c'), EMITTED);
	for (const s of states)
		assert.equal(compiles(s.get('foo.c')!), undefined);
	/* and the helper alone, without its caller, would not have been a buildable step */
	assert.notEqual(compiles(BASE.replace('return f->a <', 'return foo_sum(f) <')), undefined);
});

test('refusals: an unexplained difference, a change that changes nothing, one item in two changes, a move', () => {
	assert.throws(() => commitContents(FILES, [change('only the struct', 'struct foo', 'foo_sum', 'foo_get'), change('limit', 'FOO_LIMIT')]),
		/emit\/foo\.c: foo_old differs from the base, but no change in ts-src\/changes\.ts touches it/);
	assert.throws(() => commitContents(FILES, [change('all', 'struct foo', 'foo_sum', 'foo_get', 'FOO_LIMIT', 'foo_old', 'foo_count')]),
		/'all' touches foo\.c: foo_count, but the model does not change it/);
	assert.throws(() => commitContents(FILES, [change('a', 'struct foo', 'foo_sum', 'foo_get'), change('b', 'FOO_LIMIT', 'foo_old', 'foo_get')]),
		/foo\.c: foo_get is touched by 'a' and by 'b'; one item, one change/);
	assert.throws(() => commitContents(new Map([['foo.c', { base: BASE, emitted: BASE }]]), [change('x', 'foo_get')]),
		/the model does not change it/);
	const moved = BASE.replace('static int foo_count;\n', '').replace('/* end */', 'static int foo_count;\n/* end */');
	assert.throws(() => commitContents(new Map([['foo.c', { base: BASE, emitted: moved }]]), [change('move', 'foo_count', FILE_TAIL)]),
		/foo\.c: the model moves declaration foo_count to another place in the file/);
	assert.throws(() => commitContents(FILES, [{ subject: 'elsewhere', body: '', touches: { 'mm/other.c': ['x'] } }]),
		/'elsewhere' touches mm\/other\.c, which the model does not emit/);
});

/*
 * ktsc import: kernel C in, model TypeScript out, and back to the same C.
 *   - a fresh import of each base file the model stands for (mm/rmap.c,
 *     mm/ksm.c) emits it byte for byte;
 *   - the model with its carried blocks taken out, merged with mm/rmap.c
 *     again, emits what emit/ holds (the base plus the series' changes);
 *   - drift against the base itself finds nothing but the model's changes;
 *   - what cannot be carried is a diagnostic.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileProgram, MODEL_FILES, REPO } from '../ts-src/compiler/program';
import { importC, mergeInto, ImportError, insertions } from '../ts-src/csource/import';
import { baseTree } from '../ts-src/kernelsrc';
import { drift } from '../ts-src/fidelity';

const tree = baseTree();
const base = fs.readFileSync(path.join(tree.dir, 'mm/rmap.c'), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-import-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The model's relative imports made absolute, so a copy compiles from tmp. */
function absolutise(ts: string): string {
	return ts.replace(/from '\.\.\/kernel'/g, `from ${JSON.stringify(path.join(REPO, 'ts-src/kernel'))}`)
		.replace(/from '\.\/rmap_h'/g, `from ${JSON.stringify(path.join(REPO, 'ts-src/model/rmap_h'))}`);
}

for (const { c: file } of MODEL_FILES)
	test(`import -> emit round trip: the base ${file}, byte for byte`, () => {
		const src = fs.readFileSync(path.join(tree.dir, file), 'utf8');
		const ts = importC(src, file, undefined, path.join(REPO, 'ts-src/kernel'));
		const model = path.join(tmp, `fresh-${path.basename(file, '.c')}.ts`);
		fs.writeFileSync(model, ts);
		const [r] = compileProgram([model]);
		assert.deepEqual(r.diagnostics, []);
		assert.ok(r.c === src, `the emitted file is not the base ${file}`);
		assert.ok(r.verbatim.length >= 60, `${r.verbatim.length} carried functions`);
	});

test('import --into: the model without its carried C, merged again, emits emit/mm/rmap.c', () => {
	const model = fs.readFileSync(path.join(REPO, 'ts-src/model/rmap.ts'), 'utf8');
	const stripped = absolutise(model.replace(/^c`\n[\s\S]*?^`;\n/gm, '').replace(/\bc, /, ''));
	assert.ok(!stripped.includes('c`'));
	const file = path.join(tmp, 'model.ts');
	fs.writeFileSync(file, stripped);
	const [r] = compileProgram([file]);
	assert.deepEqual(r.diagnostics, []);
	const merged = mergeInto({ file, text: r.source!, emitted: r.c, lineMap: r.lineMap! }, base, 'mm/rmap.c');
	assert.ok(merged.blocks > 0);
	fs.writeFileSync(file, merged.text);
	const [again] = compileProgram([file]);
	assert.deepEqual(again.diagnostics, []);
	assert.ok(again.c === fs.readFileSync(path.join(REPO, 'emit/mm/rmap.c'), 'utf8'), 'merged model does not emit emit/mm/rmap.c');
});

test('import --function: one function as a carried block', () => {
	const ts = importC(base, 'mm/rmap.c', 'try_to_unmap_one');
	assert.match(ts, /^c`\nstatic bool try_to_unmap_one\(/);
	assert.ok(ts.endsWith('}\n`;\n'));
	assert.throws(() => importC(base, 'mm/rmap.c', 'no_such_function'), (e: unknown) => e instanceof ImportError && /no function 'no_such_function'/.test(e.message));
});

test('import refuses what a carried block cannot hold, with file:line', () => {
	assert.throws(() => importC('int a;\n/* \\` */\n', 'x.c'), (e: unknown) => e instanceof ImportError &&
		e.diagnostics[0].line === 2 && /backslash before/.test(e.message));
	assert.throws(() => importC('int a;', 'x.c'), (e: unknown) => e instanceof ImportError && /newline/.test(e.message));
});

test('line insertions: pure insertions found, changed lines left to the model', () => {
	const h = insertions(['a\n', 'b\n', 'X\n', 'c\n'], ['a\n', 'new\n', 'b\n', 'c\n', 'tail\n']);
	assert.deepEqual(h.map((x) => [x.before, x.lines, x.replaces]), [[1, ['new\n'], 0], [4, ['tail\n'], 0]]);
});

test('drift against the base itself: only the model\'s own changes', () => {
	const r = drift(tree.dir);
	assert.deepEqual(r.drifted.map((f) => [f.name, f.changed_by_model]).sort(),
		[['anon_vma_clone', true], ['anon_vma_fork', true], ['unlink_anon_vmas', true]]);
	assert.ok(r.files.every((f) => f.file_identical));
});

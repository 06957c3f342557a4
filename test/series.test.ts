/*
 * The series: committed and current, checkpatch --strict clean with the
 * base tree's own script, and applicable with git am on a fresh base.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { REPO } from '../ts-src/compiler/program';
import { writeSeries } from '../ts-src/series/series';
import { baseTree } from '../ts-src/kernelsrc';

const PATCHES = path.join(REPO, 'patches');
const committed = fs.readdirSync(PATCHES).filter((f) => f.endsWith('.patch')).sort();

test('the series has a cover letter and real patches', () => {
	assert.equal(committed[0], '0000-cover-letter.patch');
	assert.ok(committed.length >= 2, 'at least one patch besides the cover letter');
	for (const f of committed.slice(1)) {
		const s = fs.readFileSync(path.join(PATCHES, f), 'utf8');
		assert.match(s, /^Subject: \[PATCH \d+\/\d+\] mm\/rmap: /m);
		assert.match(s, /^Signed-off-by: .+ <.+>$/m);
		/* a code change, not whitespace or comments only */
		const added = s.split('\n').filter((l) => /^\+[^+]/.test(l) && !/^\+\s*(\/\*|\*|$)/.test(l));
		assert.ok(added.length > 0, `${f} adds no code`);
	}
});

test('patches/ is up to date with the model', () => {
	const from = fs.readFileSync(path.join(PATCHES, committed[1]), 'utf8').match(/^From: (.+)$/m)![1];
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-series-test-'));
	try {
		const files = writeSeries({ out, signoff: from }).map((f) => path.basename(f));
		assert.deepEqual(files, committed);
		for (const f of files)
			assert.ok(fs.readFileSync(path.join(out, f), 'utf8') === fs.readFileSync(path.join(PATCHES, f), 'utf8'),
				`patches/${f} is stale: run 'ktsc series'`);
	} finally {
		fs.rmSync(out, { recursive: true, force: true });
	}
});

test('checkpatch.pl --strict: 0 errors, 0 warnings, 0 checks', () => {
	const tree = baseTree();
	for (const f of committed.slice(1)) {
		const r = spawnSync('perl', ['scripts/checkpatch.pl', '--strict', path.join(PATCHES, f)], { cwd: tree.dir, encoding: 'utf8' });
		assert.match(r.stdout, /total: 0 errors, 0 warnings, 0 checks/, `${f}:\n${r.stdout}`);
		assert.equal(r.status, 0);
	}
});

test('git am --empty=drop patches/*.patch applies the series on a fresh base tree', () => {
	const tree = baseTree();
	const wt = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-am-'));
	fs.rmdirSync(wt);
	const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });
	assert.equal(git(tree.repo!, 'worktree', 'add', '-q', '--detach', wt, tree.commit!).status, 0);
	try {
		/* As the README says: the whole directory, cover letter included. */
		const r = git(wt, '-c', 'user.name=t', '-c', 'user.email=t@t', 'am', '--empty=drop', ...committed.map((f) => path.join(PATCHES, f)));
		assert.equal(r.status, 0, r.stderr);
		assert.equal(git(wt, 'rev-list', '--count', `${tree.commit}..HEAD`).stdout.trim(), String(committed.length - 1));
		assert.match(fs.readFileSync(path.join(wt, 'mm/rmap.c'), 'utf8'), /lockdep_assert_held_write\(&anon_vma->root->rwsem\);/);
	} finally {
		git(tree.repo!, 'worktree', 'remove', '--force', wt);
	}
});

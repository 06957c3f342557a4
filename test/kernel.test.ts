/*
 * The end-to-end path on the real kernel: the series applied with git am on
 * a worktree of our own, baseline and patched built from the same config,
 * booted in QEMU (TCG) with KUnit, the mm selftests and our exerciser, and
 * compared.  Slow (minutes, most of it the boots); CI runs it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { REPO } from '../ts-src/compiler/program';
import { runKernelSteps } from '../ts-src/kernelrun/kernel';
import { cacheDir } from '../ts-src/kernelsrc';

const PATCHES = path.join(REPO, 'patches');
const opts = { patchesDir: PATCHES, repoRoot: REPO };
const script = (name: string): string => path.join(REPO, 'scripts', 'kernel', `${name}.sh`);
const git = (dir: string, ...args: string[]): string =>
	spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).stdout.trim();

function sourceEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const line of fs.readFileSync(path.join(cacheDir(), 'state', 'source.env'), 'utf8').split('\n')) {
		const m = line.match(/^(\w+)=(.*)$/);
		if (m)
			env[m[1]] = m[2];
	}
	return env;
}

test('a series that does not apply is aborted, names the failing patch and leaves the tree clean', () => {
	assert.equal(runKernelSteps(opts, ['source']), 0);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-bad-series-'));
	const first = fs.readdirSync(PATCHES).find((f) => f.startsWith('0001-'))!;
	fs.copyFileSync(path.join(PATCHES, first), path.join(dir, first));
	/*
	 * A second patch whose context is not in the tree and whose preimage
	 * blob is unknown, so that neither a plain nor a 3-way apply can work.
	 */
	const bad = fs.readFileSync(path.join(PATCHES, first), 'utf8')
		.replace(/^index \S+\.\.\S+/m, 'index 1111111..2222222')
		.replace(/^ (.*)anon_vma_chain_assign\(dst, avc, anon_vma\);$/m, ' $1anon_vma_chain_assign(dst, avc, NULL);');
	assert.notEqual(bad, fs.readFileSync(path.join(PATCHES, first), 'utf8'), 'the conflicting patch differs');
	fs.writeFileSync(path.join(dir, '0002-conflict.patch'), bad);
	const r = spawnSync('bash', [script('apply'), dir], { encoding: 'utf8' });
	fs.rmSync(dir, { recursive: true, force: true });
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /patch 2 does not apply: 0002-conflict\.patch/);
	const wt = path.join(cacheDir(), 'trees', 'patched');
	assert.equal(git(wt, 'status', '--porcelain'), '', 'the worktree is clean');
	assert.equal(git(wt, 'rev-parse', 'HEAD'), sourceEnv().BASE_COMMIT, 'and back at the base');
	const rebase = path.resolve(wt, git(wt, 'rev-parse', '--git-path', 'rebase-apply'));
	assert.ok(!fs.existsSync(rebase), 'no git am left in progress');
});

test('end to end: apply, build, boot baseline and patched, report', () => {
	assert.equal(runKernelSteps(opts, ['source', 'apply', 'build', 'guest', 'boot', 'report']), 0);
	const rows = fs.readFileSync(path.join(cacheDir(), 'logs', 'report.tsv'), 'utf8').trim().split('\n').slice(1)
		.map((l) => l.split('\t'));
	const names = rows.map((r) => r[0]);
	for (const want of ['ksm_tests', 'ksm_functional_tests', 'migration', 'cow', 'mremap_test', 'split_huge_page_test',
		'khugepaged', 'transhuge-stress', 'compaction_test', 'madv_populate', 'mlock2-tests', 'rmap_stress', 'kunit.'])
		assert.ok(names.some((n) => n.startsWith(want)), `${want} ran`);
	for (const [name, base, patched] of rows) {
		assert.equal(patched, base, `${name}: patched ${patched}, baseline ${base}`);
		assert.notEqual(patched, 'FAIL', `${name} fails`);
	}
	assert.ok(rows.some(([n, , p]) => n === 'kernel.splats' && p === 'PASS'), 'no panic, BUG, WARNING, lockdep or KASAN splat');
	assert.ok(git(path.join(cacheDir(), 'trees', 'patched'), 'log', '-1', '--format=%s').startsWith('mm/rmap:'), 'the series is applied');
});

test('every patch builds on its own, without new W=1 warnings', () => {
	const r = spawnSync('bash', [script('bisect')], { encoding: 'utf8' });
	process.stdout.write(r.stdout.split('\n').map((l) => `# ${l}`).join('\n') + '\n');
	assert.equal(r.status, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /^ok 1 /m);
});

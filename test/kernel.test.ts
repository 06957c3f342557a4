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
import { runKernelSteps, withHarnessLock } from '../ts-src/kernelrun/kernel';
import { cacheDir } from '../ts-src/kernelsrc';

/* KTSC_PATCHES: another series directory (the committed one by default) */
const PATCHES = process.env.KTSC_PATCHES ?? path.join(REPO, 'patches');
const opts = { patchesDir: PATCHES, repoRoot: REPO };
const script = (name: string): string => path.join(REPO, 'scripts', 'kernel', `${name}.sh`);
const git = (dir: string, ...args: string[]): string =>
	spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).stdout.trim();

/* Each test holds the harness lock: no other run may switch the tree or replace the logs between its steps. */
const ktest = (name: string, fn: () => void): void => void test(name, () => withHarnessLock(fn));

function sourceEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const line of fs.readFileSync(path.join(cacheDir(), 'state', 'source.env'), 'utf8').split('\n')) {
		const m = line.match(/^(\w+)=(.*)$/);
		if (m)
			env[m[1]] = m[2];
	}
	return env;
}

ktest('a series that does not apply is aborted, names the failing patch and leaves the tree clean', () => {
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
		.replace(/^(@@ [^\n]*\n(?:[-+][^\n]*\n)*) ([^\n]*)$/m, '$1 $2 /* not in the tree */');
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

ktest('end to end: apply, build, boot baseline and patched, report', () => {
	/* report exits non-zero on a regression, a splat or an incomplete guest run */
	assert.equal(runKernelSteps(opts, ['source', 'apply', 'build', 'guest', 'boot', 'report']), 0);
	const rows = fs.readFileSync(path.join(cacheDir(), 'logs', 'report.tsv'), 'utf8').trim().split('\n').slice(1)
		.map((l) => l.split('\t'));
	const names = rows.map((r) => r[0]);
	/*
	 * Each ran, and passed on at least one kernel: a guest that runs
	 * nothing (a missing tool, a broken /init) fails every test on both
	 * kernels alike, which is no regression, but no test either.  One test
	 * may fail on both first runs: under TCG on a loaded host the timing
	 * ones do at random (split_huge_page_test did, 2026-12-05), and the
	 * report lists it as failing on both, never as the series' fault.
	 */
	const failedOnBoth: string[] = [];
	for (const want of ['ksm_tests', 'ksm_functional_tests', 'migration', 'cow', 'mremap_test', 'split_huge_page_test',
		'khugepaged', 'transhuge-stress', 'compaction_test', 'madv_populate', 'mlock2-tests', 'rmap_stress', 'kunit.']) {
		assert.ok(names.some((n) => n.startsWith(want)), `${want} ran`);
		if (!rows.some(([n, b, p]) => n.startsWith(want) && (b === 'PASS' || p === 'PASS')))
			failedOnBoth.push(want);
	}
	assert.ok(failedOnBoth.length <= 1, `passed on neither kernel: ${failedOnBoth.join(', ')}`);
	/*
	 * A result that differs between the kernels was re-run on both
	 * (report.sh): only a consistent difference is a regression.  Flakes
	 * and tests failing on both kernels are listed, not failed on.
	 */
	for (const [name, base, patched, verdict] of rows) {
		assert.notEqual(verdict, 'regression', `${name}: patched ${patched}, baseline ${base}`);
		if (verdict && verdict !== 'same')
			console.log(`# ${name}: baseline ${base}, patched ${patched}: ${verdict}`);
	}
	for (const must of ['kernel.splats', 'guest.complete'])
		assert.ok(rows.some(([n, , p]) => n === must && p === 'PASS'), `${must}: no panic, BUG, WARNING, lockdep or KASAN splat; the guest ran to its end`);
	/* the tip of the patched tree is the series' last patch */
	const last = fs.readdirSync(PATCHES).filter((f) => f.endsWith('.patch')).sort().pop()!;
	const subject = fs.readFileSync(path.join(PATCHES, last), 'utf8').replace(/\n[ \t]+/g, ' ').match(/^Subject: \[PATCH [^\]]*\] (.*)$/m)![1];
	assert.equal(git(path.join(cacheDir(), 'trees', 'patched'), 'log', '-1', '--format=%s'), subject, 'the series is applied');
});

ktest('every patch builds on its own, without new W=1 warnings', () => {
	const r = spawnSync('bash', [script('bisect')], { encoding: 'utf8' });
	process.stdout.write(r.stdout.split('\n').map((l) => `# ${l}`).join('\n') + '\n');
	assert.equal(r.status, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /^ok 1 /m);
});

/*
 * The committed series plus one more patch that changes madvise_populate()
 * (edit: a replacement for the "while (start < end) {" line's lead-in),
 * applied, the patched kernel rebuilt incrementally (mm/madvise.o), both
 * kernels running madv_populate alone (the baseline's boot comes from the
 * cache after the first time), and the report with KTSC_RERUNS=2.
 * Returns the report's exit status and output; the committed series is
 * applied again afterwards.
 */
function reportWithExtraPatch(subject: string, edit: string): { status: number | null; stdout: string } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-extra-series-'));
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-extra-tree-'));
	try {
		for (const f of fs.readdirSync(PATCHES).filter((f) => f.endsWith('.patch')))
			fs.copyFileSync(path.join(PATCHES, f), path.join(dir, f));
		assert.equal(runKernelSteps({ ...opts, patchesDir: dir }, ['source', 'apply']), 0);
		const wt = path.join(cacheDir(), 'trees', 'patched');
		assert.equal(spawnSync('git', ['clone', '-q', '--shared', '--no-checkout', wt, scratch]).status, 0);
		git(scratch, 'checkout', '-q', git(wt, 'rev-parse', 'HEAD'));
		const file = path.join(scratch, 'mm', 'madvise.c');
		const src = fs.readFileSync(file, 'utf8');
		const changed = src.replace(/^(static long madvise_populate\(.*\n\{\n(?:.*\n)*?)(\n\twhile \(start < end\) \{)/m, `$1${edit}$2`);
		assert.notEqual(changed, src, 'madvise_populate() found');
		fs.writeFileSync(file, changed);
		const id = ['-c', 'user.name=ktsc', '-c', 'user.email=ktsc@localhost'];
		assert.equal(spawnSync('git', ['-C', scratch, ...id, 'commit', '-qam', subject]).status, 0);
		assert.equal(spawnSync('git', ['-C', scratch, 'format-patch', '-q', '-1', '--start-number', '99', '-o', dir]).status, 0);
		const env = { ...process.env, KTSC_APPEND: 'ktsc.only=madv_populate kunit.enable=0', KTSC_RERUNS: '2' };
		const run = (s: string, ...a: string[]) => spawnSync('bash', [script(s), ...a], { encoding: 'utf8', env });
		for (const [s, a] of [['apply', dir], ['build', 'patched'], ['guest', 'patched'], ['boot', '']] as const) {
			const r = a ? run(s, a) : run(s);
			assert.equal(r.status, 0, `${s}: ${r.stderr}`);
		}
		const r = run('report');
		process.stdout.write(r.stdout.split('\n').map((l) => `# ${l}`).join('\n') + '\n');
		return r;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
		fs.rmSync(scratch, { recursive: true, force: true });
		/* back to the committed series */
		runKernelSteps(opts, ['apply']);
	}
}

ktest('a patch that makes a selftest fail every time is a regression: the report fails', () => {
	/*
	 * MADV_POPULATE_WRITE of more than one page fails (one page still
	 * works: madv_populate's probe for the feature, which would make it
	 * SKIP): the difference is re-run on both kernels and is consistent.
	 * (npm start, `ktsc all`, stops at the first step that fails and exits
	 * with its status: runKernelSteps.)
	 */
	const r = reportWithExtraPatch('mm/madvise: break MADV_POPULATE_WRITE of more than a page (test)',
		'\n\tif (write && end - start > PAGE_SIZE)\n\t\treturn -EFAULT;\n');
	assert.equal(r.status, 1, 'report fails');
	assert.match(r.stdout, /^# FAIL: regression: madv_populate 3\/3 vs 0\/3$/m);
	assert.match(r.stdout, /^verdict: FAIL/m);
});

ktest('a patch that makes a selftest fail now and then is a flake: listed with its pass counts, report passes', () => {
	/*
	 * Only the first multi-page MADV_POPULATE_WRITE after boot fails, so
	 * in each boot exactly one run of madv_populate fails: the first boot's
	 * (0/1, where the baseline passed), then one of the re-run boot's two
	 * copies.  The patched kernel both passed and failed, so the baseline
	 * is not re-run: 1/1 vs 1/3, a flake, not a regression.
	 */
	const r = reportWithExtraPatch('mm/madvise: fail the first MADV_POPULATE_WRITE after boot (test)',
		'\n\tstatic atomic_t failed_once = ATOMIC_INIT(0);\n\n\tif (write && end - start > PAGE_SIZE && !atomic_xchg(&failed_once, 1))\n\t\treturn -EFAULT;\n');
	assert.equal(r.status, 0, 'report passes');
	assert.match(r.stdout, /^# ab: madv_populate 1\/1 vs 1\/3: flaky, not a regression$/m);
	assert.match(r.stdout, /^madv_populate +PASS +FAIL +flaky 1\/1 vs 1\/3$/m);
	assert.match(r.stdout, /^verdict: ok/m);
});

/*
 * report.sh on console logs written by hand (no boot): the patched kernel
 * failed a test the baseline passed, and its re-run boot hung after one
 * copy (KTSC_BOOT_STEP plays the boot step).  The report must say that the
 * re-run did not complete and how many re-runs came back, not count fewer
 * runs in silence.
 */
ktest('a re-run boot that does not complete is said, with the re-runs that finished', () => {
	const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-report-'));
	try {
		fs.mkdirSync(path.join(cache, 'state'));
		fs.copyFileSync(path.join(cacheDir(), 'state', 'source.env'), path.join(cache, 'state', 'source.env'));
		const guest = (results: string[], end: boolean): string =>
			['[    1.000000] Linux version 7.2', '# ktsc-guest: begin', 'KTAP version 1', `1..${results.length}`,
				...results.map((r, i) => `# madv_populate: exit ${r === 'ok' ? 0 : 1}, 1s (started at +0s)\n${r} ${i + 1} madv_populate`),
				...(end ? ['# ktsc-guest: end'] : []), ''].join('\n');
		for (const [v, r] of [['base', 'ok'], ['patched', 'not ok']]) {
			fs.mkdirSync(path.join(cache, 'logs', v), { recursive: true });
			fs.writeFileSync(path.join(cache, 'logs', v, 'console.log'), guest([r], true));
		}
		/* the re-run boots: the baseline's completes its three copies, the patched one hangs after one */
		const stub = path.join(cache, 'boot-stub.sh');
		fs.writeFileSync(stub, [
			'#!/bin/bash',
			'd=$KTSC_CACHE/logs/$1/rerun; mkdir -p "$d"',
			'if [[ $1 == base ]]; then',
			`  cat >"$d/console.log" <<'X'\n${guest(['ok', 'ok', 'ok'], true)}X`,
			'else',
			`  cat >"$d/console.log" <<'X'\n${guest(['not ok'], false).replace('1..1', '1..3')}X`,
			'fi', ''].join('\n'));
		fs.chmodSync(stub, 0o755);
		const r = spawnSync('bash', [script('report')], {
			encoding: 'utf8',
			env: { ...process.env, KTSC_CACHE: cache, KTSC_BOOT_STEP: stub, KTSC_RERUNS: '3' },
		});
		process.stdout.write(r.stdout.split('\n').map((l) => `# ${l}`).join('\n') + '\n');
		assert.equal(r.status, 1, r.stdout + r.stderr);
		assert.match(r.stdout, /^# ab: the re-run boot of patched did not complete \(panic, hang or timeout; log: .*\): the counts hold only the runs that finished$/m);
		assert.match(r.stdout, /^# FAIL: regression: madv_populate 4\/4 vs 0\/2 \(patched: 1 of 3 re-runs finished\)$/m);
		assert.doesNotMatch(r.stdout, /re-run boot of base/);
	} finally {
		fs.rmSync(cache, { recursive: true, force: true });
	}
});

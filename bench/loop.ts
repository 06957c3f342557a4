/*
 * The incremental design loop, measured: a model edit -> emit -> series ->
 * git am -> rebuild -> boot -> report (goal: under 20 s).  The edit is a
 * real one (one more lock assertion in anon_vma_fork()), so rmap.o is
 * rebuilt; the guest runs only what that code needs: the selftest
 * "rmap" (anon and KSM folios shared across fork, migrated) and
 * rmap_stress (fork trees COWing, VMA split/merge, KSM, migration,
 * pageout) for 1 s per scenario, without KUnit (no KUnit suite covers
 * mm/rmap.c) and without re-runs, as a developer iterating would.  The model,
 * emit/, the committed series and the last full boot's logs are restored
 * afterwards; the patched tree is left at the committed series (rebuild
 * it before booting it again).
 * Prints wall and CPU seconds per step (CPU: this process's children, so
 * the build's compilers and QEMU) and the host's load average, since
 * other work on the machine stretches the wall times; asserts nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { emitModel, REPO } from '../ts-src/compiler/program';
import { writeSeries } from '../ts-src/series/series';
import { runKernelStep, cpuSeconds, withHarnessLock } from '../ts-src/kernelrun/kernel';
import { cacheDir } from '../ts-src/kernelsrc';

const MODEL = path.join(REPO, 'ts-src', 'model', 'rmap.ts');
const ANCHOR = '\tanon_vma_lock_write(anon_vma);\n\tanon_vma_interval_tree_insert(avc, addr(anon_vma.rb_root));\n';
const EDIT = '\tanon_vma_lock_write(anon_vma);\n\tlockdep_assert_held_write(addr(anon_vma.root.rwsem));\n\tanon_vma_interval_tree_insert(avc, addr(anon_vma.rb_root));\n';

const original = fs.readFileSync(MODEL, 'utf8');
if (!original.includes(ANCHOR))
	throw new Error('bench/loop: the anchor line is gone from the model; update the bench');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-loop-'));
const times: [string, number, number][] = [];
const step = (name: string, fn: () => number | void): void => {
	const t0 = Date.now(), c0 = cpuSeconds();
	const r = fn();
	if (typeof r === 'number' && r !== 0)
		throw new Error(`bench/loop: ${name} failed (${r})`);
	times.push([name, (Date.now() - t0) / 1000, cpuSeconds() - c0]);
};
const load0 = os.loadavg()[0];
const opts = { patchesDir: out, repoRoot: REPO };
process.env.KTSC_APPEND = 'ktsc.only=rmap,rmap_stress kunit.enable=0';
process.env.KTSC_STRESS_SECONDS = process.env.KTSC_STRESS_SECONDS ?? '1';
process.env.KTSC_RERUNS = '0';

/* the whole loop holds the harness lock: it swaps the series and the logs */
withHarnessLock(() => {
	/* The bench's short boot must not replace the last full report. */
	const logs = path.join(cacheDir(), 'logs');
	const saved = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-loop-logs-'));
	if (fs.existsSync(logs))
		fs.cpSync(logs, saved, { recursive: true });
	try {
		step('model edit', () => fs.writeFileSync(MODEL, original.replace(ANCHOR, EDIT)));
		step('emit', () => void emitModel());
		step('series', () => void writeSeries({ out, signoff: 'ktsc bench <ktsc@localhost>', noCheck: true }));
		step('apply', () => runKernelStep('apply', opts));
		step('rebuild', () => runKernelStep('build', { ...opts, args: ['patched'] }));
		step('boot', () => runKernelStep('boot', { ...opts, args: ['patched'] }));
		step('report', () => runKernelStep('report', opts));
	} finally {
		fs.writeFileSync(MODEL, original);
		emitModel();
		fs.rmSync(out, { recursive: true, force: true });
		fs.rmSync(logs, { recursive: true, force: true });
		fs.cpSync(saved, logs, { recursive: true });
		fs.rmSync(saved, { recursive: true, force: true });
		delete process.env.KTSC_APPEND;
		delete process.env.KTSC_RERUNS;
		runKernelStep('apply', { patchesDir: path.join(REPO, 'patches'), repoRoot: REPO });
	}
});
const total = times.reduce((s, [, t]) => s + t, 0);
const cpu = times.reduce((s, [, , c]) => s + c, 0);
console.log('\nincremental loop (model edit -> report):');
console.log(`  ${'step'.padEnd(11)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)}`);
for (const [name, t, c] of times)
	console.log(`  ${name.padEnd(11)} ${t.toFixed(1).padStart(6)} s ${c.toFixed(1).padStart(6)} s`);
console.log(`  ${'total'.padEnd(11)} ${total.toFixed(1).padStart(6)} s ${cpu.toFixed(1).padStart(6)} s (goal: under 20 s)`);
console.log(`  load average ${load0.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end (${os.cpus().length} CPUs)`);

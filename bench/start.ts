/*
 * The main job, measured: `npm start` (ktsc all) as a user runs it, warm
 * (the harness's cache as it is: the baseline built and its boot cached)
 * or, with KTSC_BENCH_FRESH=1, fresh: an empty cache directory of its own
 * (the base downloaded, both kernels built from nothing, both booted),
 * removed afterwards.  Prints each step's wall and CPU seconds (ktsc all's
 * own "[step] ok W s (C s CPU)" lines) and the host's load average, since
 * other work on the machine stretches the wall times; asserts nothing.
 * `npm ci` is not part of it: time it apart (26 s here, empty npm cache).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { REPO } from '../ts-src/compiler/program';
import { cpuSeconds } from '../ts-src/kernelrun/kernel';

const fresh = process.env.KTSC_BENCH_FRESH === '1';
const env = { ...process.env };
let cache: string | undefined;
if (fresh) {
	cache = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-fresh-cache-'));
	env.KTSC_CACHE = cache;
}
const load0 = os.loadavg();
const t0 = Date.now();
const steps: [string, string][] = [];
const child = spawn(process.execPath, [path.join(REPO, 'dist', 'ts-src', 'cli.js'), 'all'], { env, cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
let rest = '';
child.stdout.on('data', (d: Buffer) => {
	process.stdout.write(d);
	const lines = (rest + d.toString()).split('\n');
	rest = lines.pop()!;
	for (const l of lines) {
		const m = l.match(/^\[([\w]+)\](?: \S+)? (ok|FAILED \(exit \d+\)) (\d+ s \(\d+ s CPU\))/);
		if (m)
			steps.push([m[1], `${m[3]}${m[2] === 'ok' ? '' : ' ' + m[2]}`]);
	}
});
child.on('close', (status) => {
	const wall = (Date.now() - t0) / 1000;
	if (cache)
		fs.rmSync(cache, { recursive: true, force: true });
	console.log(`\n${fresh ? 'fresh (empty cache)' : 'warm'} npm start, exit ${status}:`);
	for (const [name, figs] of steps)
		console.log(`  ${name.padEnd(8)} ${figs}`);
	console.log(`  total ${wall.toFixed(0)} s, ${cpuSeconds().toFixed(0)} s CPU (goal: ${fresh ? 'under 12 min with npm ci' : 'under 4 min'})`);
	console.log(`  load average ${load0.map((l) => l.toFixed(1)).join(' ')} at the start, ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end (${os.cpus().length} CPUs)`);
});

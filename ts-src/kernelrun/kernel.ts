// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.ts - run the kernel harness steps (scripts/kernel/<step>.sh) for
 * `ktsc kernel <step>` and `npm start`.  Each step is a plain bash script
 * that can also be run by hand; this only spawns it, passes the options
 * through the environment and prints one progress line per step with its
 * elapsed time.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cacheDir } from "../kernelsrc";

/** The steps in the order a full run takes them. */
export const KERNEL_STEPS = ["setup", "source", "apply", "build", "guest", "boot", "report"] as const;
export type KernelStep = (typeof KERNEL_STEPS)[number];

export interface KernelRunOptions {
	/** A clean git tree of the base (scripts/kernel/base.env); default: Debian's tarball, cached. */
	kernelSrc?: string;
	/** Directory of *.patch files applied by the "apply" step. */
	patchesDir: string;
	/** Root of the ktsc repository (holds scripts/kernel/). */
	repoRoot: string;
	/** Extra arguments for the script, e.g. ["base"] for build/boot. */
	args?: string[];
}

export function isKernelStep(step: string): step is KernelStep {
	return (KERNEL_STEPS as readonly string[]).includes(step);
}

/**
 * CPU seconds used so far by this process and the children it waited for
 * (/proc/self/stat utime, stime, cutime, cstime; Linux): the steps' lines
 * give them beside the wall time, since other work on the machine
 * stretches the wall times and not the CPU.
 */
export function cpuSeconds(): number {
	const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
	/* fields 14-17 of proc(5), in clock ticks (USER_HZ, 100 on Linux) */
	return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
}

/** "48 s (26 s CPU)": wall and CPU seconds since t0 (Date.now()) and c0 (cpuSeconds()). */
export function elapsed(t0: number, c0: number): string {
	return `${Math.round((Date.now() - t0) / 1000)} s (${Math.round(cpuSeconds() - c0)} s CPU)`;
}

/*
 * One harness run at a time per cache.  The steps share one build tree,
 * one O= and one logs/ directory, and a run is a sequence of them (apply,
 * build, boot, report): two runs interleaving their steps (two `npm test`
 * in two checkouts, each with the kernel e2e tests) would build one's
 * series and report the other's boots.  build.sh's lock covers one build
 * only, so the sequence holds this one: a directory made atomically,
 * holding the owner's pid; a lock whose owner is gone is taken over.
 */
let lockDepth = 0;
const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Run fn holding the harness lock of the cache (re-entrant; waits for another process's run). */
export function withHarnessLock<T>(fn: () => T): T {
	const dir = path.join(cacheDir(), "run.lock");
	const owner = (): number => {
		try {
			return Number(fs.readFileSync(path.join(dir, "pid"), "utf8").trim()) || 0;
		} catch {
			return 0;
		}
	};
	const alive = (pid: number): boolean => {
		try {
			process.kill(pid, 0);
			return true;
		} catch (e) {
			return (e as NodeJS.ErrnoException).code === "EPERM";
		}
	};
	let said = false;
	while (lockDepth === 0) {
		try {
			fs.mkdirSync(cacheDir(), { recursive: true });
			fs.mkdirSync(dir);
			fs.writeFileSync(path.join(dir, "pid"), `${process.pid}\n`);
			break;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
		}
		let pid = owner();
		if (pid === 0) {
			/* made but its pid not written yet, or its owner died in between */
			sleep(1000);
			pid = owner();
		}
		if (pid === 0 || !alive(pid)) {
			fs.rmSync(dir, { recursive: true, force: true });
			continue;
		}
		if (!said) console.log(`ktsc kernel: another harness run (pid ${pid}) holds ${dir}; waiting`);
		said = true;
		sleep(2000);
	}
	lockDepth++;
	try {
		return fn();
	} finally {
		if (--lockDepth === 0) fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Run one step; returns the script's exit status (0 = success). */
export function runKernelStep(step: string, opts: KernelRunOptions): number {
	return withHarnessLock(() => runStep(step, opts));
}

function runStep(step: string, opts: KernelRunOptions): number {
	if (!isKernelStep(step)) {
		console.error(`ktsc kernel: unknown step '${step}' (steps: ${KERNEL_STEPS.join(", ")})`);
		return 2;
	}
	const script = path.join(opts.repoRoot, "scripts", "kernel", `${step}.sh`);
	const args = step === "apply" ? [opts.patchesDir] : (opts.args ?? []);
	const env: NodeJS.ProcessEnv = { ...process.env, KTSC_PATCHES: opts.patchesDir };
	if (opts.kernelSrc !== undefined) env.KERNEL_SRC = opts.kernelSrc;

	const label = `[${step}]${args.length ? " " + args.join(" ") : ""}`;
	console.log(`${label} …`);
	const t0 = Date.now(), c0 = cpuSeconds();
	const r = spawnSync("bash", [script, ...args], { stdio: "inherit", env, cwd: opts.repoRoot });
	const status = r.error ? 127 : (r.status ?? 129); // null status: killed by a signal
	if (r.error) console.error(`${label} cannot run ${script}: ${r.error.message}`);
	console.log(`${label} ${status === 0 ? "ok" : `FAILED (exit ${status})`} ${elapsed(t0, c0)}`);
	return status;
}

/** Run steps in order (default: all), stopping at the first failure. */
export function runKernelSteps(opts: KernelRunOptions, steps: readonly string[] = KERNEL_STEPS): number {
	return withHarnessLock(() => {
		const t0 = Date.now(), c0 = cpuSeconds();
		for (const step of steps) {
			const status = runKernelStep(step, opts);
			if (status !== 0) return status;
		}
		console.log(`[kernel] all steps ok ${elapsed(t0, c0)}`);
		return 0;
	});
}

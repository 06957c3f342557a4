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

/** Run one step; returns the script's exit status (0 = success). */
export function runKernelStep(step: string, opts: KernelRunOptions): number {
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
	const t0 = Date.now(), c0 = cpuSeconds();
	for (const step of steps) {
		const status = runKernelStep(step, opts);
		if (status !== 0) return status;
	}
	console.log(`[kernel] all steps ok ${elapsed(t0, c0)}`);
	return 0;
}

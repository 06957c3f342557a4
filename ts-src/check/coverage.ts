/*
 * Which model functions each scenario reaches, measured once on the
 * unmutated model so that ktsc mutate runs a mutant only where it can make
 * a difference.
 *
 * A scenario is run serially, its threads first-to-last and last-to-first,
 * then under a few seeded random schedules (a function called only when a
 * trylock fails, anon_vma_lock_read() from rmap_walk_anon_lock(), runs
 * only when threads interleave), its setup included, and for an -ENOMEM
 * scenario all of that once more per allocation failure point.  This is a
 * sample, not every schedule: a function reached only by a schedule none
 * of these takes would count as unreached.
 */
import { runtime } from './runtime';
import { scenarios, instantiate, withAllocFailure, scenario } from './scenarios';
import { execute, chooser } from './execution';
import { rng } from './explore';
import { countAllocations } from './index';

export interface coverage {
	/** Scenario name to the "module:function" names it calls (setup or threads). */
	reaches: Map<string, Set<string>>;
	/** Of those, the ones its racing threads call (not only its single-threaded setup). */
	threads: Map<string, Set<string>>;
	/** Scheduler steps of those serial runs: a rough order of what a search there costs. */
	steps: Map<string, number>;
}

const RANDOM_SCHEDULES = 16;

function orders(): chooser[] {
	const out: chooser[] = [(enabled) => enabled[0], (enabled) => enabled[enabled.length - 1]];
	for (let seed = 1; seed <= RANDOM_SCHEDULES; seed++) {
		const r = rng(seed);
		out.push((enabled) => enabled[Math.floor(r() * enabled.length)]);
	}
	return out;
}

/* Measured once per process and design (the model on disk does not change under a run). */
const measured = new Map<string, coverage>();

export function measureCoverage(design = '7.2'): coverage {
	const known = measured.get(design);
	if (known)
		return known;
	const byFn = new WeakMap<runtime, Map<Function, string>>();
	let hit = new Set<string>(), inThreads = new Set<string>(), racing = false;
	runtime.onCall = (k, f): void => {
		let names = byFn.get(k);
		if (!names || names.size !== k.named.size) {
			names = new Map([...k.named].map(([n, fn]) => [fn, n]));
			byFn.set(k, names);
		}
		const n = names.get(f);
		if (n) {
			hit.add(n);
			if (racing)
				inThreads.add(n);
		}
	};
	const cov: coverage = { reaches: new Map(), threads: new Map(), steps: new Map() };
	try {
		for (const sc of scenarios) {
			hit = new Set();
			inThreads = new Set();
			let steps = 0;
			const variants: scenario[] = [sc];
			if (sc.enomem) {
				const n = countAllocations(sc, design);
				for (let k = 1; k <= n; k++)
					variants.push(withAllocFailure(sc, 'once', k), withAllocFailure(sc, 'from', k));
			}
			for (const v of variants)
				for (const order of orders()) {
					const inst = instantiate(v, design);
					racing = true;
					try {
						steps += execute(inst, order, false).choices.length;
					} finally {
						racing = false;
					}
				}
			cov.reaches.set(sc.name, hit);
			cov.threads.set(sc.name, inThreads);
			cov.steps.set(sc.name, steps);
		}
	} finally {
		runtime.onCall = null;
	}
	measured.set(design, cov);
	return cov;
}

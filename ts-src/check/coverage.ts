/*
 * Which model functions each scenario reaches, measured once on the
 * unmutated model so that ktsc mutate runs a mutant only where it can make
 * a difference.
 *
 * A scenario is run serially, its threads first-to-last and last-to-first,
 * its setup included, and for an -ENOMEM scenario once more per allocation
 * failure point: function-level coverage does not depend on the
 * interleaving the way line coverage would (a retry or a slow path stays
 * inside the function that has it).
 */
import { runtime } from './runtime';
import { scenarios, instantiate, withAllocFailure, scenario } from './scenarios';
import { execute, chooser } from './execution';
import { countAllocations } from './index';

export interface coverage {
	/** Scenario name to the "module:function" names it calls. */
	reaches: Map<string, Set<string>>;
	/** Scheduler steps of those serial runs: a rough order of what a search there costs. */
	steps: Map<string, number>;
}

const ORDERS: chooser[] = [(enabled) => enabled[0], (enabled) => enabled[enabled.length - 1]];

export function measureCoverage(design = '7.2'): coverage {
	const byFn = new WeakMap<runtime, Map<Function, string>>();
	let hit = new Set<string>();
	runtime.onCall = (k, f): void => {
		let names = byFn.get(k);
		if (!names || names.size !== k.named.size) {
			names = new Map([...k.named].map(([n, fn]) => [fn, n]));
			byFn.set(k, names);
		}
		const n = names.get(f);
		if (n)
			hit.add(n);
	};
	const cov: coverage = { reaches: new Map(), steps: new Map() };
	try {
		for (const sc of scenarios) {
			hit = new Set();
			let steps = 0;
			const variants: scenario[] = [sc];
			if (sc.enomem) {
				const n = countAllocations(sc, design);
				for (let k = 1; k <= n; k++)
					variants.push(withAllocFailure(sc, 'once', k), withAllocFailure(sc, 'from', k));
			}
			for (const v of variants)
				for (const order of ORDERS)
					steps += execute(instantiate(v, design), order, false).choices.length;
			cov.reaches.set(sc.name, hit);
			cov.steps.set(sc.name, steps);
		}
	} finally {
		runtime.onCall = null;
	}
	return cov;
}

/*
 * ktsc check: run the model, a design variant of it, under the checker.
 *
 *   runCheck({})                          7.2 (the model) on every scenario
 *   runCheck({ design, scenario })        one design (its scenarios, or one)
 *   runCheck({ all: true, json: true })   every design on its scenarios
 *   runCheck({ replay: file })            replay a saved trace
 *   runCheck({ cost: true })              the AIM7 cost table, the clone/unlink locks, rmap_walk_ksm()'s curve
 *
 * Returns the exit code: 0 when every result is what the design expects
 * and every search ran to its end (or the replay reproduces); 1 when a
 * result is not what the design expects, a replay does not reproduce, or
 * the model does not type-check; 2 when nothing unexpected was found but
 * a search hit its budget (an incomplete run: its result is
 * "incomplete", never "clean").
 */
import { explore } from './explore';
import { scenarios, findScenario, instantiate, scenario, alloc_failure } from './scenarios';
import { execute } from './execution';
import { saveTrace, formatTrace, replay, TRACE_DIR } from './trace';
import { costTable, formatCost, cloneCostTable, formatCloneCost, ksmCostTable, formatKsmCost } from './cost';
import { world_modules } from './loader';
import type { finding } from './verdict';
import { typecheckModel } from './typecheck';
import { formatDiagnostic } from '../compiler/diagnostics';

export interface check_options {
	scenario?: string;
	design?: string;
	all?: boolean;
	json?: boolean;
	replay?: string;
	cost?: boolean;
	/** Random mode: seeded random schedules instead of systematic search. */
	seed?: number;
	/** Preemption bound for systematic search (default 2). */
	bound?: number;
	/** Where failure traces go (default .ktsc-traces/ in cwd). */
	traceDir?: string;
	/** Per-run budget. */
	maxExecutions?: number;
	seconds?: number;
	/** Executions left for a series of runs (ktsc mutate's per-mutant budget): each run takes what it uses. */
	budget?: { left: number };
	/** State-fingerprint pruning (heuristic; default off). */
	prune?: boolean;
	/** Where output goes (default console.log). */
	print?: (line: string) => void;
}

/** What a run concluded: a finding, or "incomplete" when the budget ran out before anything was found. */
export type outcome = finding | 'incomplete';

export interface check_result {
	design: string;
	scenario: string;
	expected: finding;
	found: outcome;
	states: number;
	seconds: number;
	trace: string | null;
	executions?: number;
	complete?: boolean;
	message?: string;
}

interface design_info {
	name: string;
	description: string;
	expect: Record<string, string>;
}

/** The designs' names, descriptions and expectations (read from a world). */
export function listDesigns(): design_info[] {
	const D = new world_modules().load('check/designs');
	return D.designs.map((d: design_info) => ({ name: d.name, description: d.description, expect: d.expect }));
}

/** (design, scenario, expected) triples to run. */
export function plan(opts: check_options): { design: string; scenario: string; expected: finding }[] {
	const designs = listDesigns();
	const pick = opts.all ? designs : designs.filter((d) => d.name === (opts.design ?? '7.2'));
	if (!pick.length)
		throw new Error(`ktsc check: no design "${opts.design}" (have: ${designs.map((d) => d.name).join(', ')})`);
	const out: { design: string; scenario: string; expected: finding }[] = [];
	for (const d of pick) {
		const names = opts.scenario ? [opts.scenario]
			: d.expect['*'] ? scenarios.map((s) => s.name) : Object.keys(d.expect);
		for (const s of names) {
			findScenario(s);
			out.push({ design: d.name, scenario: s, expected: (d.expect[s] ?? d.expect['*'] ?? 'clean') as finding });
		}
	}
	return out;
}

/** How many allocations the threads of a scenario make, run one after the other. */
export function countAllocations(sc: scenario, design: string): number {
	const inst = instantiate(sc, design);
	let n = 0;
	inst.K.sched.failAlloc = (): boolean => (n++, false);
	execute(inst, (enabled) => enabled[0], false);
	return n;
}

/*
 * An -ENOMEM scenario is explored as it is (every allocation succeeding),
 * then once per allocation failure point: the k-th allocation failing
 * alone, and failing with every later one, for each allocation the threads
 * make when run in order, with a preemption bound of 1.  The first failure
 * found is the result; otherwise the figures add up.  (Leaving out
 * cleanup_partial_anon_vmas()'s "vma->anon_vma = NULL" makes
 * merge-unfaulted-vs-walk:once=1 fail: the merge target keeps an anon_vma
 * whose num_active_vmas does not count it.)
 */
function checkAllocFailures(design: string, sc: scenario, expected: finding, opts: check_options): check_result {
	const plain = checkOne(design, sc.name, expected, opts, false);
	if (plain.found !== 'clean' && plain.found !== 'incomplete')
		return plain;
	const total: check_result = { ...plain, message: undefined };
	const n = countAllocations(sc, design);
	for (const mode of ['once', 'from'] as alloc_failure[]) {
		for (let k = 1; k <= n; k++) {
			/* Failure points multiply the search: one preemption each (bound 1) unless asked for less. */
			const r = checkOne(design, `${sc.name}:${mode}=${k}`, expected, { ...opts, bound: Math.min(opts.bound ?? 1, 1) });
			total.states += r.states;
			total.seconds = Math.round((total.seconds + r.seconds) * 1000) / 1000;
			total.executions! += r.executions ?? 0;
			total.complete &&= r.complete;
			if (r.found !== 'clean' && r.found !== 'incomplete')
				return { ...total, found: r.found, trace: r.trace, message: `${r.scenario}: ${r.message}` };
		}
	}
	total.message = `${2 * n} allocation failure points (${n} allocation${n === 1 ? '' : 's'})`;
	if (!total.complete)
		total.found = 'incomplete';
	return total;
}

/** Check one design on one scenario. */
export function checkOne(design: string, scenario: string, expected: finding, opts: check_options = {}, allocFailures = true): check_result {
	const sc = findScenario(scenario);
	if (sc.enomem && allocFailures)
		return checkAllocFailures(design, sc, expected, opts);
	const r = explore(() => instantiate(sc, design), {
		bound: opts.bound ?? sc.bound ?? 2,
		maxExecutions: Math.min(opts.maxExecutions ?? 50000, opts.budget ? Math.max(opts.budget.left, 0) : Infinity),
		seconds: opts.seconds ?? 120,
		prune: !!opts.prune,
		random: opts.seed !== undefined ? { seed: opts.seed, runs: opts.maxExecutions ?? 2000 } : undefined,
	});
	if (opts.budget)
		opts.budget.left -= r.executions;
	let trace: string | null = null;
	if (r.failure && r.schedule)
		trace = saveTrace(scenario, design, r.schedule, opts.traceDir ?? TRACE_DIR).file;
	return {
		design, scenario, expected,
		found: r.failure ? r.failure.kind : r.complete ? 'clean' : 'incomplete',
		states: r.states,
		seconds: Math.round(r.seconds * 1000) / 1000,
		trace,
		executions: r.executions,
		complete: r.complete,
		message: r.failure?.message,
	};
}

export function runCheck(opts: check_options): number {
	const print = opts.print ?? ((l: string): void => console.log(l));

	if (opts.replay) {
		const r = replay(opts.replay, print);
		return r.reproduced ? 0 : 1;
	}
	if (!opts.cost) {
		const diags = typecheckModel();
		if (diags.length) {
			if (opts.json)
				print(JSON.stringify({ error: 'the model does not type-check', diagnostics: diags }));
			else {
				for (const d of diags)
					print(formatDiagnostic(d));
				print('ktsc check: the model does not type-check; not running it');
			}
			return 1;
		}
	}
	if (opts.cost) {
		const rows = costTable();
		const clone = cloneCostTable();
		const ksm = ksmCostTable();
		if (opts.json) {
			print(JSON.stringify({ cost: rows, clone_cost: clone, ksm_cost: ksm }));
		} else {
			print(formatCost(rows));
			print('');
			print(formatCloneCost(clone));
			print('');
			print(formatKsmCost(ksm));
		}
		return 0;
	}

	const results: check_result[] = [];
	for (const p of plan(opts)) {
		const r = checkOne(p.design, p.scenario, p.expected, opts);
		results.push(r);
		if (!opts.json) {
			const ok = r.found === 'incomplete' && r.expected === 'clean' ? 'budget hit' : r.found === r.expected ? 'ok' : 'not ok';
			print(`${ok} ${results.length} ${r.design} / ${r.scenario}: expected ${r.expected}, found ${r.found} ` +
				`# ${r.executions} executions, ${r.states} states, ${r.seconds}s${r.complete ? '' : ', budget hit'}`);
			if (r.message)
				print(`#   ${r.message}`);
			if (r.trace) {
				print(`#   trace: ${r.trace}`);
				const t = JSON.parse(require('fs').readFileSync(r.trace, 'utf8'));
				for (const line of formatTrace(t).split('\n'))
					print(`#   ${line}`);
			}
		}
	}
	const pass = results.filter((r) => r.found === r.expected).length;
	/* A budget hit where nothing was expected is incomplete, not a failure; anything else unexpected is. */
	const incomplete = results.filter((r) => r.found === 'incomplete' && r.expected === 'clean').length;
	const fail = results.length - pass - incomplete;
	if (opts.json) {
		print(JSON.stringify({
			results: results.map((r) => ({
				design: r.design, scenario: r.scenario, expected: r.expected, found: r.found,
				states: r.states, seconds: r.seconds, trace: r.trace,
			})),
		}));
	} else {
		print(`# Totals: pass:${pass} fail:${fail} incomplete:${incomplete}`);
	}
	return fail ? 1 : incomplete ? 2 : 0;
}

export { replay } from './trace';
export { scenarios } from './scenarios';

/*
 * ktsc mutate: how many of the bugs the checker is meant to catch it does
 * catch.  Each mutant (ts-src/check/mutation.ts) of the model's functions
 * is type-checked (one that does not is stillborn, not counted), loaded
 * through the checker's own loader in place of the model, and checked on
 * the scenarios that reach the mutated function (cheapest first) until the
 * first finding: killed.  One that no scenario flags survives, unless it
 * is declared equivalent (ts-src/check/equivalent.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mutants, applyEdits, mutant, OPERATORS, functionIndex } from './mutation';
import { measureCoverage } from './coverage';
import { checkOne } from './index';
import { overlaySource, sourceRoot, modelModules } from './loader';
import { typecheckWith } from './typecheck';
import { isEquivalent } from './equivalent';

export interface mutate_options {
	operator?: string;
	function?: string;
	/** Preemption bound (the checker's default, 2, unless asked). */
	bound?: number;
	/** Per-scenario time budget in seconds (default none: executions only, so a loaded host changes no result). */
	seconds?: number;
	/**
	 * Per-mutant budget: scheduler executions over all the scenarios that
	 * reach it (default MUTANT_EXECUTIONS).  A mutant not killed within it
	 * survives as incomplete, never counted killed or equivalent.
	 */
	executions?: number;
	/** Per-mutant progress (default stderr). */
	progress?: (line: string) => void;
}

export type mutant_status = 'killed' | 'survived' | 'equivalent' | 'stillborn' | 'unreached';

export interface mutant_result extends Omit<mutant, 'edits'> {
	file: string;
	status: mutant_status;
	/** Killed: the scenario and what the checker found there. */
	scenario?: string;
	finding?: string;
	/** Survived: a scenario's search hit its budget (so "not killed within the budget"). */
	incomplete?: boolean;
	/** Equivalent: the rule (equivalent.ts's entries are "declared") and why. */
	rule?: string;
	reason?: string;
	/** Scheduler executions the mutant cost. */
	executions: number;
	scenarios: string[];
	seconds: number;
}

export interface mutate_report {
	results: mutant_result[];
	/** Mutants counted: neither stillborn nor in a function no scenario reaches. */
	total: number;
	killed: number;
	equivalent: number;
	stillborn: number;
	unreached: number;
	seconds: number;
}

/*
 * A mutant's budget in scheduler executions, over every scenario that
 * reaches it.  A killed mutant is found within a few hundred (the median
 * is a handful); what the budget bounds is the survivor, which would
 * otherwise search every reaching scenario to its end.
 */
export const MUTANT_EXECUTIONS = 6000;

/*
 * reach: the scenarios that call the function, cheapest first; racing: those
 * whose racing threads call it (the others call it only in their
 * single-threaded setup, which one execution covers).
 */
function runOne(m: mutant, file: string, text: string, reach: string[], racing: Set<string>, opts: mutate_options,
		traceDir: string): mutant_result {
	const t0 = Date.now();
	const { edits: _edits, equivalence, ...rest } = m;
	const res: mutant_result = { ...rest, file: path.relative(sourceRoot(), file), status: 'survived', scenarios: reach, seconds: 0, executions: 0 };
	const budget = { left: opts.executions ?? MUTANT_EXECUTIONS };
	const done = (): mutant_result => ({ ...res, seconds: Math.round((Date.now() - t0) / 100) / 10,
		executions: (opts.executions ?? MUTANT_EXECUTIONS) - budget.left });
	if (!reach.length)
		return { ...done(), status: 'unreached' };
	/* Equivalent by a rule that needs no run (mutation.ts's swapEquivalence()), or declared with its reason. */
	if (equivalence?.proven)
		return { ...done(), status: 'equivalent', rule: equivalence.rule, reason: equivalence.reason };
	const declared = isEquivalent(m);
	if (declared)
		return { ...done(), status: 'equivalent', rule: 'declared', reason: declared.reason };
	const mutated = applyEdits(text, m.edits);
	if (typecheckWith(file, mutated).length)
		return { ...done(), status: 'stillborn' };
	overlaySource(file, mutated);
	try {
		/*
		 * Three rounds.  Bound 0 (the serial orders) on every reaching
		 * scenario: a mutant that breaks a path one scenario runs serially
		 * (an error path at its allocation failure point, a setup) is found
		 * without searching the others.  Then, where the racing threads call
		 * the function (a setup is one execution, run in the first round),
		 * bound 1, each scenario with an equal share of a quarter of the
		 * budget: most races need one preemption, and the race only a late
		 * scenario runs is not starved by an early one searched to the end.
		 * Last the full search (the scenario's bound), cheapest first, with
		 * what is left.
		 */
		const racingReach = reach.filter((x) => racing.has(x));
		const rounds: { bound: number | undefined; scs: string[]; share: boolean }[] = [{ bound: 0, scs: reach, share: false }];
		if (opts.bound !== 0 && opts.bound !== 1)
			rounds.push({ bound: 1, scs: racingReach, share: true });
		if (opts.bound !== 0)
			rounds.push({ bound: opts.bound, scs: racingReach, share: false });
		/* The budget the shared round spreads over its scenarios. */
		let shared = Math.floor(budget.left / 4);
		for (const [i, round] of rounds.entries()) {
			for (const [j, sc] of round.scs.entries()) {
				if (budget.left <= 0) {
					/* A scenario left unsearched. */
					res.incomplete = true;
					break;
				}
				/* This scenario's share of the round: what is left of it over the scenarios still to run. */
				const mine = round.share ? { left: Math.max(1, Math.floor(shared / (round.scs.length - j))) } : budget;
				const before = mine.left;
				let found: string, message: string | undefined;
				try {
					const r = checkOne('7.2', sc, 'clean', { bound: round.bound, seconds: opts.seconds ?? 1e9, traceDir, budget: mine });
					found = r.found;
					message = r.message;
				} catch (e) {
					/* The mutant broke the world outside a search (a scenario's setup): the model misbehaved. */
					found = 'error';
					message = String((e as Error).message ?? e);
				}
				if (mine !== budget) {
					budget.left -= before - mine.left;
					shared -= before - mine.left;
				}
				/* Not searched to the end in the last round: "not killed within the budget" (the last round searches the shared round's scenarios again). */
				if (found === 'incomplete' && !round.share && (i === rounds.length - 1 || budget.left <= 0))
					res.incomplete = true;
				if (found !== 'clean' && found !== 'incomplete') {
					res.status = 'killed';
					res.scenario = sc;
					res.finding = message ? `${found}: ${message.split('\n')[0]}` : found;
					return done();
				}
			}
			if (budget.left <= 0) {
				/* Scenarios left for the rounds after: unsearched. */
				if (rounds.slice(i + 1).some((r) => r.scs.length))
					res.incomplete = true;
				break;
			}
		}
	} finally {
		overlaySource(null);
	}
	if (equivalence && !res.incomplete)
		/* A rule that holds when a complete search finds nothing: it found nothing. */
		Object.assign(res, { status: 'equivalent', rule: equivalence.rule, reason: equivalence.reason });
	return done();
}

/** --function or --operator that names nothing: the verb exits 2 with the message. */
export class MutateUsageError extends Error {}

export function runMutate(opts: mutate_options = {}): mutate_report {
	const t0 = Date.now();
	const progress = opts.progress ?? ((l: string): void => void process.stderr.write(`${l}\n`));
	const root = sourceRoot();
	const files = modelModules().map((mod) => ({ mod, name: path.join(root, `${mod}.ts`) }))
		.map((f) => ({ ...f, text: fs.readFileSync(f.name, 'utf8') }));
	/* Calls are followed through every model file (rmap.ts calls rmap_h.ts's lock helpers). */
	const fns = functionIndex(files);
	/* A name that selects nothing is a mistake, not a run of zero mutants (nor of all of them). */
	if (opts.function !== undefined && !fns.has(opts.function))
		throw new MutateUsageError(`no model function ${opts.function} (ts-src/model/*.ts)`);
	if (opts.operator !== undefined && !(OPERATORS as readonly string[]).includes(opts.operator))
		throw new MutateUsageError(`no operator ${opts.operator} (${OPERATORS.join(', ')})`);
	const cov = measureCoverage();
	const traceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-mutate-'));
	const todo = files.flatMap(({ mod, name: file, text }) => {
		return mutants(file, text, opts, fns).map((m) => ({ m, mod, file, text }));
	/* Operator by operator, in OPERATORS' order: the many statement swaps last. */
	}).sort((a, b) => OPERATORS.indexOf(a.m.operator) - OPERATORS.indexOf(b.m.operator));
	progress(`# ktsc mutate: ${todo.length} mutants, coverage measured in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
	const results: mutant_result[] = [];
	try {
		for (const { m, mod, file, text } of todo) {
			/* The scenarios reaching the function, cheapest first. */
			const reach = [...cov.reaches].filter(([, fns]) => fns.has(`${mod}:${m.function}`)).map(([sc]) => sc)
				.sort((a, b) => cov.steps.get(a)! - cov.steps.get(b)!);
			const racing = new Set([...cov.threads].filter(([, fns]) => fns.has(`${mod}:${m.function}`)).map(([sc]) => sc));
			const r = runOne(m, file, text, reach, racing, opts, traceDir);
			results.push(r);
			progress(`[${results.length}/${todo.length}] ${r.status}${r.incomplete ? ' (incomplete: budget hit)' : ''} ${r.operator} ` +
				`${r.function}:${r.line} ${r.description}${r.scenario ? ` <- ${r.scenario}: ${r.finding}` : ''}` +
				`${r.rule ? ` [${r.rule}]` : ''} (${r.seconds}s, ${r.executions} executions)`);
		}
	} finally {
		fs.rmSync(traceDir, { recursive: true, force: true });
	}
	const count = (s: mutant_status): number => results.filter((r) => r.status === s).length;
	const stillborn = count('stillborn'), unreached = count('unreached');
	return {
		results, total: results.length - stillborn - unreached, killed: count('killed'), equivalent: count('equivalent'),
		stillborn, unreached, seconds: Math.round((Date.now() - t0) / 100) / 10,
	};
}

/** killed / (total - equivalent), in percent: over the mutants some scenario reaches. */
export function killRate(r: mutate_report): number {
	const n = r.total - r.equivalent;
	return n ? Math.round((1000 * r.killed) / n) / 10 : 100;
}

/*
 * killed / (total + unreached - equivalent), in percent: over every mutant
 * that type-checks.  A mutant no scenario reaches is neither killed nor
 * equivalent; it counts as not caught here (KSM's until KSM is run).
 */
export function killRateAll(r: mutate_report): number {
	const n = r.total + r.unreached - r.equivalent;
	return n ? Math.round((1000 * r.killed) / n) / 10 : 100;
}

/** The documented JSON: {"total", "killed", "equivalent", "survivors": [{operator, function, line, ...}]}. */
export function mutateJson(r: mutate_report): object {
	return {
		total: r.total, killed: r.killed, equivalent: r.equivalent,
		survivors: r.results.filter((x) => x.status === 'survived').map((x) => ({
			operator: x.operator, function: x.function, line: x.line, description: x.description,
			file: x.file, incomplete: !!x.incomplete, scenarios: x.scenarios,
		})),
		equivalents: r.results.filter((x) => x.status === 'equivalent').map((x) => ({
			operator: x.operator, function: x.function, line: x.line, description: x.description, rule: x.rule, reason: x.reason,
		})),
		kill_rate: killRate(r), unreached: r.unreached, kill_rate_all: killRateAll(r), seconds: r.seconds,
	};
}

/** The verb: exit 0 when every counted mutant is killed or equivalent, 1 when some survive. */
export function mutateMain(opts: mutate_options & { json?: boolean; print?: (l: string) => void }): number {
	const print = opts.print ?? ((l: string): void => console.log(l));
	let r: mutate_report;
	try {
		r = runMutate(opts);
	} catch (e) {
		if (!(e instanceof MutateUsageError))
			throw e;
		console.error(`ktsc mutate: ${e.message}`);
		return 2;
	}
	const survivors = r.results.filter((x) => x.status === 'survived');
	const figures = `${r.total + r.stillborn + r.unreached} mutants: ${r.total} counted, ${r.killed} killed, ` +
		`${r.equivalent} equivalent, ${survivors.length} survived; ${r.stillborn} stillborn (do not type-check), ` +
		`${r.unreached} in functions no scenario reaches (unreached); kill rate ${killRate(r)}% of the reached, ` +
		`${killRateAll(r)}% of all (unreached counted as not killed); ${r.seconds}s`;
	if (opts.json) {
		print(JSON.stringify(mutateJson(r)));
		(opts.progress ?? ((l: string): void => void process.stderr.write(`${l}\n`)))(`# ${figures}`);
	} else {
		const rules = new Map<string, string>();
		for (const e of r.results.filter((x) => x.status === 'equivalent')) {
			print(`equivalent [${e.rule}] ${e.operator} ${e.function}:${e.line} ${e.description}`);
			rules.set(e.rule!, e.reason!);
		}
		for (const [rule, reason] of rules)
			print(`# rule ${rule}: ${reason}`);
		for (const s of survivors)
			print(`survived${s.incomplete ? ' (incomplete)' : ''} ${s.operator} ${s.function}:${s.line} ${s.description}` +
				`${s.incomplete ? ` (not killed within ${opts.executions ?? MUTANT_EXECUTIONS} executions)` : ''}`);
		print(`# ${figures}`);
	}
	return survivors.length ? 1 : 0;
}

/*
 * Failure traces: the schedule that produced a finding, saved as plain
 * JSON, and its step-by-step replay.  A trace is self-contained: scenario,
 * design and the thread chosen at every step; the execution is
 * deterministic, so running those choices again gives the same finding.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execute, failure, step, setUp, execution_result, isValueChoice } from './execution';
import { findScenario, instantiate } from './scenarios';

export const TRACE_DIR = '.ktsc-traces';

export interface trace_file {
	version: 1;
	scenario: string;
	design: string;
	finding: string;
	message: string;
	preemptions: number;
	/** Thread index per step; a negative entry is a weak load's value (-1 the newest). */
	schedule: number[];
	threads: string[];
	steps: (step & { i: number })[];
}

/* Switches away from a thread that could go on, and weak loads of an older value. */
function countPreemptions(schedule: number[], enabled: number[][]): number {
	let n = 0;
	let last = -1;
	for (let i = 0; i < schedule.length; i++) {
		const c = schedule[i];
		if (isValueChoice(c)) {
			if (c !== -1)
				n++;
			continue;
		}
		if (last >= 0 && c !== last && enabled[i].includes(last))
			n++;
		last = c;
	}
	return n;
}

/** Re-run the failing schedule with step recording and write it out. */
export function saveTrace(scenario: string, design: string, schedule: number[], dir = TRACE_DIR): { file: string; trace: trace_file } {
	const inst = setUp(() => instantiate(findScenario(scenario), design));
	const r: execution_result = 'w' in inst ? execute(inst, (_en, _cur, n) => schedule[n], true) : inst;
	const f = r.failure ?? { kind: 'clean', message: 'did not reproduce' };
	const trace: trace_file = {
		version: 1, scenario, design, finding: f.kind, message: f.message,
		preemptions: countPreemptions(r.choices, r.enabled),
		schedule: r.choices,
		threads: 'w' in inst ? inst.threads.map((t) => t.name) : [],
		steps: r.steps.map((s, i) => ({ i, ...s })),
	};
	fs.mkdirSync(dir, { recursive: true });
	/* The directory ignores itself: traces are results, not sources. */
	const ignore = path.join(dir, '.gitignore');
	if (!fs.existsSync(ignore))
		fs.writeFileSync(ignore, '*\n');
	const file = path.join(dir, `${design}--${scenario}.json`);
	fs.writeFileSync(file, `${JSON.stringify(trace, null, 1)}\n`);
	return { file, trace };
}

/** The steps grouped into runs of one thread: how a person reads a trace. */
export function formatTrace(t: trace_file): string {
	const out: string[] = [];
	let i = 0;
	while (i < t.steps.length) {
		const s = t.steps[i];
		let j = i;
		while (j + 1 < t.steps.length && t.steps[j + 1].thread === s.thread)
			j++;
		const last = t.steps[j];
		out.push(`  ${String(i).padStart(4)}-${String(j).padEnd(4)} ${s.name.padEnd(16)} ${s.what}${s.line ? ` (${s.line})` : ''}` +
			(j > i ? ` ... ${last.what}${last.line ? ` (${last.line})` : ''}` : ''));
		i = j + 1;
	}
	return out.join('\n');
}

export interface replay_result {
	reproduced: boolean;
	failure: failure | null;
	trace: trace_file;
	/** The step at which the schedule no longer fits the model (a changed model), or null. */
	diverged: number | null;
}

/** Thrown inside the chooser when the saved schedule no longer fits. */
class divergence {
	constructor(public step: number) {}
}

/**
 * Run a saved trace again, printing each step as it is taken.  Against a
 * changed model the schedule may stop fitting (a thread the trace names
 * is finished or blocked): that is "not reproduced (diverges at step N)",
 * not a crash.
 */
export function replay(file: string, print: (line: string) => void = () => {}): replay_result {
	const trace = JSON.parse(fs.readFileSync(file, 'utf8')) as trace_file;
	print(`replay ${trace.design} / ${trace.scenario}: ${trace.schedule.length} steps, ${trace.preemptions} preemptions`);
	const inst = setUp(() => instantiate(findScenario(trace.scenario), trace.design));
	let diverged: number | null = null;
	let r: execution_result;
	if (!('w' in inst)) {
		r = inst;
	} else {
		try {
			r = execute(inst, (en, _cur, n, ts) => {
				const t = trace.schedule[n];
				if (t === undefined || !en.includes(t))
					throw new divergence(n);
				if (isValueChoice(t)) {
					print(`  ${String(n).padStart(4)} ${''.padEnd(16)} the load returns ${t === -1 ? 'the newest value' : `a value ${-1 - t} store(s) old`}`);
					return t;
				}
				const th = ts[t];
				print(`  ${String(n).padStart(4)} ${th.spec.name.padEnd(16)} ${th.parked ? th.parked.what : 'start'}${th.line ? ` (${th.line})` : ''}`);
				return t;
			}, true);
		} catch (e) {
			if (!(e instanceof divergence))
				throw e;
			diverged = e.step;
			r = { choices: [], enabled: [], steps: [], failure: null };
		}
	}
	if (diverged === null && r.choices.length < trace.schedule.length && !r.failure)
		diverged = r.choices.length;
	/* Same splat; the call-site suffix may differ if the sources moved. */
	const core = (m: string): string => m.replace(/ \(last model call: [^)]*\)$/, '');
	const same = diverged === null && !!r.failure && r.failure.kind === trace.finding && core(r.failure.message) === core(trace.message);
	if (diverged !== null)
		print(`=> the schedule does not fit the model at step ${diverged}`);
	else
		print(r.failure ? `=> ${r.failure.kind}: ${r.failure.message}` : '=> clean');
	print(same ? 'reproduced' : diverged !== null ? `not reproduced (diverges at step ${diverged})` : 'not reproduced');
	return { reproduced: same, failure: r.failure, trace, diverged };
}

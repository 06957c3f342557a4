/*
 * ktsc check benchmark: for every design on its scenarios, the time to the
 * finding (or to exhausting the bound when clean), executions, states
 * (scheduler steps) and states per second; then ktsc mutate's kill rate
 * and time.  Run: node dist/bench/check.js
 */
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import { plan, checkOne } from '../ts-src/check/index';
import { costTable, formatCost } from '../ts-src/check/cost';
import { runMutate, killRate, killRateAll } from '../ts-src/check/mutate';

const bound = Number(process.env.KTSC_BOUND ?? 2);
const traceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-bench-'));
console.log(`# ktsc check, preemption bound ${bound}`);
console.log(`${'design'.padEnd(40)} ${'scenario'.padEnd(32)} ${'found'.padEnd(16)} ${'s'.padStart(7)} ${'execs'.padStart(6)} ${'states'.padStart(8)} ${'states/s'.padStart(9)}`);
for (const p of plan({ all: true })) {
	const r = checkOne(p.design, p.scenario, p.expected, { bound, traceDir });
	const rate = r.seconds > 0 ? Math.round(r.states / r.seconds) : 0;
	console.log(`${r.design.padEnd(40)} ${r.scenario.padEnd(32)} ${(r.found === r.expected ? r.found : `${r.found}!`).padEnd(16)} ` +
		`${r.seconds.toFixed(3).padStart(7)} ${String(r.executions).padStart(6)} ${String(r.states).padStart(8)} ${String(rate).padStart(9)}`);
}
const t0 = Date.now();
console.log(formatCost(costTable()));
console.log(`# cost table: ${((Date.now() - t0) / 1000).toFixed(2)}s`);

/* ktsc mutate: kill rate and time (minutes: every mutant on the scenarios that reach it). */
/* Each scenario at its own bound (some search 3), as `ktsc mutate` does, unless KTSC_BOUND asks for one. */
const m = runMutate({ bound: process.env.KTSC_BOUND === undefined ? undefined : bound, progress: (l) => console.log(l) });
console.log(`# ktsc mutate: ${m.total + m.stillborn + m.unreached} mutants, ${m.total} counted, ${m.killed} killed, ` +
	`${m.equivalent} equivalent, ${m.stillborn} stillborn, ${m.unreached} unreached; kill rate ${killRate(m)}% of the reached, ` +
	`${killRateAll(m)}% of all (unreached counted as not killed); ${m.seconds}s`);

/*
 * How long `ktsc emit` takes for the whole model (goal: under 2 s on the
 * 2-core machine): a fresh TypeScript program, type-check, emit.  Prints
 * figures; asserts nothing.
 */
import { compileFiles, MODEL_FILES } from '../ts-src/compiler/program';

const runs = Number(process.argv[2] ?? 5);
const times: number[] = [];
let functions = 0;
let carried = 0;
let bytes = 0;
for (let i = 0; i < runs; i++) {
	const t0 = process.hrtime.bigint();
	const files = compileFiles(MODEL_FILES);
	times.push(Number(process.hrtime.bigint() - t0) / 1e6);
	functions = files.reduce((n, f) => n + f.functions.length, 0);
	carried = files.reduce((n, f) => n + f.verbatim.length, 0);
	bytes = files.reduce((n, f) => n + f.text.length, 0);
}
times.sort((a, b) => a - b);
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(`ktsc emit: whole files, ${bytes} bytes, ${functions} TypeScript + ${carried} carried functions, ${runs} runs: min ${times[0].toFixed(0)} ms, median ${times[Math.floor(runs / 2)].toFixed(0)} ms, max ${times[runs - 1].toFixed(0)} ms; rss ${rss.toFixed(0)} MiB`);

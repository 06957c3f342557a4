/*
 * How long `ktsc emit` takes for the whole model (goal: under 2 s on the
 * 2-core machine): a fresh TypeScript program, type-check, emit.  Both
 * whole files (mm/rmap.c and mm/ksm.c) in one program, as `ktsc emit`
 * does, then each file alone for its share.  Prints figures; asserts
 * nothing.
 */
import { compileFiles, MODEL_FILES } from '../ts-src/compiler/program';

const runs = Number(process.argv[2] ?? 5);

function time(files: typeof MODEL_FILES): { times: number[]; functions: number; carried: number; bytes: number } {
	const times: number[] = [];
	let functions = 0, carried = 0, bytes = 0;
	for (let i = 0; i < runs; i++) {
		const t0 = process.hrtime.bigint();
		const out = compileFiles(files);
		times.push(Number(process.hrtime.bigint() - t0) / 1e6);
		functions = out.reduce((n, f) => n + f.functions.length, 0);
		carried = out.reduce((n, f) => n + f.verbatim.length, 0);
		bytes = out.reduce((n, f) => n + f.text.length, 0);
	}
	times.sort((a, b) => a - b);
	return { times, functions, carried, bytes };
}

function line(what: string, r: ReturnType<typeof time>): string {
	const t = r.times;
	return `${what}, ${r.bytes} bytes, ${r.functions} TypeScript + ${r.carried} carried functions, ${runs} runs: ` +
		`min ${t[0].toFixed(0)} ms, median ${t[Math.floor(runs / 2)].toFixed(0)} ms, max ${t[runs - 1].toFixed(0)} ms`;
}

const all = time(MODEL_FILES);
console.log(line(`ktsc emit: whole files ${MODEL_FILES.map((f) => f.c).join(' + ')}`, all));
for (const f of MODEL_FILES)
	console.log(line(`  ${f.c} alone`, time([f])));
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(`rss ${rss.toFixed(0)} MiB`);

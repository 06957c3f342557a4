/*
 * Fidelity: is each modelled function, as emitted, the function in the
 * base tree?  Token-identical (comments and whitespace ignored) is the
 * requirement; byte-identical is reported too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileFiles, MODEL_FILES } from './compiler/program';
import { functionMap, CFunction } from './csource/functions';
import { lineOf } from './csource/lex';
import { baseTree } from './kernelsrc';

export interface FunctionFidelity {
	file: string;
	name: string;
	status: 'identical' | 'differs' | 'missing';
	bytes_identical: boolean;
	/** For "differs": the first differing tokens, with their lines. */
	first_difference?: { base: { line: number; token: string }; emitted: { line: number; token: string } };
}

export interface FidelityReport {
	base: string;
	functions: FunctionFidelity[];
}

export function compareFunction(file: string, name: string, base: CFunction | undefined, baseSrc: string,
		emitted: CFunction, emittedSrc: string): FunctionFidelity {
	if (!base)
		return { file, name, status: 'missing', bytes_identical: false };
	const bytes = baseSrc.slice(base.start, base.end) === emittedSrc.slice(emitted.start, emitted.end);
	const a = base.tokens, b = emitted.tokens;
	const n = Math.min(a.length, b.length);
	let i = 0;
	while (i < n && a[i].text === b[i].text)
		i++;
	if (i === a.length && i === b.length)
		return { file, name, status: 'identical', bytes_identical: bytes };
	const at = (src: string, toks: typeof a, j: number): { line: number; token: string } =>
		j < toks.length ? { line: lineOf(src, toks[j].pos), token: toks[j].text } : { line: lineOf(src, src.length), token: '<end>' };
	return {
		file, name, status: 'differs', bytes_identical: false,
		first_difference: { base: at(baseSrc, a, i), emitted: at(emittedSrc, b, i) },
	};
}

/**
 * kernel: a tree given by the user, of any release: a tree of another
 * version than the pinned base gets a drift report (what differs, what is
 * missing there), not a refusal.
 */
export function fidelity(kernel?: string): FidelityReport {
	const tree = baseTree(kernel, { anyVersion: kernel !== undefined });
	const functions: FunctionFidelity[] = [];
	for (const f of compileFiles(MODEL_FILES)) {
		const baseSrc = fs.readFileSync(path.join(tree.dir, f.c), 'utf8');
		const baseFns = functionMap(baseSrc);
		const emittedFns = functionMap(f.text);
		for (const name of f.functions)
			functions.push(compareFunction(f.c, name, baseFns.get(name), baseSrc, emittedFns.get(name)!, f.text));
	}
	return { base: tree.version, functions };
}

export function printFidelity(r: FidelityReport): void {
	console.log(`base: Linux ${r.base}`);
	for (const f of r.functions) {
		let line = `${f.status.padEnd(9)} ${f.bytes_identical ? 'bytes' : '     '} ${f.file} ${f.name}`;
		if (f.first_difference) {
			const d = f.first_difference;
			line += `\n          base ${f.file}:${d.base.line} '${d.base.token}'  emitted :${d.emitted.line} '${d.emitted.token}'`;
		}
		console.log(line);
	}
	const tok = r.functions.filter((f) => f.status === 'identical').length;
	const bytes = r.functions.filter((f) => f.bytes_identical).length;
	console.log(`${r.functions.length} functions: ${tok} token-identical, ${bytes} byte-identical`);
}

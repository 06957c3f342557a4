/*
 * Fidelity: is each modelled function, as emitted, the function in the
 * base tree?  Token-identical (comments and whitespace ignored) is the
 * requirement; byte-identical is reported too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileFiles, MODEL_FILES } from './compiler/program';
import { findFunctions, CFunction } from './csource/functions';
import { lineOf } from './csource/lex';
import { baseTree } from './kernelsrc';
import { touched } from './changes';
import { changedItems } from './series/commits';

export interface FunctionFidelity {
	file: string;
	name: string;
	/** missing: not in that tree; new: not in the base, added by a change of the series. */
	status: 'identical' | 'differs' | 'missing' | 'new';
	bytes_identical: boolean;
	/** For "differs": the first differing tokens, with their lines. */
	first_difference?: { base: { line: number; token: string }; emitted: { line: number; token: string } };
}

/** A model file as a whole against its base file. */
export interface FileFidelity {
	file: string;
	/**
	 * Byte-identical to the base file apart from the series' changes: every
	 * top-level item that differs is one a change in
	 * ts-src/changes.ts touches.
	 */
	file_identical: boolean;
	/** Byte-identical to the base file, changes and all (true only for an unchanged model). */
	bytes_identical: boolean;
	/** Functions of the file the model defines in TypeScript / carries as verbatim C. */
	model_functions: number;
	carried_functions: number;
	/** The top-level items (functions, `struct NAME`, declarations, macros) the emitted file changes, adds or removes. */
	changed_items: string[];
	/** For !file_identical: the changed items no change touches, and the first line where the files differ. */
	stray_items?: string[];
	first_difference?: { base: { line: number; text: string }; emitted: { line: number; text: string } };
}

export interface FidelityReport {
	base: string;
	/** Whole files. */
	files: FileFidelity[];
	/** Functions the model defines in TypeScript. */
	functions: FunctionFidelity[];
	/** Functions the model carries as verbatim C blocks (c`...`), same fields. */
	carried: FunctionFidelity[];
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
	const carried: FunctionFidelity[] = [];
	const files: FileFidelity[] = [];
	const changes = touched();
	for (const f of compileFiles(MODEL_FILES)) {
		const basePath = path.join(tree.dir, f.c);
		const baseSrc = fs.existsSync(basePath) ? fs.readFileSync(basePath, 'utf8') : '';
		const baseFns = findFunctions(baseSrc);
		const emittedFns = findFunctions(f.text);
		/*
		 * a function the model adds: "new" where a change of the series
		 * touches it, "missing" elsewhere; one defined under #ifdef and
		 * #else (one variant TypeScript, the other carried) is compared
		 * variant by variant, the first that differs reported
		 */
		const compare = (name: string): FunctionFidelity => {
			const bs = baseFns.filter((g) => g.name === name), es = emittedFns.filter((g) => g.name === name);
			const rs = es.map((e, i) => compareFunction(f.c, name, bs[i], baseSrc, e, f.text));
			const r = rs.find((x) => x.status !== 'identical' || !x.bytes_identical) ?? rs[0];
			return r.status === 'missing' && changes.has(`${f.c}:${name}`) ? { ...r, status: 'new' } : r;
		};
		const own = f.functions.map(compare);
		functions.push(...own);
		carried.push(...f.verbatim.map(compare));
		files.push(compareFile(f.c, baseSrc, f.text, changes, f.functions.length, f.verbatim.length));
	}
	return { base: tree.version, files, functions, carried };
}

/*
 * The file as a whole, item by item (functions, structs, file-scope
 * declarations, macros, the file's end): every item the emitted file
 * changes, adds or removes must be one that a change of the series
 * touches; all the rest, comments and blank lines included, is the base's
 * byte for byte.
 */
export function compareFile(file: string, baseSrc: string, emitted: string, changes: Set<string>, model: number, carried: number): FileFidelity {
	const changed = [...changedItems(baseSrc, emitted)];
	const stray = changed.filter((n) => !changes.has(`${file}:${n}`));
	const r: FileFidelity = {
		file, file_identical: stray.length === 0, bytes_identical: emitted === baseSrc,
		model_functions: model, carried_functions: carried, changed_items: changed,
	};
	if (stray.length) {
		const a = baseSrc.split('\n'), b = emitted.split('\n');
		let i = 0;
		while (i < a.length && i < b.length && a[i] === b[i])
			i++;
		r.stray_items = stray;
		r.first_difference = { base: { line: i + 1, text: a[i] ?? '<end>' }, emitted: { line: i + 1, text: b[i] ?? '<end>' } };
	}
	return r;
}

/** The porting path: the model's TypeScript functions that differ in (or are missing from) another tree. */
export interface DriftReport {
	kernel: string;
	version: string;
	drifted: (FunctionFidelity & { changed_by_model: boolean })[];
	unchanged: number;
	files: FileFidelity[];
}

export function drift(kernel: string): DriftReport {
	const r = fidelity(kernel);
	const base = fidelity();
	const changed = new Set(base.functions.filter((f) => f.status === 'differs' || f.status === 'new').map((f) => `${f.file}:${f.name}`));
	const drifted = r.functions.filter((f) => f.status !== 'identical').map((f) => ({ ...f, changed_by_model: changed.has(`${f.file}:${f.name}`) }));
	return { kernel, version: r.base, drifted, unchanged: r.functions.length - drifted.length, files: r.files };
}

export function printDrift(r: DriftReport): void {
	console.log(`${r.kernel}: Linux ${r.version}`);
	for (const f of r.drifted) {
		let line = `${f.status.padEnd(9)} ${f.file} ${f.name}${f.changed_by_model ? ' (also changed by the model: re-apply the change after import)' : ''}`;
		if (f.first_difference)
			line += `\n          there ${f.file}:${f.first_difference.base.line} '${f.first_difference.base.token}'  model :${f.first_difference.emitted.line} '${f.first_difference.emitted.token}'`;
		console.log(line);
	}
	for (const f of r.files)
		if (!f.file_identical)
			console.log(`file      ${f.file}: outside the model's functions differs from line ${f.first_difference!.base.line}: re-import the carried C (ktsc import ${f.file} --into …)`);
	console.log(`${r.drifted.length} modelled function(s) differ, ${r.unchanged} unchanged; port with: ktsc import FILE --function NAME`);
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
	console.log(`${r.functions.length} model functions: ${tok} token-identical, ${bytes} byte-identical`);
	const ctok = r.carried.filter((f) => f.status === 'identical').length;
	const cbytes = r.carried.filter((f) => f.bytes_identical).length;
	console.log(`${r.carried.length} carried (verbatim C) functions: ${ctok} token-identical, ${cbytes} byte-identical`);
	for (const f of r.files) {
		const what = f.bytes_identical ? 'byte-identical' : f.file_identical ? `byte-identical apart from the series' changes (${f.changed_items.join(', ')})` :
			`${f.stray_items!.join(', ')} differ(s) and no change of the series touches it; first at line ${f.first_difference!.base.line}: base '${f.first_difference!.base.text}'  emitted '${f.first_difference!.emitted.text}'`;
		console.log(`file ${f.file}: ${what}`);
	}
}

/*
 * The checker runs only a model that type-checks: the same strict program
 * the compiler builds (ts-src/compiler/program.ts's options and
 * diagnostics), over the model and what the checker loads with it (the
 * harness and the design variants, and through their imports the
 * prelude).  The transform strips types without looking at them, so a
 * model that does not type-check would otherwise run, and perhaps pass.
 */
import * as ts from 'typescript';
import * as fs from 'fs';
import * as path from 'path';
import { COMPILER_OPTIONS } from '../compiler/program';
import { Diagnostic, fromTs } from '../compiler/diagnostics';
import { sourceRoot, modelModules } from './loader';

/* The model and the checker's files that run it. */
const roots = (root: string): string[] => [...modelModules(root).map((m) => `${m}.ts`), 'check/harness.ts', 'check/designs.ts'];

let cached: { key: string; diagnostics: Diagnostic[] } | null = null;

/** Diagnostics of the model and the checker's model-side files (none: it may run). */
export function typecheckModel(root = sourceRoot()): Diagnostic[] {
	const dirs = ['model', 'check', 'kernel'].map((d) => path.join(root, d));
	/* Re-check only when a source changed (tests call runCheck many times). */
	const key = dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.ts'))
		.map((f) => `${d}/${f}:${fs.statSync(path.join(d, f)).mtimeMs}`)).join('|');
	if (cached && cached.key === key)
		return cached.diagnostics;
	const program = ts.createProgram(roots(root).map((r) => path.join(root, r)), COMPILER_OPTIONS);
	const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error).map(fromTs);
	cached = { key, diagnostics };
	return diagnostics;
}

/*
 * ktsc mutate: the same check with one file's text replaced (a mutant).
 * The other files' parsed SourceFiles are kept from one call to the next
 * and the previous program is handed to the next, so a mutant costs a
 * type-check, not a parse of the prelude.
 */
const parsed = new Map<string, ts.SourceFile>();
let previous: ts.Program | undefined;

export function typecheckWith(file: string, text: string, root = sourceRoot()): Diagnostic[] {
	const target = path.resolve(file);
	const host = ts.createCompilerHost(COMPILER_OPTIONS);
	const read = host.getSourceFile.bind(host);
	host.getSourceFile = (name, lang, onError, fresh): ts.SourceFile | undefined => {
		const abs = path.resolve(name);
		if (abs === target)
			return ts.createSourceFile(name, text, lang);
		let sf = parsed.get(abs);
		if (!sf) {
			sf = read(name, lang, onError, fresh);
			if (sf)
				parsed.set(abs, sf);
		}
		return sf;
	};
	const program = ts.createProgram(roots(root).map((r) => path.join(root, r)), COMPILER_OPTIONS, host, previous);
	previous = program;
	return ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error).map(fromTs);
}

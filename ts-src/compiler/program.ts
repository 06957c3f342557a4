/*
 * Read the model: a TypeScript program over the model files (and through
 * their imports, the prelude), type-checked in strict mode before anything
 * is emitted.
 */
import * as ts from 'typescript';
import * as path from 'path';
import * as fs from 'fs';
import { emitSourceFile } from './emit';
import { CompileError, Diagnostic, KTS, fromTs } from './diagnostics';

/** Where the project lives: dist/ts-src/compiler/ -> the repo. */
export const REPO = path.resolve(__dirname, '..', '..', '..');

/** Model files and the kernel files they stand for. */
export const MODEL_FILES: { model: string; c: string }[] = [
	{ model: 'ts-src/model/rmap.ts', c: 'mm/rmap.c' },
	{ model: 'ts-src/model/ksm.ts', c: 'mm/ksm.c' },
];

export const COMPILER_OPTIONS: ts.CompilerOptions = {
	target: ts.ScriptTarget.ES2022,
	module: ts.ModuleKind.CommonJS,
	strict: true,
	noEmit: true,
	skipLibCheck: true,
	types: [],
};

export interface EmittedFile {
	model: string;
	c: string;
	text: string;
	/** Functions the model defines in TypeScript (checked, executable). */
	functions: string[];
	/** Functions the model carries as verbatim C. */
	verbatim: string[];
}

export interface CompiledFile {
	file: string;
	c: string;
	functions: string[];
	verbatim: string[];
	diagnostics: Diagnostic[];
	lineMap?: Map<number, number>;
	/** The model's text, as compiled. */
	source?: string;
}

/**
 * Compile TypeScript files (absolute paths) in one program.  Every file gets
 * its own result, diagnostics included: nothing is thrown here.  texts:
 * files compiled from these texts instead of the disk (a model the
 * importer is still deciding on, in the directory it will be written to).
 */
export function compileProgram(abs: string[], texts?: Map<string, string>): CompiledFile[] {
	const program = ts.createProgram(abs, COMPILER_OPTIONS, texts && inMemoryHost(texts));
	const checker = program.getTypeChecker();
	const all = ts.getPreEmitDiagnostics(program);
	/* Errors in the prelude concern every file. */
	const shared = all.filter((d) => !d.file || !abs.includes(path.resolve(d.file.fileName))).map(fromTs);
	return abs.map((file) => {
		const sf = program.getSourceFile(file);
		if (!sf)
			return { file, c: '', functions: [], verbatim: [], diagnostics: [{ file, line: 0, col: 0, code: KTS.typescript, message: 'file not found' }] };
		const own = all.filter((d) => d.file && path.resolve(d.file.fileName) === file).map(fromTs);
		if (own.length || shared.length)
			return { file, c: '', functions: [], verbatim: [], diagnostics: [...shared, ...own] };
		const r = emitSourceFile(sf, checker);
		return { file, c: r.c, functions: r.functions, verbatim: r.verbatim, diagnostics: r.diagnostics, lineMap: r.lineMap, source: sf.text };
	});
}

function inMemoryHost(texts: Map<string, string>): ts.CompilerHost {
	const host = ts.createCompilerHost(COMPILER_OPTIONS);
	const { getSourceFile, fileExists, readFile } = host;
	host.fileExists = (f) => texts.has(path.resolve(f)) || fileExists.call(host, f);
	host.readFile = (f) => texts.get(path.resolve(f)) ?? readFile.call(host, f);
	host.getSourceFile = (f, lang, ...rest) => {
		const text = texts.get(path.resolve(f));
		return text !== undefined ? ts.createSourceFile(f, text, lang, true) : getSourceFile.call(host, f, lang, ...rest);
	};
	return host;
}

/** Compile model files; throws CompileError on any diagnostic. */
export function compileFiles(files: { model: string; c: string }[], root = REPO): EmittedFile[] {
	const results = compileProgram(files.map((f) => path.resolve(root, f.model)));
	const diags = results.flatMap((r) => r.diagnostics);
	if (diags.length)
		throw new CompileError(diags);
	/*
	 * No provenance header: the emitted file is the kernel's, byte for
	 * byte (emit/README.md says where it comes from).
	 */
	return files.map((f, i) => ({ model: f.model, c: f.c, text: results[i].c, functions: results[i].functions, verbatim: results[i].verbatim }));
}

/** Compile the model and write emit/<c path>; returns what was written. */
export function emitModel(outDir = path.join(REPO, 'emit')): EmittedFile[] {
	const files = compileFiles(MODEL_FILES);
	for (const f of files) {
		const dst = path.join(outDir, f.c);
		fs.mkdirSync(path.dirname(dst), { recursive: true });
		fs.writeFileSync(dst, f.text);
	}
	return files;
}

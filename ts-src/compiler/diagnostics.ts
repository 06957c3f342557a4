/*
 * Diagnostics are data, made in one place and printed in one format:
 * file:line:col: error KTSnnnn: message -- the shape tsc and gcc use, so
 * editors and people read them alike.
 */
import * as ts from 'typescript';
import * as path from 'path';

export interface Diagnostic {
	file: string;
	line: number;
	col: number;
	code: number;
	message: string;
}

/** Codes of the compiler's own diagnostics. */
export const KTS = {
	unsupported: 1001,
	untyped: 1002,
	type: 1003,
	goto: 1004,
	decl: 1005,
	preprocessor: 1006,
	typescript: 2000,
} as const;

export function diagAt(sf: ts.SourceFile, pos: number, code: number, message: string): Diagnostic {
	const { line, character } = sf.getLineAndCharacterOfPosition(pos);
	return { file: sf.fileName, line: line + 1, col: character + 1, code, message };
}

export function fromTs(d: ts.Diagnostic): Diagnostic {
	const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
	if (d.file && d.start !== undefined)
		return { ...diagAt(d.file, d.start, KTS.typescript + d.code, message) };
	return { file: '<tsc>', line: 0, col: 0, code: KTS.typescript + d.code, message };
}

export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
	const file = path.isAbsolute(d.file) ? path.relative(cwd, d.file) : d.file;
	return `${file}:${d.line}:${d.col}: error KTS${d.code}: ${d.message}`;
}

export class CompileError extends Error {
	constructor(public diagnostics: Diagnostic[]) {
		super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
	}
}

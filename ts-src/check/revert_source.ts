/*
 * A reverted fix's source (reverts.ts): the model module's text with one
 * statement of one function blanked, found with TypeScript's parser so
 * that a line of the same text in another function cannot match.
 */
import * as ts from 'typescript';
import type { revert_edit } from './reverts';

/** The module's source with r's statement removed from r's function. */
export function revertSource(file: string, text: string, r: revert_edit): string {
	const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
	const fn = sf.statements.find((s): s is ts.FunctionDeclaration =>
		ts.isFunctionDeclaration(s) && !!s.name && s.name.text === r.function && !!s.body);
	if (!fn)
		throw new Error(`design ${r.design}: no function ${r.function} in ${file}`);
	const start = fn.getStart(sf);
	const body = text.slice(start, fn.end);
	const lines = body.split('\n');
	const hits = lines.map((l, i) => (l.trim() === r.drop ? i : -1)).filter((i) => i >= 0);
	if (hits.length !== 1)
		throw new Error(`design ${r.design}: ${r.function} in ${file} has ${hits.length} lines "${r.drop}", not one`);
	/* The line becomes empty, so every other line keeps its number for traces. */
	lines[hits[0]] = '';
	return text.slice(0, start) + lines.join('\n') + text.slice(fn.end);
}

/*
 * A reverted fix's source (reverts.ts): the model module's text with one
 * statement of one function blanked, or moved up before another line of
 * it, found with TypeScript's parser so that a line of the same text in
 * another function cannot match.
 */
import * as ts from 'typescript';
import type { revert_edit } from './reverts';

/** The module's source with r's edit made in r's function. */
export function revertSource(file: string, text: string, r: revert_edit): string {
	const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
	const fn = sf.statements.find((s): s is ts.FunctionDeclaration =>
		ts.isFunctionDeclaration(s) && !!s.name && s.name.text === r.function && !!s.body);
	if (!fn)
		throw new Error(`design ${r.design}: no function ${r.function} in ${file}`);
	if ([r.drop, r.move, r.replace].filter((x) => x !== undefined).length !== 1)
		throw new Error(`design ${r.design}: a revert drops a line, moves one or replaces one`);
	if (r.also && !r.replace)
		throw new Error(`design ${r.design}: also is a second replace`);
	const start = fn.getStart(sf);
	const body = text.slice(start, fn.end);
	const lines = body.split('\n');
	/* The nth (1-based) of the lines that read `want`, of which the function must hold exactly `of`. */
	const one = (want: string, nth = 1, of = 1): number => {
		const hits = lines.map((l, i) => (l.trim() === want ? i : -1)).filter((i) => i >= 0);
		if (hits.length !== of || nth < 1 || nth > of)
			throw new Error(`design ${r.design}: ${r.function} in ${file} has ${hits.length} lines "${want}", not ${of === 1 ? 'one' : of}`);
		return hits[nth - 1];
	};
	if (r.replace !== undefined) {
		/* Rewritten in place, in its indentation: every line keeps its number for traces. */
		for (const e of [r.replace, ...(r.also ? [r.also] : [])]) {
			const at = one(e.line);
			lines[at] = /^\s*/.exec(lines[at])![0] + e.with;
		}
	} else if (r.drop !== undefined) {
		/*
		 * The line becomes empty, so every other line keeps its number for
		 * traces; a statement that goes on over more lines (an if and its
		 * body) is dropped whole, each of its lines emptied.
		 */
		const at = one(r.drop);
		const first = sf.getLineAndCharacterOfPosition(start).line;
		let last = at;
		const visit = (n: ts.Node): void => {
			if (ts.isStatement(n) && !ts.isBlock(n) && sf.getLineAndCharacterOfPosition(n.getStart(sf)).line - first === at)
				last = Math.max(last, sf.getLineAndCharacterOfPosition(n.end).line - first);
			else
				ts.forEachChild(n, visit);
		};
		ts.forEachChild(fn.body!, visit);
		for (let l = at; l <= last; l++)
			lines[l] = '';
	} else {
		const { nth, of } = r.move!.occurrence ?? { nth: 1, of: 1 };
		const from = one(r.move!.line, nth, of), to = one(r.move!.above, nth, of);
		if (from === to)
			throw new Error(`design ${r.design}: "${r.move!.line}" cannot move above itself`);
		/*
		 * The statement is written at the start of the target line, in its
		 * indentation, and its own line left empty: every line keeps its
		 * number for traces.
		 */
		const indent = /^\s*/.exec(lines[to])![0];
		lines[to] = `${indent}${r.move!.line} ${lines[to].slice(indent.length)}`;
		lines[from] = '';
	}
	const edited = text.slice(0, start) + lines.join('\n') + text.slice(fn.end);
	if (!r.elsewhere)
		return edited;
	/* The other function's line, found and blanked the same way. */
	return revertSource(file, edited, { design: r.design, description: r.description, expect: r.expect, module: r.module, ...r.elsewhere });
}

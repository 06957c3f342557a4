/*
 * Find the function definitions of a C file: where each starts (its first
 * declaration token, at the start of its line), where its body ends, and
 * its tokens.  Used by fidelity (compare) and series (splice).
 */
import { lexC, CToken } from './lex';

export interface CFunction {
	name: string;
	/** Offset of the start of the line the definition begins on. */
	start: number;
	/** Offset just after the closing brace. */
	end: number;
	tokens: CToken[];
}

/** Top-level function definitions of src, in order. */
export function findFunctions(src: string): CFunction[] {
	const toks = lexC(src);
	const out: CFunction[] = [];
	let depth = 0;
	/* index of the first token of the current top-level declaration */
	let declStart = 0;
	for (let i = 0; i < toks.length; i++) {
		const t = toks[i];
		if (t.kind === 'pp') {
			if (depth === 0)
				declStart = i + 1;
			continue;
		}
		if (t.text === '{') {
			if (depth === 0 && i > 0 && toks[i - 1].text === ')') {
				const name = functionName(toks, declStart, i);
				const close = matchBrace(toks, i);
				if (name && close > 0) {
					const start = src.lastIndexOf('\n', toks[declStart].pos - 1) + 1;
					out.push({ name, start, end: toks[close].end, tokens: toks.slice(declStart, close + 1) });
					i = close;
					declStart = i + 1;
					continue;
				}
			}
			depth++;
		} else if (t.text === '}') {
			depth--;
			if (depth === 0)
				declStart = i + 1;
		} else if (t.text === ';' && depth === 0) {
			declStart = i + 1;
		}
	}
	return out;
}

/** The identifier before the parameter list's "(" of a definition. */
function functionName(toks: CToken[], from: number, brace: number): string | undefined {
	let depth = 0;
	for (let j = brace - 1; j >= from; j--) {
		if (toks[j].text === ')')
			depth++;
		else if (toks[j].text === '(' && --depth === 0)
			return toks[j - 1]?.kind === 'id' ? toks[j - 1].text : undefined;
	}
	return undefined;
}

function matchBrace(toks: CToken[], open: number): number {
	let depth = 0;
	for (let j = open; j < toks.length; j++) {
		if (toks[j].text === '{')
			depth++;
		else if (toks[j].text === '}' && --depth === 0)
			return j;
	}
	return -1;
}

export function functionMap(src: string): Map<string, CFunction> {
	const m = new Map<string, CFunction>();
	for (const f of findFunctions(src))
		if (!m.has(f.name))
			m.set(f.name, f);
	return m;
}

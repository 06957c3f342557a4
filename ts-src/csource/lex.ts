/*
 * A C tokenizer good enough to compare kernel functions: identifiers,
 * numbers, strings, characters, punctuators and preprocessor lines, with
 * comments and whitespace dropped.  It is not a C front end: it never needs
 * to know what a token means, only where it is.
 */

export type CTokenKind = 'id' | 'num' | 'str' | 'chr' | 'punct' | 'pp';

export interface CToken {
	kind: CTokenKind;
	text: string;
	pos: number;
	end: number;
}

const PUNCT = [
	'<<=', '>>=', '...', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
	'+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=', '##',
];

export function lexC(src: string): CToken[] {
	const out: CToken[] = [];
	let i = 0;
	let lineStart = true;
	while (i < src.length) {
		const c = src[i];
		if (c === '\n') {
			lineStart = true;
			i++;
			continue;
		}
		if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
			i++;
			continue;
		}
		if (c === '/' && src[i + 1] === '*') {
			const e = src.indexOf('*/', i + 2);
			i = e < 0 ? src.length : e + 2;
			continue;
		}
		if (c === '/' && src[i + 1] === '/') {
			const e = src.indexOf('\n', i);
			i = e < 0 ? src.length : e;
			continue;
		}
		const start = i;
		if (c === '#' && lineStart) {
			/* A preprocessor line, with its backslash continuations. */
			while (i < src.length && !(src[i] === '\n' && src[i - 1] !== '\\'))
				i++;
			out.push({ kind: 'pp', text: src.slice(start, i).replace(/\s+/g, ' ').trim(), pos: start, end: i });
			continue;
		}
		lineStart = false;
		if (/[A-Za-z_]/.test(c)) {
			while (i < src.length && /[A-Za-z0-9_]/.test(src[i]))
				i++;
			out.push({ kind: 'id', text: src.slice(start, i), pos: start, end: i });
		} else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1]))) {
			while (i < src.length && /[A-Za-z0-9_.]/.test(src[i]))
				i++;
			out.push({ kind: 'num', text: src.slice(start, i), pos: start, end: i });
		} else if (c === '"' || c === "'") {
			i++;
			while (i < src.length && src[i] !== c)
				i += src[i] === '\\' ? 2 : 1;
			i++;
			out.push({ kind: c === '"' ? 'str' : 'chr', text: src.slice(start, i), pos: start, end: i });
		} else {
			const p = PUNCT.find((t) => src.startsWith(t, i)) ?? c;
			i += p.length;
			out.push({ kind: 'punct', text: p, pos: start, end: i });
		}
	}
	return out;
}

/** 1-based line of a position. */
export function lineOf(src: string, pos: number): number {
	let n = 1;
	for (let i = 0; i < pos && i < src.length; i++)
		if (src.charCodeAt(i) === 10)
			n++;
	return n;
}

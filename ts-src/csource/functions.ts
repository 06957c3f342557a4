/*
 * Find the top-level items of a C file, function definitions among them:
 * where each starts (its first declaration token, at the start of its
 * line), where it ends, and its tokens.  Used by fidelity (compare) and
 * series (one commit per change).
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

/**
 * A top-level item of a C file: a function definition, a declaration
 * ending in ';' (a struct, a file-scope variable, a prototype, a macro
 * invocation such as EXPORT_SYMBOL(x);) or a #define.  Other preprocessor
 * lines (#include, #ifdef, #endif) and comments end nothing: they belong
 * to the item after them.
 */
export interface CItem {
	kind: 'function' | 'declaration' | 'macro';
	/** Function name, `struct NAME`, declared name, invocation text or macro name. */
	name: string;
	/** Offset of the start of the line its first token is on. */
	start: number;
	/** Offset just after its last token ('}', ';' or the #define line). */
	end: number;
	tokens: CToken[];
}

/** Top-level items of src, in order. */
export function findItems(src: string): CItem[] {
	const toks = lexC(src);
	const out: CItem[] = [];
	const lineStart = (pos: number): number => src.lastIndexOf('\n', pos - 1) + 1;
	let depth = 0;
	/* index of the first token of the current top-level declaration */
	let declStart = 0;
	for (let i = 0; i < toks.length; i++) {
		const t = toks[i];
		if (t.kind === 'pp') {
			if (depth === 0) {
				const m = t.text.match(/^#\s*define\s+(\w+)/);
				if (m)
					out.push({ kind: 'macro', name: m[1], start: lineStart(t.pos), end: t.end, tokens: [t] });
				declStart = i + 1;
			}
			continue;
		}
		if (t.text === '{') {
			if (depth === 0 && i > 0 && toks[i - 1].text === ')') {
				const name = functionName(toks, declStart, i);
				const close = matchBrace(toks, i);
				if (name && close > 0) {
					out.push({ kind: 'function', name, start: lineStart(toks[declStart].pos), end: toks[close].end, tokens: toks.slice(declStart, close + 1) });
					i = close;
					declStart = i + 1;
					continue;
				}
			}
			depth++;
		} else if (t.text === '}') {
			/* a struct or initialiser closing: its declaration runs on to the ';' */
			depth--;
		} else if (t.text === ';' && depth === 0) {
			const decl = toks.slice(declStart, i + 1);
			if (decl.length > 1)
				out.push({ kind: 'declaration', name: declarationName(decl), start: lineStart(decl[0].pos), end: t.end, tokens: decl });
			declStart = i + 1;
		}
	}
	return out;
}

/** Top-level function definitions of src, in order. */
export function findFunctions(src: string): CFunction[] {
	return findItems(src).filter((f) => f.kind === 'function').map(({ name, start, end, tokens }) => ({ name, start, end, tokens }));
}

/*
 * What a top-level declaration declares: `struct NAME` for a struct, union
 * or enum definition; the invocation (`EXPORT_SYMBOL(foo)`) for a macro
 * used as a statement; otherwise the declared name (of a variable, before
 * its initialiser; of a prototype, before its parameter list).
 */
function declarationName(decl: CToken[]): string {
	/* storage classes, qualifiers and attributes: never the declared name */
	const STORAGE = new Set(['static', 'extern', 'const', 'volatile', 'inline', '__read_mostly', '__initdata', '__ro_after_init', '__maybe_unused', '__always_unused']);
	let i = 0;
	while (i < decl.length && STORAGE.has(decl[i].text))
		i++;
	const [a, b, c] = [decl[i], decl[i + 1], decl[i + 2]];
	if (a && /^(struct|union|enum)$/.test(a.text) && b?.kind === 'id' && c?.text === '{')
		return `${a.text} ${b.text}`;
	if (a?.kind === 'id' && b?.text === '(' && c?.text !== '*' && decl[decl.length - 2].text === ')')
		return decl.slice(i, -1).map((t) => t.text).join('');
	let depth = 0;
	let last = '';
	for (let j = i; j < decl.length; j++) {
		const t = decl[j];
		/* a '(' after a name opens a parameter list, unless it is a declarator's: void (*fp)(void) */
		if (depth === 0 && (t.text === '=' || t.text === ';' || t.text === '[' || (t.text === '(' && last && decl[j + 1]?.text !== '*')))
			break;
		if (t.text === '(')
			depth++;
		else if (t.text === ')')
			depth--;
		else if (t.kind === 'id' && !STORAGE.has(t.text))
			last = t.text;
	}
	return last || decl.map((t) => t.text).join(' ');
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

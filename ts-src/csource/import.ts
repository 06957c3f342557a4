/*
 * ktsc import: kernel C into model TypeScript.
 *
 * The C side is read by a hand-written skeleton splitter (csource/lex.ts and
 * csource/functions.ts: a C tokenizer that knows comments, strings,
 * character constants, preprocessor lines with their continuations and
 * brace nesting), not by a C front end: the importer only needs to know
 * where each top-level function begins and ends.  Everything it does not
 * translate is carried as a verbatim C block (the prelude's c`...`), which
 * the compiler prints byte for byte and the checker never runs, so an
 * import followed by an emit gives the file back byte for byte.
 *
 * Two ways in:
 *   importC(c)                 a fresh model of a C file: one carried block
 *                              per top-level function and one for each
 *                              stretch between functions.
 *   mergeInto(model, c)        the lines of the C file that an existing
 *                              model does not emit (includes, macros,
 *                              structs, unmodelled functions ...) put into
 *                              the model as carried blocks where the
 *                              emitted C needs them; the model's own
 *                              TypeScript is left exactly as it is.
 *
 * After an import the model is the source of truth: nothing in the build
 * reads kernel C to make the model.
 */
import * as ts from 'typescript';
import { findFunctions } from './functions';
import { lineOf } from './lex';
import { Diagnostic } from '../compiler/diagnostics';

export class ImportError extends Error {
	constructor(readonly diagnostics: Diagnostic[]) {
		super(diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: error KTS${d.code}: ${d.message}`).join('\n'));
	}
}

/** Importer diagnostics: KTS3xxx. */
export const KTS_IMPORT = { verbatim: 3001, placement: 3002, nofunction: 3003 } as const;

/*
 * C text as the body of a c`...` block: "`" and "${" escaped.  A backslash
 * right before either would change the escape: refused.
 */
export function carry(text: string, file: string, offset = 0, whole = text): string {
	const bad = /\\(`|\$\{)/.exec(text);
	if (bad)
		throw new ImportError([{ file, line: lineOf(whole, offset + bad.index), col: 1, code: KTS_IMPORT.verbatim,
			message: 'a backslash before "`" or "${" cannot be carried in a verbatim C block' }]);
	return text.replace(/`|\$\{/g, (m) => '\\' + m);
}

/** A carried block of whole lines (text ends in a newline, or is the end of the file). */
export function block(text: string, file: string, offset = 0, whole = text): string {
	const body = text.endsWith('\n') ? text : text + '\n';
	return 'c`\n' + carry(body, file, offset, whole) + '`;\n';
}

/** The whole lines of [start, end): from the start of start's line to past end's line break. */
function lineSpan(c: string, start: number, end: number): [number, number] {
	const s = c.lastIndexOf('\n', start - 1) + 1;
	const nl = c.indexOf('\n', end);
	return [s, nl < 0 ? c.length : nl + 1];
}

export const PRELUDE_IMPORT = "import { c } from '../kernel';\n";

/** The import line of a fresh model whose prelude is at the module specifier given. */
export function preludeImport(prelude = '../kernel', names: string[] = []): string {
	const from = `from ${JSON.stringify(prelude).replace(/"/g, "'")};\n`;
	if (!names.length)
		return `import { c } ${from}`;
	/* One name list line per hundred columns or so, as the hand-written models have it. */
	const lines: string[] = [];
	for (const n of ['c', ...names]) {
		const last = lines.length - 1;
		if (last >= 0 && lines[last].length + n.length + 2 <= 100)
			lines[last] += ` ${n},`;
		else
			lines.push(`\t${n},`);
	}
	return `import {\n${lines.join('\n')}\n} ${from}`;
}

/**
 * What a fresh model holds in TypeScript instead of carried C: functions
 * by name, file-scope variables by the offset of their C line, and the
 * prelude names they import.
 */
export interface OwnTypeScript {
	functions: Map<string, string>;
	/** File-scope variables: the C's offset -> the TypeScript and the length of the C it stands for. */
	statics: Map<number, { ts: string; len: number }>;
	imports: string[];
	/** Names imported from the model's header stand-ins (./rmap_h): specifier -> names. */
	headerImports?: Map<string, string[]>;
	/** Filled in: where each function's TypeScript starts and ends in the model. */
	at?: Map<string, [number, number]>;
	/** A function defined under #ifdef and #else: the offset of the definition its TypeScript stands for (the other stays carried). */
	variantAt?: Map<string, number>;
	/** The other variants' TypeScript names, by the offset of their definitions (name$CONFIG_X). */
	variantNames?: Map<number, string>;
}

/**
 * A fresh model of a C file: every function and every stretch between
 * functions a carried block, apart from what own gives in TypeScript.  A
 * file that does not end in a newline cannot be carried (the blocks are
 * whole lines): refused.
 */
export function importC(c: string, file: string, only?: string, prelude?: string, own?: OwnTypeScript): string {
	if (c.length && !c.endsWith('\n'))
		throw new ImportError([{ file, line: lineOf(c, c.length), col: 1, code: KTS_IMPORT.verbatim, message: 'the file does not end in a newline' }]);
	const fns = findFunctions(c);
	if (only !== undefined) {
		const f = fns.find((g) => g.name === only);
		if (!f)
			throw new ImportError([{ file, line: 1, col: 1, code: KTS_IMPORT.nofunction, message: `no function '${only}' in the file` }]);
		const [s, e] = lineSpan(c, f.start, f.end);
		return block(c.slice(s, e), file, s, c);
	}
	/*
	 * The prelude import comes first: at run time the c`` calls need it
	 * (its lines print nothing: a gap at the start of the file that holds
	 * only dropped tokens prints no line).
	 */
	const headerLines = [...own?.headerImports ?? []].map(([spec, ns]) => `import { ${ns.join(', ')} } from '${spec}';\n`).join('');
	const blocks: string[] = [preludeImport(prelude, own?.imports) + headerLines];
	let length = blocks[0].length;
	const push = (text: string): void => {
		blocks.push(text);
		length += text.length;
	};
	/* A stretch between functions: carried, apart from the variables own translates. */
	const stretch = (from: number, to: number): void => {
		let carried = from;
		for (let l = from; l < to;) {
			const decl = own?.statics.get(l);
			if (decl === undefined) {
				l = c.indexOf('\n', l) + 1;
				continue;
			}
			if (l > carried)
				push(block(c.slice(carried, l), file, carried, c));
			push(decl.ts);
			carried = l = l + decl.len;
		}
		if (to > carried)
			push(block(c.slice(carried, to), file, carried, c));
	};
	let at = 0;
	for (const f of fns) {
		const [s, e] = lineSpan(c, f.start, f.end);
		if (s < at)
			continue; /* two functions on one line: carried together */
		if (s > at)
			stretch(at, s);
		const variant = own?.variantAt?.get(f.name);
		const key = own?.variantNames?.get(f.start) ?? f.name;
		const ts = variant === undefined || variant === f.start || key !== f.name ? own?.functions.get(key) : undefined;
		if (ts !== undefined) {
			own!.at?.set(key, [length, length + ts.length]);
			push(ts);
		} else {
			push(block(c.slice(s, e), file, s, c));
		}
		at = e;
	}
	if (at < c.length)
		stretch(at, c.length);
	return blocks.join('');
}

/** Lines with their line breaks; the last may lack one. */
function lines(s: string): string[] {
	const out = s.split(/(?<=\n)/);
	return out.length === 1 && out[0] === '' ? [] : out;
}

/**
 * Pure insertions of b relative to a: [index in a of the line before which
 * b's lines go, the lines].  Longest common subsequence over lines.
 */
export function insertions(a: string[], b: string[]): { before: number; lines: string[]; replaces: number }[] {
	const n = a.length, m = b.length;
	/* suffix LCS lengths, row by row: (n+1) x (m+1) */
	const w = m + 1;
	const L = new Uint32Array((n + 1) * w);
	for (let i = n - 1; i >= 0; i--)
		for (let j = m - 1; j >= 0; j--)
			L[i * w + j] = a[i] === b[j] ? L[(i + 1) * w + j + 1] + 1 : Math.max(L[(i + 1) * w + j], L[i * w + j + 1]);
	const out: { before: number; lines: string[]; replaces: number }[] = [];
	let i = 0, j = 0;
	let cur: { before: number; lines: string[]; replaces: number } | undefined;
	while (i < n || j < m) {
		if (i < n && j < m && a[i] === b[j]) {
			cur = undefined;
			i++, j++;
		} else if (j < m && (i === n || L[i * w + j + 1] >= L[(i + 1) * w + j])) {
			if (!cur) {
				cur = { before: i, lines: [], replaces: 0 };
				out.push(cur);
			}
			cur.lines.push(b[j++]);
		} else {
			if (!cur) {
				cur = { before: i, lines: [], replaces: 0 };
				out.push(cur);
			}
			cur.replaces++;
			i++;
		}
	}
	return out.filter((h) => h.lines.length);
}

function importsC(sf: ts.SourceFile): boolean {
	return sf.statements.some((st) => ts.isImportDeclaration(st) && !!st.importClause?.namedBindings &&
		ts.isNamedImports(st.importClause.namedBindings) && st.importClause.namedBindings.elements.some((e) => e.name.text === 'c'));
}

/**
 * Put the lines of the C file that the model does not emit into the model,
 * as carried blocks.  emitted: what the model compiles to; lineMap: its
 * line origins (Printer.lineMap).  A hunk the model emits differently (a
 * changed line) stays with the model: those are the model's own changes,
 * inside its functions.  Lines missing inside a model function, or where
 * the model's output does not come from a whole model line, cannot be
 * placed: a diagnostic.
 */
export function mergeInto(model: { file: string; text: string; emitted: string; lineMap: Map<number, number> },
		c: string, cFile: string): { text: string; blocks: number; lines: number } {
	const sf = ts.createSourceFile(model.file, model.text, ts.ScriptTarget.Latest, true);
	const eLines = lines(model.emitted);
	const offsets: number[] = [];
	let o = 0;
	for (const l of eLines) {
		offsets.push(o);
		o += l.length;
	}
	offsets.push(o);
	const diags: Diagnostic[] = [];
	const lastImport = Math.max(0, ...sf.statements.filter(ts.isImportDeclaration).map((st) => st.end));
	const inserts: { at: number; text: string }[] = [];
	let count = 0;
	for (const h of insertions(eLines, lines(c))) {
		if (h.replaces) {
			/* The model's own change; only lines that are the model's get here. */
			continue;
		}
		const at = model.lineMap.get(offsets[h.before]);
		const inside = at === undefined ? undefined : sf.statements.find((st) => st.getStart(sf) < at && at < st.end);
		/* A carried block runs (and does nothing) at load time: after the import of c, not before it. */
		const early = at !== undefined && at < lastImport;
		if (early) {
			const { line, character } = sf.getLineAndCharacterOfPosition(at);
			diags.push({ file: model.file, line: line + 1, col: character + 1, code: KTS_IMPORT.placement,
				message: `${h.lines.length} line(s) of ${cFile} ("${h.lines[0].trim().slice(0, 40)}") go before the model's imports: move the imports to the top of the model` });
			continue;
		}
		if (at === undefined || inside) {
			const where = at ?? 0;
			const { line, character } = sf.getLineAndCharacterOfPosition(where);
			diags.push({ file: model.file, line: line + 1, col: character + 1, code: KTS_IMPORT.placement,
				message: `${h.lines.length} line(s) of ${cFile} ("${h.lines[0].trim().slice(0, 40)}") belong ${inside ? 'inside a model statement' : 'where the model has no line of its own'}: port them into the model by hand` });
			continue;
		}
		inserts.push({ at, text: block(h.lines.join(''), cFile) });
		count += h.lines.length;
	}
	if (diags.length)
		throw new ImportError(diags);
	const blocks = inserts.length;
	if (blocks && !importsC(sf)) {
		const decl = sf.statements.find((st): st is ts.ImportDeclaration => ts.isImportDeclaration(st) &&
			ts.isStringLiteral(st.moduleSpecifier) && /(^|\/)kernel$/.test(st.moduleSpecifier.text));
		const named = decl?.importClause?.namedBindings;
		if (named && ts.isNamedImports(named) && named.elements.length)
			inserts.push({ at: named.elements[0].getStart(sf), text: 'c, ' });
		else
			inserts.push({ at: 0, text: PRELUDE_IMPORT });
	}
	let text = model.text;
	for (const ins of inserts.sort((x, y) => y.at - x.at))
		text = text.slice(0, ins.at) + ins.text + text.slice(ins.at);
	return { text, blocks, lines: count };
}

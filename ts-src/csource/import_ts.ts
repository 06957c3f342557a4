/*
 * A fresh import that brings functions in as TypeScript where it can:
 * every function the translation (csource/translate.ts) can express is
 * tried, the model is compiled, and a function is kept in TypeScript only
 * when the compiler accepts it and prints it back byte for byte.  The
 * others are carried as C, each with the reason (line and construct, or
 * the compiler's diagnostic, or the first line it prints differently).
 * So an import never mistranslates: the worst it does is carry.
 */
import * as fs from 'fs';
import * as ts from 'typescript';
import * as path from 'path';
import { compileProgram, COMPILER_OPTIONS } from '../compiler/program';
import { formatDiagnostic } from '../compiler/diagnostics';
import { cTag } from '../compiler/ctype';
import { CFunction, findFunctions, findItems, functionMap } from './functions';
import { lineOf } from './lex';
import { importC, ImportError, KTS_IMPORT, OwnTypeScript } from './import';
import { PreludeNames, translateFunction, translateStatic, TranslatedFunction, TranslateHints, Untranslatable } from './translate';

export interface CarriedReason {
	name: string;
	/** Line in the C file. */
	line: number;
	reason: string;
}

export interface TranslatedImport {
	text: string;
	/** Functions in TypeScript, in file order. */
	translated: string[];
	/** File-scope variables in TypeScript. */
	statics: string[];
	carried: CarriedReason[];
}

/** What the prelude module (a directory with index.ts, or a file) exports. */
export function preludeNames(prelude: string): PreludeNames {
	const index = /\.ts$/.test(prelude) ? prelude : path.join(prelude, 'index.ts');
	const program = ts.createProgram([index], COMPILER_OPTIONS);
	const checker = program.getTypeChecker();
	const mod = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
	const out: PreludeNames = { names: new Set(), scalars: new Map(), structs: new Set(), structAliases: new Map(), defines: new Map(), places: new Set(),
		pointers: new Set(), entries: new Set(), lvalues: new Set(), objectTypedefs: new Set(), classTypedefs: new Set(), kconfig: new Map(), conds: new Map() };
	const embedded = new Set<string>(), places = new Set<string>();
	for (const exp of checker.getExportsOfModule(mod)) {
		out.names.add(exp.name);
		const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
		for (const d of sym.declarations ?? []) {
			const tag = cTag(d);
			if (ts.isTypeAliasDeclaration(d) && !d.typeParameters && tag && !out.scalars.has(tag))
				out.scalars.set(tag, exp.name);
			if (ts.isClassDeclaration(d) && (!tag || tag === `struct ${exp.name}`))
				out.structs.add(exp.name);
			else if (ts.isClassDeclaration(d) && tag?.startsWith('struct ')) {
				out.structs.add(exp.name);
				out.structAliases!.set(tag.slice(7), exp.name);
			}
			/* A C typedef of a struct the model declares as an interface or class (pte_t): a scalar by name. */
			if ((ts.isInterfaceDeclaration(d) || ts.isClassDeclaration(d) || ts.isEnumDeclaration(d)) && tag && !tag.startsWith('struct ') && !out.scalars.has(tag)) {
				out.scalars.set(tag, exp.name);
				if (!ts.isEnumDeclaration(d) && !tag.startsWith('enum '))
					out.objectTypedefs!.add(tag);
				/* a class (vma_flags_t, atomic_t): an object, whose value is a struct local's (&x is addr(x)) */
				if (ts.isClassDeclaration(d))
					out.classTypedefs!.add(tag);
			}
			if (ts.isFunctionDeclaration(d) && d.type && ts.getJSDocTags(d).some((t) => t.tagName.text === 'define'))
				out.defines!.set(exp.name, d.type.getText());
			if (ts.isVariableDeclaration(d) && d.type && /^ptr<[A-Za-z_]/.test(d.type.getText()))
				out.pointers!.add(exp.name);
			if (ts.isClassDeclaration(d))
				for (const m of d.members) {
					if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name) || m.modifiers?.some((x) => x.kind === ts.SyntaxKind.DeclareKeyword))
						continue;
					/*
					 * An embedded struct's type is a prelude class (with an object
					 * literal's fields: Object.assign(new atomic_t(), …)); ptr<T> is
					 * T & Ptr<T>, a pointer-to-pointer an lvalue interface, a scalar no class.
					 */
					const ty = checker.getTypeAtLocation(m.name);
					const parts = ty.flags & ts.TypeFlags.Intersection ? (ty as ts.IntersectionType).types : [ty];
					const pointer = parts.some((x) => x.getSymbol()?.name === 'Ptr');
					const struct = !(ty.flags & ts.TypeFlags.Union) && parts.some((x) => !!(x.getSymbol() && x.getSymbol()!.flags & ts.SymbolFlags.Class));
					(struct && !pointer ? embedded : places).add(m.name.text);
				}
			if (ts.isVariableDeclaration(d) && d.type?.getText() === 'kconfig' && d.initializer &&
			    (d.initializer.kind === ts.SyntaxKind.TrueKeyword || d.initializer.kind === ts.SyntaxKind.FalseKeyword))
				out.kconfig!.set(exp.name, d.initializer.kind === ts.SyntaxKind.TrueKeyword);
			if (ts.isFunctionDeclaration(d) && ts.getJSDocTags(d).some((t) => t.tagName.text === 'entry'))
				out.entries!.add(exp.name);
			if (ts.isFunctionDeclaration(d) && d.parameters.some((x) => x.type?.getText() === 'cond'))
				out.conds!.set(exp.name, d.parameters.flatMap((x, k) => (x.type?.getText() === 'cond' ? [k] : [])));
			if (ts.isFunctionDeclaration(d) && ts.getJSDocTags(d).some((t) => t.tagName.text === 'place'))
				out.places!.add(exp.name);
			else if (ts.isFunctionDeclaration(d) && d.parameters[0]?.type && /^lvalue</.test(d.parameters[0].type.getText()))
				out.lvalues!.add(exp.name);
		}
	}
	out.placeMembers = new Set([...places].filter((n) => !embedded.has(n)));
	return out;
}

/**
 * Import C file `file` (text c) as the model at modelPath, whose prelude
 * is the module specifier `prelude` (relative to the model, or absolute).
 */
export function importTranslated(c: string, file: string, modelPath: string, prelude = '../kernel'): TranslatedImport {
	/*
	 * The model's other files supply names too.  One that imports from
	 * this model (rmap_h.ts from ./rmap) needs what it imports to come in
	 * as TypeScript: when it does not compile against the fresh import,
	 * its names are left out and the import runs again.
	 */
	const refused = new Set<string>();
	for (;;) {
		const r = importWith(c, file, modelPath, prelude, refused);
		if (!('otherFile' in r))
			return r;
		if (refused.has(r.otherFile)) {
			/* Reached through another file of the model (ksm.ts imports rmap_h.ts): do without them all. */
			if (refused.has('*'))
				throw new ImportError([{ file, line: 0, col: 0, code: KTS_IMPORT.placement, message: `the model's ${path.basename(r.otherFile)} does not compile against the import` }]);
			refused.add('*');
		}
		refused.add(r.otherFile);
	}
}

function importWith(c: string, file: string, modelPath: string, prelude: string, refused: Set<string>): TranslatedImport | { otherFile: string } {
	const names = preludeNames(path.resolve(path.dirname(modelPath), prelude));
	const headers = modelHeaders(modelPath, refused);
	for (const n of headers.keys())
		names.names.add(n);
	const fns = findFunctions(c);
	const count = new Map<string, number>();
	fns.forEach((f) => count.set(f.name, (count.get(f.name) ?? 0) + 1));
	const fileFunctions = new Set(count.keys());

	/* File-scope "static T name;" lines that could be model variables. */
	const statics = new Map<string, { at: number; ts: string; uses: string[]; len: number }>();
	const twice = new Set<string>();
	for (let l = 0; l < c.length; l = c.indexOf('\n', l) + 1 || c.length) {
		if (fns.some((f) => f.start <= l && l < f.end))
			continue;
		const s = translateStatic(c, l, names);
		if (!s)
			continue;
		if (statics.has(s.name))
			twice.add(s.name);
		else
			statics.set(s.name, { at: l, ...s });
	}
	twice.forEach((n) => statics.delete(n));
	const local = new Set([...fileFunctions, ...statics.keys()]);

	const carried = new Map<string, CarriedReason>();
	const tsFns = new Map<string, TranslatedFunction>();
	/* What the compiler said of each function's translation: its hints on the next try. */
	const hints = new Map<string, TranslateHints>();
	/*
	 * A function defined under #ifdef and #else: the variant the kconfig
	 * takes has the function's name, which the model's callers and the
	 * checker use; each other variant is TypeScript too, named after the
	 * branch it stands in (wait_while_offlining$CONFIG_MEMORY_HOTREMOVE,
	 * should_defer_flush$not_CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH),
	 * which the compiler prints as the function's name.
	 */
	const variantAt = new Map<string, number>();
	const variantNames = new Map<number, string>();
	for (const [name, n] of count) {
		if (n < 2)
			continue;
		const defs = fns.filter((f) => f.name === name);
		const active = defs.filter((f) => ppActive(c, f.start, names.kconfig ?? new Map()) === true);
		if (active.length !== 1 || defs.some((f) => ppActive(c, f.start, names.kconfig ?? new Map()) === undefined))
			continue;
		variantAt.set(name, active[0].start);
		for (const f of defs)
			if (f !== active[0]) {
				const b = ppCondition(c, f.start)!;
				variantNames.set(f.start, `${name}$${b.whenDefined ? '' : 'not_'}${b.sym}`);
			}
	}
	/* The TypeScript name of a definition: its own, or its variant's. */
	const tsName = (f: CFunction): string => variantNames.get(f.start) ?? f.name;
	/* The definition a TypeScript function stands for. */
	const defOf = (name: string): CFunction => fns.find((g) => tsName(g) === name &&
		(variantNames.has(g.start) || !variantAt.has(name) || g.start === variantAt.get(name)))!;
	const translate = (f: CFunction, h?: TranslateHints): TranslatedFunction => {
		const t = translateFunction(c, f, names, local, h);
		if (!variantNames.has(f.start))
			return t;
		const ts = t.ts.replace(new RegExp(`^((?:export )?function\\s+)${f.name}\\(`, 'm'), `$1${tsName(f)}(`);
		return { ...t, name: tsName(f), ts };
	};
	for (const f of fns) {
		if (count.get(f.name)! > 1 && variantAt.get(f.name) !== f.start && !variantNames.has(f.start)) {
			carried.set(f.name, { name: f.name, line: lineOf(c, f.start), reason: 'defined more than once in the file (#ifdef variants the prelude\'s kconfig does not tell apart)' });
			continue;
		}
		try {
			tsFns.set(tsName(f), translate(f, hints.get(tsName(f))));
		} catch (e) {
			if (!(e instanceof Untranslatable))
				throw e;
			carried.set(tsName(f), { name: f.name, line: e.line, reason: e.construct });
		}
	}
	const demote = (name: string, line: number, reason: string): void => {
		tsFns.delete(name);
		carried.set(name, { name: defOf(name).name, line, reason });
	};

	const abs = path.resolve(modelPath);
	for (;;) {
		/* A TypeScript function may not call a function that stays C. */
		for (let changed = true; changed;) {
			changed = false;
			for (const t of [...tsFns.values()])
				for (const [u, line] of t.uses) {
					if (fileFunctions.has(u) && !tsFns.has(u) && !names.names.has(u)) {
						demote(t.name, line, `calls ${u}, which is carried C`);
						changed = true;
						break;
					}
					/* a variable whose initialiser names a function that stays C (break_ksm_ops' pmd_entry) */
					const carriedInit = statics.get(u)?.uses.find((v) => fileFunctions.has(v) && !tsFns.has(v));
					if (carriedInit) {
						demote(t.name, line, `uses ${u}, whose initialiser names ${carriedInit}, which is carried C`);
						changed = true;
						break;
					}
				}
		}
		const own = { ...ownTypeScript(tsFns, statics, names, headers, prototypes(c, fns), c), variantAt, variantNames };
		const text = importC(c, file, undefined, prelude, own);
		const [r] = compileProgram([abs], new Map([[abs, text]]));
		const mine = r.diagnostics.filter((d) => !modelFile(modelPath, d.file) || path.resolve(d.file) === abs);
		if (!mine.length && r.diagnostics.length)
			return { otherFile: path.resolve(r.diagnostics[0].file) };
		let demoted = false;
		/* Functions translated again this round: their other diagnostics were of the old text. */
		const retried = new Set<string>();
		for (const d of mine) {
			const off = offsetOf(text, d.line, d.col);
			const hit = [...own.at!].find(([, [s, e]]) => s <= off && off < e);
			if (!hit)
				throw new ImportError([{ file, line: 0, col: 0, code: KTS_IMPORT.placement,
					message: `the imported model does not compile outside its TypeScript functions: ${formatDiagnostic(d)}` }]);
			const f = defOf(hit[0]);
			if (retried.has(tsName(f)))
				continue;
			const fnLine = cLine(c, f, text, hit[1][0], d.line);
			/* The TypeScript the diagnostic points at ("page += …": its place, "page"), which line arithmetic may miss. */
			const place = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/.exec(text.slice(off))?.[0];
			const learnt = learn(d.message.split('\n')[0], fnLine, hints.get(tsName(f)) ?? {}, c, place);
			if (learnt) {
				/* The compiler told the translation a C type it could not see: translate again. */
				hints.set(tsName(f), learnt);
				retried.add(tsName(f));
				demoted = true;
				try {
					tsFns.set(tsName(f), translate(f, learnt));
				} catch (e) {
					if (!(e instanceof Untranslatable))
						throw e;
					demote(tsName(f), e.line, e.construct);
				}
				continue;
			}
			demote(hit[0], fnLine, `the compiler: ${d.message.split('\n')[0]}`);
			demoted = true;
		}
		if (!demoted) {
			const emitted = findFunctions(r.c);
			for (const name of tsFns.keys()) {
				const f = defOf(name);
				/* the emitted definition at f's place among those of its name (#ifdef variants) */
				const e = emitted.filter((g) => g.name === f.name)[fns.filter((g) => g.name === f.name).indexOf(f)];
				const mine = e ? r.c.slice(e.start, e.end) : '';
				const base = c.slice(f.start, f.end);
				if (mine !== base) {
					const a = base.split('\n'), b = mine.split('\n');
					let i = 0;
					while (i < a.length && a[i] === b[i])
						i++;
					demote(name, lineOf(c, f.start) + i, `prints '${(b[i] ?? '<end>').trim()}' for '${(a[i] ?? '<end>').trim()}'`);
					demoted = true;
				}
			}
		}
		if (demoted)
			continue;
		if (r.c !== c)
			throw new ImportError([{ file, line: 0, col: 0, code: KTS_IMPORT.placement, message: 'the imported model does not emit the file byte for byte' }]);
		return {
			text, translated: fns.filter((f) => tsFns.has(tsName(f)) && defOf(tsName(f)) === f).map(tsName),
			statics: [...statics.keys()].filter((n) => usedStatics(tsFns).has(n)),
			carried: fns.map((f) => carried.get(tsName(f))!).filter((x, i, a) => x && a.indexOf(x) === i)
				.sort((a, b) => a.line - b.line),
		};
	}
}

/*
 * What a compiler diagnostic at C line `line` of a translated function
 * teaches the next try (hints extended), or null: C's uninitialised local
 * read before TypeScript sees it stored is "x!"; "p += n" of a pointer is
 * ptr_add_assign(); addr() of a scalar member is addr_of(); a boolean
 * returned from an int function is int_bool, and so is an int local a
 * boolean is stored in (c: the C file, whose line says which).
 */
function learn(message: string, line: number, hints: TranslateHints, c: string, place?: string): TranslateHints | null {
	const unassigned = /^Variable '(\w+)' is used before being assigned\.$/.exec(message);
	if (unassigned && !hints.definite?.has(unassigned[1]))
		return { ...hints, definite: new Set(hints.definite).add(unassigned[1]) };
	if (/^Operator '\+=' cannot be applied to types '.*Ptr<.*' and 'number'\.$/.test(message)) {
		/* the place the pointer is stored in, by name (its C line is only as good as cLine()), or the line */
		const key = place ?? line;
		if (!hints.pointerAssigns?.has(key))
			return { ...hints, pointerAssigns: new Set(hints.pointerAssigns).add(key) };
	}
	if ((/^Argument of type '(number|boolean|.*Ptr<.*)' is not assignable to parameter of type 'object'\.$/.test(message) ||
	     /^Argument of type '.*Ptr<.*>' is not assignable to parameter of type 'lvalue<.*>'\.$/.test(message)) && !hints.scalarPlaces?.has(line))
		return { ...hints, scalarPlaces: new Set(hints.scalarPlaces).add(line) };
	if (/^Type '((number \| )?boolean( \| number)?|bool|int_bool)' is not assignable to type 'number'\.$/.test(message)) {
		/* a truth value stored in an int local ("found = a || b;"): the local is the int_bool; else the function returns one */
		const lines = c.split('\n');
		/* the statement's first line: the diagnostic may stand on a continuation line */
		let first = line - 1;
		while (first > 0 && !/[;{}]\s*$|^\s*$/.test(lines[first - 1]) && !/\*\/\s*$/.test(lines[first - 1]))
			first--;
		const stored = /^\s*(\w+) = /.exec(lines[first] ?? '');
		if (stored && !hints.boolLocals?.has(stored[1]))
			return { ...hints, boolLocals: new Set(hints.boolLocals).add(stored[1]) };
		if (!stored && !hints.intBool)
			return { ...hints, intBool: true };
	}
	return null;
}

/*
 * The C line of line `line` of the model text, in the TypeScript of
 * function f that starts at offset `at`: the C has its body's "{" on a
 * line of its own, the TypeScript at the end of the header, so lines
 * below the header count from the brace.
 */
function cLine(c: string, f: CFunction, text: string, at: number, line: number): number {
	const tsBrace = lineOf(text, text.indexOf(' {\n', at));
	if (line <= tsBrace)
		return lineOf(c, f.start) + line - lineOf(text, at);
	return lineOf(c, f.tokens.find((t) => t.text === '{')!.pos) + line - tsBrace;
}

function usedStatics(tsFns: Map<string, TranslatedFunction>): Set<string> {
	return new Set([...tsFns.values()].flatMap((t) => [...t.uses.keys()]));
}

/* The TypeScript parts of the model: the functions, the variables they use, the prelude names. */
function ownTypeScript(tsFns: Map<string, TranslatedFunction>, statics: Map<string, { at: number; ts: string; uses: string[]; len: number }>,
		names: PreludeNames, headers: Map<string, string>, protoLines: Map<number, string>, c: string): OwnTypeScript {
	const used = usedStatics(tsFns);
	const vars = [...statics].filter(([n]) => used.has(n));
	const imports = new Set<string>();
	const fromHeaders = new Map<string, Set<string>>();
	for (const t of tsFns.values())
		for (const u of t.uses.keys())
			if (headers.has(u) && !tsFns.has(u) && !statics.has(u)) {
				const spec = headers.get(u)!;
				fromHeaders.set(spec, (fromHeaders.get(spec) ?? new Set()).add(u));
			} else if (names.names.has(u) && !tsFns.has(u) && !statics.has(u))
				imports.add(u);
	for (const [, s] of vars)
		s.uses.filter((u) => !tsFns.has(u)).forEach((u) => imports.add(u));
	const protos = [...protoLines].filter(([, n]) => tsFns.has(n));
	if (protos.length)
		imports.add('prototype');
	return {
		functions: new Map([...tsFns].map(([n, t]) => [n, t.ts])),
		statics: new Map([...vars.map(([, s]) => [s.at, { ts: s.ts, len: s.len }] as const),
			...protos.map(([at, n]) => [at, { ts: `prototype(${n});\n`, len: c.indexOf(';\n', at) + 2 - at }] as const)]),
		imports: [...imports].sort(),
		headerImports: new Map([...fromHeaders].sort(([a], [b]) => (a < b ? -1 : 1)).map(([spec, ns]) => [spec, [...ns].sort()])),
		at: new Map(),
	};
}

/*
 * File-scope prototypes of static functions defined further down, each
 * the definition's header to the byte (its line breaks too): line offset ->
 * function name.  A function in TypeScript writes its prototype as
 * prototype(f), which the compiler prints from that header.
 */
function prototypes(c: string, fns: CFunction[]): Map<number, string> {
	const out = new Map<number, string>();
	for (const item of findItems(c)) {
		if (item.kind !== 'declaration')
			continue;
		const text = c.slice(item.start, item.end);
		const f = fns.find((g) => g.name === item.name && g.start > item.start);
		if (!f || !text.startsWith('static ') || c[item.end] !== '\n')
			continue;
		const brace = f.tokens.findIndex((t) => t.text === '{');
		const header = c.slice(f.start, f.tokens[brace - 1].end);
		if (text === `${header};`)
			out.set(item.start, f.name);
	}
	return out;
}

/*
 * The model's other files beside the model (ts-src/model/*.ts: rmap_h.ts
 * holds include/linux/rmap.h's inline functions, ksm.ts rmap_walk_ksm()
 * for rmap.c): their exported functions, name -> module specifier.
 * refused: files left out (absolute paths).
 */
export function modelHeaders(modelPath: string, refused: Set<string> = new Set()): Map<string, string> {
	const dir = path.dirname(path.resolve(modelPath));
	const self = path.basename(modelPath);
	const out = new Map<string, string>();
	let files: string[];
	try {
		files = fs.readdirSync(dir).filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f) && f !== self).sort();
	} catch {
		return out;
	}
	for (const f of files) {
		if (refused.has('*') || refused.has(path.join(dir, f)))
			continue;
		const sf = ts.createSourceFile(f, fs.readFileSync(path.join(dir, f), 'utf8'), ts.ScriptTarget.Latest);
		for (const st of sf.statements)
			if (ts.isFunctionDeclaration(st) && st.name && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
				out.set(st.name.text, `./${f.replace(/\.ts$/, '')}`);
	}
	return out;
}

/* file is another file of the model's directory (not the prelude, not the model itself). */
function modelFile(modelPath: string, file: string): boolean {
	return path.dirname(path.resolve(file)) === path.dirname(path.resolve(modelPath));
}

function offsetOf(text: string, line: number, col: number): number {
	let off = 0;
	for (let l = 1; l < line; l++)
		off = text.indexOf('\n', off) + 1;
	return off + col - 1;
}

/*
 * Whether the preprocessor keeps the code at offset at of c, as far as
 * the conditional around it says: the innermost #ifdef/#ifndef of a
 * prelude kconfig constant (and its #else) decides; undefined where that
 * conditional is another (#if, an unknown symbol) or there is none.
 */
function ppActive(c: string, at: number, kconfig: Map<string, boolean>): boolean | undefined {
	const cond = ppCondition(c, at);
	const v = cond ? kconfig.get(cond.sym) : undefined;
	return v === undefined ? undefined : v === cond!.whenDefined;
}

/*
 * The innermost #ifdef/#ifndef around offset at of c: its symbol, and
 * whether the code there is kept when the symbol is defined (#ifdef's
 * branch, #ifndef's #else); undefined under #if, #elif or none.
 */
function ppCondition(c: string, at: number): { sym: string; whenDefined: boolean } | undefined {
	const stack: { sym?: string; not: boolean; other: boolean }[] = [];
	for (const m of c.slice(0, at).matchAll(/^#\s*(ifdef|ifndef|if|else|elif|endif)\b[ \t]*([A-Za-z0-9_]*)/gm)) {
		if (m[1] === 'ifdef' || m[1] === 'ifndef')
			stack.push({ sym: m[2], not: m[1] === 'ifndef', other: false });
		else if (m[1] === 'if')
			stack.push({ not: false, other: false });
		else if (m[1] === 'else' && stack.length)
			stack[stack.length - 1].other = true;
		else if (m[1] === 'elif' && stack.length)
			stack[stack.length - 1].sym = undefined;
		else if (m[1] === 'endif')
			stack.pop();
	}
	const top = stack[stack.length - 1];
	return top?.sym ? { sym: top.sym, whenDefined: top.not === top.other } : undefined;
}

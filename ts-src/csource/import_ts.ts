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
import { findFunctions, functionMap } from './functions';
import { lineOf } from './lex';
import { importC, ImportError, KTS_IMPORT, OwnTypeScript } from './import';
import { PreludeNames, translateFunction, translateStatic, TranslatedFunction, Untranslatable } from './translate';

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
		pointers: new Set(), entries: new Set() };
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
			if ((ts.isInterfaceDeclaration(d) || ts.isClassDeclaration(d) || ts.isEnumDeclaration(d)) && tag && !tag.startsWith('struct ') && !out.scalars.has(tag))
				out.scalars.set(tag, exp.name);
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
			if (ts.isFunctionDeclaration(d) && ts.getJSDocTags(d).some((t) => t.tagName.text === 'entry'))
				out.entries!.add(exp.name);
			if (ts.isFunctionDeclaration(d) && ts.getJSDocTags(d).some((t) => t.tagName.text === 'place'))
				out.places!.add(exp.name);
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
	const names = preludeNames(path.resolve(path.dirname(modelPath), prelude));
	const headers = modelHeaders(modelPath);
	for (const n of headers.keys())
		names.names.add(n);
	const fns = findFunctions(c);
	const count = new Map<string, number>();
	fns.forEach((f) => count.set(f.name, (count.get(f.name) ?? 0) + 1));
	const fileFunctions = new Set(count.keys());

	/* File-scope "static T name;" lines that could be model variables. */
	const statics = new Map<string, { at: number; ts: string; uses: string[] }>();
	const twice = new Set<string>();
	for (let l = 0; l < c.length; l = c.indexOf('\n', l) + 1 || c.length) {
		const nl = c.indexOf('\n', l);
		const s = translateStatic(c.slice(l, nl + 1), names);
		if (!s || fns.some((f) => f.start <= l && l < f.end))
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
	/* Locals of a function that TypeScript sees read before they are assigned: declared "x!" on the next try. */
	const definite = new Map<string, Set<string>>();
	for (const f of fns) {
		if (count.get(f.name)! > 1) {
			carried.set(f.name, { name: f.name, line: lineOf(c, f.start), reason: 'defined more than once in the file (#ifdef variants)' });
			continue;
		}
		try {
			tsFns.set(f.name, translateFunction(c, f, names, local));
		} catch (e) {
			if (!(e instanceof Untranslatable))
				throw e;
			carried.set(f.name, { name: f.name, line: e.line, reason: e.construct });
		}
	}
	const demote = (name: string, line: number, reason: string): void => {
		tsFns.delete(name);
		carried.set(name, { name, line, reason });
	};

	const abs = path.resolve(modelPath);
	for (;;) {
		/* A TypeScript function may not call a function that stays C. */
		for (let changed = true; changed;) {
			changed = false;
			for (const t of [...tsFns.values()])
				for (const [u, line] of t.uses)
					if (fileFunctions.has(u) && !tsFns.has(u) && !names.names.has(u)) {
						demote(t.name, line, `calls ${u}, which is carried C`);
						changed = true;
						break;
					}
		}
		const own = ownTypeScript(tsFns, statics, names, headers);
		const text = importC(c, file, undefined, prelude, own);
		const [r] = compileProgram([abs], new Map([[abs, text]]));
		let demoted = false;
		/* "f:x" made "x!" in this round: a second use of x the compiler named with it is the same fix. */
		const fixed = new Set<string>();
		for (const d of r.diagnostics) {
			const off = offsetOf(text, d.line, d.col);
			const hit = [...own.at!].find(([, [s, e]]) => s <= off && off < e);
			if (!hit)
				throw new ImportError([{ file, line: 0, col: 0, code: KTS_IMPORT.placement,
					message: `the imported model does not compile outside its TypeScript functions: ${formatDiagnostic(d)}` }]);
			const f = fns.find((g) => g.name === hit[0])!;
			const unassigned = /^Variable '(\w+)' is used before being assigned\.$/.exec(d.message);
			if (unassigned && fixed.has(`${f.name}:${unassigned[1]}`))
				continue;
			if (unassigned && !definite.get(f.name)?.has(unassigned[1])) {
				fixed.add(`${f.name}:${unassigned[1]}`);
				/* C's uninitialised local: translate again with "x!" (the compiler prints it as the plain declaration). */
				definite.set(f.name, (definite.get(f.name) ?? new Set()).add(unassigned[1]));
				tsFns.set(f.name, translateFunction(c, f, names, local, definite.get(f.name)));
				demoted = true;
				continue;
			}
			const fnLine = lineOf(c, f.start) + (d.line - lineOf(text, hit[1][0]));
			demote(hit[0], fnLine, `the compiler: ${d.message.split('\n')[0]}`);
			demoted = true;
		}
		if (!demoted) {
			const emitted = functionMap(r.c);
			for (const name of tsFns.keys()) {
				const f = fns.find((g) => g.name === name)!;
				const e = emitted.get(name);
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
			text, translated: fns.map((f) => f.name).filter((n) => tsFns.has(n)),
			statics: [...statics.keys()].filter((n) => usedStatics(tsFns).has(n)),
			carried: fns.map((f) => carried.get(f.name)!).filter((x, i, a) => x && a.indexOf(x) === i),
		};
	}
}

function usedStatics(tsFns: Map<string, TranslatedFunction>): Set<string> {
	return new Set([...tsFns.values()].flatMap((t) => [...t.uses.keys()]));
}

/* The TypeScript parts of the model: the functions, the variables they use, the prelude names. */
function ownTypeScript(tsFns: Map<string, TranslatedFunction>, statics: Map<string, { at: number; ts: string; uses: string[] }>,
		names: PreludeNames, headers: Map<string, string>): OwnTypeScript {
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
		s.uses.forEach((u) => imports.add(u));
	return {
		functions: new Map([...tsFns].map(([n, t]) => [n, t.ts])),
		statics: new Map(vars.map(([, s]) => [s.at, s.ts])),
		imports: [...imports].sort(),
		headerImports: new Map([...fromHeaders].sort(([a], [b]) => (a < b ? -1 : 1)).map(([spec, ns]) => [spec, [...ns].sort()])),
		at: new Map(),
	};
}

/*
 * The model's header stand-ins beside the model (ts-src/model/*_h.ts:
 * rmap_h.ts holds include/linux/rmap.h's inline functions, which run on
 * the model's own rmap.c): name -> module specifier.  A header that
 * imports the model itself is not one of its headers (rmap_h.ts for
 * rmap.ts).
 */
export function modelHeaders(modelPath: string): Map<string, string> {
	const dir = path.dirname(path.resolve(modelPath));
	const self = path.basename(modelPath).replace(/\.ts$/, '');
	const out = new Map<string, string>();
	let files: string[];
	try {
		files = fs.readdirSync(dir).filter((f) => /_h\.ts$/.test(f)).sort();
	} catch {
		return out;
	}
	for (const f of files) {
		const text = fs.readFileSync(path.join(dir, f), 'utf8');
		if (f === `${self}.ts` || new RegExp(`from '\\./${self}'`).test(text))
			continue;
		const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest);
		for (const st of sf.statements)
			if (ts.isFunctionDeclaration(st) && st.name && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
				out.set(st.name.text, `./${f.replace(/\.ts$/, '')}`);
	}
	return out;
}

function offsetOf(text: string, line: number, col: number): number {
	let off = 0;
	for (let l = 1; l < line; l++)
		off = text.indexOf('\n', off) + 1;
	return off + col - 1;
}

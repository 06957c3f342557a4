/*
 * Kernel C function into model TypeScript, for the small part of C the
 * translation can be sure of: a header of known types, and a body of
 * expressions, calls, member accesses, if/else, loops and returns.  The
 * body is rewritten token by token, with the text between tokens
 * (whitespace, comments) copied as it is, so the TypeScript has the C's
 * layout and the compiler prints the C's lines back.
 *
 * What it cannot express is an Untranslatable naming the line and the
 * construct: the importer then carries the function as C and says why.
 * A translation is only a candidate: the importer keeps it only when the
 * compiler prints it back byte for byte (csource/import_ts.ts).
 */
import { lexC, lineOf, CToken } from './lex';

/* Prelude types that are values (interfaces copied on store), not nominal structs: a pointer to one stored through whole is out_param<T>. */
const VALUE_STRUCTS = new Set(['pte_t']);
import { CFunction } from './functions';

/** What the prelude (ts-src/kernel/) declares, for the translation to use. */
export interface PreludeNames {
	/** Every exported name: functions, constants, types, structs. */
	names: Set<string>;
	/** C spelling of a scalar type -> its prelude alias ("unsigned long" -> "ulong"). */
	scalars: Map<string, string>;
	/** Struct classes (ptr<X> is "struct X *"). */
	structs: Set<string>;
	/** Struct tags whose class has another name (C keeps tags apart from functions): page_vma_mapped_walk -> struct_page_vma_mapped_walk. */
	structAliases?: Map<string, string>;
	/** Definition macros (@define): DEFINE_FOLIO_VMA_WALK -> the model type of the variable it defines. */
	defines?: Map<string, string>;
	/** Macros whose first argument is a place (@place: WRITE_ONCE): a->b there is addr_of(a, 'b'). */
	places?: Set<string>;
	/** Functions whose first parameter is an lvalue<T> taken by address (smp_store_release(&a->b, v)): &a->b there is addr_of(a, 'b'). */
	lvalues?: Set<string>;
	/** container_of()-style macros (@entry: mm_slot_entry(p, struct X, member) is mm_slot_entry(p, X, 'member')). */
	entries?: Set<string>;
	/** C typedefs of a struct the prelude declares as an object (pte_t): a pointer to one steps as a struct pointer does. */
	objectTypedefs?: Set<string>;
	/** Typedefs of a prelude class (vma_flags_t): a local or parameter of one is a struct value. */
	classTypedefs?: Set<string>;
	/** Variables of a struct pointer type (root_stable_tree): p + n of one is ptr_add(p, n). */
	pointers?: Set<string>;
	/**
	 * Struct members that are a pointer or a scalar wherever a prelude
	 * struct declares them (rb_node in rb_root, rb_left): &a->b of one is
	 * addr_of(a, 'b'); a name that is an embedded struct anywhere stays addr().
	 */
	placeMembers?: Set<string>;
	/** Macros with a condition parameter (`cond`: wait_event()'s), by the indices of those parameters: the argument becomes `() => expr`. */
	conds?: Map<string, number[]>;
	/** The prelude's kconfig constants and their values (CONFIG_NUMA -> true): which #ifdef variant of a function the model runs. */
	kconfig?: Map<string, boolean>;
}

/* Operators looser than '+': p + n beside one of them groups as the model's ptr_add(p, n) does. */
/* The prelude helpers the translation writes; each has an alias with a trailing "_" (ctypes.ts). */
const HELPERS = new Set(['addr', 'addr_of', 'ref', 'cast', 'to_uchar', 'int_of', 'ptr_add', 'ptr_inc']);
const LOOSER_THAN_ADD = ['=', '(', ',', 'return', '<', '>', '<=', '>=', '==', '!=', '&&', '||'];

export class Untranslatable extends Error {
	constructor(readonly line: number, readonly construct: string) {
		super(`line ${line}: ${construct}`);
	}
}

export interface TranslatedFunction {
	name: string;
	ts: string;
	/** Free names the TypeScript uses (prelude names, or the model's own). */
	uses: Map<string, number>;
}

const BEFORE_TYPE = new Set(['inline', '__always_inline', 'noinline']);
const AFTER_TYPE = new Set(['__init', '__meminit']);
/* Words the TypeScript has as they are, with no prelude declaration. */
const STATEMENT_KEYWORDS = new Set(['return', 'if', 'else', 'while', 'for', 'do', 'break', 'continue', 'true', 'false',
	'switch', 'case', 'default']);
/* The iterator macros the translation writes as for-of over the prelude's iterator: cursors, then the head and the member. */
const ITERATORS = /^h?list_for_each_entry(_safe|_reverse)?$|^(anon_vma|vma)_interval_tree_foreach$|^for_each_vma$|^for_each_process$/;
/* JavaScript's reserved words that C allows as names (the compiler's list, emit.ts). */
const JS_RESERVED_C_NAMES = new Set(['new', 'class', 'function', 'var', 'this', 'delete', 'in', 'instanceof',
	'with', 'try', 'catch', 'finally', 'throw', 'super', 'debugger', 'export', 'import', 'let', 'yield', 'await',
	'package', 'private', 'protected', 'public', 'interface', 'implements']);

const REFUSED_KEYWORDS: Record<string, string> = {
	sizeof: 'sizeof of an expression', typeof: 'typeof',
	struct: 'a declaration or cast of a struct type', union: 'a union', enum: 'an enum type',
	const: 'a const declaration', static: 'a static local', volatile: 'volatile',
	unsigned: 'a declaration or cast of a scalar', signed: 'a declaration or cast of a scalar',
	int: 'a declaration or cast of a scalar', long: 'a declaration or cast of a scalar',
	short: 'a declaration or cast of a scalar', char: 'a declaration or cast of a scalar',
	void: 'a cast to void', bool: 'a declaration or cast of a scalar', asm: 'inline assembly',
};

/*
 * An #if condition the compiler prints back as written: defined(CONFIG_X)
 * (a blank before the parenthesis allowed) joined by &&, ||, ! and
 * parentheses.  Its options, or null.
 */
function definedOptions(cond: string): string[] | null {
	const options: string[] = [];
	const rest = cond.replace(/defined\s*\((CONFIG_[A-Za-z0-9_]+)\)/g, (_m, o: string) => {
		options.push(o);
		return '';
	});
	return options.length && /^[\s()!]*$/.test(rest.replace(/&&|\|\|/g, '')) && !/\/[*/]/.test(cond) ? options : null;
}

/** C type tokens ("const struct folio *") -> the model's TypeScript type. */
export function tsTypeOf(toks: string[], prelude: PreludeNames, line: number): { ts: string; uses: string[] } {
	if (toks[0] === '__maybe_unused') {
		/* __maybe_unused unsigned long pfn; -> let pfn: __maybe_unused<ulong>; (a local only some configurations use) */
		const t = tsTypeOf(toks.slice(1), prelude, line);
		return { ts: `__maybe_unused<${t.ts}>`, uses: [...t.uses, '__maybe_unused'] };
	}
	let stars = 0;
	while (toks[toks.length - 1] === '*') {
		toks = toks.slice(0, -1);
		stars++;
	}
	/* A pointer type the prelude names whole (const char *: cstr, a string literal's type) */
	const whole = stars ? prelude.scalars.get(`${toks.join(' ')} ${'*'.repeat(stars)}`) : undefined;
	if (whole)
		return { ts: whole, uses: [whole] };
	let base: string;
	const uses: string[] = [];
	const isConst = toks[0] === 'const';
	const core = isConst ? toks.slice(1) : toks;
	if (core.length === 2 && core[0] === 'struct') {
		const cls = prelude.structAliases?.get(core[1]) ?? core[1];
		if (!prelude.structs.has(cls))
			throw new Untranslatable(line, `struct ${core[1]} is not declared in the prelude (ts-src/kernel/)`);
		base = cls;
		uses.push(base);
	} else if (core.length === 1 && core[0] === 'void' && stars > 0 && !isConst) {
		base = 'void';
	} else if (core.length === 1 && core[0] === 'void' && stars === 0 && !isConst) {
		return { ts: 'void', uses };
	} else {
		const alias = prelude.scalars.get(core.join(' '));
		if (!alias)
			throw new Untranslatable(line, `type '${toks.join(' ')}' has no prelude alias`);
		base = alias;
		uses.push(alias);
	}
	if (isConst) {
		if (!stars)
			throw new Untranslatable(line, `a const ${core.join(' ')} that is not pointed to`);
		base = `const_<${base}>`;
		uses.push('const_');
	}
	for (let i = 0; i < stars; i++)
		base = `ptr<${base}>`;
	if (stars)
		uses.push('ptr');
	return { ts: base, uses };
}

const SCALAR_WORDS = new Set(['const', 'unsigned', 'signed', 'int', 'long', 'short', 'char', 'bool', 'void']);

/**
 * The type words a local declaration starts with at toks[i] ("struct
 * anon_vma", "unsigned long", "pgoff_t"), or none: not a declaration.
 */
function declarationType(toks: CToken[], i: number, prelude: PreludeNames): string[] {
	const words: string[] = [];
	let j = i;
	for (;;) {
		const t = toks[j];
		if (t?.text === 'struct' && toks[j + 1]?.kind === 'id') {
			words.push('struct', toks[j + 1].text);
			j += 2;
		} else if (t?.text === 'enum' && toks[j + 1]?.kind === 'id' && prelude.scalars.has(`enum ${toks[j + 1].text}`)) {
			words.push('enum', toks[j + 1].text);
			j += 2;
		} else if (t?.text === '__maybe_unused' && j === i) {
			words.push(t.text);
			j++;
		} else if (t && SCALAR_WORDS.has(t.text)) {
			words.push(t.text);
			j++;
		} else if (t?.kind === 'id' && !words.some((w) => w !== 'const' && w !== '__maybe_unused') && prelude.scalars.has(t.text) &&
			   (toks[j + 1]?.kind === 'id' || toks[j + 1]?.text === '*')) {
			words.push(t.text);
			j++;
		} else {
			return words.some((w) => w !== 'const' && w !== '__maybe_unused') ? words : [];
		}
	}
}

/** The parameter list's tokens split at its top-level commas. */
function splitParams(toks: CToken[]): CToken[][] {
	const out: CToken[][] = [[]];
	let depth = 0;
	for (const t of toks) {
		if (t.text === '(')
			depth++;
		else if (t.text === ')')
			depth--;
		if (t.text === ',' && depth === 0)
			out.push([]);
		else
			out[out.length - 1].push(t);
	}
	return out.length === 1 && out[0].length === 0 ? [] : out;
}

/** What the compiler said of a function's earlier translation. */
export interface TranslateHints {
	/** Locals TypeScript sees read before they are stored: declared "x!". */
	definite?: Set<string>;
	/** Lines whose "p += n;" is pointer arithmetic: ptr_add_assign(). */
	pointerAssigns?: Set<number | string>;
	/** Lines whose "&a.b" take the address of a scalar or pointer member: addr_of(a, 'b'). */
	scalarPlaces?: Set<number>;
	/** An int function returning a truth value (C's ! is an int, TypeScript's a boolean): int_bool. */
	intBool?: boolean;
	/** int locals that are assigned a truth value (break_ksm_pmd_entry()'s found): int_bool. */
	boolLocals?: Set<string>;
}

/**
 * One function of src as TypeScript.  local: names the model defines in
 * TypeScript itself (other translated functions and file-scope variables).
 * hints: what the compiler said of an earlier try (the translation does
 * not know C's types; import_ts.ts retries with them).
 */
export function translateFunction(src: string, f: CFunction, prelude: PreludeNames, local: Set<string>,
		hints: TranslateHints = {}): TranslatedFunction {
	const definite = hints.definite ?? new Set<string>(), pointerAssigns = hints.pointerAssigns ?? new Set<number | string>();
	const scalarPlaces = hints.scalarPlaces ?? new Set<number>();
	const toks = lexC(src.slice(0, f.end)).filter((t) => t.pos >= f.start);
	/*
	 * A local or parameter named after a JavaScript reserved word C allows
	 * (stable_tree_insert()'s "new"): new_, which the compiler prints back
	 * as new.  A member (after -> or .) keeps its name.
	 */
	toks.forEach((t, k) => {
		if (t.kind === 'id' && JS_RESERVED_C_NAMES.has(t.text) && toks[k - 1]?.text !== '->' && toks[k - 1]?.text !== '.')
			t.text += '_';
	});
	/* Lines counted from the function's first, not from the top of the file for every token. */
	const first = lineOf(src, f.start);
	const line = (t: CToken): number => first + lineOf(src.slice(f.start, t.pos), t.pos - f.start) - 1;
	const brace = toks.findIndex((t, i) => t.text === '{' && toks[i - 1]?.text === ')');
	const close = brace - 1;
	let open = close, depth = 0;
	for (; open >= 0; open--) {
		if (toks[open].text === ')')
			depth++;
		else if (toks[open].text === '(' && --depth === 0)
			break;
	}
	const nameTok = toks[open - 1];
	if (nameTok?.text !== f.name)
		throw new Untranslatable(line(toks[0]), 'a header the translation cannot read (a macro-made definition?)');
	const uses = new Map<string, number>();
	const use = (n: string, l: number): void => {
		if (!uses.has(n))
			uses.set(n, l);
	};

	/* Header: qualifiers, return type, name; all on one line, as the compiler prints it. */
	const head = toks.slice(0, open - 1).map((t) => t.text);
	/*
	 * A header broken once: before the name ("static ssize_t" / "f(...)"),
	 * which the model writes "function" / "f(...)", or after the
	 * qualifiers ("static inline" / "struct X *f(...)"), the directive
	 * '\n'.  Anywhere else it is carried.
	 */
	let breakBeforeName = '', breakAfterQualifiers = false;
	for (let k = 1; k < open; k++) {
		const gap = src.slice(toks[k - 1].end, toks[k].pos);
		if (!gap.includes('\n'))
			continue;
		const quals = toks.slice(0, k).every((t) => t.text === 'static' || BEFORE_TYPE.has(t.text));
		if (k === open - 1 && /^\n[ \t]*$/.test(gap) && !breakBeforeName && !breakAfterQualifiers)
			breakBeforeName = gap;
		else if (quals && gap === '\n' && !breakBeforeName && !breakAfterQualifiers &&
			 !toks.slice(k, open - 1).some((t) => t.text === 'static' || BEFORE_TYPE.has(t.text)))
			breakAfterQualifiers = true;
		else
			throw new Untranslatable(line(toks[0]), 'a header broken before its parameter list, elsewhere than before the name or after the qualifiers');
	}
	let exported = true;
	const before: string[] = [], after: string[] = [], type: string[] = [];
	for (const w of head) {
		if (w === 'static')
			exported = false;
		else if (BEFORE_TYPE.has(w))
			before.push(w);
		else if (AFTER_TYPE.has(w))
			after.push(w);
		else if (w === 'extern' || w.startsWith('__') && w !== '__always_inline')
			throw new Untranslatable(line(toks[0]), `the function attribute '${w}'`);
		else
			type.push(w);
	}
	const ret = tsTypeOf(type, prelude, line(toks[0]));
	ret.uses.forEach((u) => use(u, line(toks[0])));

	/* Parameters, with the C's text between them (line breaks, indentation). */
	const params = splitParams(toks.slice(open + 1, close));
	const locals = new Set<string>();
	/* Locals and parameters that are struct values (their address is addr(x), a scalar's ref()). */
	const structLocals = new Set<string>();
	/* ... and those that are struct pointers (*p of one is a struct copy, no reference cell). */
	const structPtrLocals = new Set<string>();
	let header = `${exported ? 'export ' : ''}function${breakBeforeName || ' '}${f.name}(`;
	let at = toks[open].end;
	if (params.length === 1 && params[0].length === 1 && params[0][0].text === 'void')
		params.length = 0;
	for (const p of params) {
		const last = p[p.length - 1];
		if (last?.kind !== 'id' || p.some((t) => t.text === '(' || t.text === '[' || t.text === '...'))
			throw new Untranslatable(line(p[0] ?? toks[open]), 'a parameter that is not "type name" (a function pointer, an array, varargs)');
		const t = tsTypeOf(p.slice(0, -1).map((x) => x.text), prelude, line(last));
		t.uses.forEach((u) => use(u, line(last)));
		/*
		 * "pte_t *orig_pte" that the body stores through whole (*orig_pte = entry):
		 * the prelude's pte_t is a value, so its pointer is out_param<pte_t>, a
		 * reference cell the caller's ref() makes (printed "pte_t *" again).
		 */
		const inner = /^ptr<(\w+)>$/.exec(t.ts)?.[1];
		const stored = inner !== undefined && VALUE_STRUCTS.has(inner) && toks.some((x, k) => k > close && x.text === '*' &&
			toks[k + 1]?.text === last.text && toks[k + 2]?.text === '=' && [';', '{', '}'].includes(toks[k - 1]?.text ?? ''));
		if (stored)
			use('out_param', line(last));
		header += src.slice(at, p[0].pos) + `${last.text}: ${stored ? `out_param<${inner}>` : t.ts}`;
		locals.add(last.text);
		if (p.some((x) => x.text === 'struct' || prelude.classTypedefs?.has(x.text)) && !p.some((x) => x.text === '*'))
			structLocals.add(last.text);
		if (p.some((x) => x.text === 'struct') && p.filter((x) => x.text === '*').length === 1)
			structPtrLocals.add(last.text);
		at = last.end;
	}
	header += `): ${hints.intBool && ret.ts === 'int' ? 'int_bool' : ret.ts} {`;
	if (hints.intBool && ret.ts === 'int')
		use('int_bool', line(toks[0]));

	/* Body: token by token, the text between tokens copied. */
	const quals = [...before, ...after].map((q) => `\n\t'${q}';`).join('') + (breakAfterQualifiers ? "\n\t'\\n';" : '');
	let body = '';
	at = toks[brace].end;
	const bodyToks = toks.slice(brace + 1);
	/* &a->b.c: addr(a.b.c), closed after the chain's last token. */
	let closeAddr = -1;
	/* *a->b.c: a.b.c.deref, closed after the chain's last token. */
	let closeDeref = -1;
	/*
	 * A local declaration being translated: its C type words, and the
	 * bracket depth inside an initializer (a "," at depth 0 starts the
	 * next declarator).
	 */
	let decl: { type: string[]; depth: number; constScalar: boolean } | undefined;
	/* An iterator macro being translated: its member argument and its closing parenthesis. */
	const iterators: { member: number; close: number }[] = [];
	/* #ifdef blocks open in the body. */
	let ppDepth = 0;
	/* A struct local's designated initialiser being translated: its closing brace, and its depth in the declaration. */
	let structInit: { close: number; depth: number } | undefined;
	/* Stars of the declarator last read. */
	let lastStars = 0;
	/* "*name" at bodyToks[k]: "name: T" (T with the stars), returns the name's index. */
	const declarator = (k: number, type: string[], constScalar = false): number => {
		let stars = 0;
		for (; bodyToks[k]?.text === '*'; k++)
			stars++;
		if (constScalar && stars)
			throw new Untranslatable(line(bodyToks[k]), 'a const declaration of a scalar and a pointer together');
		lastStars = stars;
		const name = bodyToks[k];
		const after = bodyToks[k + 1]?.text;
		if (name?.kind !== 'id' || (after !== '=' && after !== ',' && after !== ';'))
			throw new Untranslatable(line(name ?? bodyToks[k - 1]), 'a declarator the translation cannot read (an array, a function pointer, an attribute)');
		const t = tsTypeOf([...type, ...Array(stars).fill('*')], prelude, line(name));
		t.uses.forEach((u) => use(u, line(name)));
		locals.add(name.text);
		if ((type.includes('struct') || type.some((x) => prelude.classTypedefs?.has(x))) && !stars)
			structLocals.add(name.text);
		if ((type.includes('struct') || type.some((x) => prelude.objectTypedefs?.has(x))) && stars === 1)
			structPtrLocals.add(name.text);
		/* "x!": a local TypeScript would see read before it is stored (the importer's retry after the compiler said so). */
		const bare = type.includes('struct') && !stars && after !== '=';
		const boolLocal = t.ts === 'int' && !!hints.boolLocals?.has(name.text);
		if (boolLocal)
			use('int_bool', line(name));
		body += `${name.text}${definite.has(name.text) && after !== '=' && !bare ? '!' : ''}: ${boolLocal ? 'int_bool' : t.ts}`;
		if (bare) {
			/* struct X x; -> let x: X = uninit(X): TypeScript needs the object C only has storage for */
			use('uninit', line(name));
			/* a local named as its struct hides the class as a value: the prelude's struct_X alias (ksm_next_page_arg) */
			const cls = t.ts === name.text && prelude.names.has(`struct_${t.ts}`) ? `struct_${t.ts}` : t.ts;
			if (cls !== t.ts)
				use(cls, line(name));
			body += ` = uninit(${cls})`;
		}
		return k;
	};
	const gotos = forwardGotos(src, bodyToks, line);
	/*
	 * The prelude's helpers the translation writes (addr(), ref(), cast<>() …)
	 * under the alias the prelude also exports (addr_ …) where the function
	 * has a local or parameter of that name, which would shadow the helper.
	 */
	const shadowing = new Set(toks.filter((x, k) => x.kind === 'id' && HELPERS.has(x.text) && toks[k - 1]?.text !== '->' &&
		toks[k - 1]?.text !== '.').map((x) => x.text));
	const helper = (name: string, l: number): string => {
		const n = shadowing.has(name) ? `${name}_` : name;
		use(n, l);
		return n;
	};
	/* The place a statement starting at token i stores into, as TypeScript writes it: "a.b.c" of a->b.c. */
	const placeText = (i: number): string => {
		let j = i;
		while ((bodyToks[j + 1]?.text === '->' || bodyToks[j + 1]?.text === '.') && bodyToks[j + 2]?.kind === 'id')
			j += 2;
		return bodyToks.slice(i, j + 1).map((x) => (x.text === '->' ? '.' : x.text)).join('');
	};
	/* p[i] and struct assignments: token indexes of "]" (elem()'s ")"), "=" (struct_assign()'s ",") and ";" (its ")"). */
	const subscriptEnds = new Set<number>(), assignEqs = new Set<number>(), assignEnds = new Set<number>();
	/* container_of()-style macros: their first argument's comma -> the rest of the call and its ")". */
	const entries = new Map<number, { close: number; text: string }>();
	/* "dst = src;" with its "=" at token eq, a struct assignment: struct_assign(dst, src); */
	const structAssign = (eq: number, l: number): void => {
		let semi = eq + 1;
		for (let depth = 0; semi < bodyToks.length && !(depth === 0 && bodyToks[semi].text === ';'); semi++)
			depth += '([{'.includes(bodyToks[semi].text) ? 1 : ')]}'.includes(bodyToks[semi].text) ? -1 : 0;
		body += `${helper('struct_assign', l)}(`;
		assignEqs.add(eq);
		assignEnds.add(semi);
	};
	/* Tokens that start a macro's condition argument: "() => " goes before each. */
	const condStarts = new Set<number>();
	/* Closing text due after a token (a cast's or a ptr_add()'s ")"), innermost last. */
	const closers: { at: number; text: string }[] = [];
	/* The closing parentheses of casts: the operand after one starts an expression ((void *)&x). */
	const castClose = new Set<number>();
	/* The last token of the operand starting at bodyToks[k]: a parenthesised group, a number, or a name with ->/./call postfixes. */
	const operandEnd = (k: number): number => {
		const balanced = (o: number): number => {
			let depth = 0;
			for (let j = o; j < bodyToks.length; j++) {
				if ('([{'.includes(bodyToks[j].text))
					depth++;
				else if (')]}'.includes(bodyToks[j].text) && --depth === 0)
					return j;
			}
			return -1;
		};
		const x = bodyToks[k];
		if (x?.text === '(' && declarationType(bodyToks, k + 1, prelude).length) {
			/* (A)(B)x: the operand of the outer cast is the inner cast with its operand */
			const close = balanced(k);
			return close < 0 ? -1 : operandEnd(close + 1);
		}
		if (x?.text === '(')
			return balanced(k);
		if (x?.text === '&' && bodyToks[k + 1]?.kind === 'id' && src.slice(x.end, bodyToks[k + 1].pos) === '')
			return operandEnd(k + 1); /* (void *)&x: the & rules below translate the operand */
		if (x?.kind === 'num')
			return k;
		if (x?.kind !== 'id')
			return -1;
		let j = k;
		for (;;) {
			const nx = bodyToks[j + 1]?.text;
			if ((nx === '->' || nx === '.') && bodyToks[j + 2]?.kind === 'id')
				j += 2;
			else if (nx === '(' && src.slice(bodyToks[j].end, bodyToks[j + 1].pos) === '')
				j = balanced(j + 1);
			else
				return j;
			if (j < 0)
				return -1;
		}
	};
	for (let i = 0; i < bodyToks.length; i++) {
		const t = bodyToks[i], prev = bodyToks[i - 1], next = bodyToks[i + 1];
		if (closeAddr >= 0 && i - 1 === closeAddr)
			body += ')';
		while (closers.length && closers[closers.length - 1].at <= i - 1)
			body += closers.pop()!.text;
		if (closeDeref >= 0 && i - 1 === closeDeref)
			body += '.deref';
		let gap = src.slice(at, t.pos);
		for (const end of gotos.loopEnds.get(i) ?? []) {
			/*
			 * The goto loop's "}" on a line of its own above the closing brace
			 * of the label's block; a loop whose code does not end in a return
			 * goes on past it, as C past the label's code: "break again;".
			 */
			const nl = gap.lastIndexOf('\n');
			const indent = gap.slice(nl + 1);
			body += gap.slice(0, nl + 1) + (end.falls ? `${indent}\tbreak ${end.name};\n` : '') + indent + '}';
			gap = gap.slice(nl);
		}
		const opens = gotos.opens.get(i);
		if (opens) {
			/* "out: {" on a line of its own above the statement the region starts with. */
			const nl = gap.lastIndexOf('\n');
			body += gap.slice(0, nl + 1) + opens.map((n) => `${n}: {\n`).join('') + gap.slice(nl + 1);
		} else {
			body += gap;
		}
		const ins = gotos.inserts.get(i);
		if (ins?.line) {
			/* A goto dispatch's lines above this token's: its case, the guard of an entry into an if block. */
			const nl = body.lastIndexOf('\n');
			body = body.slice(0, nl + 1) + ins.line + body.slice(nl + 1);
		}
		if (ins?.inline)
			body += ins.inline;
		if (condStarts.has(i))
			body += '() => ';
		at = t.end;
		const l = line(t);
		const entry = entries.get(i);
		if (entry) {
			/* ", struct X, member)" of a container_of()-style macro: ", X, 'member')" */
			body += entry.text;
			i = entry.close;
			at = bodyToks[i].end;
			continue;
		}
		if (t.kind === 'id' && prelude.entries?.has(t.text) && next?.text === '(' && prev?.text !== '->' && prev?.text !== '.') {
			/* mm_slot_entry(p, struct X, member): the type and the member as the prelude takes them */
			const commas: number[] = [];
			let depth = 0, close = -1;
			for (let j = i + 1; j < bodyToks.length && close < 0; j++) {
				const x = bodyToks[j].text;
				if ('([{'.includes(x))
					depth++;
				else if (')]}'.includes(x) && --depth === 0)
					close = j;
				else if (x === ',' && depth === 1)
					commas.push(j);
			}
			const [c1, c2] = commas;
			let cls = c1 !== undefined ? prelude.structAliases?.get(bodyToks[c1 + 2]?.text) ?? bodyToks[c1 + 2]?.text : undefined;
			/* C's struct tags are a namespace of their own: a local of the struct's name hides the class, its prelude alias struct_X does not. */
			if (cls && locals.has(cls)) {
				if (!prelude.names.has(`struct_${cls}`))
					throw new Untranslatable(l, `struct ${cls} in ${t.text}(), hidden by a local of that name (the prelude has no struct_${cls})`);
				cls = `struct_${cls}`;
			}
			if (close < 0 || commas.length !== 2 || c2 !== c1 + 3 || bodyToks[c1 + 1].text !== 'struct' || !cls || !(prelude.structs.has(cls) || cls.startsWith('struct_')) ||
			    src.slice(bodyToks[c1 + 1].end, bodyToks[c1 + 2].pos) !== ' ' || close !== c2 + 2 || bodyToks[c2 + 1].kind !== 'id')
				throw new Untranslatable(l, `${t.text}() with arguments the translation cannot read (wanted: pointer, struct X, member)`);
			use(t.text, l);
			use(cls, l);
			entries.set(c1, {
				close,
				text: `,${src.slice(bodyToks[c1].end, bodyToks[c1 + 1].pos)}${cls},${src.slice(bodyToks[c2].end, bodyToks[c2 + 1].pos)}'${bodyToks[c2 + 1].text}'${src.slice(bodyToks[c2 + 1].end, bodyToks[close].pos)})`,
			});
			body += t.text;
			continue;
		}
		if (subscriptEnds.has(i)) {
			/* "]" of p[i]: elem()'s ")" */
			body += ')';
			continue;
		}
		if (assignEqs.has(i)) {
			/* "=" of a struct assignment: struct_assign()'s comma */
			body = body.replace(/[ \t]+$/, '') + ',';
			continue;
		}
		if (assignEnds.has(i))
			body += ')';
		const dispatchCase = gotos.cases.get(i);
		if (dispatchCase) {
			/* A goto dispatch's label: its loops and switch (the first), "continue L;" into it, its case. */
			const nl = body.lastIndexOf('\n');
			body = body.slice(0, nl + 1) + dispatchCase.before + body.slice(nl + 1) + dispatchCase.label;
			i++;
			at = bodyToks[i].end;
			continue;
		}
		if (gotos.labels.has(i)) {
			/* "out:" closes its labelled block, which the compiler prints as the label. */
			body += '}';
			i++;
			at = bodyToks[i].end;
			continue;
		}
		if (gotos.loops.has(i)) {
			/* "again:" a backward goto names opens a goto loop, which the compiler prints as the label. */
			body += `${t.text}: for (;;) {`;
			i++;
			at = bodyToks[i].end;
			continue;
		}
		if (t.text === 'goto') {
			body += `${gotos.backward.has(next.text) ? 'continue' : 'break'} ${next.text}`;
			i++;
			at = next.end;
			continue;
		}
		const unary = !prev || (prev.kind === 'punct' && prev.text !== ')' && prev.text !== ']') || prev.text === 'return' || castClose.has(i - 1);
		const statementStart = !prev || prev.text === ';' || prev.text === '{' || prev.text === '}' || prev.kind === 'pp';
		if (statementStart && t.kind === 'id' && (pointerAssigns.has(l) || pointerAssigns.has(placeText(i)))) {
			/* p += n; of a pointer: ptr_add_assign(ref(p, (v) => p = v), n); a->b.c += n: ptr_add_assign(addr_of(a.b, 'c'), n) */
			let j = i;
			while ((bodyToks[j + 1]?.text === '->' || bodyToks[j + 1]?.text === '.') && bodyToks[j + 2]?.kind === 'id')
				j += 2;
			let end = j + 2;
			for (let depth = 0; bodyToks[end] && (depth > 0 || bodyToks[end].text !== ';'); end++)
				depth += '(['.includes(bodyToks[end].text) ? 1 : ')]'.includes(bodyToks[end].text) ? -1 : 0;
			if (bodyToks[j + 1]?.text === '+=' && bodyToks[end] && src.slice(bodyToks[j + 1].end, bodyToks[j + 2].pos) === ' ') {
				if (!locals.has(t.text))
					use(t.text, l);
				const v = t.text === 'v' ? 'w' : 'v';
				const obj = bodyToks.slice(i, j - 1).map((x) => (x.text === '->' ? '.' : x.text)).join('');
				const place = j === i ? `${helper('ref', l)}(${t.text}, (${v}) => ${t.text} = ${v})` : `${helper('addr_of', l)}(${obj}, '${bodyToks[j].text}')`;
				body += `${helper('ptr_add_assign', l)}(${place}, `;
				closers.push({ at: end - 1, text: ')' });
				i = j + 1;
				at = bodyToks[j + 2].pos;
				continue;
			}
		}
		const type = statementStart && !decl ? declarationType(bodyToks, i, prelude) : [];
		if (type.length) {
			/*
			 * "struct X *a = e, *b;" -> "let a: ptr<X> = e, b: ptr<X>;"
			 * "const unsigned long a = e;" -> "const a: ulong = e;"
			 * ("const struct X *p" is a pointer to const: let p: ptr<const_<X>>)
			 */
			let k = i + type.length;
			while (bodyToks[k]?.text === '*')
				k++;
			const constScalar = type[0] === 'const' && k === i + type.length;
			const declType = constScalar ? type.slice(1) : type;
			body += constScalar ? 'const ' : 'let ';
			const name = declarator(i + type.length, declType, constScalar);
			decl = { type: declType, depth: 0, constScalar };
			i = name;
			at = bodyToks[name].end;
			continue;
		}
		if (t.kind === 'id' && statementStart && !decl && prelude.defines?.has(t.text) && next?.text === '(' &&
		    bodyToks[i + 2]?.kind === 'id' && (bodyToks[i + 3]?.text === ',' || bodyToks[i + 3]?.text === ')')) {
			/* DEFINE_FOLIO_VMA_WALK(pvmw, a, b); -> let pvmw: page_vma_mapped_walk = DEFINE_FOLIO_VMA_WALK(a, b); */
			const name = bodyToks[i + 2], T = prelude.defines.get(t.text)!;
			if (src.slice(next.end, name.pos) !== '' || (bodyToks[i + 3].text === ',' && src.slice(bodyToks[i + 3].end, bodyToks[i + 4].pos) !== ' '))
				throw new Untranslatable(l, `the definition macro ${t.text}() laid out otherwise than "${t.text}(name, args)"`);
			use(t.text, l);
			use(T, l);
			locals.add(name.text);
			structLocals.add(name.text);
			body += `let ${name.text}: ${T} = ${t.text}(`;
			if (bodyToks[i + 3].text === ',') {
				i += 3;
				at = bodyToks[i + 1].pos;
			} else {
				i += 2;
				at = name.end;
			}
			continue;
		}
		if (t.kind === 'id' && prelude.places?.has(t.text) && next?.text === '(' && bodyToks[i + 2]?.kind === 'id') {
			/* WRITE_ONCE(a->b.c, v) -> WRITE_ONCE(addr_of(a.b, 'c'), v) */
			let j = i + 2;
			while ((bodyToks[j + 1]?.text === '->' || bodyToks[j + 1]?.text === '.') && bodyToks[j + 2]?.kind === 'id')
				j += 2;
			const tight = bodyToks.slice(i + 1, j + 1).every((x, k) => k === 0 || src.slice(bodyToks[i + k].end, x.pos) === '');
			if (j > i + 2 && bodyToks[j + 1]?.text === ',' && tight) {
				const head = bodyToks[i + 2];
				if (!locals.has(head.text))
					use(head.text, l);
				use(t.text, l);
				const obj = bodyToks.slice(i + 2, j - 1).map((x) => (x.text === '->' ? '.' : x.text)).join('');
				body += `${t.text}(${helper('addr_of', l)}(${obj}, '${bodyToks[j].text}')`;
				i = j;
				at = bodyToks[j].end;
				continue;
			}
		}
		if (iterators.length && iterators[iterators.length - 1].member === i) {
			body += `'${t.text}'`;
			continue;
		}
		if (iterators.length && iterators[iterators.length - 1].close === i) {
			body += '))';
			iterators.pop();
			continue;
		}
		if (t.kind === 'id' && ITERATORS.test(t.text) && next?.text === '(' && !decl &&
		    (statementStart || prev?.text === ')' || prev?.text === 'else' || prev?.text === ':')) {
			/* list_for_each_entry(pos, head, member) -> for (pos of list_for_each_entry(head, 'member')) */
			const args: number[][] = [[]];
			let depth = 0, close = -1;
			for (let j = i + 1; j < bodyToks.length; j++) {
				const x = bodyToks[j].text;
				if (x === '(' || x === '[' || x === '{')
					depth++;
				else if (x === ')' || x === ']' || x === '}') {
					if (--depth === 0) {
						close = j;
						break;
					}
				} else if (x === ',' && depth === 1) {
					args.push([]);
					continue;
				}
				if (j > i + 1)
					args[args.length - 1].push(j);
			}
			const cursors = /_safe$/.test(t.text) ? 2 : 1;
			const single = (a: number[] | undefined): boolean => a?.length === 1 && bodyToks[a[0]].kind === 'id';
			if (t.text === 'for_each_vma') {
				/* for_each_vma(vmi, vma) -> for (vma of for_each_vma(vmi)): its cursor comes last */
				if (close < 0 || args.length !== 2 || !single(args[0]) || !single(args[1]) || src.slice(bodyToks[i + 1].end, bodyToks[args[0][0]].pos) !== '' ||
				    src.slice(bodyToks[args[0][0]].end, bodyToks[args[1][0]].pos) !== ', ' || src.slice(bodyToks[args[1][0]].end, bodyToks[close].pos) !== '')
					throw new Untranslatable(l, `the iterator macro ${t.text}() with arguments the translation cannot read`);
				const [vmi, vma] = [bodyToks[args[0][0]].text, bodyToks[args[1][0]].text];
				for (const n of [vmi, vma])
					if (!locals.has(n))
						use(n, l);
				use(t.text, l);
				body += `for (${vma} of ${t.text}(${vmi}))`;
				i = close;
				at = bodyToks[close].end;
				continue;
			}
			if (t.text === 'for_each_process') {
				/* for_each_process(p) -> for (p of for_each_process()): its only argument is the cursor */
				if (close < 0 || args.length !== 1 || !single(args[0]) || src.slice(bodyToks[i + 1].end, bodyToks[close].pos) !== bodyToks[args[0][0]].text)
					throw new Untranslatable(l, `the iterator macro ${t.text}() with arguments the translation cannot read`);
				const p = bodyToks[args[0][0]].text;
				if (!locals.has(p))
					use(p, l);
				use(t.text, l);
				body += `for (${p} of ${t.text}())`;
				i = close;
				at = bodyToks[close].end;
				continue;
			}
			/* The interval trees' iterators take root, start and last, expressions all, and no member. */
			const interval = /_interval_tree_foreach$/.test(t.text);
			if (interval && (close < 0 || args.length !== 4 || !single(args[0]) || src.slice(bodyToks[i + 1].end, bodyToks[args[0][0]].pos) !== '' ||
			    src.slice(bodyToks[args[0][0]].end, bodyToks[args[1][0]].pos) !== ', '))
				throw new Untranslatable(l, `the iterator macro ${t.text}() with arguments the translation cannot read`);
			if (interval) {
				const name = bodyToks[args[0][0]].text;
				if (!locals.has(name))
					use(name, l);
				use(t.text, l);
				body += `for (${name} of ${t.text}(`;
				iterators.push({ member: -1, close });
				i = args[1][0] - 1;
				at = bodyToks[args[1][0]].pos;
				continue;
			}
			if (close < 0 || args.length !== cursors + 2 || !args.slice(0, cursors).every(single) || !single(args[cursors + 1]) ||
			    src.slice(bodyToks[args[0][0]].end, bodyToks[args[cursors][0]].pos).replace(/\s+/g, ' ') !== (cursors === 2 ? ', ' +
			    bodyToks[args[1][0]].text + ', ' : ', ').replace(/\s+/g, ' ') || src.slice(bodyToks[i + 1].end, bodyToks[args[0][0]].pos) !== '')
				throw new Untranslatable(l, `the iterator macro ${t.text}() with arguments the translation cannot read`);
			const names = args.slice(0, cursors).map((a) => bodyToks[a[0]].text);
			for (const n of names)
				if (!locals.has(n))
					use(n, l);
			use(t.text, l);
			/* A line break after the cursors' comma: the head's line starts the call's arguments in the model. */
			const lead = src.slice(bodyToks[args[cursors - 1][0]].end, bodyToks[args[cursors][0]].pos);
			body += `for (${cursors === 2 ? `[${names.join(', ')}]` : names[0]} of ${t.text}(${/^,\n[ \t]*$/.test(lead) ? lead.slice(1) : ''}`;
			iterators.push({ member: args[cursors + 1][0], close });
			i = args[cursors][0] - 1;
			at = bodyToks[args[cursors][0]].pos;
			continue;
		}
		const unaryParen = t.text === '(' && (!prev || (prev.kind === 'punct' && prev.text !== ')' && prev.text !== ']') || prev.text === 'return' || castClose.has(i - 1));
		if (unaryParen && declarationType(bodyToks, i + 1, prelude).length) {
			/* (T)x -> cast<T>(x): a type in parentheses before an operand; "(T) x" keeps its blank. */
			const words: string[] = [];
			let j = i + 1;
			while (bodyToks[j] && bodyToks[j].text !== ')')
				words.push(bodyToks[j++].text);
			if (bodyToks[j + 1]?.text === '{') {
				/* (const struct T){ 0 } -> cast<const_<T>>(zero_init(T)): a compound literal, stored by struct_assign() */
				const close = groupEnd(bodyToks, j + 1);
				const core = words[0] === 'const' ? words.slice(1) : words;
				if (close !== j + 3 || bodyToks[j + 2].text !== '0' || src.slice(bodyToks[j + 1].pos, bodyToks[close].end) !== '{ 0 }' ||
				    core[0] !== 'struct' || core.length !== 2 || !assignEqs.has(i - 1))
					throw new Untranslatable(l, 'a compound literal other than "(struct T){ 0 }" stored by a struct assignment');
				const ct = tsTypeOf(core, prelude, l);
				ct.uses.forEach((u) => use(u, l));
				if (core !== words)
					use('const_', l);
				use('zero_init', l);
				body += `${helper('cast', l)}<${core !== words ? `const_<${ct.ts}>` : ct.ts}>(zero_init(${ct.ts}))`;
				i = close;
				at = bodyToks[close].end;
				continue;
			}
			const ct = tsTypeOf(words, prelude, l);
			const end = operandEnd(j + 1);
			if (end < 0)
				throw new Untranslatable(l, 'a cast of an operand the translation cannot read (a parenthesised group, a number, or a name with ->, . and calls)');
			ct.uses.forEach((u) => use(u, l));
			if (bodyToks[j + 1].text === '(' && ct.ts !== 'uchar' && !declarationType(bodyToks, j + 2, prelude).length) {
				/* (T) (a - b) -> cast<T> (a - b): the operand's own parentheses are the call's */
				body += `${helper('cast', l)}<${ct.ts}>`;
				castClose.add(j);
				i = j;
				at = bodyToks[j].end;
				continue;
			}
			/* A narrowing cast must wrap when the model runs: (unsigned char)x is to_uchar(x). */
			body += ct.ts === 'uchar' ? `${helper('to_uchar', l)}${src.slice(bodyToks[j].end, bodyToks[j + 1].pos)}(` :
				`${helper('cast', l)}<${ct.ts}>${src.slice(bodyToks[j].end, bodyToks[j + 1].pos)}(`;
			closers.push({ at: end, text: ')' });
			castClose.add(j);
			i = j;
			at = bodyToks[j + 1].pos;
			continue;
		}
		if (unaryParen) {
			/*
			 * (a == b) == c: in C the inner comparison is an int, 0 or 1;
			 * TypeScript's would be a boolean, which never equals a number.
			 * int_of(a === b) === c is the int; the compiler prints its
			 * parentheses and drops the name.
			 */
			let j = i + 1, depth = 0, compares = false;
			for (; bodyToks[j] && (depth > 0 || bodyToks[j].text !== ')'); j++) {
				const x = bodyToks[j].text;
				if (x === '(' || x === '[')
					depth++;
				else if (x === ')' || x === ']')
					depth--;
				else if (depth === 0 && ['==', '!=', '<', '>', '<=', '>='].includes(x))
					compares = true;
				else if (depth === 0 && ['&&', '||', '?', ',', '='].includes(x))
					compares = false;
			}
			if (compares && bodyToks[j] && ['==', '!='].includes(bodyToks[j + 1]?.text ?? '')) {
				body += `${helper('int_of', l)}(`;
				at = t.end;
				continue;
			}
		}
		if (t.kind === 'pp') {
			/* #ifdef CONFIG_X / #ifndef / #else / #endif around whole statements: an ifdef() block. */
			const m = /^#(ifdef|ifndef) (CONFIG_[A-Za-z0-9_]+|VM_[A-Z0-9_]+)$|^#(else|endif)( \/\*(?:(?!\*\/).)*\*\/)?$/.exec(t.text);
			const boundary = !prev || prev.text === ';' || prev.text === '{' || prev.text === '}' || prev.kind === 'pp';
			/* #if of defined(CONFIG_X) joined by &&, ||, ! and parentheses: the condition as written. */
			/* A condition continued over lines (" \\" ending each but the last) keeps its line breaks: the compiler prints them back so. */
			const cond = /^#if ([^\\]*)$/.exec(src.slice(t.pos, t.end).replace(/ \\\n/g, '\n'));
			const options = cond ? definedOptions(cond[1]) : null;
			if (options && boundary && !decl && closeAddr < i && !iterators.length && src[t.pos - 1] === '\n') {
				use('defined', l);
				options.forEach((o) => use(o, l));
				body += `if (${cond![1]}) {`;
				ppDepth++;
				continue;
			}
			if (m && boundary && !decl && closeAddr < i && !iterators.length && src[t.pos - 1] === '\n' &&
			    src.slice(t.pos, t.end) === t.text && (m[1] || ppDepth > 0)) {
				if (m[1]) {
					use('ifdef', l);
					use(m[2], l);
					body += `if (${m[1] === 'ifndef' ? '!' : ''}ifdef(${m[2]})) {`;
					ppDepth++;
				} else if (m[3] === 'else') {
					/* "#else /* X *\/": the comment stays after the brace, as the compiler prints it after "#else" */
					body += '} else {' + (m[4] ?? '');
				} else {
					body += '}' + (m[4] ?? '');
					ppDepth--;
				}
				continue;
			}
		}
		if (decl && decl.depth === 0 && t.text === '{' && prev?.text === '=' && !lastStars && decl.type.length === 2 && decl.type[0] === 'struct') {
			/* struct X x = { .f = v, }; -> let x: X = struct_init(X, { f: v, }); */
			const close = groupEnd(bodyToks, i);
			if (close < 0)
				throw new Untranslatable(l, 'an initialiser the translation cannot read');
			use('struct_init', l);
			body += `struct_init(${prelude.structAliases?.get(decl.type[1]) ?? decl.type[1]}, {`;
			decl.depth++;
			structInit = { close, depth: decl.depth };
			continue;
		}
		if (structInit && i === structInit.close) {
			body += '})';
			decl!.depth--;
			structInit = undefined;
			continue;
		}
		if (structInit && decl?.depth === structInit.depth && t.text === '.' && (prev?.text === '{' || prev?.text === ',')) {
			const field = next, eq = bodyToks[i + 2];
			const ws = field && eq ? src.slice(field.end, eq.pos) : '';
			if (field?.kind !== 'id' || eq?.text !== '=' || src.slice(t.end, field.pos) !== '' || !/^[ \t]+$/.test(ws))
				throw new Untranslatable(l, 'a designated initialiser the translation cannot read (".field = value" wanted)');
			/* ".f = v" is "f: v"; an aligned ".f\t\t= v" is "f\t\t: v". */
			body += ws === ' ' ? `${field.text}:` : `${field.text}${ws}:`;
			i += 2;
			at = eq.end;
			continue;
		}
		if (structInit && decl?.depth === structInit.depth && t.text !== ',' && (prev?.text === '{' || prev?.text === ','))
			throw new Untranslatable(l, 'a struct initialiser that is not designated (".field = value")');
		if (decl && '([{'.includes(t.text))
			decl.depth++;
		else if (decl && ')]}'.includes(t.text))
			decl.depth--;
		else if (decl && decl.depth === 0 && t.text === ',') {
			body += ',';
			const first = next?.text === '*' ? next : bodyToks[i + 1];
			body += src.slice(t.end, first.pos);
			const name = declarator(i + 1, decl.type, decl.constScalar);
			i = name;
			at = bodyToks[name].end;
			continue;
		} else if (decl && decl.depth === 0 && t.text === ';')
			decl = undefined;
		if (t.kind === 'pp')
			throw new Untranslatable(l, `a preprocessor line inside the body ('${t.text.slice(0, 30)}')`);
		if (t.kind === 'chr')
			throw new Untranslatable(l, `a character constant ${t.text}`);
		/* "…\n…": the escapes C and TypeScript read alike (and the compiler prints back as they are). */
		if (t.kind === 'str' && (/\\[^nt"\\]/.test(t.text) || next?.kind === 'str'))
			throw new Untranslatable(l, 'a string literal with escapes other than \\n \\t \\" \\\\, or concatenated');
		if (t.kind === 'num' && !/^(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/.test(t.text))
			throw new Untranslatable(l, `the integer literal ${t.text} (a suffix, octal or a float)`);
		const pointerVar = structPtrLocals.has(t.text) || (prelude.pointers?.has(t.text) && !locals.has(t.text));
		if (t.kind === 'id' && pointerVar && prev?.text !== '->' && prev?.text !== '.') {
			/* p++ of a struct pointer local: ptr_inc(ref(p, (v) => p = v)); p + n: ptr_add(p, n) (a folio's pages) */
			const v = t.text === 'v' ? 'w' : 'v';
			if (next?.text === '++' && src.slice(t.end, next.pos) === '' && !'+-*/%&|^!~<>'.includes(prev?.text?.[0] ?? ';')) {
				body += `${helper('ptr_inc', l)}(${helper('ref', l)}(${t.text}, (${v}) => ${t.text} = ${v}))`;
				i++;
				at = next.end;
				continue;
			}
			const n = bodyToks[i + 2], nEnd = n?.kind === 'id' && bodyToks[i + 3]?.text === '(' ? operandEnd(i + 2) : i + 2;
			const after = bodyToks[i + 3]?.text;
			if (next?.text === '+' && n && n.kind === 'id' && nEnd > i + 2 && src.slice(t.end, next.pos) === ' ' &&
			    src.slice(next.end, n.pos) === ' ' && LOOSER_THAN_ADD.includes(prev?.text ?? '') &&
			    [')', ';', ','].includes(bodyToks[nEnd + 1]?.text ?? '')) {
				/* p + f(x): ptr_add(p, f(x)), the call translated as usual */
				if (!locals.has(t.text))
					use(t.text, l);
				body += `${helper('ptr_add', l)}(${t.text}, `;
				closers.push({ at: nEnd, text: ')' });
				i += 1;
				at = next.end + 1;
				continue;
			}
			const gapAfter = n ? src.slice(next!.end, n.pos) : '';
			if (next?.text === '+' && n && (n.kind === 'id' || n.kind === 'num') && src.slice(t.end, next.pos) === ' ' &&
			    /^( |\n[ \t]*)$/.test(gapAfter) && LOOSER_THAN_ADD.includes(prev?.text ?? '') &&
			    [')', ';', ','].includes(after ?? '')) {
				if (!locals.has(t.text))
					use(t.text, l);
				if (n.kind === 'id' && !locals.has(n.text))
					use(n.text, l);
				/* the layout after the '+' (a line break) stays after ptr_add()'s comma */
				body += `${helper('ptr_add', l)}(${t.text},${gapAfter}${n.text})`;
				i += 2;
				at = n.end;
				continue;
			}
		}
		if (t.text === 'sizeof' && next?.text === '(' && bodyToks[i + 2]?.text === 'struct' && bodyToks[i + 4]?.text === ')' &&
		    src.slice(t.end, bodyToks[i + 2].pos) === '(' && src.slice(bodyToks[i + 3].end, bodyToks[i + 4].pos) === '') {
			/* sizeof(struct T) -> sizeof(T): the prelude's struct type as a value */
			const tag = bodyToks[i + 3].text;
			const name = prelude.structAliases?.get(tag) ?? tag;
			if (!prelude.structs.has(name))
				throw new Untranslatable(l, `struct ${tag} is not declared in the prelude (ts-src/kernel/)`);
			use('sizeof', l);
			use(name, l);
			body += `sizeof(${name})`;
			i += 4;
			at = bodyToks[i].end;
			continue;
		}
		if (t.kind === 'id' && statementStart && next?.text === '=' && bodyToks[i + 2]?.text === '(' &&
		    bodyToks[groupEnd(bodyToks, i + 2) + 1]?.text === '{') {
			/* "x = (struct T){ 0 };": a struct assignment, struct_assign(x, cast<T>(zero_init(T))); */
			structAssign(i + 1, l);
		}
		if (t.kind === 'id' && next?.text === '[' && prev?.text !== '.' && prev?.text !== '->') {
			/* p[i] of a pointer or an array of structs: elem(p, i); "p[i] = v;" a struct assignment: struct_assign(elem(p, i), v); */
			const close = groupEnd(bodyToks, i + 1);
			if (close < 0)
				throw new Untranslatable(l, "'[' (array indexing) the translation cannot read");
			/* a statement: at a statement's start, or the body of an if, for or while without braces */
			let ctl = -1;
			if (prev?.text === ')')
				for (let j = i - 1, depth = 0; j >= 0 && ctl < 0; j--) {
					depth += bodyToks[j].text === ')' ? 1 : bodyToks[j].text === '(' ? -1 : 0;
					if (depth === 0)
						ctl = j;
				}
			const body_ = statementStart || prev?.text === 'else' || (ctl > 0 && ['if', 'for', 'while'].includes(bodyToks[ctl - 1].text));
			if (body_ && bodyToks[close + 1]?.text === '=')
				structAssign(close + 1, l);
			if (!locals.has(t.text))
				use(t.text, l);
			body += `${helper('elem', l)}(${t.text},${src.slice(next.end, bodyToks[i + 2].pos) || ' '}`;
			subscriptEnds.add(close);
			i++;
			at = bodyToks[i + 1].pos;
			continue;
		}
		if (t.kind === 'id') {
			if (REFUSED_KEYWORDS[t.text])
				throw new Untranslatable(l, REFUSED_KEYWORDS[t.text]);
			const member = prev?.text === '->' || prev?.text === '.';
			if (!member && !STATEMENT_KEYWORDS.has(t.text)) {
				if (next?.kind === 'id' || (statementStart && next?.text === '*' && bodyToks[i + 2]?.kind === 'id'))
					throw new Untranslatable(l, `a local of type '${t.text}', which has no prelude alias`);
				if (/_for_each|for_each_/.test(t.text))
					throw new Untranslatable(l, `the iterator macro ${t.text}()`);
				const conds = next?.text === '(' ? prelude.conds?.get(t.text) : undefined;
				if (conds) {
					/* wait_event_freezable(wq, cond): the condition is re-evaluated, so it comes as () => cond */
					let depth = 0, k = 0;
					for (let j = i + 1; j < bodyToks.length; j++) {
						const x = bodyToks[j].text;
						if (x === ')' || x === ']' || x === '}') {
							if (--depth === 0)
								break;
						} else if (x === ',' && depth === 1) {
							k++;
						} else if (depth === 1 && conds.includes(k) && (bodyToks[j - 1].text === ',' || bodyToks[j - 1].text === '(')) {
							condStarts.add(j);
						}
						if (x === '(' || x === '[' || x === '{')
							depth++;
					}
				}
				if (!locals.has(t.text))
					use(t.text, l);
			}
			body += t.text;
			continue;
		}
		if (t.text === '->') {
			body += '.';
			continue;
		}
		if (unary && t.text === '&' && next?.kind === 'id' && src.slice(t.end, next.pos) === '') {
			let j = i + 1;
			while ((bodyToks[j + 1]?.text === '->' || bodyToks[j + 1]?.text === '.') && bodyToks[j + 2]?.kind === 'id')
				j += 2;
			if (j === i + 1 && (locals.has(next.text) || scalarPlaces.has(l)) && !structLocals.has(next.text) && !'([.'.includes(bodyToks[j + 1]?.text ?? '') &&
			    bodyToks[j + 1]?.text !== '->') {
				/* &x of a scalar or pointer local (an out-parameter), or of a file-scope scalar the compiler said is one (wake_up_bit(&ksm_run, …)): ref(x, (v) => x = v) */
				const v = next.text === 'v' ? 'w' : 'v';
				body += `${helper('ref', l)}(${next.text}, (${v}) => ${next.text} = ${v})`;
				i++;
				at = next.end;
				continue;
			}
			const n = bodyToks[j + 2];
			if (bodyToks[j + 1]?.text === '+' && n && (n.kind === 'num' || n.kind === 'id') && src.slice(bodyToks[j].end, bodyToks[j + 1].pos) === ' ' &&
			    src.slice(bodyToks[j + 1].end, n.pos) === ' ' && LOOSER_THAN_ADD.includes(prev?.text ?? '') &&
			    [')', ';', ','].includes(bodyToks[j + 3]?.text ?? '')) {
				/* &a->b + n: ptr_add(addr(a.b), n), C's pointer arithmetic over the struct's array (one past a lone struct) */
				const chain = bodyToks.slice(i + 1, j + 1).map((x) => (x.text === '->' ? '.' : x.text)).join('');
				if (!locals.has(next.text))
					use(next.text, l);
				if (n.kind === 'id' && !locals.has(n.text))
					use(n.text, l);
				body += `${helper('ptr_add', l)}(${helper('addr', l)}(${chain}), ${n.text})`;
				i = j + 2;
				at = n.end;
				continue;
			}
			const tight = bodyToks.slice(i + 1, j + 1).every((x, k) => k === 0 || src.slice(bodyToks[i + k].end, x.pos) === '');
			if (j > i + 1 && tight && !['(', '[', '->', '.'].includes(bodyToks[j + 1]?.text ?? '') &&
			    (prelude.placeMembers?.has(bodyToks[j].text) || scalarPlaces.has(l) ||
			     bodyToks[i - 1]?.text === '(' && prelude.lvalues?.has(bodyToks[i - 2]?.text ?? ''))) {
				/*
				 * &a->b of a pointer or scalar member: addr_of(a, 'b') — a member
				 * no prelude struct embeds (stable_tree_insert()'s &root->rb_node),
				 * one the compiler said is a scalar (&range.start), or the place
				 * of a prelude function taking an lvalue<T> (smp_store_release()).
				 */
				if (!locals.has(next.text))
					use(next.text, l);
				const obj = bodyToks.slice(i + 1, j - 1).map((x) => (x.text === '->' ? '.' : x.text)).join('');
				body += `${helper('addr_of', l)}(${obj}, '${bodyToks[j].text}')`;
				i = j;
				at = bodyToks[j].end;
				continue;
			}
			if (bodyToks[j + 1]?.text !== '(' && bodyToks[j + 1]?.text !== '[') {
				body += `${helper('addr', l)}(`;
				closeAddr = j;
				continue;
			}
		}
		if (unary && t.text === '*' && next?.kind === 'id' && src.slice(t.end, next.pos) === '' && closeDeref < i) {
			/* *a->b.c -> a.b.c.deref (C's * binds after -> and .); *p++, *f(), *a[i] stay refused */
			let j = i + 1;
			while ((bodyToks[j + 1]?.text === '->' || bodyToks[j + 1]?.text === '.') && bodyToks[j + 2]?.kind === 'id')
				j += 2;
			if (j === i + 1 && structPtrLocals.has(next.text))
				throw new Untranslatable(l, "a pointer dereference '*' of a struct pointer (a struct copy)");
			if (!['(', '[', '++', '--'].includes(bodyToks[j + 1]?.text ?? '')) {
				closeDeref = j;
				continue;
			}
		}
		if (unary && (t.text === '&' || t.text === '*'))
			throw new Untranslatable(l, t.text === '&' ? "the address-of operator '&'" : "a pointer dereference '*'");
		if (t.text === '[' || t.text === '##' || t.text === '#')
			throw new Untranslatable(l, `'${t.text}' (array indexing or token pasting)`);
		body += t.text;
	}
	for (const [n, l] of uses)
		if (!prelude.names.has(n) && !local.has(n))
			throw new Untranslatable(l, `${n} is not declared in the prelude (ts-src/kernel/) nor in the model`);
	return { name: f.name, ts: header + quals + body + '\n', uses };
}

/*
 * Forward gotos as labelled blocks: "goto out; … out: rest" is
 * "out: { … break out; … } rest", the block opening at the statement
 * (of the label's block) that holds the first goto.  Blocks of labels
 * in one block nest: a later label's block opens no later than an
 * earlier one's it overlaps.  What does not fit (a backward goto, a goto
 * from another block, a label no goto names, a region crossing a
 * preprocessor line) is Untranslatable.  opens: token index -> labels
 * whose blocks open before it, outermost first; labels: the label
 * tokens.
 */
interface Gotos {
	opens: Map<number, string[]>; labels: Set<number>; loops: Set<number>; loopEnds: Map<number, { name: string; falls: boolean }[]>; backward: Set<string>;
	/* A goto dispatch's labels: token index -> the text before the label's line and the case that stands for the label. */
	cases: Map<number, { before: string; label: string }>;
	/* Text a goto dispatch adds at other tokens: lines above the token's line, and text right before it. */
	inserts: Map<number, { line?: string; inline?: string }>;
}

function forwardGotos(src: string, toks: CToken[], line: (t: CToken) => number): Gotos {
	try {
		return nestedGotos(src, toks, line);
	} catch (e) {
		/* Gotos that cross: a goto dispatch, when they are of its kind. */
		const d = e instanceof Untranslatable ? dispatchGotos(src, toks, line) : undefined;
		if (!d)
			throw e;
		return d;
	}
}

/*
 * Gotos that cross as a goto dispatch (the compiler's dispatch()): the
 * labels of one block, every goto to them below the first label and in
 * the block.  The first label opens a loop a label and "switch (at) {",
 * each label is a case (the one before it ending in "continue L;" unless
 * it ends in a jump: TypeScript's noFallthroughCasesInSwitch), the block's
 * end closes the switch (after "break FIRST;" when the code falls off it).
 *
 * A label may also stand in the block of an if of that block (C's goto
 * into the if: scan_get_next_rmap_item()'s next_mm and no_vmas).  Its
 * case stands above the if, which the case before falls into; the if's
 * test becomes "at === 'L' || test", and the code above the label in the
 * block goes into "if (at !== 'L') {", whose "}" stands for the label.  A
 * dispatch that starts at such an if starts at "case '':", so that its
 * test runs.  Labels deeper down (in a loop's body) are left to the
 * labelled blocks and goto loops of nestedGotos().
 */
function dispatchGotos(src: string, toks: CToken[], line: (t: CToken) => number): Gotos | undefined {
	const depth: number[] = [];
	let bd = 1, pd = 0;
	const all: number[] = [];
	toks.forEach((t, k) => {
		if (t.text === '}')
			bd--;
		depth[k] = bd;
		if (t.text === '{')
			bd++;
		pd += t.text === '(' || t.text === '[' ? 1 : t.text === ')' || t.text === ']' ? -1 : 0;
		const prev = toks[k - 1];
		if (t.kind === 'id' && toks[k + 1]?.text === ':' && t.text !== 'default' && pd === 0 &&
		    (!prev || prev.text === ';' || prev.text === '{' || prev.text === '}'))
			all.push(k);
	});
	if (!all.length)
		return undefined;
	/* The statement a label stands in at its block's depth: the label itself, or the if whose block holds it. */
	const hostOf = (k: number): { host: number; open?: number } => {
		let b = k - 1;
		while (b >= 0 && !(toks[b].text === '{' && depth[b] === depth[k] - 1))
			b--;
		if (b < 1 || toks[b - 1].text !== ')')
			return { host: k };
		let j = b - 1, pdepth = 0;
		for (; j >= 0; j--) {
			pdepth += toks[j].text === ')' ? 1 : toks[j].text === '(' ? -1 : 0;
			if (pdepth === 0)
				break;
		}
		const iff = j - 1, before = toks[iff - 1];
		if (toks[iff]?.text !== 'if' || (before && before.text !== ';' && before.text !== '{' && before.text !== '}' && before.kind !== 'pp'))
			return { host: k };
		return { host: iff, open: b };
	};
	const hosts = new Map(all.map((k) => [k, hostOf(k)]));
	const d = Math.min(...all.map((k) => depth[hosts.get(k)!.host]));
	const labels = all.filter((k) => depth[hosts.get(k)!.host] === d);
	const names = labels.map((k) => toks[k].text);
	const first = hosts.get(labels[0])!.host;
	let close = first;
	while (close < toks.length && depth[close] >= d)
		close++;
	const gotos = toks.map((t, j) => (t.text === 'goto' ? j : -1)).filter((j) => j >= 0);
	if (close >= toks.length || labels.some((k) => k > close) || new Set(names).size !== names.length ||
	    gotos.some((j) => names.includes(toks[j + 1]?.text) && (j < first || j > close)) || toks.slice(first, close).some((t) => t.kind === 'pp') ||
	    names.some((n) => !gotos.some((j) => toks[j + 1]?.text === n)))
		return undefined;
	/* The labels deeper down: forward blocks and goto loops, the dispatch's own labels left out. */
	let nested: Gotos;
	try {
		nested = nestedGotos(src, toks, line, new Set(names));
	} catch (e) {
		if (e instanceof Untranslatable)
			return undefined;
		throw e;
	}
	let at = 'at';
	while (toks.some((t) => t.text === at))
		at += '_';
	const inIf = labels.map((k) => hosts.get(k)!.open !== undefined);
	const cases = new Map<number, { before: string; label: string }>();
	const inserts = new Map<number, { line?: string; inline?: string }>();
	const indent = '\t'.repeat(d);
	/* Where each case's code starts: the if that holds the label, or the statement after it. */
	const caseStart = labels.map((k, i) => (inIf[i] ? hosts.get(k)!.host : k + 2));
	labels.forEach((k, i) => {
		const n = names[i];
		const head = i === 0 ?
			names.map((m, j) => `${m}: for (${j === 0 ? `let ${at} = '${inIf[0] ? '' : m}'` : ''};; ${at} = '${m}')\n`).join('') +
				`switch (${at}) {\n` + (inIf[0] ? "case '':\n" : '') :
			(inIf[i] || statementsJump(toks, caseStart[i - 1], inIf[i] ? hosts.get(k)!.host : k) ? '' : `${indent}continue ${n};\n`);
		if (!inIf[i]) {
			cases.set(k, { before: head, label: `case '${n}':` });
			return;
		}
		const { host, open } = hosts.get(k)!;
		const guard = `if (${at} !== '${n}') {\n`;
		inserts.set(host, { line: `${head}case '${n}':\n` });
		inserts.set(host + 2, { inline: `${at} === '${n}' || ` });
		if (open! + 1 === k)
			cases.set(k, { before: guard, label: '}' });
		else {
			inserts.set(open! + 1, { ...inserts.get(open! + 1), line: guard });
			cases.set(k, { before: '', label: '}' });
		}
	});
	const falls = !statementsJump(toks, caseStart[labels.length - 1], close);
	return {
		...nested,
		backward: new Set([...nested.backward, ...names]), cases, inserts,
		loopEnds: new Map([...nested.loopEnds, [close, [{ name: names[0], falls }, ...(nested.loopEnds.get(close) ?? [])]]]),
	};
}

/* The token that closes the bracket opened at toks[open] ((, [ or {), or -1. */
function groupEnd(toks: CToken[], open: number): number {
	for (let j = open, depth = 0; j < toks.length; j++) {
		if ('([{'.includes(toks[j].text))
			depth++;
		else if (')]}'.includes(toks[j].text) && --depth === 0)
			return j;
	}
	return -1;
}

/*
 * Whether the statements toks[from, to) end in a jump (a return, a goto,
 * an if/else or a block ending in one): C does not go on past them.
 */
function statementsJump(toks: CToken[], from: number, to: number): boolean {
	/* The statement at k: its end (the index after it) and whether it jumps. */
	const group = (k: number): number => {
		for (let depth = 0; k < to; k++) {
			depth += '([{'.includes(toks[k].text) ? 1 : ')]}'.includes(toks[k].text) ? -1 : 0;
			if (depth === 0)
				return k + 1;
		}
		return to;
	};
	const statement = (k: number): [number, boolean] => {
		const t = toks[k].text;
		if (t === '{') {
			const end = group(k);
			let jumps = false;
			for (let j = k + 1; j < end - 1;)
				[j, jumps] = statement(j);
			return [end, jumps];
		}
		if (t === 'if') {
			const [e1, j1] = statement(group(k + 1));
			if (toks[e1]?.text !== 'else')
				return [e1, false];
			const [e2, j2] = statement(e1 + 1);
			return [e2, j1 && j2];
		}
		if (t === 'while' || t === 'for' || t === 'switch')
			return [statement(group(k + 1))[0], false];
		if (toks[k].kind === 'pp')
			return [k + 1, false];
		if (toks[k].kind === 'id' && toks[k + 1]?.text === ':' && t !== 'default')
			return statement(k + 2);
		let j = k;
		while (j < to && toks[j].text !== ';')
			j = '([{'.includes(toks[j].text) ? group(j) : j + 1;
		if (t === 'do')
			return [j + 1, false];
		return [j + 1, t === 'return' || t === 'goto'];
	};
	let jumps = false;
	for (let k = from; k < to;)
		[k, jumps] = statement(k);
	return jumps;
}

function nestedGotos(src: string, toks: CToken[], line: (t: CToken) => number, skip: Set<string> = new Set()): Gotos {
	const depth: number[] = [], paren: number[] = [];
	let bd = 1, pd = 0;
	toks.forEach((t, k) => {
		if (t.text === '}')
			bd--;
		if (t.text === ')' || t.text === ']')
			pd--;
		depth[k] = bd;
		paren[k] = pd;
		if (t.text === '{')
			bd++;
		if (t.text === '(' || t.text === '[')
			pd++;
	});
	const boundary = (k: number): boolean => k < 0 || toks[k].text === ';' || toks[k].text === '{' || toks[k].text === '}' || toks[k].kind === 'pp';
	const regions: { name: string; label: number; start: number; depth: number }[] = [];
	/* Backward gotos: the label opens a goto loop that runs to the end of the label's block. */
	const loops: { name: string; label: number; close: number; falls: boolean }[] = [];
	toks.forEach((t, k) => {
		if (t.kind !== 'id' || toks[k + 1]?.text !== ':' || t.text === 'default' || !boundary(k - 1) || paren[k] !== 0 || skip.has(t.text))
			return;
		if (src.slice(t.end, toks[k + 1].pos) !== '')
			throw new Untranslatable(line(t), `the label ${t.text} laid out otherwise than "${t.text}:"`);
		const targets = toks.map((g, j) => (g.text === 'goto' && toks[j + 1]?.text === t.text ? j : -1)).filter((j) => j >= 0);
		if (!targets.length)
			throw new Untranslatable(line(t), `the label ${t.text}, which no goto names`);
		const d = depth[k];
		if (targets.some((j) => j > k)) {
			if (targets.some((j) => j < k))
				throw new Untranslatable(line(t), `gotos to ${t.text} from both above and below it`);
			let close = k + 1;
			while (close < toks.length && depth[close] >= d)
				close++;
			if (close >= toks.length || targets.some((j) => j > close))
				throw new Untranslatable(line(t), `a backward goto to ${t.text} from outside the label's block`);
			/* Its last statement (of the label's block): a return, or code that falls off the loop's end. */
			let st = close - 1;
			if (toks[st]?.text === ';') {
				while (st - 1 > k + 1 && !(depth[st - 1] === d && paren[st - 1] === 0 && boundary(st - 1)))
					st--;
				while (toks[st]?.kind === 'id' && toks[st + 1]?.text === ':' && st + 2 < close)
					st += 2;
			}
			loops.push({ name: t.text, label: k, close, falls: toks[st]?.text !== 'return' });
			return;
		}
		let start = -1;
		for (let j = targets[0] - 1; j >= -1 && start < 0; j--) {
			if (j === -1 || (toks[j].text === '{' && depth[j] === d - 1))
				start = j + 1;
			else if (depth[j] < d)
				break;
			else if (depth[j] === d && paren[j] === 0 && (toks[j].text === ';' || toks[j].text === '}') &&
				 toks[j + 1]?.text !== 'else' && toks[j + 1]?.text !== 'while')
				start = j + 1;
		}
		if (start < 0 || toks.slice(targets[0], k).some((x, j) => depth[targets[0] + j] < d))
			throw new Untranslatable(line(toks[targets[0]]), `a goto to ${t.text} from outside the label's block`);
		regions.push({ name: t.text, label: k, start, depth: d });
	});
	/* A region that would open at a goto loop's label opens inside the loop, after "again:". */
	for (const r of regions)
		while (loops.some((l) => l.label === r.start))
			r.start += 2;
	for (let changed = true; changed;) {
		changed = false;
		for (const a of regions)
			for (const b of regions)
				if (a.label < b.label && a.start < b.start && b.start <= a.label) {
					if (a.depth !== b.depth)
						throw new Untranslatable(line(toks[b.label]), `gotos to ${a.name} and ${b.name} whose regions cross blocks`);
					b.start = a.start;
					changed = true;
				}
	}
	const opens = new Map<number, string[]>();
	for (const r of [...regions].sort((x, y) => y.label - x.label)) {
		const first = toks[r.start];
		const lineStart = src.lastIndexOf('\n', first.pos - 1) + 1;
		/* #ifdef blocks inside the region are the labelled block's statements: each must open and close in it */
		let pp = 0;
		for (const x of toks.slice(r.start, r.label).filter((y) => y.kind === 'pp')) {
			const d = /^#\s*(if|ifdef|ifndef|else|elif|endif)\b/.exec(x.text)?.[1];
			pp += d?.startsWith('if') ? 1 : d === 'endif' ? -1 : 0;
			if (pp < 0 || (pp === 0 && (d === 'else' || d === 'elif')) || !d)
				pp = -1e9;
		}
		if (!/^[ \t]*$/.test(src.slice(lineStart, first.pos)) || pp !== 0)
			throw new Untranslatable(line(first), `a goto to ${r.name} whose region does not start a line or crosses a preprocessor line`);
		opens.set(r.start, [...(opens.get(r.start) ?? []), r.name]);
	}
	/*
	 * A forward goto's block that holds a loop's label must hold its end
	 * too; the loop ends with the label's block, so the label's block is
	 * the only one that could, and then the goto's label would be past it.
	 */
	for (const l of loops)
		for (const r of regions)
			if (r.start <= l.label && l.label < r.label)
				throw new Untranslatable(line(toks[l.label]), `a backward goto to ${l.name} whose loop would cross the block of a goto to ${r.name}`);
	const loopEnds = new Map<number, { name: string; falls: boolean }[]>();
	for (const l of loops)
		loopEnds.set(l.close, [{ name: l.name, falls: l.falls }, ...(loopEnds.get(l.close) ?? [])]);
	return {
		opens, labels: new Set(regions.map((r) => r.label)), loops: new Set(loops.map((l) => l.label)), loopEnds,
		backward: new Set(loops.map((l) => l.name)), cases: new Map(), inserts: new Map(),
	};
}

/*
 * A file-scope variable at offset l of src as a model variable, or
 * undefined: a "static T name;" line (with "= LITERAL", or the
 * __read_mostly attribute), or a struct (const or not: ksm_next_page_ops
 * is not) with designated initialisers, one ".field = value," a line
 * (mm_walk_ops):
 *   static const struct mm_walk_ops break_ksm_ops = {
 *   	.pmd_entry = break_ksm_pmd_entry,
 *   };
 * becomes a struct_init() of those fields.  len: the C it stands for.
 */
export function translateStatic(src: string, l: number, prelude: PreludeNames): { name: string; ts: string; uses: string[]; len: number } | undefined {
	const nl = src.indexOf('\n', l);
	const lineText = src.slice(l, nl + 1);
	const len = lineText.length;
	const init = /^static (const )?struct ([A-Za-z_][A-Za-z0-9_]*) ([A-Za-z_][A-Za-z0-9_]*) = \{\n((?:\t\.[A-Za-z_][A-Za-z0-9_]* = (?:[A-Za-z_][A-Za-z0-9_]*|0|[1-9][0-9]*|0x[0-9a-fA-F]+),\n)+)\};\n/.exec(src.slice(l, l + 4096));
	if (init) {
		const [whole, konst, tag, name, fields] = init;
		const cls = prelude.structAliases?.get(tag) ?? tag;
		if (!prelude.structs.has(cls))
			return undefined;
		const body = fields.replace(/^\t\.([A-Za-z_][A-Za-z0-9_]*) = /gm, '\t$1: ');
		const values = [...fields.matchAll(/ = ([A-Za-z_][A-Za-z0-9_]*),$/gm)].map((m) => m[1]);
		return { name, ts: `${konst ? 'const' : 'let'} ${name}: ${cls} = struct_init(${cls}, {\n${body}});\n`, uses: [cls, 'struct_init', ...values], len: whole.length };
	}
	const m = /^static ((?:const )?(?:struct )?[A-Za-z_][A-Za-z0-9_]*(?: [A-Za-z_][A-Za-z0-9_]*)*) (\**)((?!__read_mostly\b)[A-Za-z_][A-Za-z0-9_]*)( __read_mostly)?( = +(?:0|[1-9][0-9]*|0x[0-9a-fA-F]+|([A-Za-z_][A-Za-z0-9_]*)))?;\n$/.exec(lineText);
	if (!m || /\b(static|extern|inline|__read_mostly)\b/.test(m[1]) || m[1].startsWith('const '))
		return undefined;
	try {
		const t = tsTypeOf([...m[1].split(' '), ...m[2].split('')], prelude, 0);
		const type = m[4] ? `__read_mostly<${t.ts}>` : t.ts;
		const uses = m[4] ? [...t.uses, '__read_mostly'] : t.uses;
		/* An initialiser that names a constant: the prelude's (ksm.c's #defines live there), or true/false. */
		const id = m[6];
		if (id && id !== 'true' && id !== 'false') {
			/* of a scalar: a pointer's (root_stable_tree = one_stable_tree) is an array's decay */
			if (!prelude.names.has(id) || m[2] || m[1].startsWith('struct '))
				return undefined;
			uses.push(id);
		}
		/* A struct static: an object the model's code stores into (C gives it zeroed storage), uninit() as for a local. */
		if (!m[5] && !m[2] && !m[4] && m[1].startsWith('struct '))
			return { name: m[3], ts: `let ${m[3]}: ${t.ts} = uninit(${t.ts});\n`, uses: [...uses, 'uninit'], len };
		/* "!": only carried C assigns it (see the compiler's declarationList); an initialiser is the model's too. */
		if (m[5])
			return { name: m[3], ts: `let ${m[3]}: ${type}${m[5]};\n`, uses, len };
		return { name: m[3], ts: `let ${m[3]}!: ${type};\n`, uses, len };
	} catch (e) {
		if (e instanceof Untranslatable)
			return undefined;
		throw e;
	}
}

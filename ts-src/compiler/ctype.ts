/*
 * TypeScript types of the model to C types.
 *
 * Declarations are typed by their type annotation (syntax), the way C reads
 * them; the C name of a prelude type comes from its @c tag.  Expressions are
 * typed by the TypeScript checker, which tells a ptr<T> (print "->") from an
 * embedded struct T (print ".").
 */
import * as ts from 'typescript';

/** A C type split the way a declarator needs it: "struct anon_vma" + "*". */
export interface CType {
	base: string;
	stars: string;
	/** An attribute printed after the declarator's name (" __read_mostly"). */
	after?: string;
}

export class TypeError_ extends Error {
	constructor(public node: ts.Node, message: string) {
		super(message);
	}
}

/** The @c tag of a declaration, if any. */
export function cTag(decl: ts.Declaration): string | undefined {
	for (const tag of ts.getJSDocTags(decl))
		if (tag.tagName.text === 'c')
			return typeof tag.comment === 'string' ? tag.comment.trim() : ts.getTextOfJSDocComment(tag.comment)?.trim();
	return undefined;
}

function resolve(checker: ts.TypeChecker, name: ts.EntityName): ts.Declaration | undefined {
	let sym = checker.getSymbolAtLocation(name);
	if (sym && sym.flags & ts.SymbolFlags.Alias)
		sym = checker.getAliasedSymbol(sym);
	return sym?.declarations?.[0];
}

/* The C type of the type argument of NAME<T> (ptr<T>, const_<T> …), which it needs. */
function typeArgument(checker: ts.TypeChecker, node: ts.TypeReferenceNode, name: string): CType {
	const arg = node.typeArguments?.[0];
	if (!arg)
		throw new TypeError_(node, `${name}<> needs a type argument`);
	return ctypeOf(checker, arg);
}

/** The C type of a type annotation. */
export function ctypeOf(checker: ts.TypeChecker, node: ts.TypeNode): CType {
	if (node.kind === ts.SyntaxKind.VoidKeyword)
		return { base: 'void', stars: '' };
	if (ts.isTypeReferenceNode(node)) {
		const decl = resolve(checker, node.typeName);
		const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
		if (!decl)
			throw new TypeError_(node, `unknown type '${name}'`);
		if ((name === 'ptr' || name === 'out_param') && ts.isTypeAliasDeclaration(decl)) {
			/* out_param<T> is "T *" as ptr<T> is: a reference cell (p.deref) even where T is a struct value (pte_t) */
			const inner = typeArgument(checker, node, name);
			if (inner.after)
				throw new TypeError_(node, `${name}<> of a${inner.after} type: the attribute belongs to a variable, not to what a pointer points to`);
			return { base: inner.base, stars: inner.stars + '*' };
		}
		if (name === 'const_' && ts.isTypeAliasDeclaration(decl)) {
			/* const_<T> -> "const T": only of a type a pointer points to */
			const inner = typeArgument(checker, node, name);
			if (inner.stars)
				throw new TypeError_(node, 'const_<ptr<T>> (a const pointer, "T *const") is not in the ktsc subset: write ptr<const_<T>>');
			return { base: `const ${inner.base}`, stars: '' };
		}
		if (name === '__maybe_unused' && ts.isTypeAliasDeclaration(decl)) {
			/* __maybe_unused<T> -> "__maybe_unused T": the attribute in front of the declaration */
			const inner = typeArgument(checker, node, name);
			if (inner.base.startsWith('__maybe_unused '))
				throw new TypeError_(node, '__maybe_unused<__maybe_unused<T>> is __maybe_unused twice');
			return { base: `__maybe_unused ${inner.base}`, stars: inner.stars };
		}
		if (name === '__read_mostly' && ts.isTypeAliasDeclaration(decl)) {
			/* __read_mostly<T> -> "T name __read_mostly": the section attribute after the name */
			const inner = typeArgument(checker, node, name);
			if (inner.after)
				throw new TypeError_(node, `__read_mostly<> of a type that already has${inner.after}`);
			return { ...inner, after: ' __read_mostly' };
		}
		if (node.typeArguments?.length)
			throw new TypeError_(node, `generic type '${name}' has no C equivalent`);
		const tag = cTag(decl);
		/* a tag that is a pointer type ("const char *": cstr) keeps its stars by the declarator's name */
		const ptrTag = tag ? /^(.*?) ?(\*+)$/.exec(tag) : null;
		if (ptrTag)
			return { base: ptrTag[1], stars: ptrTag[2] };
		if (tag)
			return { base: tag, stars: '' };
		if (ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl))
			return { base: `struct ${name}`, stars: '' };
		if (ts.isEnumDeclaration(decl))
			return { base: `enum ${name}`, stars: '' };
		throw new TypeError_(node, `type '${name}' has no C name: give its declaration a @c tag`);
	}
	if (node.kind === ts.SyntaxKind.NumberKeyword || node.kind === ts.SyntaxKind.BooleanKeyword)
		throw new TypeError_(node, `'${node.getText()}' has no single C type: use int, ulong, bool, pgoff_t ...`);
	throw new TypeError_(node, `type '${node.getText()}' is not in the ktsc subset`);
}

/** "struct anon_vma *name" */
export function declarator(t: CType, name: string): string {
	return `${t.base} ${t.stars}${name}`;
}

/** Is the expression a pointer (print "->" for its members)? */
export function isPointer(checker: ts.TypeChecker, expr: ts.Expression): boolean | undefined {
	const t = checker.getNonNullableType(checker.getTypeAtLocation(expr));
	if (t.flags & ts.TypeFlags.Any)
		return undefined;
	return !!t.getProperty('__ptr');
}

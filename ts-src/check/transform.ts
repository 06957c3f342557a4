/*
 * The source transformation that lets the checker interleave threads
 * through plain synchronous model code.
 *
 * JavaScript cannot suspend a call stack, but a generator can suspend
 * itself and yield* passes a suspension up through its callers.  So, for
 * every file of the prelude, the model and the harness:
 *
 *   function f(a) { ... }      becomes a plain wrapper f (for callers that
 *                              are not transformed) plus the generator
 *                              f$g holding the body, registered with __k;
 *   function (a) { ... }       becomes __k.fn(function* (a) { ... });
 *   g(x), o.m(x)               inside a transformed body become
 *                              (__k.c(g, undefined, [x]) ? yield* __k.g() : __k.v())
 *                              since only the run time knows whether the
 *                              callee is transformed;
 *   sched_point(w, o)          becomes (yield __k.req('point', w, o)), and
 *   sched_wait(w, ready)       (yield __k.req('wait', w, ready)): the whole
 *                              contract of ts-src/kernel/sched.ts;
 *   for (x of it) body         steps the iterator with yield* __k.next(),
 *                              which lets requests from a prelude iterator
 *                              (already a generator: its own yields are
 *                              wrapped in __k.val()) through to the thread;
 *   o.f++, o.f -= n            become (yield* __k.rmw(o, 'f', '-', n, post)):
 *                              a load and a store, with a scheduling point
 *                              between them when the prelude's lockset
 *                              table guards o.f, and the stored value
 *                              wrapped to the field's C integer type;
 *   class S { f: ulong = 0 }   is followed by __k.ftype(S, 'f', 'ulong') for
 *                              each field declared with a C integer type;
 *   o.f = v, READ_ONCE(o.f)    for a field name of kernel/memory_order.ts's
 *                              table become __k.st(o, 'f', v) and
 *                              READ_ONCE(__k.ld(o, 'f')): the stores and
 *                              loads its weak memory orders (the struct is
 *                              checked when they run).
 *
 * Arrow functions, methods, accessors and constructors stay plain: they are
 * Proxy traps, getters and sched_wait() conditions that Node calls directly
 * and that must not switch threads; what they call runs through the plain
 * wrappers.
 */
import * as ts from 'typescript';
import * as path from 'path';
import { ORDERED_FIELDS } from '../kernel/memory_order';

/* Field names whose stores and READ_ONCE() loads the weak memory model sees. */
const ORDERED_NAMES = new Set(ORDERED_FIELDS.map((o) => o.field));

/* o.f (not this.f, super.f, o.#f) with f one of ORDERED_NAMES. */
function orderedAccess(n: ts.Node): n is ts.PropertyAccessExpression {
	return ts.isPropertyAccessExpression(n) && !ts.isPrivateIdentifier(n.name) && ORDERED_NAMES.has(n.name.text) &&
		n.expression.kind !== ts.SyntaxKind.SuperKeyword && n.expression.kind !== ts.SyntaxKind.ThisKeyword &&
		!n.questionDotToken;
}

const f = ts.factory;

function kcall(method: string, args: ts.Expression[]): ts.Expression {
	return f.createCallExpression(
		f.createPropertyAccessExpression(f.createIdentifier('__k'), method), undefined, args);
}

/** (__k.X(...) ? yield* __k.g() : __k.v()) */
function dispatch(test: ts.Expression): ts.Expression {
	return f.createParenthesizedExpression(f.createConditionalExpression(
		test,
		f.createToken(ts.SyntaxKind.QuestionToken),
		f.createYieldExpression(f.createToken(ts.SyntaxKind.AsteriskToken), kcall('g', [])),
		f.createToken(ts.SyntaxKind.ColonToken),
		kcall('v', [])));
}

/* The prelude's C integer types (ts-src/kernel/ctypes.ts) a field may be declared with. */
const INT_TYPES = new Set(['int', 'uint', 'long', 'ulong', 'pgoff_t', 'size_t', 'gfp_t']);

const RMW_OPS = new Map<ts.SyntaxKind, string>([
	[ts.SyntaxKind.PlusEqualsToken, '+'], [ts.SyntaxKind.MinusEqualsToken, '-'],
	[ts.SyntaxKind.AsteriskEqualsToken, '*'], [ts.SyntaxKind.BarEqualsToken, '|'],
	[ts.SyntaxKind.AmpersandEqualsToken, '&'], [ts.SyntaxKind.CaretEqualsToken, '^'],
	[ts.SyntaxKind.LessThanLessThanEqualsToken, '<<'], [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken, '>>'],
]);

/* __k.ftype(Class, 'field', 'ulong') for each field of a C integer type. */
function fieldTypes(c: ts.ClassDeclaration): ts.Statement[] {
	if (!c.name)
		return [];
	const out: ts.Statement[] = [];
	for (const m of c.members) {
		if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name) || !m.type || !ts.isTypeReferenceNode(m.type) ||
		    !ts.isIdentifier(m.type.typeName) || !INT_TYPES.has(m.type.typeName.text))
			continue;
		out.push(f.createExpressionStatement(kcall('ftype',
			[f.createIdentifier(c.name.text), f.createStringLiteral(m.name.text), f.createStringLiteral(m.type.typeName.text)])));
	}
	return out;
}

/*
 * __k.vreg('model/ksm:x', () => x, (v) => x = v) for each file-scope `let x`
 * of a module (not exported: CommonJS rewrites those to exports.x): the
 * statics a scenario sets before its threads run, as a sysfs store would
 * (ksm_merge_across_nodes).
 */
function letAccessors(s: ts.VariableStatement, module: string): ts.Statement[] {
	if (!(s.declarationList.flags & ts.NodeFlags.Let) ||
	    s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
		return [];
	const out: ts.Statement[] = [];
	for (const d of s.declarationList.declarations) {
		if (!ts.isIdentifier(d.name))
			continue;
		const name = d.name.text;
		const v = f.createIdentifier('v');
		out.push(f.createExpressionStatement(kcall('vreg', [
			f.createStringLiteral(`${module}:${name}`),
			f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createIdentifier(name)),
			f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, v)], undefined, undefined,
				f.createAssignment(f.createIdentifier(name), v)),
		])));
	}
	return out;
}

/* The scalar types C zero-initialises a static of to 0 (and pointers, ptr<T>, to NULL). */

/*
 * A file-scope "let x!: T;" (a C static only carried C, or the model's
 * own ++, stores into): C zero-initialises it, so the run starts it at 0
 * or NULL, not at JavaScript's undefined (undefined + 1 is NaN).
 * __read_mostly<T> is T.  A struct static is uninit(T) in the model, never "x!".
 */
function zeroInit(s: ts.VariableStatement): ts.VariableStatement {
	const zero = (t: ts.TypeNode | undefined): ts.Expression | undefined => {
		if (!t || !ts.isTypeReferenceNode(t) || !ts.isIdentifier(t.typeName))
			return undefined;
		const n = t.typeName.text;
		if (n === '__read_mostly')
			return zero(t.typeArguments?.[0]);
		if (n === 'ptr')
			return f.createNull();
		/* any other type: a scalar or an enum (ksm_advisor), as a struct static is uninit(T), not "x!" (the compiler's rule) */
		return f.createNumericLiteral(0);
	};
	const decls = s.declarationList.declarations.map((d) => {
		const z = d.exclamationToken && !d.initializer ? zero(d.type) : undefined;
		return z ? f.updateVariableDeclaration(d, d.name, undefined, d.type, z) : d;
	});
	return f.updateVariableStatement(s, s.modifiers, f.updateVariableDeclarationList(s.declarationList, decls));
}

/*
 * The file-scope "let" integers of a file, not exported (name -> C type;
 * __read_mostly<T> is T), leaving out a name that a parameter or a local anywhere in the
 * file also declares (the transform has no scopes: x++ there could be the
 * local's).
 */
function fileIntegers(sf: ts.SourceFile): Map<string, string> {
	const out = new Map<string, string>();
	const typeOf = (t: ts.TypeNode | undefined): string | undefined => {
		if (!t || !ts.isTypeReferenceNode(t) || !ts.isIdentifier(t.typeName))
			return undefined;
		if (t.typeName.text === '__read_mostly')
			return typeOf(t.typeArguments?.[0]);
		return INT_TYPES.has(t.typeName.text) ? t.typeName.text : undefined;
	};
	/* Not an exported one: its references compile to exports.x, which a synthesized identifier would miss. */
	for (const st of sf.statements)
		if (ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.Let &&
		    !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
			for (const d of st.declarationList.declarations) {
				const t = ts.isIdentifier(d.name) ? typeOf(d.type) : undefined;
				if (t)
					out.set((d.name as ts.Identifier).text, t);
			}
	const shadow = (n: ts.Node): void => {
		if ((ts.isParameter(n) || (ts.isVariableDeclaration(n) && n.parent.parent.parent !== sf)) && ts.isIdentifier(n.name))
			out.delete(n.name.text);
		ts.forEachChild(n, shadow);
	};
	ts.forEachChild(sf, shadow);
	return out;
}

function isGeneratorFn(n: ts.FunctionLikeDeclaration): boolean {
	return !!(n as ts.FunctionDeclaration).asteriskToken;
}

export interface transform_options {
	/** Record call-site lines ("rmap.ts:123") for traces. */
	lines: boolean;
	/**
	 * The module's name ("model/rmap"): its file-scope functions, static
	 * ones included, are registered as "model/rmap:name" so that a design
	 * variant can replace (and call) any of them.
	 */
	module?: string;
	/** No transform: a module without scheduling points, run as it is. */
	plain?: boolean;
	/*
	 * The model's functions copy their struct parameters (C's by-value
	 * passing); the prelude's helpers take the caller's object.
	 */
	byValue?: Set<string>;
}

export function generatorize(opts: transform_options): ts.TransformerFactory<ts.SourceFile> {
	return (ctx) => (sf) => {
		const base = path.basename(sf.fileName);
		const statics = fileIntegers(sf);

		function lineOf(n: ts.Node): ts.Expression[] {
			if (!opts.lines || n.pos < 0)
				return [];
			const { line } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
			return [f.createStringLiteral(`${base}:${line + 1}`)];
		}

		/* Statements lists get "__k.reg(f, f$g);" for their function declarations. */
		function visitStatements(stmts: ts.NodeArray<ts.Statement>, inGen: boolean, origGen: boolean, top = false): ts.Statement[] {
			const regs: ts.Statement[] = [];
			const out: ts.Statement[] = [];
			for (const s of stmts) {
				if (ts.isFunctionDeclaration(s) && s.body && s.name && !isGeneratorFn(s)) {
					const name = s.name.text;
					const outer = voidPtrs;
					voidPtrs = voidPointerNames(s);
					const gname = f.createIdentifier(`${name}$g`);
					const args = f.createIdentifier('args');
					const wrapper = f.updateFunctionDeclaration(s, s.modifiers, undefined, s.name, undefined,
						[f.createParameterDeclaration(undefined, f.createToken(ts.SyntaxKind.DotDotDotToken), args)],
						undefined,
						f.createBlock([f.createReturnStatement(kcall('sync', [gname, f.createThis(), args]))], true));
					const gen = f.createFunctionDeclaration(undefined, f.createToken(ts.SyntaxKind.AsteriskToken),
						gname, undefined,
						s.parameters.map((p) => ts.visitNode(p, (n) => visit(n, false, false)) as ts.ParameterDeclaration),
						undefined, byValue(s, visitBody(s.body, true, false)));
					voidPtrs = outer;
					out.push(wrapper, gen);
					const named = top && opts.module ? [f.createStringLiteral(`${opts.module}:${name}`)] : [];
					regs.push(f.createExpressionStatement(kcall('reg', [f.createIdentifier(name), gname, ...named])));
					continue;
				}
				out.push(ts.visitNode(top && ts.isVariableStatement(s) ? zeroInit(s) : s, (n) => visit(n, inGen, origGen)) as ts.Statement);
				if (top && ts.isClassDeclaration(s))
					out.push(...fieldTypes(s));
				if (top && opts.module && ts.isVariableStatement(s))
					out.push(...letAccessors(s, opts.module));
			}
			return [...regs, ...out];
		}

		/*
		 * C's void pointer arithmetic (GNU C: a void * steps by bytes), as in
		 * folio_move_anon_rmap()'s "anon_vma += FOLIO_MAPPING_ANON": the
		 * model holds an object in a ptr<void> local, so the object is turned
		 * into its address first (ctypes.ts cast(): a tagged pointer is a
		 * number, as __folio_set_anon()'s cast<ptr<void>>(p) + n makes it).
		 * The names of the function's ptr<void> parameters and locals, by
		 * their declared type: the transform has no type checker.
		 */
		let voidPtrs = new Set<string>();

		function voidPointerNames(fn: ts.FunctionDeclaration): Set<string> {
			const out = new Set<string>();
			const isVoidPtr = (t: ts.TypeNode | undefined): boolean => !!t && ts.isTypeReferenceNode(t) &&
				t.typeName.getText(sf) === 'ptr' && t.typeArguments?.[0]?.kind === ts.SyntaxKind.VoidKeyword;
			const scan = (n: ts.Node): void => {
				if ((ts.isParameter(n) || ts.isVariableDeclaration(n)) && ts.isIdentifier(n.name) && isVoidPtr(n.type))
					out.add(n.name.text);
				ts.forEachChild(n, scan);
			};
			scan(fn);
			return out;
		}

		/* p + n, p - n, p += n, p -= n with p a ptr<void> name: (__k.va(p) + n), p = (__k.va(p) + n). */
		function voidPointerArithmetic(n: ts.BinaryExpression, inGen: boolean, origGen: boolean): ts.Expression | null {
			const k = n.operatorToken.kind;
			const compound = k === ts.SyntaxKind.PlusEqualsToken || k === ts.SyntaxKind.MinusEqualsToken;
			if (!compound && k !== ts.SyntaxKind.PlusToken && k !== ts.SyntaxKind.MinusToken)
				return null;
			const isVp = (e: ts.Expression): e is ts.Identifier => ts.isIdentifier(e) && voidPtrs.has(e.text);
			if (!isVp(n.left) && !(!compound && isVp(n.right)))
				return null;
			const v = (x: ts.Expression): ts.Expression => ts.visitNode(x, (y) => visit(y, inGen, origGen)) as ts.Expression;
			const side = (e: ts.Expression): ts.Expression => isVp(e) ? kcall('va', [e]) : v(e);
			const op = k === ts.SyntaxKind.PlusToken || k === ts.SyntaxKind.PlusEqualsToken ? ts.SyntaxKind.PlusToken : ts.SyntaxKind.MinusToken;
			const sum = f.createParenthesizedExpression(f.createBinaryExpression(side(n.left), op, side(n.right)));
			return compound ? f.createParenthesizedExpression(f.createAssignment(n.left, sum)) : sum;
		}

		/*
		 * C passes a struct by value: a parameter of a prelude struct class
		 * (not a ptr<> of one; opts.byValue names the classes) starts as the callee's own copy (__k.byval()), so that
		 * ksm_vma_flags()'s vma_flags_set() of its vma_flags leaves the
		 * caller's alone, as in C.
		 */
		function byValue(s: ts.FunctionDeclaration, body: ts.Block): ts.Block {
			if (!opts.byValue)
				return body;
			const copies = s.parameters.filter((p) => ts.isIdentifier(p.name) && p.type && ts.isTypeReferenceNode(p.type) &&
				ts.isIdentifier(p.type.typeName) && !p.type.typeArguments && opts.byValue!.has(p.type.typeName.text)).map((p) => {
				const name = p.name as ts.Identifier;
				return f.createExpressionStatement(f.createAssignment(f.createIdentifier(name.text), kcall('byval', [f.createIdentifier(name.text)])));
			});
			return copies.length ? f.updateBlock(body, [...copies, ...body.statements]) : body;
		}

		function visitBody(b: ts.Block, inGen: boolean, origGen: boolean): ts.Block {
			return f.updateBlock(b, visitStatements(b.statements, inGen, origGen));
		}

		function forOf(n: ts.ForOfStatement, inGen: boolean, origGen: boolean): ts.Statement {
			const it = f.createUniqueName('it');
			const r = f.createUniqueName('r');
			const value = f.createPropertyAccessExpression(r, 'value');
			let bind: ts.Statement;
			if (ts.isVariableDeclarationList(n.initializer)) {
				const d = n.initializer.declarations[0];
				bind = f.createVariableStatement(undefined, f.createVariableDeclarationList(
					[f.createVariableDeclaration(d.name, undefined, undefined, value)],
					n.initializer.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)));
			} else {
				bind = f.createExpressionStatement(f.createAssignment(
					ts.visitNode(n.initializer, (x) => visit(x, inGen, origGen)) as ts.Expression, value));
			}
			const body = ts.visitNode(n.statement, (x) => visit(x, inGen, origGen)) as ts.Statement;
			return f.createForStatement(
				f.createVariableDeclarationList([f.createVariableDeclaration(it, undefined, undefined,
					kcall('iter', [ts.visitNode(n.expression, (x) => visit(x, inGen, origGen)) as ts.Expression]))],
				ts.NodeFlags.Const),
				undefined, undefined,
				f.createBlock([
					f.createVariableStatement(undefined, f.createVariableDeclarationList([
						f.createVariableDeclaration(r, undefined, undefined,
							f.createYieldExpression(f.createToken(ts.SyntaxKind.AsteriskToken), kcall('next', [it])))],
					ts.NodeFlags.Const)),
					f.createIfStatement(f.createPropertyAccessExpression(r, 'done'), f.createBreakStatement()),
					bind,
					body,
				], true));
		}

		function call(n: ts.CallExpression, inGen: boolean, origGen: boolean): ts.Expression {
			const v = (x: ts.Node): ts.Expression => ts.visitNode(x, (y) => visit(y, inGen, origGen)) as ts.Expression;
			const callee = n.expression;
			const readOnce = ts.isIdentifier(callee) && callee.text === 'READ_ONCE' && n.arguments.length === 1;
			const args = f.createArrayLiteralExpression(n.arguments.map((a) => readOnce && orderedAccess(a)
				? kcall('ld', [v(a.expression), f.createStringLiteral(a.name.text)]) : v(a)));
			if (ts.isIdentifier(callee) && (callee.text === 'sched_point' || callee.text === 'sched_wait'))
				return f.createParenthesizedExpression(f.createYieldExpression(undefined,
					kcall('req', [f.createStringLiteral(callee.text === 'sched_point' ? 'point' : 'wait'),
						...n.arguments.map(v)])));
			if (ts.isPropertyAccessExpression(callee) && !ts.isPrivateIdentifier(callee.name) &&
			    callee.expression.kind !== ts.SyntaxKind.SuperKeyword)
				return dispatch(kcall('m', [v(callee.expression), f.createStringLiteral(callee.name.text), args, ...lineOf(n)]));
			if (ts.isElementAccessExpression(callee) && callee.expression.kind !== ts.SyntaxKind.SuperKeyword)
				return dispatch(kcall('m', [v(callee.expression), v(callee.argumentExpression), args, ...lineOf(n)]));
			return dispatch(kcall('c', [v(callee), f.createIdentifier('undefined'), args, ...lineOf(n)]));
		}

		/* o.f op= v / o.f++: (yield* __k.rmw(o, 'f', op, v, post)) */
		function rmw(target: ts.Expression, op: string, value: ts.Expression, post: boolean, inGen: boolean, origGen: boolean): ts.Expression | null {
			const v = (x: ts.Node): ts.Expression => ts.visitNode(x, (y) => visit(y, inGen, origGen)) as ts.Expression;
			let obj: ts.Expression, key: ts.Expression;
			if (ts.isPropertyAccessExpression(target) && !ts.isPrivateIdentifier(target.name) &&
			    target.expression.kind !== ts.SyntaxKind.SuperKeyword && target.expression.kind !== ts.SyntaxKind.ThisKeyword) {
				obj = v(target.expression);
				key = f.createStringLiteral(target.name.text);
			} else if (ts.isIdentifier(target) && statics.has(target.text)) {
				/* a file-scope integer (ksm_pages_unshared--): wrapped to its C type as a field is */
				const x = target.text, nv = f.createIdentifier('nv');
				return f.createParenthesizedExpression(f.createYieldExpression(f.createToken(ts.SyntaxKind.AsteriskToken),
					kcall('rmwv', [
						f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createIdentifier(x)),
						f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, nv)], undefined, undefined,
							f.createAssignment(f.createIdentifier(x), nv)),
						f.createStringLiteral(statics.get(x)!), f.createStringLiteral(op), value, post ? f.createTrue() : f.createFalse()])));
			} else {
				return null;
			}
			return f.createParenthesizedExpression(f.createYieldExpression(f.createToken(ts.SyntaxKind.AsteriskToken),
				kcall('rmw', [obj, key, f.createStringLiteral(op), value, post ? f.createTrue() : f.createFalse()])));
		}

		function visit(n: ts.Node, inGen: boolean, origGen: boolean): ts.Node | ts.Node[] {
			const gen = inGen || origGen;
			if (ts.isSourceFile(n))
				return f.updateSourceFile(n, visitStatements(n.statements, false, false, true));
			if (ts.isBlock(n))
				return visitBody(n, inGen, origGen);
			if (ts.isFunctionDeclaration(n) && n.body && isGeneratorFn(n))
				return f.updateFunctionDeclaration(n, n.modifiers, n.asteriskToken, n.name, undefined,
					n.parameters, undefined, visitBody(n.body, false, true));
			if (ts.isFunctionExpression(n)) {
				if (isGeneratorFn(n))
					return f.updateFunctionExpression(n, n.modifiers, n.asteriskToken, n.name, undefined,
						n.parameters, undefined, visitBody(n.body, false, true));
				return kcall('fn', [f.createFunctionExpression(undefined, f.createToken(ts.SyntaxKind.AsteriskToken),
					n.name, undefined, n.parameters, undefined, visitBody(n.body, true, false))]);
			}
			if (ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isAccessor(n) ||
			    ts.isConstructorDeclaration(n) || ts.isClassDeclaration(n) || ts.isClassExpression(n))
				return ts.visitEachChild(n, (x) => visit(x, false, false), ctx);
			if (inGen && (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
			    (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
				const r = rmw(n.operand, n.operator === ts.SyntaxKind.PlusPlusToken ? '+' : '-',
					f.createNumericLiteral(1), ts.isPostfixUnaryExpression(n), inGen, origGen);
				if (r)
					return r;
			}
			if (inGen && ts.isBinaryExpression(n) && RMW_OPS.has(n.operatorToken.kind)) {
				const r = rmw(n.left, RMW_OPS.get(n.operatorToken.kind)!,
					ts.visitNode(n.right, (x) => visit(x, inGen, origGen)) as ts.Expression, false, inGen, origGen);
				if (r)
					return r;
			}
			if (gen && ts.isBinaryExpression(n) && voidPtrs.size) {
				const r = voidPointerArithmetic(n, inGen, origGen);
				if (r)
					return r;
			}
			if (gen && ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && orderedAccess(n.left))
				return kcall('st', [ts.visitNode(n.left.expression, (x) => visit(x, inGen, origGen)) as ts.Expression,
					f.createStringLiteral(n.left.name.text),
					ts.visitNode(n.right, (x) => visit(x, inGen, origGen)) as ts.Expression]);
			/*
			 * C converts a void * to any object pointer without a cast
			 * ("struct ksm_next_page_arg *private = walk->private;"): the
			 * model's void * holds an address (a number, ctypes.ts cast()),
			 * so a ptr<T> local (T not void) starts as the object at it.
			 * __k.vp() leaves an object, NULL or a tagged pointer alone.
			 */
			if (gen && ts.isVariableDeclaration(n) && n.initializer && n.type && ts.isTypeReferenceNode(n.type) &&
			    n.type.typeName.getText(sf) === 'ptr' && n.type.typeArguments?.[0]?.kind !== ts.SyntaxKind.VoidKeyword)
				return f.updateVariableDeclaration(n, n.name, n.exclamationToken, n.type,
					kcall('vp', [ts.visitNode(n.initializer, (x) => visit(x, inGen, origGen)) as ts.Expression]));
			if (gen && ts.isForOfStatement(n) && !n.awaitModifier)
				return forOf(n, inGen, origGen);
			/*
			 * A call inside an optional chain (a?.b(x), a?.b.c(x)) would become
			 * __k.m(a, 'b', …), which reads a.b whatever a is: not the
			 * short-circuit the chain means.  Refused, where it stands.
			 */
			if (gen && ts.isCallExpression(n) && (n.flags & ts.NodeFlags.OptionalChain)) {
				const at = sf.getLineAndCharacterOfPosition(n.getStart(sf));
				throw new Error(`${sf.fileName}:${at.line + 1}:${at.character + 1}: a call in an optional chain (${n.expression.getText(sf)}(…)) is not supported in checked code: test for null first`);
			}
			if (gen && ts.isCallExpression(n) && !n.questionDotToken &&
			    n.expression.kind !== ts.SyntaxKind.SuperKeyword && n.expression.kind !== ts.SyntaxKind.ImportKeyword)
				return call(n, inGen, origGen);
			if (origGen && ts.isYieldExpression(n) && !n.asteriskToken)
				return f.updateYieldExpression(n, undefined,
					kcall('val', n.expression ? [ts.visitNode(n.expression, (x) => visit(x, inGen, origGen)) as ts.Expression] : []));
			return ts.visitEachChild(n, (x) => visit(x, inGen, origGen), ctx);
		}

		return visit(sf, false, false) as ts.SourceFile;
	};
}

/** Transpile one TypeScript file to CommonJS with the generator transform. */
export function transpileForCheck(fileName: string, source: string, opts: transform_options): string {
	const out = ts.transpileModule(source, {
		fileName,
		compilerOptions: {
			target: ts.ScriptTarget.ES2022,
			module: ts.ModuleKind.CommonJS,
			esModuleInterop: true,
			sourceMap: false,
		},
		transformers: { before: opts.plain ? [] : [generatorize(opts)] },
		reportDiagnostics: false,
	});
	return out.outputText;
}

/*
 * The emitter: one model file (a TypeScript SourceFile) to kernel C.
 *
 * It walks the AST once.  Constructs in the subset print as C through the
 * Printer (which keeps the model's layout); anything else is a diagnostic
 * naming file:line:col and the construct, never silently mistranslated C.
 * The subset and its C forms are listed in README.md; each has a test in
 * test/compiler.test.ts.
 */
import * as ts from 'typescript';
import { Printer, PrinterError } from './printer';
import { ctypeOf, declarator, isPointer, TypeError_, CType, cTag } from './ctype';
import { Diagnostic, KTS, diagAt } from './diagnostics';
import { findFunctions } from '../csource/functions';

/** Function-body directives: C qualifiers TypeScript has no keyword for. */
const BEFORE_TYPE = new Set(['inline', '__always_inline', 'noinline']);
const AFTER_TYPE = new Set(['__init', '__meminit']);

/** What a label of the model stands for in C. */
type LabelKind = 'forward' | 'backward';

/**
 * What an unlabelled break/continue leaves: a C loop, or a labelled
 * 'for (;;)' that is no loop in C (its label is a backward goto target).
 */
type Breakable = 'loop' | 'goto-loop' | 'switch';

/** Integer literals C reads as the same value: decimal and hex (no 1_000, 0o17, 0b1, 1e3, 1.5). */
const C_INTEGER = /^(0|[1-9][0-9]*|0[xX][0-9a-fA-F]+)$/;

/*
 * JavaScript's reserved words that are ordinary identifiers in C: a model
 * local of that name is written with an underscore (new_) and prints
 * without it.
 */
const JS_RESERVED_C_NAMES = new Set(['new', 'class', 'function', 'var', 'this', 'delete', 'in', 'instanceof', 'typeof',
	'with', 'try', 'catch', 'finally', 'throw', 'super', 'debugger', 'export', 'import', 'let', 'yield', 'await',
	'package', 'private', 'protected', 'public', 'interface', 'implements']);

export interface EmitResult {
	c: string;
	/** Functions the model defines in TypeScript, in order. */
	functions: string[];
	/** Functions carried in verbatim C blocks, in order. */
	verbatim: string[];
	diagnostics: Diagnostic[];
	/** Output offset of a line start -> the model offset of the line it was copied from (Printer.lineMap). */
	lineMap: Map<number, number>;
}

export function emitSourceFile(sf: ts.SourceFile, checker: ts.TypeChecker): EmitResult {
	return new Emitter(sf, checker).run();
}

class Emitter {
	private p: Printer;
	private diagnostics: Diagnostic[] = [];
	private labels = new Map<string, LabelKind>();
	/* A goto dispatch's entries into if blocks: the if -> its label, the guard inside it -> its label. */
	private entryIfs = new Map<ts.IfStatement, string>();
	private entryGuards = new Map<ts.IfStatement, string>();
	private breakables: Breakable[] = [];
	/** Static functions declared by prototype() so far. */
	private prototyped = new Set<string>();
	private functions: string[] = [];
	/** Functions carried as verbatim C, in order. */
	private verbatimFunctions: string[] = [];

	constructor(private sf: ts.SourceFile, private checker: ts.TypeChecker) {
		this.p = new Printer(sf);
	}

	run(): EmitResult {
		for (const st of this.sf.statements)
			this.topLevel(st);
		this.p.gap(this.sf.end);
		return { c: this.p.text(), functions: this.functions, verbatim: this.verbatimFunctions, diagnostics: this.diagnostics, lineMap: this.p.lineMap };
	}

	private error(node: ts.Node, code: number, message: string): void {
		this.diagnostics.push(diagAt(this.sf, node.getStart(this.sf), code, message));
	}

	private unsupported(node: ts.Node, what?: string): void {
		const name = what ?? ts.SyntaxKind[node.kind];
		this.error(node, KTS.unsupported, `${name} is not in the ktsc subset`);
		this.p.discard(node.end);
	}

	/* declaration: a variable's type, the only place an attribute after the name (__read_mostly<T>) may stand */
	private ctype(node: ts.TypeNode | undefined, owner: ts.Node, declaration = false): CType | undefined {
		if (!node) {
			this.error(owner, KTS.untyped, 'declaration needs a C type annotation (ptr<T>, int, ulong ...)');
			return undefined;
		}
		try {
			const t = ctypeOf(this.checker, node);
			if (t.after && !declaration)
				throw new TypeError_(node, `${t.after.trim()} is an attribute of a file-scope variable, not of a parameter, return or cast type`);
			return t;
		} catch (e) {
			if (e instanceof TypeError_) {
				this.error(e.node, KTS.type, e.message);
				return undefined;
			}
			throw e;
		}
	}

	/* ---- top level ---- */

	/*
	 * A token the emitter needs is missing where the source has another
	 * (a trailing comma, "ulong >" ...): a diagnostic at that token, and
	 * the rest of the statement skipped.
	 */
	private topLevel(st: ts.Statement): void {
		try {
			this.topLevelUnchecked(st);
		} catch (e) {
			if (!(e instanceof PrinterError))
				throw e;
			this.diagnostics.push(diagAt(this.sf, e.pos, KTS.unsupported, e.message));
			this.p.discard(st.end);
		}
	}

	private topLevelUnchecked(st: ts.Statement): void {
		if (ts.isImportDeclaration(st))
			return this.p.drop(st.getStart(this.sf), st.end, 'import'); /* the prelude is the kernel's headers */
		if (ts.isFunctionDeclaration(st))
			return this.functionDecl(st);
		if (ts.isVariableStatement(st))
			return this.fileScopeVar(st);
		if (ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) &&
		    this.preludeName(st.expression.expression) === 'prototype')
			return this.prototype(st, st.expression);
		if (ts.isExpressionStatement(st) && ts.isTaggedTemplateExpression(st.expression) &&
		    this.preludeName(st.expression.tag) === 'c')
			return this.verbatim(st, st.expression);
		if (ts.isEnumDeclaration(st))
			return this.unsupported(st, 'enum declaration (declare it in the prelude, in the stand-in of its header)');
		this.unsupported(st, `top-level ${ts.SyntaxKind[st.kind]}`);
	}

	private isExported(node: ts.Node): boolean {
		return !!ts.getModifiers(node as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
	}

	private fileScopeVar(st: ts.VariableStatement): void {
		this.p.gap(st.getStart(this.sf));
		this.declarationList(st.declarationList, this.isExported(st) ? '' : 'static ', true);
		this.semicolon(st);
	}

	private functionDecl(fn: ts.FunctionDeclaration): void {
		if (!fn.name || !fn.body)
			return this.unsupported(fn, 'function without a name or body');
		for (const m of ts.getModifiers(fn) ?? [])
			if (m.kind !== ts.SyntaxKind.ExportKeyword)
				this.unsupported(m, `modifier '${m.getText(this.sf)}'`);
		if (fn.asteriskToken)
			return this.unsupported(fn, 'generator function');
		if (fn.typeParameters)
			return this.unsupported(fn, 'generic function');
		const ret = this.ctype(fn.type, fn.name);
		const before: string[] = [];
		const after: string[] = [];
		const body = fn.body.statements;
		let first = 0;
		for (; first < body.length; first++) {
			const st = body[first];
			if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression))
				break;
			const q = st.expression.text;
			this.p.drop(st.getStart(this.sf), st.end, 'function qualifier');
			if (BEFORE_TYPE.has(q) || q === '\n')
				before.push(q);
			else if (AFTER_TYPE.has(q))
				after.push(q);
			else
				this.error(st, KTS.unsupported, `unknown function qualifier '${JSON.stringify(q).slice(1, -1)}'`);
		}
		if (before.includes('\n') && before[before.length - 1] !== '\n')
			this.error(fn.name, KTS.unsupported, "the header's line break ('\\n';) goes after the qualifiers that print before the type");
		const name = this.variantOf(fn);
		this.functions.push(name);
		this.labels.clear();
		this.breakables = [];
		this.header(fn, ret, before, after);
		/* Kernel style: the function's opening brace on a line of its own. */
		this.p.skip(fn.body.getStart(this.sf) + 1);
		this.p.syn('\n{');
		this.statements(body.slice(first));
		this.closeBrace(fn.body);
	}

	/*
	 * The C name of a function: its own, or, for f$CONFIG_X (f$not_CONFIG_X),
	 * a variant of f the kconfig does not take, defined in the #ifdef
	 * CONFIG_X branch (#else) of the carried C around it, f.  f must be
	 * defined in this file too, and nothing may call a variant by its
	 * TypeScript name: C has only f.
	 */
	private variantOf(fn: ts.FunctionDeclaration): string {
		const m = /^([A-Za-z_][A-Za-z0-9_]*)\$(not_)?(CONFIG_[A-Za-z0-9_]+)$/.exec(fn.name!.text);
		if (!m) {
			if (fn.name!.text.includes('$'))
				this.error(fn.name!, KTS.unsupported, `'${fn.name!.text}': a '$' in a function's name names an #ifdef variant, f$CONFIG_X or f$not_CONFIG_X`);
			return fn.name!.text;
		}
		if (!this.sf.statements.some((st) => ts.isFunctionDeclaration(st) && st.name?.text === m[1]))
			this.error(fn.name!, KTS.unsupported, `'${fn.name!.text}' is an #ifdef variant of ${m[1]}(), which this file does not define`);
		return m[1];
	}

	/** The function's qualifiers, return type, name and parameter list. */
	/*
	 * Two header layouts the kernel uses besides one line: a break after
	 * the qualifiers ("static inline" / "struct X *f(...)"), the
	 * directive '\n'; after the qualifier directives; and a break before
	 * the name ("static ssize_t" / "f(...)"), a line break between
	 * "function" and the name in the model, copied as it stands.
	 */
	private header(fn: ts.FunctionDeclaration, ret: CType | undefined, before: string[], after: string[]): void {
		const breakBeforeType = before.includes('\n');
		const words = [...(this.isExported(fn) ? [] : ['static']), ...before.filter((q) => q !== '\n')];
		const quals = breakBeforeType ? words.join(' ') + '\n' : words.map((w) => w + ' ').join('');
		const name = this.variantOf(fn);
		this.p.gap(fn.getStart(this.sf));
		const r = ret ?? { base: 'int', stars: '' };
		const mods = ts.getModifiers(fn);
		const kw = this.p.find(ts.SyntaxKind.FunctionKeyword, mods?.length ? mods[mods.length - 1].end : fn.getStart(this.sf));
		const between = this.sf.text.slice(kw.end, fn.name!.getStart(this.sf));
		if (between.includes('\n') && /^\s*$/.test(between)) {
			const type = `${r.base}${r.stars ? ' ' + r.stars : ''}${after.map((q) => ' ' + q).join('')}`;
			this.p.syn(`${quals}${type}`);
			this.p.skip(kw.end);
			this.p.tok(name, fn.name!.getStart(this.sf), fn.name!.end);
		} else {
			this.p.syn(`${quals}${r.base} ${r.stars}${after.map((q) => q + ' ').join('')}${name}`);
			this.p.skip(fn.name!.end);
		}
		const open = this.p.find(ts.SyntaxKind.OpenParenToken, fn.name!.end);
		this.p.tok('(', open.pos, open.end);
		if (fn.parameters.length === 0)
			this.p.syn('void');
		fn.parameters.forEach((param, i) => {
			if (i > 0) {
				const comma = this.p.find(ts.SyntaxKind.CommaToken, fn.parameters[i - 1].end);
				this.p.tok(',', comma.pos, comma.end);
			}
			if (!ts.isIdentifier(param.name) || param.initializer || param.dotDotDotToken || param.questionToken)
				return this.unsupported(param, 'parameter with a default, a rest, an option or a pattern');
			if (i === fn.parameters.length - 1 && fn.parameters.hasTrailingComma)
				this.error(param, KTS.unsupported, 'trailing comma after the last parameter (C has none)');
			const t = this.ctype(param.type, param);
			this.p.gap(param.getStart(this.sf));
			this.p.syn(t ? declarator(t, this.local(param.name)) : this.local(param.name));
			this.p.skip(param.end);
		});
		const close = this.p.find(ts.SyntaxKind.CloseParenToken, fn.parameters.length ? fn.parameters[fn.parameters.length - 1].end : open.end);
		this.p.tok(')', close.pos, close.end);
	}

	/*
	 * prototype(f); at file scope -> "static void f(struct vm_area_struct *vma);",
	 * the header of f's definition further down, with its layout.
	 */
	private prototype(st: ts.ExpressionStatement, call: ts.CallExpression): void {
		const arg = call.arguments[0];
		let sym = arg && ts.isIdentifier(arg) ? this.checker.getSymbolAtLocation(arg) : undefined;
		if (sym && sym.flags & ts.SymbolFlags.Alias)
			sym = this.checker.getAliasedSymbol(sym);
		const fn = sym?.declarations?.find(ts.isFunctionDeclaration);
		if (call.arguments.length !== 1 || !fn || fn.getSourceFile() !== this.sf || !fn.body ||
		    fn.getStart(this.sf) < st.end)
			return this.unsupported(st, 'prototype() of anything but a function defined further down in this file');
		const quals: string[] = [];
		for (const q of fn.body.statements) {
			if (!ts.isExpressionStatement(q) || !ts.isStringLiteral(q.expression))
				break;
			quals.push(q.expression.text);
		}
		this.prototyped.add(fn.name!.text);
		const ret = this.ctype(fn.type, fn.name!);
		/* Print the header with a printer of its own, then return to ours. */
		const saved = this.p;
		this.p = new Printer(this.sf);
		this.p.last = fn.getStart(this.sf);
		this.header(fn, ret, quals.filter((q) => BEFORE_TYPE.has(q) || q === '\n'), quals.filter((q) => AFTER_TYPE.has(q)));
		const text = this.p.text();
		this.p = saved;
		this.p.tok(text, st.getStart(this.sf), st.expression.end);
		this.semicolon(st);
	}

	/*
	 * c`<newline> ... <newline>`;  ->  the lines between, byte for byte.
	 * The block replaces whole lines, so "c`" and "`;" stand alone at
	 * column 0; "\`" and "\${" are the only escapes (C has no "${").
	 */
	private verbatim(st: ts.ExpressionStatement, t: ts.TaggedTemplateExpression): void {
		const text = this.sf.text;
		const start = st.getStart(this.sf);
		const tpl = t.template;
		if (!ts.isNoSubstitutionTemplateLiteral(tpl) || t.typeArguments)
			return this.unsupported(st, 'c`...` with a ${} substitution or type arguments (verbatim C is text, escape "${" as "\\${")');
		const open = tpl.getStart(this.sf);
		const close = tpl.end - 1;
		const lineEnd = text.indexOf('\n', st.end);
		if (this.column(start) !== 0 || text[open + 1] !== '\n' || this.column(close) !== 0 ||
		    text.slice(st.end, lineEnd < 0 ? text.length : lineEnd).trim() !== '' || text[st.end - 1] !== ';')
			return this.unsupported(st, 'verbatim C block not written as "c`" and "`;" at column 0, each alone on its line');
		const body = text.slice(open + 2, close).replace(/\\(`|\$\{)/g, '$1');
		const end = lineEnd < 0 ? text.length : lineEnd + 1;
		this.p.raw(body, start, end);
		for (const f of findFunctions(body))
			this.verbatimFunctions.push(f.name);
	}

	/* ---- statements ---- */

	private statements(list: readonly ts.Statement[]): void {
		for (const st of list)
			this.statement(st);
	}

	private closeBrace(block: ts.Block): void {
		this.p.tok('}', block.end - 1, block.end);
	}

	private semicolon(st: ts.Node): void {
		const text = this.sf.text;
		if (text[st.end - 1] === ';')
			this.p.tok(';', st.end - 1, st.end);
		else
			this.p.syn(';');
	}

	private statement(st: ts.Statement): void {
		switch (st.kind) {
		case ts.SyntaxKind.Block:
			return this.block(st as ts.Block);
		case ts.SyntaxKind.VariableStatement:
			this.p.gap(st.getStart(this.sf));
			this.declarationList((st as ts.VariableStatement).declarationList, '');
			return this.semicolon(st);
		case ts.SyntaxKind.ExpressionStatement: {
			const e = (st as ts.ExpressionStatement).expression;
			if (ts.isStringLiteral(e))
				return this.unsupported(st, 'a function qualifier string after the first statement');
			this.expr(e);
			return this.semicolon(st);
		}
		case ts.SyntaxKind.IfStatement:
			return this.ifStatement(st as ts.IfStatement);
		case ts.SyntaxKind.ReturnStatement: {
			const r = st as ts.ReturnStatement;
			this.keyword('return', r.getStart(this.sf));
			if (r.expression)
				this.expr(r.expression);
			return this.semicolon(st);
		}
		case ts.SyntaxKind.BreakStatement:
			return this.jump(st as ts.BreakStatement, 'break');
		case ts.SyntaxKind.ContinueStatement:
			return this.jump(st as ts.ContinueStatement, 'continue');
		case ts.SyntaxKind.ForOfStatement:
			return this.forEach(st as ts.ForOfStatement);
		case ts.SyntaxKind.ForStatement:
			return this.forStatement(st as ts.ForStatement);
		case ts.SyntaxKind.WhileStatement: {
			const w = st as ts.WhileStatement;
			this.keyword('while', w.getStart(this.sf));
			this.parenthesized(w.expression, w.getStart(this.sf));
			return this.loopBody(w.statement);
		}
		case ts.SyntaxKind.DoStatement: {
			const d = st as ts.DoStatement;
			this.keyword('do', d.getStart(this.sf));
			this.loopBody(d.statement);
			this.keyword('while', this.p.find(ts.SyntaxKind.WhileKeyword, d.statement.end).pos);
			this.parenthesized(d.expression, d.statement.end);
			return this.semicolon(st);
		}
		case ts.SyntaxKind.LabeledStatement:
			return this.labeled(st as ts.LabeledStatement);
		case ts.SyntaxKind.EmptyStatement:
			return this.p.tok(';', st.getStart(this.sf), st.end);
		case ts.SyntaxKind.SwitchStatement:
			return this.switchStatement(st as ts.SwitchStatement);
		case ts.SyntaxKind.TryStatement:
			return this.unsupported(st, 'try statement');
		case ts.SyntaxKind.ThrowStatement:
			return this.unsupported(st, 'throw statement');
		case ts.SyntaxKind.ForInStatement:
			return this.unsupported(st, 'for-in statement');
		case ts.SyntaxKind.ClassDeclaration:
			return this.unsupported(st, 'class declaration');
		case ts.SyntaxKind.FunctionDeclaration:
			return this.unsupported(st, 'nested function');
		default:
			return this.unsupported(st);
		}
	}

	/*
	 * switch (e) { case K: ... default: ... }: the same in C.  A case
	 * label is an integer constant expression (literals, enumerators,
	 * prelude constants and operators on them); a declaration right after
	 * a label is no C before C23 (its scope is the whole switch): wrap the
	 * case's statements in a block.
	 */
	private switchStatement(sw: ts.SwitchStatement): void {
		const start = sw.getStart(this.sf);
		this.keyword('switch', start);
		this.parenthesized(sw.expression, start + 6);
		const cb = sw.caseBlock;
		const open = cb.getStart(this.sf);
		this.p.tok('{', open, open + 1);
		this.breakables.push('switch');
		try {
			for (const clause of cb.clauses) {
				const cs = clause.getStart(this.sf);
				let colonFrom: number;
				if (ts.isCaseClause(clause)) {
					this.keyword('case', cs);
					if (!this.isConstant(clause.expression))
						this.error(clause.expression, KTS.unsupported, 'a case label that is not an integer constant (a literal, an enumerator or a prelude constant)');
					this.expr(clause.expression);
					colonFrom = clause.expression.end;
				} else {
					this.keyword('default', cs);
					colonFrom = cs + 7;
				}
				const colon = this.p.find(ts.SyntaxKind.ColonToken, colonFrom);
				this.p.tok(':', colon.pos, colon.end);
				const first = clause.statements[0];
				if (first && ts.isVariableStatement(first))
					this.error(first, KTS.decl, 'a declaration right after a case label (C before C23 has none there, and its scope would be the whole switch): wrap the statements in a block');
				/* C and JavaScript fall through alike, but the kernel builds with -Wimplicit-fallthrough: a case that goes on into the next says so. */
				const last = clause.statements[clause.statements.length - 1];
				const said = !!last && ts.isExpressionStatement(last) && ts.isIdentifier(last.expression) && this.preludeName(last.expression) === 'fallthrough';
				if (last && clause !== cb.clauses[cb.clauses.length - 1] && !endsCase(last) && !said)
					this.error(clause, KTS.unsupported, "a case that goes on into the next without saying so: end it in 'fallthrough;' (the kernel's pseudo-keyword), or in break, return, continue or a goto");
				this.statements(clause.statements);
			}
		} finally {
			this.breakables.pop();
		}
		this.p.tok('}', cb.end - 1, cb.end);
	}

	/** An integer constant expression C accepts as a case label. */
	private isConstant(e: ts.Expression): boolean {
		if (ts.isNumericLiteral(e))
			return true;
		if (ts.isParenthesizedExpression(e))
			return this.isConstant(e.expression);
		if (ts.isPrefixUnaryExpression(e))
			return [ts.SyntaxKind.MinusToken, ts.SyntaxKind.PlusToken, ts.SyntaxKind.TildeToken, ts.SyntaxKind.ExclamationToken].includes(e.operator) &&
				this.isConstant(e.operand);
		if (ts.isBinaryExpression(e))
			return !Emitter.REJECTED[e.operatorToken.kind] && e.operatorToken.kind !== ts.SyntaxKind.EqualsToken &&
				this.isConstant(e.left) && this.isConstant(e.right);
		if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
			const id = ts.isIdentifier(e) ? e : e.name;
			const r = ts.isIdentifier(id) ? this.declarationOf(id) : undefined;
			if (!r)
				return false;
			if (r.sym.flags & ts.SymbolFlags.EnumMember)
				return true;
			const d = r.decl;
			/* A prelude constant stands for a #define or an enumerator. */
			return !!d && ts.isVariableDeclaration(d) && !!(d.parent.flags & ts.NodeFlags.Const) &&
				d.getSourceFile() !== this.sf && /[\\/]kernel[\\/]/.test(d.getSourceFile().fileName);
		}
		return false;
	}

	/** The body of a C loop: an unlabelled break/continue in it stays in it. */
	private loopBody(body: ts.Statement, kind: Breakable = 'loop', emit = () => this.statement(body)): void {
		this.breakables.push(kind);
		try {
			emit();
		} finally {
			this.breakables.pop();
		}
	}

	private keyword(c: string, pos: number): void {
		this.p.tok(c, pos, pos + c.length);
	}

	private block(b: ts.Block): void {
		const start = b.getStart(this.sf);
		this.p.tok('{', start, start + 1);
		this.statements(b.statements);
		this.closeBrace(b);
	}

	/** "(expr)" after a keyword, with the parentheses' own layout. */
	private parenthesized(e: ts.Expression, after: number): void {
		const open = this.p.find(ts.SyntaxKind.OpenParenToken, Math.max(after, this.p.last));
		this.p.tok('(', open.pos, open.end);
		this.expr(e);
		const close = this.p.find(ts.SyntaxKind.CloseParenToken, e.end);
		this.p.tok(')', close.pos, close.end);
	}

	/*
	 * if (ifdef(CONFIG_X)) { ... }  ->  #ifdef CONFIG_X ... #endif
	 * (!ifdef(): #ifndef).  Written at column 0 like the lines it prints.
	 * if (defined(CONFIG_X) && defined (CONFIG_Y)) { ... }  ->  #if and the
	 * condition as written: only defined() of CONFIG_ symbols, &&, ||, !
	 * and parentheses, whose tokens are the preprocessor's own, so the
	 * text is copied (alloc_stable_node_chain()'s "defined (CONFIG_DEBUG_VM)").
	 */
	private ifdefOption(e: ts.Expression): { directive: string; option: ts.Expression; text: string } | undefined {
		if (this.isDefinedCondition(e))
			return { directive: '#if', option: e, text: e.getText(this.sf) };
		let directive = '#ifdef';
		if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
			directive = '#ifndef';
			e = e.operand;
		}
		if (ts.isCallExpression(e) && this.preludeName(e.expression) === 'ifdef') {
			const option = e.arguments[0];
			return { directive, option, text: option && ts.isIdentifier(option) ? option.text : '' };
		}
		return undefined;
	}

	/* A condition of defined() calls (at least one) joined by &&, ||, ! and parentheses. */
	private isDefinedCondition(e: ts.Expression): boolean {
		let calls = 0;
		const walk = (x: ts.Expression): boolean => {
			if (ts.isParenthesizedExpression(x))
				return walk(x.expression);
			if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken)
				return walk(x.operand);
			if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
			    x.operatorToken.kind === ts.SyntaxKind.BarBarToken))
				return walk(x.left) && walk(x.right);
			if (ts.isCallExpression(x) && this.preludeName(x.expression) === 'defined') {
				calls++;
				return true;
			}
			return false;
		};
		return walk(e) && calls > 0;
	}

	/* A defined() call that is no part of an #if condition: C has none outside the preprocessor. */
	private definedOutsideIf(c: ts.CallExpression): boolean {
		let x: ts.Node = c;
		while (ts.isParenthesizedExpression(x.parent) || ts.isBinaryExpression(x.parent) || ts.isPrefixUnaryExpression(x.parent))
			x = x.parent;
		return !(ts.isIfStatement(x.parent) && x.parent.expression === x && this.isDefinedCondition(x as ts.Expression));
	}

	/*
	 * A local or parameter named after a JavaScript reserved word that is
	 * an ordinary C identifier, with an underscore (stable_tree_insert()'s
	 * "new", written new_): C's name, without it.
	 */
	private local(id: ts.Identifier): string {
		if (id.text.includes('$'))
			this.error(id, KTS.unsupported, `'${id.text}': C names have no '$' (an #ifdef variant is called by its function's name)`);
		const m = /^([a-z]+)_$/.exec(id.text);
		if (!m || !JS_RESERVED_C_NAMES.has(m[1]))
			return id.text;
		const decl = this.checker.getSymbolAtLocation(id)?.valueDeclaration;
		if (!decl || !(ts.isVariableDeclaration(decl) || ts.isParameter(decl)) || decl.getSourceFile() !== this.sf)
			return id.text;
		return m[1];
	}

	/* The arguments of an #if condition's defined() calls. */
	private definedArgs(e: ts.Expression): (ts.Expression | undefined)[] {
		if (ts.isParenthesizedExpression(e))
			return this.definedArgs(e.expression);
		if (ts.isPrefixUnaryExpression(e))
			return this.definedArgs(e.operand);
		if (ts.isBinaryExpression(e))
			return [...this.definedArgs(e.left), ...this.definedArgs(e.right)];
		return ts.isCallExpression(e) ? [e.arguments.length === 1 ? e.arguments[0] : undefined] : [];
	}

	private column(pos: number): number {
		return this.sf.getLineAndCharacterOfPosition(pos).character;
	}

	private ifdef(s: ts.IfStatement, directive: string, option: ts.Expression, text: string): void {
		const start = s.getStart(this.sf);
		const body = s.thenStatement;
		if (directive !== '#if' && (!option || !ts.isIdentifier(option) || !this.isKconfig(option)))
			return this.unsupported(s, 'ifdef() of anything but a CONFIG_ symbol or a prelude kconfig constant');
		if (directive === '#if') {
			const bad = this.definedArgs(option).find((a) => !a || !ts.isIdentifier(a) || !/^CONFIG_[A-Z0-9_]+$/.test(a.text));
			if (bad !== undefined)
				return this.unsupported(bad ?? s, 'defined() of anything but a CONFIG_ symbol');
			if (/\/\*|\/\/|[ \t]\n/.test(text)) {
				this.error(option, KTS.preprocessor, 'an #if condition with a comment or a blank before a line break (the condition is copied; each line break prints as " \\" and a new line)');
				return this.p.discard(s.end);
			}
			/* The preprocessor line goes on past a line break only after a backslash. */
			text = text.replace(/\n/g, ' \\\n');
		}
		const other = s.elseStatement;
		if (other && !ts.isBlock(other))
			return this.unsupported(other, "'else' of an ifdef() block without a block ('} else {' prints #else; #elif is not in the subset)");
		if (!ts.isBlock(body))
			return this.unsupported(s, 'ifdef() without a block');
		if (this.column(start) !== 0 || this.column(body.end - 1) !== 0 || (other && this.column(other.end - 1) !== 0)) {
			this.error(s, KTS.preprocessor, `'if (${directive === '#if' ? text : `ifdef(${text})`}) {', its '} else {' and its '}' must be at column 0, as the preprocessor lines they print`);
			return this.p.discard(s.end);
		}
		this.p.tok(`${directive} ${text}`, start, body.getStart(this.sf) + 1);
		this.statements(body.statements);
		if (other) {
			/* "} else {" alone on its line: #else */
			const line = this.sf.text.slice(body.end - 1, other.getStart(this.sf) + 1);
			if (!/^\}[ \t]*else[ \t]*\{$/.test(line)) {
				this.error(other, KTS.preprocessor, "an ifdef() block's '} else {' must stand on one line, as the #else it prints");
				return this.p.discard(s.end);
			}
			this.p.tok('#else', body.end - 1, other.getStart(this.sf) + 1);
			this.statements((other as ts.Block).statements);
			this.p.tok('#endif', other.end - 1, other.end);
			return;
		}
		this.p.tok('#endif', body.end - 1, body.end);
	}

	private ifStatement(s: ts.IfStatement): void {
		const pp = this.ifdefOption(s.expression);
		if (pp)
			return this.ifdef(s, pp.directive, pp.option, pp.text);
		const guard = this.entryGuards.get(s);
		if (guard !== undefined) {
			/* "if (at !== 'L') {" prints nothing, its "}" the label: C enters the block here. */
			const block = s.thenStatement as ts.Block;
			this.p.drop(s.getStart(this.sf), block.getStart(this.sf) + 1, `'if (… !== '${guard}') {' of an entry into an if block`);
			this.statements(block.statements);
			this.p.tok(`${guard}:`, block.end - 1, block.end);
			return;
		}
		this.keyword('if', s.getStart(this.sf));
		const entry = this.entryIfs.get(s);
		if (entry !== undefined) {
			/* "at === 'L' || cond": the entry's test prints nothing, the condition as it is. */
			const cond = s.expression as ts.BinaryExpression;
			const open = this.p.find(ts.SyntaxKind.OpenParenToken, s.getStart(this.sf) + 2);
			this.p.tok('(', open.pos, open.end);
			this.p.skip(cond.right.getStart(this.sf), `'… === '${entry}' ||' of an entry into an if block`);
			this.expr(cond.right);
			const close = this.p.find(ts.SyntaxKind.CloseParenToken, cond.end);
			this.p.tok(')', close.pos, close.end);
		} else {
			this.parenthesized(s.expression, s.getStart(this.sf) + 2);
		}
		this.statement(s.thenStatement);
		if (s.elseStatement) {
			const e = this.p.find(ts.SyntaxKind.ElseKeyword, s.thenStatement.end);
			this.p.tok('else', e.pos, e.end);
			this.statement(s.elseStatement);
		}
	}

	/*
	 * fileScope: a file-scope variable may be written "let x!: T;" when
	 * only carried C assigns it (ksm.c's caches and counters): TypeScript
	 * sees no assignment, C's static is zero-initialised; the "!" prints
	 * nothing.  On a local it would hide a real use before assignment.
	 */
	private declarationList(list: ts.VariableDeclarationList, storage: string, fileScope = false): void {
		/*
		 * const: the variable itself is const, C's top-level qualifier:
		 * "const unsigned long x", and for a pointer "struct X *const p"
		 * (a pointer to const is ptr<const_<X>>, declared with either).
		 */
		const isConst = !!(list.flags & ts.NodeFlags.Const);
		if (!(list.flags & ts.NodeFlags.Let) && !isConst)
			return this.unsupported(list, "'var' declaration (declare C locals with 'let', or 'const')");
		if (isConst && list.flags & ts.NodeFlags.Using)
			return this.unsupported(list, "'using' declaration");
		const only = list.declarations[0];
		if (list.declarations.length === 1 && only.initializer && ts.isCallExpression(only.initializer) &&
		    this.isDefinitionMacro(only.initializer.expression))
			return this.definitionMacro(only, only.initializer, storage, isConst);
		let base: string | undefined;
		let firstIsPointer = false;
		list.declarations.forEach((d, i) => {
			if (!ts.isIdentifier(d.name))
				return this.unsupported(d, 'destructuring declaration');
			/*
			 * "x!" on a local is C's uninitialised local where TypeScript cannot see
			 * that every read follows a store (TypeScript refuses it with an initialiser).
			 */
			const t = this.ctype(d.type, d, true);
			if (!t)
				return;
			/* The checker's run zeroes a file-scope "x!" (0 or NULL, transform.ts); a struct needs its object. */
			if (fileScope && d.exclamationToken && !t.stars && /^(const )?struct /.test(t.base))
				this.error(d, KTS.decl, `a struct static without an initialiser is uninit(${d.type!.getText(this.sf)}), an object the code can store into, not '${d.name.text}!'`);
			if (isConst && !t.stars && t.base.startsWith('const '))
				this.error(d.type!, KTS.decl, `'const ${d.name.text}: const_<…>' is const twice: write one of them`);
			if (i === 0) {
				base = t.base;
				firstIsPointer = !!t.stars;
				this.p.syn(storage + (isConst && !t.stars ? 'const ' : '') + declarator(t, '') + (isConst && t.stars ? 'const ' : ''));
			} else {
				if (t.base !== base)
					this.error(d, KTS.decl, `'${d.name.text}' is a ${t.base}, not a ${base}: one C declaration has one base type`);
				if (isConst && !!t.stars !== firstIsPointer)
					this.error(d, KTS.decl, `'${d.name.text}' and '${(list.declarations[0].name as ts.Identifier).text}' in one 'const' declaration: C's "const T a, *b" makes b a pointer to const, not a const pointer; declare them apart`);
				const comma = this.p.find(ts.SyntaxKind.CommaToken, list.declarations[i - 1].end);
				this.p.tok(',', comma.pos, comma.end);
				this.p.gap(d.getStart(this.sf));
				this.p.syn(t.stars + (isConst && t.stars ? 'const ' : ''));
			}
			this.p.syn(this.local(d.name));
			if (t.after && !fileScope)
				this.error(d.type!, KTS.decl, `${t.after.trim()} is a section attribute of a file-scope variable, not of a local`);
			else if (t.after)
				this.p.syn(t.after);
			this.p.skip(d.type!.end);
			if (d.initializer && ts.isCallExpression(d.initializer) && this.preludeName(d.initializer.expression) === 'uninit') {
				this.uninit(d, d.initializer, t, isConst);
			} else if (d.initializer) {
				const eq = this.p.find(ts.SyntaxKind.EqualsToken, d.type!.end);
				this.p.tok('=', eq.pos, eq.end);
				const init = d.initializer;
				if (ts.isCallExpression(init) && this.preludeName(init.expression) === 'struct_init')
					this.structInit(init, t);
				else if (ts.isCallExpression(init) && this.preludeName(init.expression) === 'zero_init')
					this.zeroInit(init, t);
				else
					this.expr(init);
			}
		});
	}

	/*
	 * A struct local without an initialiser:
	 *   let range: mmu_notifier_range = uninit(mmu_notifier_range);
	 * -> struct mmu_notifier_range range;
	 * (TypeScript needs a value before the code stores into its fields, C
	 * gives the variable storage and nothing else).  Only of the declared
	 * struct type itself, and not const (C's const struct without a value
	 * could never be set).
	 */
	private uninit(d: ts.VariableDeclaration, call: ts.CallExpression, t: CType, isConst: boolean): void {
		const [type] = call.arguments;
		if (call.arguments.length !== 1 || !ts.isIdentifier(type))
			return this.unsupported(call, 'uninit() of anything but a struct type');
		const cls = this.checker.getTypeAtLocation(type).getSymbol()?.declarations?.find(ts.isClassDeclaration);
		if (t.stars || !cls || t.base !== (cTag(cls) ?? `struct ${type.text}`))
			return this.unsupported(call, `uninit(${type.text}) declaring a ${t.base} ${t.stars}`.trimEnd());
		if (isConst)
			return this.unsupported(call, 'a const struct local without an initialiser (uninit())');
		this.p.skip(call.end, 'the uninit() initialiser');
	}

	/** A prelude function tagged @define: a kernel macro that defines the variable it names (DEFINE_FOLIO_VMA_WALK …). */
	private isDefinitionMacro(callee: ts.Expression): boolean {
		return this.tagged(callee, 'define');
	}

	/** What a name refers to, through imports. */
	/*
	 * What #ifdef may test: a CONFIG_ option, or a macro the prelude declares
	 * as a kconfig constant because the C tests whether it is defined
	 * (ksm_compatible()'s #ifdef VM_SAO, an architecture's VMA flag).
	 */
	private isKconfig(option: ts.Identifier): boolean {
		if (/^CONFIG_[A-Z0-9_]+$/.test(option.text))
			return true;
		const decl = this.declarationOf(option)?.decl;
		return !!decl && ts.isVariableDeclaration(decl) && /[\\/]kernel[\\/]/.test(decl.getSourceFile().fileName) &&
			decl.type?.getText() === 'kconfig';
	}

	private declarationOf(name: ts.Identifier): { sym: ts.Symbol; decl?: ts.Declaration } | undefined {
		let sym = this.checker.getSymbolAtLocation(name);
		if (sym && sym.flags & ts.SymbolFlags.Alias)
			sym = this.checker.getAliasedSymbol(sym);
		return sym && { sym, decl: sym.declarations?.[0] };
	}

	/*
	 * let pvmw: page_vma_mapped_walk = DEFINE_FOLIO_VMA_WALK(folio, vma, address, 0);
	 * -> DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, address, 0);
	 * (and at file scope "static DEFINE_MUTEX(m);"): the macro declares the
	 * variable; the model's declaration gives it the macro's type.
	 */
	private definitionMacro(d: ts.VariableDeclaration, call: ts.CallExpression, storage: string, isConst: boolean): void {
		if (isConst || !ts.isIdentifier(d.name) || d.exclamationToken || !d.type)
			return this.unsupported(d, 'a definition macro (@define) initialising anything but one "let NAME: T"');
		const macro = (call.expression as ts.Identifier).text;
		this.p.skip(d.type.end);
		const eq = this.p.find(ts.SyntaxKind.EqualsToken, d.type.end);
		this.p.skip(eq.end);
		this.p.skip(call.expression.getStart(this.sf), 'the definition macro');
		this.macroCall(`${storage}${macro}(${d.name.text}`, call);
	}

	/*
	 * "NAME(lead" + the call's own arguments + ")": a macro whose first
	 * arguments are names the model writes elsewhere (an iterator's
	 * cursors, the variable a definition macro defines).
	 */
	private macroCall(lead: string, call: ts.CallExpression): void {
		this.p.syn(lead);
		this.p.skip(call.expression.end);
		const open = this.p.find(ts.SyntaxKind.OpenParenToken, call.expression.end);
		this.p.skip(open.end);
		/* The first argument on a line of its own: "(pos, n," and the line break the model has after its "(". */
		if (call.arguments.length)
			this.p.syn(this.sf.text.slice(open.end, call.arguments[0].getStart(this.sf)).includes('\n') ? ',' : ', ');
		this.arguments(call);
		const close = this.p.find(ts.SyntaxKind.CloseParenToken, call.arguments.length ? call.arguments[call.arguments.length - 1].end : open.end);
		this.p.tok(')', close.pos, close.end);
	}

	/*
	 * A struct local with designated initialisers:
	 *   let rwc: rmap_walk_control = struct_init(rmap_walk_control, {
	 *   	rmap_one: try_to_migrate_one,
	 *   });
	 * -> struct rmap_walk_control rwc = { .rmap_one = try_to_migrate_one, };
	 * (the fields it does not name are zero in C, the class's defaults in
	 * the model).  A function's name is a function pointer in C.
	 */
	private structInit(call: ts.CallExpression, t: CType): void {
		const [type, obj] = call.arguments;
		if (call.arguments.length !== 2 || !ts.isIdentifier(type) || !obj || !ts.isObjectLiteralExpression(obj))
			return this.unsupported(call, 'struct_init() of anything but a struct type and an object literal of its fields');
		const cls = this.checker.getTypeAtLocation(type).getSymbol()?.declarations?.find(ts.isClassDeclaration);
		if (t.stars || !cls || t.base !== (cTag(cls) ?? `struct ${type.text}`))
			return this.unsupported(call, `struct_init(${type.text}, …) initialising a ${t.base} ${t.stars}`.trimEnd());
		this.p.gap(call.getStart(this.sf));
		this.p.skip(obj.getStart(this.sf), 'struct_init(T, ');
		const open = obj.getStart(this.sf);
		this.p.tok('{', open, open + 1);
		obj.properties.forEach((prop, i) => {
			if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name))
				return this.unsupported(prop, 'a struct_init() field that is not "name: value"');
			this.modelOnly(prop.name, prop.name.text);
			const nameStart = prop.name.getStart(this.sf);
			this.p.tok(`.${prop.name.text}`, nameStart, prop.name.end);
			/* "f: v" is ".f = v"; "f\t\t: v" keeps the C's alignment, ".f\t\t= v". */
			const colon = this.p.find(ts.SyntaxKind.ColonToken, prop.name.end);
			this.p.tok(colon.pos === prop.name.end ? ' =' : '=', colon.pos, colon.end);
			if (ts.isObjectLiteralExpression(prop.initializer) || ts.isCallExpression(prop.initializer) &&
			    this.preludeName(prop.initializer.expression) === 'struct_init')
				return this.unsupported(prop.initializer, 'a nested struct initialiser');
			this.expr(prop.initializer);
			if (i < obj.properties.length - 1 || obj.properties.hasTrailingComma) {
				const comma = this.p.find(ts.SyntaxKind.CommaToken, prop.end);
				this.p.tok(',', comma.pos, comma.end);
			}
		});
		this.p.tok('}', obj.end - 1, obj.end);
		this.p.skip(call.end, "')' of struct_init()");
	}

	/* zero_init(T) -> { 0 }: every member zero, of the struct t is (t without its const) */
	private zeroInit(call: ts.CallExpression, t: CType): void {
		const [type] = call.arguments;
		const cls = type && ts.isIdentifier(type) ? this.checker.getTypeAtLocation(type).getSymbol()?.declarations?.find(ts.isClassDeclaration) : undefined;
		if (call.arguments.length !== 1 || t.stars || !cls || t.base.replace(/^const /, '') !== (cTag(cls) ?? `struct ${(type as ts.Identifier).text}`))
			return this.unsupported(call, `zero_init() of anything but the ${t.base} ${t.stars}`.trimEnd() + ' it initialises');
		this.p.tok('{ 0 }', call.getStart(this.sf), call.end);
	}

	/*
	 * cast<const_<T>>(zero_init(T)) -> (const struct T){ 0 }: C's compound
	 * literal, a cast's syntax before a brace list; the only cast to a
	 * struct type C has.  struct_init(T, { … }) as its operand is
	 * (struct T){ .f = v, }.
	 */
	private compoundLiteral(c: ts.CallExpression, t: CType): void {
		const arg = c.arguments[0];
		const init = arg && ts.isCallExpression(arg) ? this.preludeName(arg.expression) : undefined;
		if (c.arguments.length !== 1 || (init !== 'zero_init' && init !== 'struct_init'))
			return this.unsupported(c, `a cast to ${t.base} of anything but zero_init() or struct_init() (a compound literal)`);
		const start = c.getStart(this.sf);
		this.p.tok(`(${t.base})`, start, this.typeArgumentsEnd(c));
		this.p.skip(arg.getStart(this.sf), 'the cast\'s (');
		if (init === 'zero_init')
			this.zeroInit(arg as ts.CallExpression, t);
		else
			this.structInit(arg as ts.CallExpression, { base: t.base.replace(/^const /, ''), stars: '' });
		this.p.skip(c.end, "the cast's )");
	}

	/*
	 * Labels.  C's goto has three shapes in the model:
	 *   L: { ... break L; ... }  rest   ->  ... goto L; ...  L: rest
	 *   L: for (;;) { ... continue L; ... }  ->  L: ... goto L; ...
	 *   gotos that cross: a goto dispatch (dispatch() below)
	 * The loop form must not fall out of its end (C would go on past it):
	 * it ends in a return, or in `break L;`, which prints as nothing: C
	 * goes on past the label's code, as TypeScript past the loop.
	 */
	private labeled(s: ts.LabeledStatement): void {
		const name = s.label.text;
		const body = s.statement;
		/* TypeScript scopes labels to their statement; C's are function-wide. */
		if (this.labels.has(name))
			this.error(s.label, KTS.goto, `label '${name}' is defined twice in this function (C labels are function-wide)`);
		if (ts.isBlock(body)) {
			this.labels.set(name, 'forward');
			this.p.drop(s.getStart(this.sf), body.getStart(this.sf) + 1, `'${name}: {'`);
			/* The block's braces go: its locals would leak into the enclosing C scope. */
			for (const st of body.statements)
				if (ts.isVariableStatement(st))
					this.error(st, KTS.goto, `declaration in the labelled block '${name}' (its braces are dropped in C): declare it above`);
			const siblings = ts.isBlock(s.parent) || ts.isCaseClause(s.parent) ? s.parent.statements : undefined;
			if (!siblings || siblings.indexOf(s) === siblings.length - 1)
				this.error(s.label, KTS.goto, `'${name}: { }' must be followed by a statement: '${name}:' would end the C block`);
			this.statements(body.statements);
			this.p.tok(`${name}:`, body.end - 1, body.end);
			return;
		}
		if (ts.isForStatement(body) && body.incrementor)
			return this.dispatch(s);
		if (ts.isForStatement(body) && !body.initializer && !body.condition && !body.incrementor && ts.isBlock(body.statement)) {
			const stmts = body.statement.statements;
			const lastSt = stmts[stmts.length - 1];
			const fallOff = lastSt && ts.isBreakStatement(lastSt) && lastSt.label?.text === name;
			if (!lastSt || (!ts.isReturnStatement(lastSt) && !fallOff))
				this.error(body, KTS.goto, `'${name}: for (;;)' (a backward goto target) must end in a return, or in 'break ${name};' to go on past it`);
			this.labels.set(name, 'backward');
			this.p.tok(name, s.label.getStart(this.sf), s.label.end);
			const colon = this.p.find(ts.SyntaxKind.ColonToken, s.label.end);
			this.p.tok(':', colon.pos, colon.end);
			/* "for (;;) {" and its "}" are dropped by the printer's layout. */
			this.p.drop(body.getStart(this.sf), body.statement.getStart(this.sf) + 1, "'for (;;) {' of a goto loop");
			this.p.drop(body.statement.end - 1, body.statement.end, "'}' of a goto loop");
			if (fallOff) {
				/* The closing `break L;` has no C: the code after the label's goes on. */
				this.p.drop(lastSt.getStart(this.sf), lastSt.end, `'break ${name};' ending a goto loop`);
				this.loopBody(body, 'goto-loop', () => this.statements(stmts.slice(0, -1)));
			} else {
				this.loopBody(body, 'goto-loop', () => this.statements(stmts));
			}
			return;
		}
		this.unsupported(s, `label on a ${ts.SyntaxKind[body.kind]} (labels go on a block or on 'for (;;)')`);
	}

	/*
	 * Gotos that cross (a label with gotos from above and below, a goto
	 * loop through a forward goto's block) as a goto dispatch: a loop a
	 * label, whose "continue L" sets the label variable and goes round
	 * into the switch, which enters the code at L's case.
	 *   a: for (let at = 'a';; at = 'a')
	 *   b: for (;; at = 'b')
	 *   switch (at) {               a:
	 *   case 'a':                   	x++;
	 *   	x++;                   ->    	if (x)
	 *   	if (x)                     		goto b;
	 *   		continue b;          	return x;
	 *   	return x;                b:
	 *   case 'b':                   	goto a;
	 *   	continue a;
	 *   }
	 * The loops, the switch and its "}" print as nothing, a case as its
	 * label.  A case that goes on into the next ends in "continue NEXT;"
	 * (TypeScript's noFallthroughCasesInSwitch), which prints as nothing:
	 * C goes on into the next label's code.  The last case must not fall
	 * off the switch (the loop would go round): it ends in a jump, or in
	 * "break a;" (the outermost label), which goes on past the dispatch
	 * and prints as nothing.  The label variable has no C: only the loops
	 * and the switch name it.
	 */
	private dispatch(s: ts.LabeledStatement): void {
		const fail = (node: ts.Node, what: string): void => {
			this.error(node, KTS.goto, what);
			this.p.discard(s.end);
		};
		const loops: { label: ts.Identifier; f: ts.ForStatement }[] = [];
		let inner: ts.Statement = s;
		for (; ts.isLabeledStatement(inner) && ts.isForStatement(inner.statement); inner = inner.statement.statement)
			loops.push({ label: inner.label, f: inner.statement });
		const names = loops.map((l) => l.label.text);
		const init = loops[0].f.initializer;
		const decl = init && ts.isVariableDeclarationList(init) && init.flags & ts.NodeFlags.Let && init.declarations.length === 1 ? init.declarations[0] : undefined;
		const v = decl && ts.isIdentifier(decl.name) && !decl.type && decl.initializer && ts.isStringLiteral(decl.initializer) ? decl.name : undefined;
		if (!v)
			return fail(loops[0].f, `a goto dispatch's first loop declares the label variable: '${names[0]}: for (let at = '${names[0]}';; at = '${names[0]}')'`);
		for (const [i, { label, f }] of loops.entries()) {
			const inc = f.incrementor;
			if ((i > 0 && f.initializer) || f.condition || !inc || !ts.isBinaryExpression(inc) || inc.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
			    !ts.isIdentifier(inc.left) || inc.left.text !== v.text || !ts.isStringLiteral(inc.right) || inc.right.text !== label.text)
				return fail(f, `a goto dispatch's loop is '${label.text}: for (;; ${v.text} = '${label.text}')'`);
			if (i > 0 && this.labels.has(label.text))
				return fail(label, `label '${label.text}' is defined twice in this function (C labels are function-wide)`);
		}
		if (!ts.isSwitchStatement(inner) || !ts.isIdentifier(inner.expression) || inner.expression.text !== v.text)
			return fail(inner, `a goto dispatch's loops hold 'switch (${v.text}) {' and nothing else`);
		const allClauses = inner.caseBlock.clauses;
		/* "case '':" first and empty: the dispatch starts at an entry into an if block, whose test it must run. */
		const entryCase = allClauses[0] && ts.isCaseClause(allClauses[0]) && ts.isStringLiteral(allClauses[0].expression) &&
			allClauses[0].expression.text === '' ? allClauses[0] : undefined;
		if (entryCase && entryCase.statements.length)
			return fail(entryCase, "a goto dispatch's 'case '':' (where it starts) holds no statement: it goes on into the first label's case");
		const clauses = entryCase ? allClauses.slice(1) : allClauses;
		const cases: string[] = [];
		/* Entries into if blocks: a case whose if holds the label (C's goto into a block). */
		const entries = new Map<number, { test: ts.IfStatement; guard: ts.IfStatement }>();
		for (const [i, c] of clauses.entries()) {
			if (!ts.isCaseClause(c) || !ts.isStringLiteral(c.expression) || !names.includes(c.expression.text) || cases.includes(c.expression.text))
				return fail(c, `a goto dispatch's cases are its loops' labels, each once ('case '${names[0]}':')`);
			cases.push(c.expression.text);
			const first = c.statements.find(ts.isVariableStatement);
			if (first)
				return fail(first, `declaration in the goto dispatch's case '${cases[cases.length - 1]}' (a C label takes no declaration): declare it above`);
			const entry = this.ifEntry(c.statements[0], v.text, c.expression.text);
			if (typeof entry === 'string')
				return fail(c.statements[0], entry);
			if (entry)
				entries.set(i, entry);
		}
		const missing = names.find((n) => !cases.includes(n));
		if (missing)
			return fail(inner, `the goto dispatch has no case '${missing}'`);
		const start = (decl!.initializer as ts.StringLiteral).text;
		if (entryCase ? start !== '' || !entries.has(0) : cases[0] !== start || entries.has(0))
			return fail(decl!.initializer!, entryCase ? `a goto dispatch with 'case '':' starts there ('let ${v.text} = ''') and goes on into an entry into an if block` :
				`a goto dispatch starts at its first case, '${cases[0]}'${entries.has(0) ? ` (an entry into an if block: start at 'case '':' above it, with '${v.text} = ''', so its test runs)` : ''}`);
		/*
		 * A case goes on into the next with "continue NEXT;" (printed as
		 * nothing), an empty one by falling into it, and one before an
		 * entry into an if block by falling off its end: there
		 * "continue" would set the label variable and skip the if's test.
		 */
		for (let i = 0; i + 1 < clauses.length; i++) {
			const st = clauses[i].statements, end = st[st.length - 1];
			const next = cases[i + 1];
			if (entries.has(i + 1) && end && ts.isContinueStatement(end) && end.label?.text === next)
				return fail(end, `'continue ${next};' into an entry into an if block would skip the if's test: let the case fall off its end (C goes on into the if)`);
			if (end && !entries.has(i + 1) && !jumps(end) && !(ts.isContinueStatement(end) && end.label?.text === next))
				return fail(clauses[i], `the goto dispatch's case '${cases[i]}' must end in a jump, or in 'continue ${next};' to go on into the next`);
		}
		for (const [i, { test, guard }] of entries) {
			this.entryIfs.set(test, cases[i]);
			this.entryGuards.set(guard, cases[i]);
		}
		const lastCase = clauses[clauses.length - 1].statements;
		const lastSt = lastCase[lastCase.length - 1];
		const fallOff = !!lastSt && ts.isBreakStatement(lastSt) && lastSt.label?.text === names[0];
		if (!lastSt || (!fallOff && !jumps(lastSt)))
			return fail(clauses[clauses.length - 1], `the goto dispatch's last case must end in a return or a goto, or in 'break ${names[0]};' to go on past it`);
		const sym = this.checker.getSymbolAtLocation(v);
		const uses: ts.Node[] = [];
		const own = new Set<ts.Node>([...entries.values()].flatMap(({ test, guard }) =>
			[(test.expression as ts.BinaryExpression).left, guard.expression]));
		const visit = (n: ts.Node): void => {
			if (own.has(n))
				return;
			if (ts.isIdentifier(n) && this.checker.getSymbolAtLocation(n) === sym)
				uses.push(n);
			ts.forEachChild(n, visit);
		};
		clauses.forEach(visit);
		if (uses.length)
			return fail(uses[0], `'${v.text}' is the goto dispatch's label variable, which has no C: only its loops and its switch name it`);
		for (const n of names)
			this.labels.set(n, 'backward');
		this.p.drop(s.getStart(this.sf), inner.caseBlock.getStart(this.sf) + 1, "a goto dispatch's loops and 'switch (…) {'");
		this.p.drop(inner.caseBlock.end - 1, inner.caseBlock.end, "'}' of a goto dispatch");
		if (entryCase) {
			const colon = this.p.find(ts.SyntaxKind.ColonToken, entryCase.expression.end);
			this.p.drop(entryCase.getStart(this.sf), colon.end, "'case '':' where a goto dispatch starts");
		}
		this.loopBody(inner, 'goto-loop', () => clauses.forEach((c, i) => {
			const colon = this.p.find(ts.SyntaxKind.ColonToken, (c as ts.CaseClause).expression.end);
			if (entries.has(i))
				this.p.drop(c.getStart(this.sf), colon.end, `'case '${cases[i]}':' of an entry into an if block (the label prints inside it)`);
			else
				this.p.tok(`${cases[i]}:`, c.getStart(this.sf), colon.end);
			const end = c.statements[c.statements.length - 1];
			const silent = end && (i === clauses.length - 1 ? fallOff : ts.isContinueStatement(end) && end.label?.text === cases[i + 1]);
			if (silent)
				this.p.drop(end.getStart(this.sf), end.end, `'${end.getText(this.sf)}' ending a case of a goto dispatch`);
			this.statements(silent ? c.statements.slice(0, -1) : c.statements);
		}));
	}

	/*
	 * An entry into an if block (C's goto into the block of an if), the
	 * first statement of label's case in a goto dispatch:
	 *   if (at === 'L' || cond) {      ->   if (cond) {
	 *   if (at !== 'L') {                   	...
	 *   	...                              L:
	 *   }                                   	...
	 *   	...                              }
	 *   }
	 * Run from the case's top (the case before fell off its end) the
	 * label variable is not 'L': cond is tested and the block runs from
	 * its top.  Entered by "continue L" it is: the test and the code above
	 * the label are skipped, as C's goto skips them.  undefined: no such
	 * if; a string: an if that names the label but is not of this shape.
	 */
	private ifEntry(st: ts.Statement | undefined, at: string, label: string): { test: ts.IfStatement; guard: ts.IfStatement } | string | undefined {
		const is = (e: ts.Expression, op: ts.SyntaxKind): boolean => ts.isBinaryExpression(e) && e.operatorToken.kind === op &&
			ts.isIdentifier(e.left) && e.left.text === at && ts.isStringLiteral(e.right) && e.right.text === label;
		if (!st || !ts.isIfStatement(st))
			return undefined;
		const cond = st.expression;
		const named = (n: ts.Node): boolean => (ts.isIdentifier(n) && n.text === at) || !!ts.forEachChild(n, (c) => named(c) || undefined);
		if (!named(cond))
			return undefined;
		const shape = `write an entry into an if block 'if (${at} === '${label}' || COND) {' and 'if (${at} !== '${label}') {' … '}' first inside it`;
		if (!ts.isBinaryExpression(cond) || cond.operatorToken.kind !== ts.SyntaxKind.BarBarToken || !is(cond.left, ts.SyntaxKind.EqualsEqualsEqualsToken) || named(cond.right))
			return shape;
		const then = st.thenStatement;
		const guard = ts.isBlock(then) ? then.statements[0] : undefined;
		if (!guard || !ts.isIfStatement(guard) || guard.elseStatement || !ts.isBlock(guard.thenStatement) || !is(guard.expression, ts.SyntaxKind.ExclamationEqualsEqualsToken))
			return shape;
		return { test: st, guard };
	}

	private jump(s: ts.BreakStatement | ts.ContinueStatement, kw: 'break' | 'continue'): void {
		const start = s.getStart(this.sf);
		if (!s.label) {
			/* break leaves the innermost loop or switch; continue the innermost loop. */
			const inner = kw === 'break' ? this.breakables[this.breakables.length - 1] :
				this.breakables.filter((b) => b !== 'switch').pop();
			if (inner === 'goto-loop')
				return this.unsupported(s, `unlabelled '${kw}' in a labelled 'for (;;)' (in C it is no loop, only a goto target): use 'continue LABEL' or 'break' out of a labelled block`);
			this.keyword(kw, start);
			return this.semicolon(s);
		}
		const kind = this.labels.get(s.label.text);
		const wanted: LabelKind = kw === 'break' ? 'forward' : 'backward';
		if (kind !== wanted)
			return this.unsupported(s, `'${kw} ${s.label.text}' (labelled ${kw} is goto: ${kw === 'break' ? 'break out of a labelled block' : "continue a labelled 'for (;;)'"})`);
		this.p.tok('goto', start, start + kw.length);
		this.p.tok(s.label.text, s.label.getStart(this.sf), s.label.end);
		this.semicolon(s);
	}

	private forStatement(f: ts.ForStatement): void {
		this.keyword('for', f.getStart(this.sf));
		const open = this.p.find(ts.SyntaxKind.OpenParenToken, f.getStart(this.sf) + 3);
		this.p.tok('(', open.pos, open.end);
		if (f.initializer) {
			if (ts.isVariableDeclarationList(f.initializer))
				return this.unsupported(f.initializer, 'declaration in a for header (declare at block top, as the kernel does)');
			this.expr(f.initializer);
		}
		const s1 = this.p.find(ts.SyntaxKind.SemicolonToken, f.initializer ? f.initializer.end : open.end);
		this.p.tok(';', s1.pos, s1.end);
		if (f.condition)
			this.expr(f.condition);
		const s2 = this.p.find(ts.SyntaxKind.SemicolonToken, f.condition ? f.condition.end : s1.end);
		this.p.tok(';', s2.pos, s2.end);
		if (f.incrementor)
			this.expr(f.incrementor);
		const close = this.p.find(ts.SyntaxKind.CloseParenToken, f.incrementor ? f.incrementor.end : s2.end);
		this.p.tok(')', close.pos, close.end);
		this.loopBody(f.statement);
	}

	/*
	 * for (pos of list_for_each_entry(head, 'member'))      ->  list_for_each_entry(pos, head, member)
	 * for ([pos, n] of list_for_each_entry_safe(head, 'm'))  ->  list_for_each_entry_safe(pos, n, head, m)
	 * The iterator is a prelude macro; its cursors are declared beforehand.
	 */
	private forEach(f: ts.ForOfStatement): void {
		const call = f.expression;
		if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression))
			return this.unsupported(f, 'for-of over anything but a prelude iterator macro');
		if (ts.isVariableDeclarationList(f.initializer))
			return this.unsupported(f.initializer, 'declaration in a for-of header (the cursor is a local declared at block top)');
		let cursors: ts.Expression[];
		if (ts.isArrayLiteralExpression(f.initializer))
			cursors = [...f.initializer.elements];
		else
			cursors = [f.initializer];
		if (!cursors.every(ts.isIdentifier))
			return this.unsupported(f.initializer, 'for-of cursor that is not a local variable');
		if (this.tagged(call.expression, 'cursorlast')) {
			/* for (vma of for_each_vma(vmi))  ->  for_each_vma(vmi, vma): the cursor is the macro's last argument */
			if (cursors.length !== 1 || call.arguments.length !== 1 || !ts.isIdentifier(call.arguments[0]))
				return this.unsupported(f, `${call.expression.text}() of anything but one iterator variable and one cursor`);
			this.p.gap(f.getStart(this.sf));
			this.p.syn(`${call.expression.text}(`);
			this.p.skip(call.arguments[0].getStart(this.sf));
			this.expr(call.arguments[0]);
			this.p.syn(`, ${(cursors[0] as ts.Identifier).text}`);
			const close = this.p.find(ts.SyntaxKind.CloseParenToken, call.arguments[0].end);
			this.p.tok(')', close.pos, close.end);
			this.p.skip(this.p.find(ts.SyntaxKind.CloseParenToken, call.end).end);
			return this.loopBody(f.statement);
		}
		this.checkMembers(call, cursors[0]);
		this.p.gap(f.getStart(this.sf));
		this.macroCall(`${call.expression.text}(${cursors.map((c) => (c as ts.Identifier).text).join(', ')}`, call);
		this.p.skip(this.p.find(ts.SyntaxKind.CloseParenToken, call.end).end);
		this.loopBody(f.statement);
	}

	/* ---- expressions ---- */

	private expr(e: ts.Expression): void {
		const start = e.getStart(this.sf);
		switch (e.kind) {
		case ts.SyntaxKind.Identifier:
			return this.p.tok(this.local(e as ts.Identifier), start, e.end);
		case ts.SyntaxKind.NumericLiteral: {
			const text = e.getText(this.sf);
			if (!C_INTEGER.test(text))
				return this.unsupported(e, `number literal '${text}' (C integers: decimal or 0x hex, no separators, octal, binary or fractions)`);
			return this.p.tok(text, start, e.end);
		}
		case ts.SyntaxKind.TrueKeyword:
			return this.p.tok('true', start, e.end);
		case ts.SyntaxKind.FalseKeyword:
			return this.p.tok('false', start, e.end);
		case ts.SyntaxKind.StringLiteral:
			return this.p.tok(JSON.stringify((e as ts.StringLiteral).text), start, e.end);
		case ts.SyntaxKind.ParenthesizedExpression: {
			const pe = e as ts.ParenthesizedExpression;
			this.p.tok('(', start, start + 1);
			this.expr(pe.expression);
			return this.p.tok(')', e.end - 1, e.end);
		}
		case ts.SyntaxKind.PropertyAccessExpression:
			return this.member(e as ts.PropertyAccessExpression);
		case ts.SyntaxKind.ElementAccessExpression: {
			const ea = e as ts.ElementAccessExpression;
			if (ea.questionDotToken)
				return this.unsupported(e, 'optional chaining');
			this.postfixBase(ea.expression);
			const open = this.p.find(ts.SyntaxKind.OpenBracketToken, ea.expression.end);
			this.p.tok('[', open.pos, open.end);
			this.expr(ea.argumentExpression);
			return this.p.tok(']', e.end - 1, e.end);
		}
		case ts.SyntaxKind.CallExpression:
			return this.call(e as ts.CallExpression);
		case ts.SyntaxKind.PrefixUnaryExpression: {
			const u = e as ts.PrefixUnaryExpression;
			this.p.tok(ts.tokenToString(u.operator)!, start, start + ts.tokenToString(u.operator)!.length);
			return this.expr(u.operand);
		}
		case ts.SyntaxKind.PostfixUnaryExpression: {
			const u = e as ts.PostfixUnaryExpression;
			this.postfixBase(u.operand);
			return this.p.tok(ts.tokenToString(u.operator)!, e.end - 2, e.end);
		}
		case ts.SyntaxKind.BinaryExpression:
			return this.binary(e as ts.BinaryExpression);
		case ts.SyntaxKind.ConditionalExpression: {
			const c = e as ts.ConditionalExpression;
			this.expr(c.condition);
			this.p.tok('?', c.questionToken.getStart(this.sf), c.questionToken.end);
			this.expr(c.whenTrue);
			this.p.tok(':', c.colonToken.getStart(this.sf), c.colonToken.end);
			return this.expr(c.whenFalse);
		}
		case ts.SyntaxKind.NullKeyword:
			return this.unsupported(e, "'null' (write NULL)");
		case ts.SyntaxKind.VoidExpression:
			return this.unsupported(e, "'void' operator");
		case ts.SyntaxKind.BigIntLiteral:
			return this.unsupported(e, 'BigInt literal');
		case ts.SyntaxKind.AsExpression:
			return this.unsupported(e, "'as' type assertion (write cast<T>(x))");
		case ts.SyntaxKind.NonNullExpression:
			return this.unsupported(e, "non-null assertion '!'");
		case ts.SyntaxKind.ArrowFunction:
			return this.unsupported(e, 'arrow function');
		case ts.SyntaxKind.FunctionExpression:
			return this.unsupported(e, 'function expression');
		case ts.SyntaxKind.ObjectLiteralExpression:
			return this.unsupported(e, 'object literal');
		case ts.SyntaxKind.ArrayLiteralExpression:
			return this.unsupported(e, 'array literal');
		case ts.SyntaxKind.TemplateExpression:
		case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
			return this.unsupported(e, 'template literal');
		case ts.SyntaxKind.NewExpression:
			return this.unsupported(e, "'new' (allocate with kmem_cache_alloc)");
		case ts.SyntaxKind.TypeOfExpression:
			return this.unsupported(e, "'typeof'");
		case ts.SyntaxKind.DeleteExpression:
			return this.unsupported(e, "'delete'");
		case ts.SyntaxKind.AwaitExpression:
			return this.unsupported(e, "'await'");
		case ts.SyntaxKind.SpreadElement:
			return this.unsupported(e, 'spread');
		default:
			return this.unsupported(e);
		}
	}

	private member(m: ts.PropertyAccessExpression): void {
		if (m.questionDotToken)
			return this.unsupported(m, 'optional chaining');
		/* E.X of an enum: C's enumerators are plain identifiers. */
		const target = this.checker.getSymbolAtLocation(m.name);
		if (target && target.flags & ts.SymbolFlags.EnumMember) {
			this.p.gap(m.getStart(this.sf));
			this.p.skip(m.name.getStart(this.sf));
			return this.p.tok(m.name.text, m.name.getStart(this.sf), m.name.end);
		}
		if (this.isDeref(m)) {
			/* p.deref -> *p (a reference cell: ptr<T> of a scalar or pointer T) */
			this.p.gap(m.getStart(this.sf));
			this.p.syn('*');
			this.expr(m.expression);
			return this.p.skip(m.end, "'.deref'");
		}
		const ptr = isPointer(this.checker, m.expression);
		if (ptr === undefined)
			this.error(m.expression, KTS.type, `member '${m.name.text}' of a void pointer: declare the local with its struct type`);
		this.modelOnly(m.name, m.name.text);
		this.postfixBase(m.expression);
		const dot = this.p.find(ts.SyntaxKind.DotToken, m.expression.end);
		this.p.tok(ptr ? '->' : '.', dot.pos, dot.end);
		this.p.tok(m.name.text, m.name.getStart(this.sf), m.name.end);
	}

	/**
	 * A field that exists only for the model's bookkeeping (@model in the
	 * prelude: lock owners, the tree's node list, page contents) has no C.
	 */
	private modelOnly(at: ts.Node, name: string, sym = this.checker.getSymbolAtLocation(at)): void {
		const decl = sym?.declarations?.[0];
		if (decl && ts.getJSDocTags(decl).some((t) => t.tagName.text === 'model'))
			this.error(at, KTS.type, `'${name}' is a model-only field (@model in the prelude): it has no C counterpart`);
	}

	/*
	 * The operand of "->", ".", "[]" or a call.  The forms the compiler
	 * makes itself, "(T)x" and "&x", bind less tightly there than in the
	 * TypeScript: cast<ptr<X>>(p).f is ((struct X *)p)->f, not (struct X *)p->f.
	 */
	private postfixBase(e: ts.Expression): void {
		const made = ts.isCallExpression(e) && ['cast', 'to_uchar', 'addr', 'addr_of', 'ref'].includes(this.preludeName(e.expression) ?? '') ||
			ts.isPropertyAccessExpression(e) && this.isDeref(e);
		if (made) {
			this.p.gap(e.getStart(this.sf));
			this.p.syn('(');
		}
		this.expr(e);
		if (made)
			this.p.syn(')');
	}

	/** p.deref: C's *p of a reference cell (lvalue<T> in the prelude's ctypes.ts). */
	private isDeref(m: ts.PropertyAccessExpression): boolean {
		if (m.name.text !== 'deref')
			return false;
		const decl = this.checker.getSymbolAtLocation(m.name)?.declarations?.[0];
		return !!decl && /[\\/]kernel[\\/]ctypes\.ts$/.test(decl.getSourceFile().fileName);
	}

	private static readonly OPERATORS: Partial<Record<ts.SyntaxKind, string>> = {
		[ts.SyntaxKind.EqualsEqualsEqualsToken]: '==',
		[ts.SyntaxKind.ExclamationEqualsEqualsToken]: '!=',
	};

	private static readonly REJECTED: Partial<Record<ts.SyntaxKind, string>> = {
		[ts.SyntaxKind.QuestionQuestionToken]: "'??'",
		[ts.SyntaxKind.QuestionQuestionEqualsToken]: "'??='",
		[ts.SyntaxKind.InKeyword]: "'in'",
		[ts.SyntaxKind.InstanceOfKeyword]: "'instanceof'",
		[ts.SyntaxKind.AsteriskAsteriskToken]: "'**'",
		[ts.SyntaxKind.AsteriskAsteriskEqualsToken]: "'**='",
		[ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: "'>>>='",
		[ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken]: "'>>>'",
		[ts.SyntaxKind.CommaToken]: 'comma operator',
		[ts.SyntaxKind.AmpersandAmpersandEqualsToken]: "'&&='",
		[ts.SyntaxKind.BarBarEqualsToken]: "'||='",
	};

	private binary(b: ts.BinaryExpression): void {
		const k = b.operatorToken.kind;
		const rejected = Emitter.REJECTED[k];
		const loopHead = ts.isWhileStatement(b.parent) && b.parent.expression === b || ts.isDoStatement(b.parent) && b.parent.expression === b ||
			ts.isForStatement(b.parent) && (b.parent.condition === b || b.parent.incrementor === b);
		if (rejected && !(k === ts.SyntaxKind.CommaToken && loopHead))
			return this.unsupported(b, rejected);
		if (k === ts.SyntaxKind.EqualsToken && (ts.isArrayLiteralExpression(b.left) || ts.isObjectLiteralExpression(b.left)))
			return this.unsupported(b, 'destructuring assignment');
		/*
		 * Arithmetic on a ptr<void> local is GNU C's byte arithmetic on a
		 * void *, printed as written; the checker's transform turns the
		 * object the model holds there into its address first (transform.ts).
		 */
		this.expr(b.left);
		const op = Emitter.OPERATORS[k] ?? ts.tokenToString(k)!;
		this.p.tok(op, b.operatorToken.getStart(this.sf), b.operatorToken.end);
		this.expr(b.right);
	}

	/** The prelude function a call names, if it is one with a C form of its own. */
	private preludeName(callee: ts.Expression): string | undefined {
		const d = ts.isIdentifier(callee) ? this.declarationOf(callee) : undefined;
		if (!d?.decl || !/[\\/]kernel[\\/]ctypes\.ts$/.test(d.decl.getSourceFile().fileName))
			return undefined;
		return d.sym.name;
	}

	private call(c: ts.CallExpression): void {
		if (c.questionDotToken)
			return this.unsupported(c, 'optional call');
		const start = c.getStart(this.sf);
		const special = this.preludeName(c.expression);
		const arg0 = c.arguments[0];
		if (special === 'addr') {
			/* addr(x) -> &x: only of an embedded struct */
			if (isPointer(this.checker, arg0))
				this.error(arg0, KTS.type, 'addr() of a pointer: it is already one');
			this.p.tok('&', start, c.expression.end);
			this.p.skip(this.p.find(ts.SyntaxKind.OpenParenToken, c.expression.end).end);
			this.expr(arg0);
			this.p.skip(c.end);
			return;
		}
		if (special === 'addr_of') {
			/* addr_of(obj, 'field') -> &obj->field */
			const field = c.arguments[1];
			if (!field || !ts.isStringLiteral(field))
				return this.unsupported(c, "addr_of() without a literal field name");
			this.modelOnly(field, field.text, this.checker.getTypeAtLocation(arg0).getProperty(field.text));
			this.p.tok('&', start, c.expression.end);
			this.p.skip(this.p.find(ts.SyntaxKind.OpenParenToken, c.expression.end).end);
			this.expr(arg0);
			this.p.syn(isPointer(this.checker, arg0) ? '->' : '.');
			this.p.syn(field.text);
			this.p.skip(c.end);
			return;
		}
		if (special === 'ref') {
			/* ref(x, (v) => x = v) -> &x: the address of a local, as a call argument */
			const store = c.arguments[1];
			if (!ts.isCallExpression(c.parent) || !c.parent.arguments.includes(c))
				return this.unsupported(c, 'ref() anywhere but as a call argument (an out-parameter)');
			if (!arg0 || !ts.isIdentifier(arg0))
				return this.unsupported(c, 'ref() of anything but a local variable');
			const decl = this.checker.getSymbolAtLocation(arg0)?.valueDeclaration;
			if (!decl || !(ts.isVariableDeclaration(decl) || ts.isParameter(decl)) || decl.getSourceFile() !== this.sf ||
			    ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const)
				return this.unsupported(arg0, `ref(${arg0.text}, …) of anything but a variable of the model (not const)`);
			if (!this.isOwnStore(arg0, store) || c.arguments.length !== 2)
				return this.unsupported(c, `ref(${arg0.text}, …) whose second argument is not '(v) => ${arg0.text} = v'`);
			this.p.tok('&', start, c.expression.end);
			this.p.skip(this.p.find(ts.SyntaxKind.OpenParenToken, c.expression.end).end);
			this.expr(arg0);
			this.p.skip(c.end, "ref()'s store");
			return;
		}
		if (special === 'defined' && this.definedOutsideIf(c))
			return this.unsupported(c, 'defined() outside an #if condition (if (defined(CONFIG_X) && …) { at column 0)');
		if (special === 'int_of') {
			/* int_of(a === b) -> (a == b): C's comparison is already the int */
			if (c.arguments.length !== 1 || !ts.isBinaryExpression(arg0) || ![ts.SyntaxKind.EqualsEqualsEqualsToken,
			    ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken,
			    ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken].includes(arg0.operatorToken.kind))
				return this.unsupported(c, 'int_of() of anything but one comparison');
			const open = this.p.find(ts.SyntaxKind.OpenParenToken, c.expression.end);
			this.p.tok('(', start, open.end);
			this.expr(arg0);
			this.p.tok(')', c.end - 1, c.end);
			return;
		}
		if (special === 'cast' || special === 'to_uchar') {
			/* cast<T>(x) -> (T)x, to_uchar(x) -> (unsigned char)x, keeping parentheses only where C needs them */
			const t = special === 'cast' ? this.ctype(c.typeArguments?.[0], c) : undefined;
			if (t && !t.stars && t.base === 'unsigned char')
				return this.unsupported(c, 'cast<uchar>() (a narrowing cast the model cannot run: its T is gone at run time): write to_uchar(x)');
			if (t && !t.stars && /^(const )?struct /.test(t.base))
				return this.compoundLiteral(c, t);
			const ct = special === 'to_uchar' ? 'unsigned char' : t ? `${t.base}${t.stars ? ' ' + t.stars : ''}` : '?';
			this.p.tok(`(${ct})`, start, special === 'cast' ? this.typeArgumentsEnd(c) : c.expression.end);
			const open = this.p.find(ts.SyntaxKind.OpenParenToken, this.p.last);
			const needParens = !(ts.isIdentifier(arg0) || ts.isCallExpression(arg0) || ts.isPropertyAccessExpression(arg0) ||
				ts.isElementAccessExpression(arg0) || ts.isNumericLiteral(arg0) || ts.isParenthesizedExpression(arg0));
			if (needParens)
				this.p.tok('(', open.pos, open.end);
			else {
				/* "cast<T> (x)" keeps its blank: "(T) x" */
				this.p.gap(open.pos);
				this.p.skip(open.end);
			}
			this.expr(arg0);
			if (needParens)
				this.p.tok(')', c.end - 1, c.end);
			else
				this.p.skip(c.end);
			return;
		}
		if (this.isDefinitionMacro(c.expression))
			return this.unsupported(c, `${c.expression.getText(this.sf)}() anywhere but as the initialiser of the one variable it defines`);
		if (special === 'uninit')
			return this.unsupported(c, "uninit() anywhere but as a struct local's initialiser (it stands for no initialiser at all)");
		if (special === 'struct_init')
			return this.unsupported(c, "struct_init() anywhere but as a declaration's initialiser (C has no struct assignment from a brace list)");
		if (special === 'zero_init')
			return this.unsupported(c, "zero_init() anywhere but as a declaration's initialiser or a compound literal's (C has no struct assignment from a brace list)");
		if (special === 'sizeof') {
			/* sizeof(anon_vma) -> sizeof(struct anon_vma) */
			if (!arg0 || !ts.isIdentifier(arg0))
				return this.unsupported(c, 'sizeof() of anything but a struct type');
			const sym = this.checker.getTypeAtLocation(arg0).getSymbol();
			const decl = sym?.declarations?.find(ts.isClassDeclaration);
			this.p.tok('sizeof', start, c.expression.end);
			const open = this.p.find(ts.SyntaxKind.OpenParenToken, c.expression.end);
			this.p.tok('(', open.pos, open.end);
			this.p.tok(decl ? cTag(decl) ?? `struct ${arg0.text}` : arg0.text, arg0.getStart(this.sf), arg0.end);
			this.p.tok(')', c.end - 1, c.end);
			return;
		}
		if (this.tagged(c.expression, 'entry')) {
			/* mm_slot_entry(p, ksm_mm_slot, 'slot') -> mm_slot_entry(p, struct ksm_mm_slot, slot) (@entry: container_of()) */
			const [p, type, member] = c.arguments;
			const decl = type && ts.isIdentifier(type) ? this.checker.getTypeAtLocation(type).getSymbol()?.declarations?.find(ts.isClassDeclaration) : undefined;
			if (c.arguments.length !== 3 || !decl || !ts.isStringLiteral(member))
				return this.unsupported(c, `${c.expression.getText(this.sf)}() of anything but (pointer, a struct type, 'member')`);
			this.p.tok(c.expression.getText(this.sf), start, c.expression.end);
			const open = this.p.find(ts.SyntaxKind.OpenParenToken, c.expression.end);
			this.p.tok('(', open.pos, open.end);
			this.expr(p);
			const comma1 = this.p.find(ts.SyntaxKind.CommaToken, p.end);
			this.p.tok(',', comma1.pos, comma1.end);
			this.p.tok(cTag(decl) ?? `struct ${(type as ts.Identifier).text}`, type.getStart(this.sf), type.end);
			const comma2 = this.p.find(ts.SyntaxKind.CommaToken, type.end);
			this.p.tok(',', comma2.pos, comma2.end);
			this.p.tok(member.text, member.getStart(this.sf), member.end);
			this.p.tok(')', c.end - 1, c.end);
			return;
		}
		if (this.tagged(c.expression, 'ptradd'))
			return this.ptrAdd(c);
		if (this.tagged(c.expression, 'subscript'))
			return this.subscript(c);
		if (this.tagged(c.expression, 'structassign'))
			return this.structAssign(c);
		if (this.tagged(c.expression, 'postinc'))
			return this.postInc(c);
		if (this.tagged(c.expression, 'addassign'))
			return this.addAssign(c);
		if (this.tagged(c.expression, 'place')) {
			/* WRITE_ONCE(addr_of(o, 'f'), v) -> WRITE_ONCE(o->f, v): a macro whose first argument is the place itself */
			if (!arg0 || !ts.isCallExpression(arg0) || this.preludeName(arg0.expression) !== 'addr_of' ||
			    !arg0.arguments[1] || !ts.isStringLiteral(arg0.arguments[1]))
				return this.unsupported(arg0 ?? c, `${c.expression.getText(this.sf)}() of anything but a place addr_of(obj, 'field') (the macro takes the lvalue, not its address)`);
			const [obj, field] = [arg0.arguments[0], arg0.arguments[1] as ts.StringLiteral];
			this.modelOnly(field, field.text, this.checker.getTypeAtLocation(obj).getProperty(field.text));
			this.p.tok(c.expression.getText(this.sf), start, c.expression.end);
			const open = this.p.find(ts.SyntaxKind.OpenParenToken, c.expression.end);
			this.p.tok('(', open.pos, open.end);
			this.p.gap(arg0.getStart(this.sf));
			this.p.skip(this.p.find(ts.SyntaxKind.OpenParenToken, arg0.expression.end).end, 'addr_of(');
			this.expr(obj);
			this.p.syn(isPointer(this.checker, obj) ? '->' : '.');
			this.p.syn(field.text);
			this.p.skip(arg0.end, "addr_of()'s field");
			c.arguments.slice(1).forEach((a, i) => {
				const comma = this.p.find(ts.SyntaxKind.CommaToken, c.arguments[i].end);
				this.p.tok(',', comma.pos, comma.end);
				this.expr(a);
			});
			this.p.tok(')', c.end - 1, c.end);
			return;
		}
		if (this.isStaticUsedBeforeDefinition(c.expression))
			this.error(c.expression, KTS.decl, `static function '${c.expression.getText(this.sf)}' is called before its definition: C needs a prototype above the call`);
		this.postfixBase(c.expression);
		this.p.skip(this.typeArgumentsEnd(c));
		const open = this.p.find(ts.SyntaxKind.OpenParenToken, Math.max(this.p.last, c.expression.end));
		this.p.tok('(', open.pos, open.end);
		this.arguments(c);
		this.p.tok(')', c.end - 1, c.end);
	}

	/** ref(x, (v) => x = v)'s second argument: a store into x and nothing else. */
	private isOwnStore(x: ts.Identifier, store: ts.Expression | undefined): boolean {
		return !!store && ts.isArrowFunction(store) && store.parameters.length === 1 && !store.parameters[0].type &&
			ts.isIdentifier(store.parameters[0].name) && ts.isBinaryExpression(store.body) &&
			store.body.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(store.body.left) &&
			store.body.left.text === x.text && ts.isIdentifier(store.body.right) &&
			store.body.right.text === store.parameters[0].name.text;
	}

	/** Is the callee a prelude function with this JSDoc tag (@place: WRITE_ONCE, whose first argument is an lvalue)? */
	private tagged(callee: ts.Expression, tag: string): boolean {
		const decl = ts.isIdentifier(callee) ? this.declarationOf(callee)?.decl : undefined;
		return !!decl && /[\\/]kernel[\\/]/.test(decl.getSourceFile().fileName) &&
			ts.getJSDocTags(decl).some((t) => t.tagName.text === tag);
	}

	/*
	 * ptr_add(p, n) -> p + n (@ptradd): both operands must print without
	 * operators of their own, so that C groups them as the model does.
	 */
	private ptrAdd(c: ts.CallExpression): void {
		const [p, n] = c.arguments;
		const simple = (e: ts.Expression | undefined): boolean => !!e && (ts.isIdentifier(e) || ts.isNumericLiteral(e) ||
			ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isParenthesizedExpression(e));
		if (c.arguments.length !== 2 || !simple(p) || !simple(n))
			return this.unsupported(c, `${c.expression.getText(this.sf)}(p, n) of an operand with operators of its own: parenthesise it`);
		const parent = c.parent;
		/* Beside a comparison or a logical operator, C's p + n groups as ptr_add(p, n) does: they bind looser than '+'. */
		const looser = [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken,
			ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
			ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken,
			ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken];
		const free = ts.isVariableDeclaration(parent) || ts.isReturnStatement(parent) || ts.isParenthesizedExpression(parent) ||
			ts.isCallExpression(parent) && parent.arguments.includes(c) ||
			ts.isBinaryExpression(parent) && parent.right === c && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
			ts.isBinaryExpression(parent) && looser.includes(parent.operatorToken.kind);
		if (!free)
			return this.unsupported(c, `${c.expression.getText(this.sf)}() anywhere but as an initialiser, a call argument, a return value, the right of '=', beside a comparison or logical operator, or in parentheses`);
		this.p.gap(c.getStart(this.sf));
		this.p.skip(this.p.find(ts.SyntaxKind.OpenParenToken, c.expression.end).end, `${c.expression.getText(this.sf)}(`);
		this.expr(p);
		/* The comma is the '+'; the layout after it is kept (a line break: ksm_check_stable_tree()'s "root_stable_tree +⏎nid"). */
		const comma = this.p.find(ts.SyntaxKind.CommaToken, p.end);
		this.p.tok(' +', comma.pos, comma.end);
		this.expr(n);
		this.p.skip(c.end, `')' of ${c.expression.getText(this.sf)}()`);
	}

	/*
	 * elem(p, i) -> p[i] (@subscript): p a pointer or an array of structs
	 * that prints as one postfix operand (a name, a member, a call), so
	 * that C's [] binds to it as the call does.
	 */
	private subscript(c: ts.CallExpression): void {
		const name = c.expression.getText(this.sf);
		const [p, i] = c.arguments;
		if (c.arguments.length !== 2 || !p || !i || !(ts.isIdentifier(p) || ts.isPropertyAccessExpression(p) || ts.isCallExpression(p)))
			return this.unsupported(c, `${name}(p, i) of anything but a name, a member or a call and an index`);
		const t = this.checker.getTypeAtLocation(p);
		if (!isPointer(this.checker, p) && !this.checker.isArrayType(t))
			return this.unsupported(p, `${name}() of something that is neither a pointer nor an array`);
		this.p.gap(c.getStart(this.sf));
		this.p.skip(p.getStart(this.sf), `${name}(`);
		this.expr(p);
		const comma = this.p.find(ts.SyntaxKind.CommaToken, p.end);
		this.p.tok('[', comma.pos, comma.end);
		this.p.skip(i.getStart(this.sf), `${name}()'s comma`);
		this.expr(i);
		const close = this.p.find(ts.SyntaxKind.CloseParenToken, i.end);
		this.p.tok(']', close.pos, close.end);
	}

	/*
	 * struct_assign(dst, src) -> dst = src (@structassign): C's struct
	 * assignment, a statement of its own; dst and src of one struct type.
	 */
	private structAssign(c: ts.CallExpression): void {
		const name = c.expression.getText(this.sf);
		const [dst, src] = c.arguments;
		if (c.arguments.length !== 2 || !dst || !src || !ts.isExpressionStatement(c.parent))
			return this.unsupported(c, `${name}(dst, src) anywhere but as a statement of its own`);
		const td = this.checker.getTypeAtLocation(dst), tsrc = this.checker.getTypeAtLocation(src);
		/* src: const_<T> of dst's T, which TypeScript checks; C too assigns from a const struct */
		if (isPointer(this.checker, dst) || !td.getSymbol()?.declarations?.some(ts.isClassDeclaration) || isPointer(this.checker, src))
			return this.unsupported(c, `${name}() of anything but two structs of one type (a pointer is stored with '=')`);
		this.p.gap(c.getStart(this.sf));
		this.p.skip(dst.getStart(this.sf), `${name}(`);
		this.expr(dst);
		const comma = this.p.find(ts.SyntaxKind.CommaToken, dst.end);
		this.p.tok(' =', comma.pos, comma.end);
		this.expr(src);
		this.p.skip(c.end, `')' of ${name}()`);
	}

	/*
	 * The place ref(x, (v) => x = v) or addr_of(o, 'f') names as c's first
	 * argument (C's lvalue x or o->f); null when it is neither.
	 */
	private lvalueArg(c: ts.CallExpression): { x: ts.Expression; field?: ts.StringLiteral } | null {
		const a = c.arguments[0];
		const special = a && ts.isCallExpression(a) ? this.preludeName(a.expression) : undefined;
		const x = a && ts.isCallExpression(a) ? a.arguments[0] : undefined;
		if (!x || !(special === 'ref' && ts.isIdentifier(x) && this.isOwnStore(x, (a as ts.CallExpression).arguments[1]) ||
		    special === 'addr_of' && ts.isStringLiteral((a as ts.CallExpression).arguments[1] ?? x)))
			return null;
		return { x, field: special === 'addr_of' ? (a as ts.CallExpression).arguments[1] as ts.StringLiteral : undefined };
	}

	/* Print c from its start up to its lvalue's end: x, o->f or o.f. */
	private printLvalue(c: ts.CallExpression, name: string, lv: { x: ts.Expression; field?: ts.StringLiteral }): void {
		this.p.gap(c.getStart(this.sf));
		this.p.skip(lv.x.getStart(this.sf), `${name}(`);
		this.expr(lv.x);
		if (lv.field) {
			this.modelOnly(lv.field, lv.field.text, this.checker.getTypeAtLocation(lv.x).getProperty(lv.field.text));
			this.p.syn(isPointer(this.checker, lv.x) ? '->' : '.');
			this.p.syn(lv.field.text);
		}
	}

	/* ptr_inc(ref(x, (v) => x = v)) -> x++ (@postinc), ptr_inc(addr_of(o, 'f')) -> o->f++ */
	private postInc(c: ts.CallExpression): void {
		const name = c.expression.getText(this.sf);
		const lv = c.arguments.length === 1 ? this.lvalueArg(c) : null;
		if (!lv)
			return this.unsupported(c, `${name}() of anything but ref(x, (v) => x = v) or addr_of(obj, 'field')`);
		this.printLvalue(c, name, lv);
		this.p.skip(c.end, `the rest of ${name}()`);
		this.p.syn('++');
	}

	/*
	 * ptr_add_assign(addr_of(o, 'f'), n) -> o->f += n, ptr_add_assign(ref(x, (v) => x = v), n) -> x += n
	 * (@addassign): pointer arithmetic as a statement of its own, since C's value of
	 * `p += n` is the pointer and the model's call has none.
	 */
	private addAssign(c: ts.CallExpression): void {
		const n = c.arguments[1];
		const name = c.expression.getText(this.sf);
		const lv = c.arguments.length === 2 && n ? this.lvalueArg(c) : null;
		if (!lv)
			return this.unsupported(c, `${name}() of anything but ref(x, (v) => x = v) or addr_of(obj, 'field'), and a count`);
		if (!ts.isExpressionStatement(c.parent))
			return this.unsupported(c, `${name}() anywhere but as a statement of its own (C's p += n has a value, the model's call has none)`);
		this.printLvalue(c, name, lv);
		this.p.skip(n.getStart(this.sf), `${name}()'s comma`);
		this.p.syn(' += ');
		this.expr(n);
		this.p.skip(c.end, `')' of ${name}()`);
	}

	/** End of a call's "<...>" (its ">", wherever the source puts it), or of its callee. */
	private typeArgumentsEnd(c: ts.CallExpression): number {
		if (!c.typeArguments)
			return c.expression.end;
		return this.p.find(ts.SyntaxKind.GreaterThanToken, c.typeArguments.end).end;
	}

	/** A call of a file-local function defined further down, with no prototype() before the call. */
	private isStaticUsedBeforeDefinition(callee: ts.Expression): boolean {
		if (!ts.isIdentifier(callee))
			return false;
		const decls = this.checker.getSymbolAtLocation(callee)?.declarations ?? [];
		const def = decls.find((d): d is ts.FunctionDeclaration => ts.isFunctionDeclaration(d) && !!d.body);
		if (!def || def.getSourceFile() !== this.sf || this.isExported(def))
			return false;
		return def.pos > callee.pos && !this.prototyped.has(callee.text);
	}

	/** Is this argument of the call a struct member name (the prelude's `member` type)? */
	/* The name of the type the callee declares its i-th parameter with (member, cond), if a type reference. */
	private paramType(c: ts.CallExpression, i: number): string | undefined {
		const param = this.checker.getResolvedSignature(c)?.parameters[i]?.valueDeclaration;
		const ptype = param && ts.isParameter(param) && param.type;
		return ptype && ts.isTypeReferenceNode(ptype) ? ptype.typeName.getText() : undefined;
	}

	private isMemberArg(c: ts.CallExpression, i: number): boolean {
		return ts.isStringLiteral(c.arguments[i]) && this.paramType(c, i) === 'member';
	}

	/*
	 * wait_event_freezable(wq, () => ksmd_should_run() || kthread_should_stop())
	 * -> wait_event_freezable(wq, ksmd_should_run() || kthread_should_stop()):
	 * a macro's condition, which C re-evaluates, prints as its expression.
	 */
	private condition(a: ts.ArrowFunction): void {
		if (a.parameters.length || a.type || a.typeParameters || ts.isBlock(a.body) || a.modifiers?.length)
			return this.unsupported(a, 'a condition other than `() => expr`');
		this.p.gap(a.getStart(this.sf));
		this.p.skip(a.body.getStart(this.sf), 'a condition\'s () =>');
		this.expr(a.body as ts.Expression);
	}

	/** An iterator's member name must be a list_head (or rb_node ...) of the cursor's struct, as container_of() needs. */
	private checkMembers(call: ts.CallExpression, cursor: ts.Expression): void {
		const t = this.checker.getNonNullableType(this.checker.getTypeAtLocation(cursor));
		call.arguments.forEach((a, i) => {
			if (!this.isMemberArg(call, i))
				return;
			const name = (a as ts.StringLiteral).text;
			const prop = t.getProperty(name);
			if (!prop)
				return this.error(a, KTS.type, `'${this.checker.typeToString(t)}' has no member '${name}'`);
			const ptype = this.checker.typeToString(this.checker.getTypeOfSymbolAtLocation(prop, cursor));
			if (!/^(list_head|hlist_node|rb_node)$/.test(ptype))
				this.error(a, KTS.type, `member '${name}' is a ${ptype}, not the list_head the iterator walks`);
		});
	}

	/** Call arguments; a string passed as a `member` is a bare identifier in C. */
	private arguments(c: ts.CallExpression): void {
		c.arguments.forEach((a, i) => {
			if (i > 0) {
				const comma = this.p.find(ts.SyntaxKind.CommaToken, c.arguments[i - 1].end);
				this.p.tok(',', comma.pos, comma.end);
			}
			if (this.isMemberArg(c, i))
				return this.p.tok((a as ts.StringLiteral).text, a.getStart(this.sf), a.end);
			if (ts.isArrowFunction(a) && this.paramType(c, i) === 'cond')
				return this.condition(a);
			this.expr(a);
		});
	}
}

/** A statement that never goes on to the next: a return, a labelled break or continue, or an if/else or block ending in one. */
/* A case's last statement that leaves it: a jump, or an unlabelled break or continue. */
function endsCase(st: ts.Statement): boolean {
	if (jumps(st) || ts.isBreakStatement(st) || ts.isContinueStatement(st))
		return true;
	if (ts.isBlock(st))
		return st.statements.length > 0 && endsCase(st.statements[st.statements.length - 1]);
	return ts.isIfStatement(st) && !!st.elseStatement && endsCase(st.thenStatement) && endsCase(st.elseStatement);
}

function jumps(st: ts.Statement): boolean {
	if (ts.isReturnStatement(st) || ((ts.isContinueStatement(st) || ts.isBreakStatement(st)) && st.label))
		return true;
	if (ts.isBlock(st))
		return st.statements.length > 0 && jumps(st.statements[st.statements.length - 1]);
	return ts.isIfStatement(st) && !!st.elseStatement && jumps(st.thenStatement) && jumps(st.elseStatement);
}

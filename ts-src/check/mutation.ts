/*
 * Mutation operators for ktsc mutate: generic edits of the model's
 * TypeScript functions, each the shape of a bug the checker is there to
 * catch (a lock or a reference not taken, an unwind step missing, two
 * steps in the wrong order, an object published before it is set up).
 * None is tied to a line of the model: each finds its own sites in the
 * AST (typescript's parser) and says what it did by the statements' text,
 * which does not move when lines do.
 */
import * as ts from 'typescript';

export const OPERATORS = [
	'drop-lock', 'drop-rcu-read-lock', 'drop-get-put', 'drop-get', 'drop-put',
	'drop-error-cleanup', 'publish-before-init', 'swap-statements',
] as const;
export type operator_name = typeof OPERATORS[number];

/** Replace text[start, end) by text. */
export interface edit {
	start: number;
	end: number;
	text: string;
}

export interface mutant {
	operator: operator_name;
	/** The model function mutated. */
	function: string;
	/** 1-based line of the first edit in the unmutated file. */
	line: number;
	/** What the mutant does, by the statements' text: stable when lines shift. */
	description: string;
	edits: edit[];
	/**
	 * A swap that a static rule shows cannot change behaviour, or (proven
	 * false) one that changes no state and is equivalent when a complete
	 * search finds nothing (see swapEquivalence()).
	 */
	equivalence?: equivalence;
}

export interface equivalence {
	rule: string;
	reason: string;
	/** True: equivalent without running it.  False: run; equivalent only if a complete search finds nothing. */
	proven: boolean;
}

/* Lock and its unlock: dropping both leaves the function's balance intact and only the protection gone. */
const LOCK_PAIRS = new Map<string, string>([
	['anon_vma_lock_write', 'anon_vma_unlock_write'], ['anon_vma_lock_read', 'anon_vma_unlock_read'],
	['down_write', 'up_write'], ['down_read', 'up_read'],
	['down_write_nested', 'up_write'], ['down_read_nested', 'up_read'],
	['spin_lock', 'spin_unlock'], ['spin_lock_irq', 'spin_unlock_irq'], ['spin_lock_nested', 'spin_unlock'],
	['mutex_lock', 'mutex_unlock'], ['mutex_lock_nested', 'mutex_unlock'],
	['i_mmap_lock_write', 'i_mmap_unlock_write'], ['i_mmap_lock_read', 'i_mmap_unlock_read'],
]);
const RCU_PAIR: [string, string] = ['rcu_read_lock', 'rcu_read_unlock'];
/* A reference taken and its release. */
const GET_PUT = new Map<string, string>([
	['get_anon_vma', 'put_anon_vma'], ['atomic_inc', 'atomic_dec'], ['refcount_inc', 'refcount_dec'],
	['kref_get', 'kref_put'], ['folio_get', 'folio_put'],
]);
const PUTS = new Set(GET_PUT.values());
/* Stores that publish a pointer: the pointer is the last argument. */
const PUBLISH_CALLS = new Set(['smp_store_release', 'WRITE_ONCE', 'rcu_assign_pointer']);

interface call_stmt {
	stmt: ts.Statement;
	name: string;
	args: string[];
}

function callOf(s: ts.Statement, sf: ts.SourceFile): call_stmt | null {
	if (!ts.isExpressionStatement(s) || !ts.isCallExpression(s.expression) || !ts.isIdentifier(s.expression.expression))
		return null;
	return { stmt: s, name: s.expression.expression.text, args: s.expression.arguments.map((a) => a.getText(sf)) };
}

/** Every statement list (block, case clause) in a function body, nested functions left out. */
function statementLists(body: ts.Block): ts.NodeArray<ts.Statement>[] {
	const out: ts.NodeArray<ts.Statement>[] = [];
	const walk = (n: ts.Node): void => {
		if (ts.isFunctionLike(n))
			return;
		if (ts.isBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n))
			out.push(n.statements);
		ts.forEachChild(n, walk);
	};
	out.push(body.statements);
	ts.forEachChild(body, walk);
	return out;
}

/** Every statement in a function body, nested functions left out. */
function statements(body: ts.Block): ts.Statement[] {
	const out: ts.Statement[] = [];
	const walk = (n: ts.Node): void => {
		if (ts.isFunctionLike(n))
			return;
		if (n !== body && ts.isStatement(n))
			out.push(n);
		ts.forEachChild(n, walk);
	};
	ts.forEachChild(body, walk);
	return out;
}

function short(n: ts.Node, sf: ts.SourceFile): string {
	const t = n.getText(sf).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ').trim().replace(/;$/, '');
	return t.length > 70 ? `${t.slice(0, 67)}...` : t;
}

function drop(s: ts.Statement, sf: ts.SourceFile): edit {
	/* An empty block keeps "if (x) stmt;" well-formed (TypeScript refuses "if (x) ;"). */
	return { start: s.getStart(sf), end: s.getEnd(), text: '{}' };
}

/* ---- the operators: each returns [description, edits] per site ---- */

type site = [string, edit[], equivalence?];

function dropPairs(body: ts.Block, sf: ts.SourceFile, pairs: Map<string, string>, aliases = true): site[] {
	const calls = statements(body).map((s) => callOf(s, sf)).filter((c): c is call_stmt => !!c);
	const out: site[] = [];
	for (const c of calls) {
		const release = pairs.get(c.name);
		if (!release)
			continue;
		const all = calls.filter((u) => u.name === release);
		/* The release of the same object; a function that locks one name and unlocks an alias drops all of them. */
		const same = all.filter((u) => u.args[0] === c.args[0]);
		const rel = same.length || !aliases ? same : all;
		out.push([`drop ${short(c.stmt, sf)}${rel.length ? ` and ${rel.map((u) => short(u.stmt, sf)).join('; ')}` : ''}`,
			[c.stmt, ...rel.map((u) => u.stmt)].map((s) => drop(s, sf))]);
	}
	return out;
}

function dropGetPut(body: ts.Block, sf: ts.SourceFile): site[] {
	/* Only where the function releases the same object it took: a lone get is drop-get's. */
	return dropPairs(body, sf, GET_PUT, false).filter(([, edits]) => edits.length > 1);
}

function dropSingle(body: ts.Block, sf: ts.SourceFile, names: Set<string>): site[] {
	return statements(body).map((s) => callOf(s, sf)).filter((c): c is call_stmt => !!c && names.has(c.name))
		.map((c) => [`drop ${short(c.stmt, sf)}`, [drop(c.stmt, sf)]]);
}

function isExit(s: ts.Statement): boolean {
	return ts.isReturnStatement(s) || ts.isBreakStatement(s) || ts.isContinueStatement(s) || ts.isThrowStatement(s);
}

/* if (!x), if (unlikely(!x)), if (x == NULL): the test of an allocation or a lookup that failed. */
function isFailureTest(e: ts.Expression): boolean {
	if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken)
		return true;
	if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'unlikely' && e.arguments.length === 1)
		return isFailureTest(e.arguments[0]);
	return ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken ||
		e.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken) && /^(NULL|null)$/.test(e.right.getText());
}

/* return -ENOMEM (any -E...), or break to a label: leaving by the error path. */
function isErrorExit(s: ts.Statement): boolean {
	if (ts.isBreakStatement(s))
		return !!s.label;
	return ts.isReturnStatement(s) && !!s.expression && ts.isPrefixUnaryExpression(s.expression) &&
		s.expression.operator === ts.SyntaxKind.MinusToken && /^E[A-Z]+$/.test(s.expression.operand.getText());
}

function dropErrorCleanup(body: ts.Block, sf: ts.SourceFile): site[] {
	const picked = new Set<ts.Statement>();
	for (const s of statements(body)) {
		/* if (!x) { cleanup...; return/break; } */
		if (ts.isIfStatement(s) && isFailureTest(s.expression) && ts.isBlock(s.thenStatement)) {
			const b = s.thenStatement.statements;
			if (b.length && isExit(b[b.length - 1]))
				b.slice(0, -1).forEach((x) => picked.add(x));
		}
	}
	for (const list of statementLists(body)) {
		list.forEach((s, i) => {
			/*
			 * label: { ... break label; ... } unwind...; return: the goto-out
			 * idiom as the model writes it.  Only straight-line unwinding that
			 * ends in the return: a loop after a label is the function's work.
			 */
			if (ts.isLabeledStatement(s)) {
				const rest = list.slice(i + 1);
				const end = rest.findIndex((x) => !ts.isExpressionStatement(x) && !ts.isIfStatement(x));
				/*
				 * Nested labels (goto out_free_x; ... goto out): the unwinding
				 * after the inner block runs to the end of the outer labeled
				 * block, and on to the outer one's.
				 */
				const parent = list[0]?.parent;
				const inLabel = end < 0 && !!parent && ts.isBlock(parent) && ts.isLabeledStatement(parent.parent);
				if ((end >= 0 && ts.isReturnStatement(rest[end])) || inLabel)
					rest.slice(0, end < 0 ? rest.length : end).forEach((x) => picked.add(x));
			}
			/* a call just before return -E... or a goto */
			if (i > 0 && isErrorExit(s) && callOf(list[i - 1], sf))
				picked.add(list[i - 1]);
		});
	}
	/* An assertion on the way out checks; it does not clean up. */
	return [...picked].filter((s) => !isExit(s) && !ts.isEmptyStatement(s) && !/^(VM_)?(WARN|BUG)|^lockdep_assert|^assert/.test(callOf(s, sf)?.name ?? ''))
		.sort((a, b) => a.pos - b.pos)
		.map((s) => [`drop ${short(s, sf)}`, [drop(s, sf)]]);
}

/** The pointer a statement stores into a field of another object, or null. */
function published(s: ts.Statement): string | null {
	if (!ts.isExpressionStatement(s))
		return null;
	const e = s.expression;
	if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
	    ts.isPropertyAccessExpression(e.left) && ts.isIdentifier(e.right) &&
	    e.left.expression.getText() !== e.right.text && !/^(NULL|null|undefined)$/.test(e.right.text))
		return e.right.text;
	if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && PUBLISH_CALLS.has(e.expression.text)) {
		const v = e.arguments[e.arguments.length - 1];
		return v && ts.isIdentifier(v) ? v.text : null;
	}
	return null;
}

function mentions(n: ts.Node, name: string): boolean {
	let hit = false;
	const walk = (x: ts.Node): void => {
		if (ts.isIdentifier(x) && x.text === name && !(ts.isPropertyAccessExpression(x.parent) && x.parent.name === x))
			hit = true;
		else if (!hit)
			ts.forEachChild(x, walk);
	};
	walk(n);
	return hit;
}

/* Assigns the name itself (p = ..., let p = ...): where the object comes from, not its set-up. */
function assigns(s: ts.Statement, name: string): boolean {
	if (ts.isVariableStatement(s))
		return s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name);
	return ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) &&
		s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
		ts.isIdentifier(s.expression.left) && s.expression.left.text === name;
}

function publishBeforeInit(body: ts.Block, sf: ts.SourceFile): site[] {
	const out: site[] = [];
	for (const list of statementLists(body)) {
		list.forEach((s, i) => {
			const p = published(s);
			if (!p)
				return;
			/* The expression statements right above that set the object up (use p, do not assign p). */
			let first = i;
			while (first > 0 && ts.isExpressionStatement(list[first - 1]) && mentions(list[first - 1], p) && !assigns(list[first - 1], p))
				first--;
			if (first === i)
				return;
			const at = list[first].getStart(sf);
			const indent = sf.text.slice(sf.text.lastIndexOf('\n', at) + 1, at);
			out.push([`move ${short(s, sf)} above ${short(list[first], sf)}`, [
				{ start: at, end: at, text: `${s.getText(sf)}\n${indent}` },
				{ start: s.getStart(sf), end: s.getEnd(), text: '' },
			]]);
		});
	}
	return out;
}

/* Names a statement writes (assignment targets' last name, declared variables) and all it mentions. */
function names(s: ts.Node): { writes: Set<string>; all: Set<string> } {
	const writes = new Set<string>(), all = new Set<string>();
	const last = (e: ts.Expression): string => (ts.isPropertyAccessExpression(e) ? e.name.text : e.getText());
	const walk = (x: ts.Node): void => {
		if (ts.isIdentifier(x))
			all.add(x.text);
		if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken)
			writes.add(last(x.left));
		if (ts.isVariableDeclaration(x) && ts.isIdentifier(x.name))
			writes.add(x.name.text);
		ts.forEachChild(x, walk);
	};
	walk(s);
	return { writes, all };
}

/* if (x) return; with no call in x: a guard that only reads. */
function isPlainGuard(s: ts.Statement): boolean {
	return ts.isIfStatement(s) && !s.elseStatement && ts.isReturnStatement(s.thenStatement) && !s.thenStatement.expression;
}

/*
 * No call, no yield, no read-modify-write: nothing between them where
 * another thread could run.  A plain store, or a guard that returns.
 */
function isPlainStore(s: ts.Statement): boolean {
	if (!ts.isExpressionStatement(s) && !ts.isVariableStatement(s) && !isPlainGuard(s))
		return false;
	let plain = true;
	const walk = (x: ts.Node): void => {
		if (ts.isCallExpression(x) || ts.isYieldExpression(x) || ts.isFunctionLike(x) ||
		    ((ts.isPrefixUnaryExpression(x) || ts.isPostfixUnaryExpression(x)) &&
		     (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken)) ||
		    (ts.isBinaryExpression(x) && x.operatorToken.kind !== ts.SyntaxKind.EqualsToken &&
		     x.operatorToken.kind >= ts.SyntaxKind.FirstCompoundAssignment && x.operatorToken.kind <= ts.SyntaxKind.LastCompoundAssignment))
			plain = false;
		else
			ts.forEachChild(x, walk);
	};
	walk(s);
	return plain;
}

/*
 * Two plain stores (or guards) that touch no name the other writes commute
 * for the checker: no thread can run between them and neither sees the
 * other.  Swapping them is equivalent by construction, so it is not
 * generated.
 * (Names, not access paths: a.f and b.f may alias, a.f and b.g cannot.)
 */
export function commute(a: ts.Statement, b: ts.Statement): boolean {
	/* A store and a guard do not: swapped, the store is made on the path that returns, or skipped on it. */
	if (!isPlainStore(a) || !isPlainStore(b) || isPlainGuard(a) !== isPlainGuard(b))
		return false;
	const na = names(a), nb = names(b);
	return ![...na.writes].some((w) => nb.all.has(w)) && ![...nb.writes].some((w) => na.all.has(w));
}

/* Does nothing when it runs: an empty statement, a directive ('inline'), a declaration without a value. */
/*
 * A goto dispatch's entry into an if block (the compiler's ifEntry():
 * "if (at === 'L' || test)", "if (at !== 'L') {"): the label variable
 * compared with a label is the dispatch's structure, C has no statement
 * there to move (a swap would move the label, not a kernel statement).
 */
function isDispatchEntry(s: ts.Statement): boolean {
	if (!ts.isIfStatement(s))
		return false;
	const labelTest = (n: ts.Node): boolean => (ts.isBinaryExpression(n) &&
		(n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || n.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken) &&
		ts.isIdentifier(n.left) && ts.isStringLiteral(n.right)) || !!ts.forEachChild(n, (c) => labelTest(c) || undefined);
	return labelTest(s.expression);
}

function isInert(s: ts.Statement): boolean {
	return ts.isEmptyStatement(s) || (ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)) ||
		(ts.isVariableStatement(s) && s.declarationList.declarations.every((d) => !d.initializer));
}

/*
 * Debug-only checks: VM_BUG_ON*, VM_WARN_ON*, lockdep_assert*, mmap_assert*,
 * might_sleep().  They write nothing (the kernel requires their arguments
 * to be free of side effects: without CONFIG_DEBUG_VM, LOCKDEP or
 * DEBUG_ATOMIC_SLEEP they are not even evaluated).  BUG_ON/WARN_ON are not
 * here: they are compiled in and often wrap a call that does something.
 */
const DEBUG_CHECK = /^(VM_BUG_ON|VM_WARN_ON|lockdep_assert|mmap_assert|might_sleep$)/;

/* Writes nothing by its syntax: no assignment, no ++/--, no compound assignment. */
function noSyntacticWrite(n: ts.Node): boolean {
	let ok = true;
	const walk = (x: ts.Node): void => {
		if ((ts.isPrefixUnaryExpression(x) || ts.isPostfixUnaryExpression(x)) &&
		    (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken))
			ok = false;
		else if (ts.isBinaryExpression(x) && x.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
			 x.operatorToken.kind <= ts.SyntaxKind.LastAssignment)
			ok = false;
		else
			ts.forEachChild(x, walk);
	};
	walk(n);
	return ok;
}

/** A debug check, or an if (cond) { checks } with a condition that writes nothing. */
export function isDebugCheck(s: ts.Statement, fns: function_index = new Map(), seen = new Set<string>()): boolean {
	if (ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && ts.isIdentifier(s.expression.expression)) {
		const name = s.expression.expression.text;
		if (!noSyntacticWrite(s.expression))
			return false;
		if (DEBUG_CHECK.test(name))
			return true;
		/* A model function made only of debug checks (check_anon_vma_clone()) is one. */
		const fn = fns.get(name);
		if (!fn || seen.has(name))
			return false;
		seen.add(name);
		return fn.body!.statements.length > 0 && fn.body!.statements.every((st) => isDebugCheck(st, fns, seen));
	}
	if (ts.isBlock(s))
		return s.statements.length > 0 && s.statements.every((st) => isDebugCheck(st, fns, seen));
	return ts.isIfStatement(s) && !s.elseStatement && noSyntacticWrite(s.expression) && isDebugCheck(s.thenStatement, fns, seen);
}

/*
 * Calls that are unordered memory accesses in the kernel memory model
 * (tools/memory-model): plain and *_ONCE loads and stores, atomics that
 * return nothing or only read, and the non-RCU list and interval-tree
 * updates (plain or WRITE_ONCE stores); and the model's address/cast
 * helpers.  No lock, barrier, RCU publication, allocation or free, and no
 * model function (it could do any of those).
 */
const UNORDERED_CALLS = new Set([
	'READ_ONCE', 'WRITE_ONCE', 'atomic_read', 'atomic_set', 'atomic_inc', 'atomic_dec',
	'list_add', 'list_add_tail', 'list_del', 'INIT_LIST_HEAD', 'hlist_add_head', 'hlist_del',
	'anon_vma_interval_tree_insert', 'anon_vma_interval_tree_remove',
	'addr', 'addr_of', 'cast', 'likely', 'unlikely',
]);
/* Of those, the ones that store through their pointer arguments. */
const STORE_CALLS = new Set(['WRITE_ONCE', 'atomic_set', 'atomic_inc', 'atomic_dec', 'list_add', 'list_add_tail',
	'list_del', 'INIT_LIST_HEAD', 'hlist_add_head', 'hlist_del', 'anon_vma_interval_tree_insert', 'anon_vma_interval_tree_remove']);

/*
 * What an lvalue or a pointer argument stores into: a field by its name
 * (a.b.c -> f:c, addr(a.f) -> f:f, addr_of(v, 'f') -> f:f), or a variable
 * (p -> v:p).  Fields of one name may alias; a field and a variable cannot.
 */
function target(e: ts.Expression): string {
	while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e))
		e = e.expression;
	if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.arguments.length) {
		if (e.expression.text === 'addr_of' && e.arguments.length === 2 && ts.isStringLiteral(e.arguments[1]))
			return `f:${e.arguments[1].text}`;
		return target(e.arguments[0]);
	}
	if (ts.isPropertyAccessExpression(e))
		return `f:${e.name.text}`;
	if (ts.isElementAccessExpression(e))
		return target(e.expression);
	return `v:${e.getText()}`;
}

/*
 * One or more unordered accesses and nothing else (an expression statement
 * or a declaration with a value): what it writes and every name it
 * mentions (fields included: a.f and b.f may alias).  null when it
 * calls anything else, yields, or holds control flow.
 */
function unorderedAccesses(s: ts.Statement): { writes: Set<string>; all: Set<string> } | null {
	if (!ts.isExpressionStatement(s) && !(ts.isVariableStatement(s) && s.declarationList.declarations.every((d) => d.initializer)))
		return null;
	const writes = new Set<string>(), all = new Set<string>();
	let ok = true;
	const walk = (x: ts.Node): void => {
		if (!ok)
			return;
		if (ts.isIdentifier(x))
			all.add(ts.isPropertyAccessExpression(x.parent) && x.parent.name === x ? `f:${x.text}` : `v:${x.text}`);
		if (ts.isStringLiteral(x) && ts.isCallExpression(x.parent) && ts.isIdentifier(x.parent.expression) &&
		    x.parent.expression.text === 'addr_of')
			all.add(`f:${x.text}`);
		if (ts.isYieldExpression(x) || ts.isFunctionLike(x) || ts.isConditionalExpression(x)) {
			ok = false;
			return;
		}
		if (ts.isCallExpression(x)) {
			if (!ts.isIdentifier(x.expression) || !UNORDERED_CALLS.has(x.expression.text)) {
				ok = false;
				return;
			}
			if (STORE_CALLS.has(x.expression.text))
				/* WRITE_ONCE(p, v): p; the list and tree updates and atomics: every pointer they are given. */
				(x.expression.text === 'WRITE_ONCE' ? [x.arguments[0]] : [...x.arguments].filter((a) => !ts.isNumericLiteral(a)))
					.forEach((a) => writes.add(target(a)));
		}
		if ((ts.isPrefixUnaryExpression(x) || ts.isPostfixUnaryExpression(x)) &&
		    (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken))
			writes.add(target(x.operand));
		if (ts.isBinaryExpression(x) && x.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
		    x.operatorToken.kind <= ts.SyntaxKind.LastAssignment)
			writes.add(target(x.left));
		if (ts.isVariableDeclaration(x) && ts.isIdentifier(x.name))
			writes.add(`v:${x.name.text}`);
		ts.forEachChild(x, walk);
	};
	walk(s);
	return ok ? { writes, all } : null;
}

/*
 * Calls that change the calling thread's atomic context (what might_sleep()
 * checks): spinlocks, RCU read-side sections, preemption and interrupts.
 * Sleeping locks (rwsem, mutex) do not.
 */
const CONTEXT_CALL = /^(raw_)?spin_(lock|unlock|trylock)|^rcu_read_(un)?lock|^preempt_(dis|en)able|^local_irq_|^(read|write)_(un)?lock/;

/** The model's functions by name, for following calls (mutants() builds it from the file when not given). */
export type function_index = Map<string, ts.FunctionDeclaration>;

export function functionIndex(files: { name: string; text: string }[]): function_index {
	const out: function_index = new Map();
	for (const f of files)
		for (const st of ts.createSourceFile(f.name, f.text, ts.ScriptTarget.ES2022, true).statements)
			if (ts.isFunctionDeclaration(st) && st.name && st.body)
				out.set(st.name.text, st);
	return out;
}

/* Each context call's release: a section opened and closed again. */
const CONTEXT_PAIRS = new Map<string, string>([
	['spin_lock', 'spin_unlock'], ['spin_lock_irq', 'spin_unlock_irq'], ['spin_lock_nested', 'spin_unlock'],
	['raw_spin_lock', 'raw_spin_unlock'], ['rcu_read_lock', 'rcu_read_unlock'], ['preempt_disable', 'preempt_enable'],
	['local_irq_disable', 'local_irq_enable'], ['read_lock', 'read_unlock'], ['write_lock', 'write_unlock'],
]);

/* name(args...) as a statement: its callee and the first argument's text. */
function callStatement(s: ts.Statement): { name: string; arg: string } | null {
	if (!ts.isExpressionStatement(s) || !ts.isCallExpression(s.expression) || !ts.isIdentifier(s.expression.expression))
		return null;
	return { name: s.expression.expression.text, arg: s.expression.arguments[0]?.getText() ?? '' };
}

/*
 * Leaves the thread's atomic context as it found it on every path that
 * goes on past it: every context call (CONTEXT_CALL) is an opening whose
 * closing (same lock) follows in the same statement list with no exit in
 * between, no call is indirect, and every model function it calls is the
 * same (followed through the index; a callee's returns end the callee).
 * The prelude's other functions (sleeping locks, allocation, atomics)
 * change no atomic context.  A path that leaves the statement
 * (return/break) leaves it with the context it found.
 */
function contextNeutral(n: ts.Node, fns: function_index, seen = new Set<string>()): boolean {
	const paired = new Set<ts.Node>();
	const pairUp = (list: readonly ts.Statement[]): void => list.forEach((st, i) => {
		const c = callStatement(st);
		const release = c && CONTEXT_PAIRS.get(c.name);
		if (!c || !release)
			return;
		for (let j = i + 1; j < list.length; j++) {
			const d = callStatement(list[j]);
			if (d && d.name === release && d.arg === c.arg) {
				if (!list.slice(i + 1, j).some(mayExit))
					paired.add(st).add(list[j]);
				return;
			}
		}
	});
	let ok = true;
	const walk = (x: ts.Node): void => {
		if (!ok || ts.isFunctionLike(x) || paired.has(x))
			return;
		if (ts.isBlock(x) || ts.isCaseClause(x) || ts.isDefaultClause(x))
			pairUp(x.statements);
		if (ts.isCallExpression(x)) {
			if (!ts.isIdentifier(x.expression) || CONTEXT_CALL.test(x.expression.text)) {
				ok = false;
				return;
			}
			const fn = fns.get(x.expression.text);
			if (fn && !seen.has(x.expression.text)) {
				seen.add(x.expression.text);
				if (!contextNeutral(fn.body!, fns, seen)) {
					ok = false;
					return;
				}
			}
		}
		ts.forEachChild(x, walk);
	};
	walk(n);
	return ok;
}

/* might_sleep(): checks only the calling thread's own context. */
function isContextCheck(s: ts.Statement): boolean {
	return ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && ts.isIdentifier(s.expression.expression) &&
		s.expression.expression.text === 'might_sleep';
}

/* return; break; continue; (nothing computed): the statement after it is dead. */
function isBareExit(s: ts.Statement): boolean {
	return (ts.isReturnStatement(s) && (!s.expression || ts.isIdentifier(s.expression) || ts.isLiteralExpression(s.expression))) ||
		ts.isBreakStatement(s) || ts.isContinueStatement(s);
}

/* No call and no write: reading it cannot yield or change anything. */
function plainRead(e: ts.Node): boolean {
	let ok = noSyntacticWrite(e);
	const walk = (x: ts.Node): void => {
		if (ts.isCallExpression(x))
			ok = false;
		else if (ok)
			ts.forEachChild(x, walk);
	};
	walk(e);
	return ok;
}

/*
 * A bare exit, or a guard that does nothing else: if (plain condition)
 * { debug checks; exit }.  A check moved below it runs at the same state
 * when the guard falls through (nothing written, no yield) and is skipped
 * when it exits.
 */
function isExitGuard(s: ts.Statement, fns: function_index): boolean {
	if (isBareExit(s))
		return true;
	if (!ts.isIfStatement(s) || s.elseStatement || !plainRead(s.expression))
		return false;
	const body = ts.isBlock(s.thenStatement) ? [...s.thenStatement.statements] : [s.thenStatement];
	return body.length > 0 && isBareExit(body[body.length - 1]) && body.slice(0, -1).every((st) => isDebugCheck(st, fns));
}

/*
 * A VM_BUG_ON/VM_WARN_ON whose arguments read only local values (no field,
 * no call): no other thread can change what it reads.  (might_sleep(),
 * lockdep and mmap asserts read the thread's context and locks too.)
 */
function isLocalCheck(s: ts.Statement): boolean {
	return ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && isDebugCheck(s) &&
		ts.isIdentifier(s.expression.expression) && /^VM_(BUG|WARN)_ON/.test(s.expression.expression.text) &&
		s.expression.arguments.every((a) => plainRead(a) && !/\./.test(a.getText()));
}

/* Any exit (return, break, continue, throw) inside a statement, nested functions left out. */
function mayExit(n: ts.Node): boolean {
	let hit = false;
	const walk = (x: ts.Node): void => {
		if (hit || ts.isFunctionLike(x))
			return;
		if (ts.isReturnStatement(x) || ts.isThrowStatement(x) || ts.isBreakStatement(x) || ts.isContinueStatement(x))
			hit = true;
		else
			ts.forEachChild(x, walk);
	};
	walk(n);
	return hit;
}

/* rcu_read_lock() / rcu_read_unlock() as a statement. */
function rcuCall(s: ts.Statement, name: string): boolean {
	return ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && ts.isIdentifier(s.expression.expression) &&
		s.expression.expression.text === name && s.expression.arguments.length === 0;
}

/* Every name a debug check mentions (fields included). */
function mentioned(s: ts.Node): Set<string> {
	const all = new Set<string>();
	const walk = (x: ts.Node): void => {
		if (ts.isIdentifier(x))
			all.add(x.text);
		ts.forEachChild(x, walk);
	};
	walk(s);
	return all;
}

/* x = <locals and constants> (or let x = ...): a store to a local no other thread can see, of a value no thread can change. */
function localStore(s: ts.Statement): string | null {
	let name: string | null = null, value: ts.Expression | undefined;
	if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) &&
	    s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(s.expression.left)) {
		name = s.expression.left.text;
		value = s.expression.right;
	}
	return name && value && plainRead(value) && !/\./.test(value.getText()) && isLocal(name, s) ? name : null;
}

/* A parameter or a variable declared in the function the node is in (not a file-scope variable). */
function isLocal(name: string, n: ts.Node): boolean {
	let fn: ts.Node | undefined = n.parent;
	while (fn && !ts.isFunctionLike(fn))
		fn = fn.parent;
	if (!fn || !ts.isFunctionDeclaration(fn) || !fn.body)
		return false;
	if (fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name))
		return true;
	let hit = false;
	const walk = (x: ts.Node): void => {
		if (hit || ts.isFunctionLike(x))
			return;
		if (ts.isVariableDeclaration(x) && ts.isIdentifier(x.name) && x.name.text === name)
			hit = true;
		else
			ts.forEachChild(x, walk);
	};
	ts.forEachChild(fn.body, walk);
	return hit;
}

/* A lock release as a statement: up_read/up_write, *_unlock*, rcu_read_unlock. */
function isRelease(s: ts.Statement): boolean {
	const c = callStatement(s);
	return !!c && (/^up_(read|write)$/.test(c.name) || /unlock/.test(c.name));
}

export const RULE_UNORDERED = 'unordered-accesses';
export const RULE_LOCAL_STORE = 'local-store';
export const RULE_RELEASES = 'adjacent-releases';
export const RULE_CHECK_UNORDERED = 'debug-check-and-unordered-accesses';
export const RULE_CONTEXT = 'context-check';
export const RULE_DEAD_CHECK = 'dead-debug-check';
export const RULE_LOCAL_CHECK = 'local-debug-check';
export const RULE_CHECK_INTO_RCU = 'debug-check-into-rcu-section';
export const RULE_CHECKS = 'debug-checks';
export const RULE_MOVED_CHECK = 'moved-debug-check';

/**
 * Why swapping a with b (adjacent, a first) cannot change what the code
 * does, when a generic rule says so; none of these rules looks at which
 * function or line it is.
 *
 *  - unordered-accesses: both are only unordered memory accesses, with no
 *    dependency between them.  The kernel memory model lets a CPU (or the
 *    compiler) make two such accesses in either order already, so every
 *    behaviour of the swap is one the unmutated code has.
 *  - debug-checks: both are debug checks.  Neither writes, so each checks
 *    what it checked and the code does what it did; at most which of two
 *    failing checks reports first changes.
 *  - moved-debug-check (not proven: run, and equivalent only if a complete
 *    search finds nothing): one is a debug check, the other is not.  The
 *    check writes nothing, so every execution of the swap changes the
 *    state as the unmutated code's does; it can only differ in whether the
 *    moved check fails where it now runs (or touches freed memory there),
 *    which the search looks for.
 */
export function swapEquivalence(a: ts.Statement, b: ts.Statement, fns: function_index = new Map()): equivalence | null {
	const ca = isDebugCheck(a, fns), cb = isDebugCheck(b, fns);
	const check = ca ? a : b, other = ca ? b : a;
	if (ca !== cb && isContextCheck(check) && contextNeutral(other, fns))
		return { rule: RULE_CONTEXT, proven: true,
			reason: 'might_sleep() reads only the calling thread\'s own context (preempt count, RCU nesting), which no other thread ' +
				'changes, and the statement it is swapped with, through every function it calls, closes every spinlock, RCU ' +
				'read-side or atomic section it opens before it can exit: where it goes on, the check sees the same context; ' +
				'where it returns, the check is skipped, and it holds in every execution of the model (ktsc check finds it clean)' };
	if (ca !== cb && a === check && isExitGuard(other, fns))
		return { rule: RULE_DEAD_CHECK, proven: true,
			reason: 'the debug check moves below a return/break/continue, or below a guard that only checks and exits: where the ' +
				'guard falls through the check runs at the same state (nothing written, no yield between), where it exits the ' +
				'check is skipped; a debug check writes nothing, so every execution of the mutant is the model\'s with that ' +
				'check made or skipped, and it holds in every execution of the model (ktsc check finds the model clean)' };
	if (ca !== cb && isLocalCheck(check) && !mayExit(other) && ![...names(other).writes].some((w) => mentioned(check).has(w)))
		return { rule: RULE_LOCAL_CHECK, proven: true,
			reason: 'the debug check reads only the function\'s local values (no field, no call), which no other thread can ' +
				'change, and the statement it is swapped with falls through and assigns none of them: the check sees the same ' +
				'values either way' };
	if (ca !== cb && !isContextCheck(check) && ((a === check && rcuCall(other, 'rcu_read_lock')) ||
	    (b === check && rcuCall(other, 'rcu_read_unlock'))))
		return { rule: RULE_CHECK_INTO_RCU, proven: true,
			reason: 'a debug check (not might_sleep) moves into the RCU read-side section next to it: the section changes no ' +
				'memory and only protects more (a freed SLAB_TYPESAFE_BY_RCU object stays readable), and the check writes ' +
				'nothing: it reads the same state, the code does the same' };
	if (ca !== cb) {
		const u = unorderedAccesses(other);
		if (u && ![...u.writes].some((w) => mentioned(check).has(w.slice(2))))
			return { rule: RULE_CHECK_UNORDERED, proven: true,
				reason: 'a debug check (which writes nothing) and unordered memory accesses (plain or *_ONCE, atomic_set/inc/dec/read, ' +
					'non-RCU list and interval-tree updates; no lock, barrier or call) that write nothing the check reads: the ' +
					'kernel memory model already lets the check\'s loads happen on either side of those accesses, and the thread\'s ' +
					'locks and context are the same on both sides' };
	}
	for (const [st, other] of [[a, b], [b, a]]) {
		const x = localStore(st);
		if (x && !mentioned(other).has(x) && !mayExit(other) && ![...names(other).writes].some((w) => mentioned(st).has(w)))
			return { rule: RULE_LOCAL_STORE, proven: true,
				reason: `a store to the local variable ${x} of a value made of locals and constants (no field, no call), swapped ` +
					'with a statement that falls through and neither mentions it nor assigns what the value reads: no other thread can see a local ' +
					'or change the value, and the statement cannot see the store, so either order computes the same' };
	}
	if (isRelease(a) && isRelease(b))
		return { rule: RULE_RELEASES, proven: true,
			reason: 'two lock releases with nothing between them: the thread touches no memory and takes no lock while one is ' +
				'released and the other not, so every other thread sees the same data under either lock; lockdep orders ' +
				'acquisitions, not releases, and nothing the thread does waits on another' };
	if (ca && cb)
		return { rule: RULE_CHECKS, proven: true,
			reason: 'both are debug checks (VM_BUG_ON/VM_WARN_ON*, lockdep_assert*, mmap_assert*, might_sleep, whose arguments ' +
				'the kernel requires free of side effects): neither writes, so each checks the same state in either order ' +
				'(no lock or barrier between them) and the code does the same; only which of two failing checks reports first can change' };
	if (ca || cb)
		return { rule: RULE_MOVED_CHECK, proven: false,
			reason: 'moves a debug check, which writes nothing, past a statement: every execution of the mutant changes the state ' +
				'as the model does, and a complete search found the check holding (and touching nothing freed) where it now runs' };
	const ua = unorderedAccesses(a), ub = unorderedAccesses(b);
	if (ua && ub && ![...ua.writes].some((w) => ub.all.has(w)) && ![...ub.writes].some((w) => ua.all.has(w)))
		return { rule: RULE_UNORDERED, proven: true,
			reason: 'both are unordered memory accesses (plain or *_ONCE loads and stores, atomic_set/inc/dec/read, non-RCU list and ' +
				'interval-tree updates; no lock, barrier, RCU publication or call between them) and neither touches a name the ' +
				'other writes: the kernel memory model already lets them happen in either order, so the swap adds no behaviour' };
	return null;
}

function swapStatements(body: ts.Block, sf: ts.SourceFile, fns: function_index): site[] {
	const out: site[] = [];
	for (const list of statementLists(body))
		for (let i = 0; i + 1 < list.length; i++) {
			const a = list[i], b = list[i + 1];
			if (isInert(a) || isInert(b) || isDispatchEntry(a) || isDispatchEntry(b) || commute(a, b))
				continue;
			out.push([`swap ${short(a, sf)} with ${short(b, sf)}`, [
				{ start: a.getStart(sf), end: a.getEnd(), text: b.getText(sf) },
				{ start: b.getStart(sf), end: b.getEnd(), text: a.getText(sf) },
			], swapEquivalence(a, b, fns) ?? undefined]);
		}
	return out;
}

const SITES: Record<operator_name, (body: ts.Block, sf: ts.SourceFile, fns: function_index) => site[]> = {
	'drop-lock': (b, sf) => dropPairs(b, sf, LOCK_PAIRS),
	'drop-rcu-read-lock': (b, sf) => dropPairs(b, sf, new Map([RCU_PAIR])),
	'drop-get-put': dropGetPut,
	'drop-get': (b, sf) => dropSingle(b, sf, new Set(GET_PUT.keys())),
	'drop-put': (b, sf) => dropSingle(b, sf, PUTS),
	'drop-error-cleanup': dropErrorCleanup,
	'publish-before-init': publishBeforeInit,
	'swap-statements': swapStatements,
};

/**
 * Every mutant of the file's function declarations, one per operator and
 * site; a mutant whose edits another operator already made is left out
 * (the first operator in OPERATORS keeps it).
 */
export function mutants(fileName: string, text: string, only: { operator?: string; function?: string } = {},
		fns: function_index = functionIndex([{ name: fileName, text }])): mutant[] {
	const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
	const out: mutant[] = [];
	const seen = new Set<string>();
	for (const fn of sf.statements) {
		if (!ts.isFunctionDeclaration(fn) || !fn.body || !fn.name || (only.function && fn.name.text !== only.function))
			continue;
		for (const op of OPERATORS) {
			const counts = new Map<string, number>();
			for (const [desc, edits, equivalence] of SITES[op](fn.body, sf, fns)) {
				const key = JSON.stringify(edits.map((e) => [e.start, e.end]));
				if (seen.has(key))
					continue;
				seen.add(key);
				if (only.operator && op !== only.operator)
					continue;
				/* The same text twice in a function: number the later ones. */
				const n = (counts.get(desc) ?? 0) + 1;
				counts.set(desc, n);
				const start = Math.min(...edits.map((e) => e.start));
				out.push({
					operator: op, function: fn.name.text, line: sf.getLineAndCharacterOfPosition(start).line + 1,
					description: n > 1 ? `${desc} #${n}` : desc, edits, ...(equivalence ? { equivalence } : {}),
				});
			}
		}
	}
	return out;
}

/** The mutant's source text. */
export function applyEdits(text: string, edits: edit[]): string {
	let out = text;
	for (const e of [...edits].sort((a, b) => b.start - a.start))
		out = out.slice(0, e.start) + e.text + out.slice(e.end);
	return out;
}

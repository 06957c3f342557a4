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

type site = [string, edit[]];

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
				if (end >= 0 && ts.isReturnStatement(rest[end]))
					rest.slice(0, end).forEach((x) => picked.add(x));
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
	if (!isPlainStore(a) || !isPlainStore(b))
		return false;
	const na = names(a), nb = names(b);
	return ![...na.writes].some((w) => nb.all.has(w)) && ![...nb.writes].some((w) => na.all.has(w));
}

/* Does nothing when it runs: an empty statement, a directive ('inline'), a declaration without a value. */
function isInert(s: ts.Statement): boolean {
	return ts.isEmptyStatement(s) || (ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)) ||
		(ts.isVariableStatement(s) && s.declarationList.declarations.every((d) => !d.initializer));
}

function swapStatements(body: ts.Block, sf: ts.SourceFile): site[] {
	const out: site[] = [];
	for (const list of statementLists(body))
		for (let i = 0; i + 1 < list.length; i++) {
			const a = list[i], b = list[i + 1];
			if (isInert(a) || isInert(b) || commute(a, b))
				continue;
			out.push([`swap ${short(a, sf)} with ${short(b, sf)}`, [
				{ start: a.getStart(sf), end: a.getEnd(), text: b.getText(sf) },
				{ start: b.getStart(sf), end: b.getEnd(), text: a.getText(sf) },
			]]);
		}
	return out;
}

const SITES: Record<operator_name, (body: ts.Block, sf: ts.SourceFile) => site[]> = {
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
export function mutants(fileName: string, text: string, only: { operator?: string; function?: string } = {}): mutant[] {
	const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
	const out: mutant[] = [];
	const seen = new Set<string>();
	for (const fn of sf.statements) {
		if (!ts.isFunctionDeclaration(fn) || !fn.body || !fn.name || (only.function && fn.name.text !== only.function))
			continue;
		for (const op of OPERATORS) {
			const counts = new Map<string, number>();
			for (const [desc, edits] of SITES[op](fn.body, sf)) {
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
					description: n > 1 ? `${desc} #${n}` : desc, edits,
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

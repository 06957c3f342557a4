/*
 * ktsc mutate: each operator on a small function (what it changes and what
 * it leaves alone), stillborn mutants, and one real bug killed end to end
 * with the JSON in its documented shape.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { mutants, applyEdits, OPERATORS, RULE_UNORDERED, RULE_CHECKS, RULE_CHECK_UNORDERED, RULE_CONTEXT, RULE_DEAD_CHECK,
	RULE_LOCAL_CHECK, RULE_CHECK_INTO_RCU, RULE_MOVED_CHECK, RULE_LOCAL_STORE, RULE_RELEASES } from '../ts-src/check/mutation';
import { runMutate, mutateJson, killRate } from '../ts-src/check/mutate';
import { typecheckWith } from '../ts-src/check/typecheck';
import { sourceRoot, overlaySource } from '../ts-src/check/loader';
import { checkOne } from '../ts-src/check/index';
import { equivalent } from '../ts-src/check/equivalent';

const SMALL = `
function small(vma, parent) {
	let av = alloc();
	if (!av) {
		put_anon_vma(parent);
		return -ENOMEM;
	}
	rcu_read_lock();
	get_anon_vma(av);
	anon_vma_lock_write(av);
	av.num_children = 0;
	av.num_active_vmas = 0;
	av.root = parent.root;
	vma.anon_vma = av;
	anon_vma_unlock_write(av);
	put_anon_vma(av);
	rcu_read_unlock();
	return 0;
}
`;

function mutant(op: string, desc: string): string {
	const ms = mutants('small.ts', SMALL, { operator: op });
	const m = ms.find((x) => x.description === desc);
	assert.ok(m, `${op}: no "${desc}" among ${JSON.stringify(ms.map((x) => x.description))}`);
	assert.equal(m.function, 'small');
	return applyEdits(SMALL, m.edits);
}

const lines = (t: string): string[] => t.split('\n').map((l) => l.trim()).filter((l) => l && l !== '{}');

test('drop-lock drops the lock and its unlock, nothing else', () => {
	const t = mutant('drop-lock', 'drop anon_vma_lock_write(av) and anon_vma_unlock_write(av)');
	assert.deepEqual(lines(SMALL).filter((l) => !lines(t).includes(l)), ['anon_vma_lock_write(av);', 'anon_vma_unlock_write(av);']);
});

test('drop-rcu-read-lock, drop-get-put, drop-get and drop-put', () => {
	assert.ok(!/rcu_read/.test(mutant('drop-rcu-read-lock', 'drop rcu_read_lock() and rcu_read_unlock()')));
	const gp = mutant('drop-get-put', 'drop get_anon_vma(av) and put_anon_vma(av)');
	assert.ok(!gp.includes('get_anon_vma(av)') && !gp.includes('put_anon_vma(av)') && gp.includes('put_anon_vma(parent)'));
	const g = mutant('drop-get', 'drop get_anon_vma(av)');
	assert.ok(!g.includes('get_anon_vma(av)') && g.includes('put_anon_vma(av)'));
	const p = mutant('drop-put', 'drop put_anon_vma(av)');
	assert.ok(p.includes('get_anon_vma(av)') && !p.includes('put_anon_vma(av)'));
});

test('drop-error-cleanup drops the unwind step of a failed allocation, not its return', () => {
	/* put_anon_vma(parent) before return -ENOMEM is drop-put's mutant first: the same edit is made once. */
	const all = mutants('small.ts', SMALL);
	const same = all.filter((m) => m.description === 'drop put_anon_vma(parent)');
	assert.equal(same.length, 1);
	assert.equal(same[0].operator, 'drop-put');
	const src = SMALL.replace('put_anon_vma(parent);', 'free_it(parent);');
	const m = mutants('small.ts', src, { operator: 'drop-error-cleanup' });
	assert.deepEqual(m.map((x) => x.description), ['drop free_it(parent)']);
	assert.ok(applyEdits(src, m[0].edits).includes('return -ENOMEM'));
});

test('drop-error-cleanup follows nested labels: the unwinding after an inner goto label up to the outer one', () => {
	const src = `
function nested() {
	let a = alloc_a();
	let b;
out: {
out_free_a: {
	if (!a)
		break out;
	b = alloc_b();
	if (!b)
		break out_free_a;
	return 0;
 }
	free_a(a);
 }
	return -ENOMEM;
}
`;
	assert.deepEqual(mutants('nested.ts', src, { operator: 'drop-error-cleanup' }).map((m) => m.description), ['drop free_a(a)']);
});

test('publish-before-init moves the store of the pointer above the statements that set the object up', () => {
	const t = lines(mutant('publish-before-init', 'move vma.anon_vma = av above get_anon_vma(av)'));
	assert.ok(t.indexOf('vma.anon_vma = av;') < t.indexOf('get_anon_vma(av);'));
	assert.equal(t.filter((l) => l === 'vma.anon_vma = av;').length, 1);
});

test('swap-statements swaps neighbours but not plain stores that commute', () => {
	const t = lines(mutant('swap-statements', 'swap rcu_read_lock() with get_anon_vma(av)'));
	assert.ok(t.indexOf('get_anon_vma(av);') < t.indexOf('rcu_read_lock();'));
	const descs = mutants('small.ts', SMALL, { operator: 'swap-statements' }).map((m) => m.description);
	assert.ok(!descs.includes('swap av.num_children = 0 with av.num_active_vmas = 0'));
	/* No thread can run between two plain stores of different fields either: swapping them is equivalent too. */
	assert.ok(!descs.includes('swap av.root = parent.root with vma.anon_vma = av'));
	/* A call can be a scheduling point: swapped. */
	assert.ok(descs.includes('swap vma.anon_vma = av with anon_vma_unlock_write(av)'));
	/* One writes what the other reads: swapped (here it does not type-check: stillborn). */
	assert.ok(descs.includes('swap let av = alloc() with if (!av) { put_anon_vma(parent); return -ENOMEM; }'));
});

/* A goto dispatch's entry into an if block (scan_get_next_rmap_item()'s next_mm) is its structure: no swap moves its guard or its test. */
test('swap-statements leaves a goto dispatch entry\'s test and guard alone', () => {
	const src = "export function f(a: int): int {\nn: for (let at = '';; at = 'n')\nswitch (at) {\ncase '':\ncase 'n':\n\tif (at === 'n' || a) {\nif (at !== 'n') {\n\t\tg(a);\n}\n\t\ta++;\n\t\th(a);\n\t}\n\tif (a < 9)\n\t\tcontinue n;\n\treturn a;\n}\n}\n";
	const descs = mutants('entry.ts', src, { operator: 'swap-statements' }).map((m) => m.description);
	assert.ok(descs.includes('swap a++ with h(a)'), descs.join('; '));
	assert.ok(!descs.some((d) => /at (===|!==) 'n'/.test(d)), descs.join('; '));
});

test('every operator but drop-get-put has sites in the model', () => {
	/* No model function puts the same object it gets: drop-get-put has no site (drop-get and drop-put do). */
	const file = path.join(sourceRoot(), 'model', 'rmap.ts');
	const ops = new Set(mutants(file, fs.readFileSync(file, 'utf8')).map((m) => m.operator));
	for (const op of OPERATORS)
		assert.equal(ops.has(op), op !== 'drop-get-put', op);
});

test('a mutant that does not type-check is stillborn', () => {
	const file = path.join(sourceRoot(), 'model', 'rmap.ts');
	const text = fs.readFileSync(file, 'utf8');
	assert.deepEqual(typecheckWith(file, text), []);
	assert.ok(typecheckWith(file, `${text}\nconst not_a_number: number = 'x';\n`).length > 0);
});

test('dropping the anon_vma lock in unlink_anon_vmas is killed; the JSON has the documented shape', () => {
	const r = runMutate({ function: 'unlink_anon_vmas', operator: 'drop-lock', progress: () => {} });
	assert.equal(r.total, 1);
	assert.equal(r.killed, 1);
	assert.equal(r.results[0].status, 'killed');
	assert.match(r.results[0].finding!, /lockdep_assert_held_write|deadlock|bug/);
	assert.equal(killRate(r), 100);
	const j = mutateJson(r) as Record<string, unknown>;
	assert.deepEqual(Object.keys(j).slice(0, 4), ['total', 'killed', 'equivalent', 'survivors']);
	assert.deepEqual(j.survivors, []);
});

const SWAPS = `
function helper(p) {
	spin_lock(addr(p.lock));
	spin_unlock(addr(p.lock));
}
function locker(p) {
	spin_lock(addr(p.lock));
}
function sleeper(av) {
	if (!av)
		return;
	down_write(addr(av.rwsem));
	up_write(addr(av.rwsem));
}
function eq(av, vma, p, address) {
	might_sleep();
	VM_BUG_ON(atomic_read(addr(av.refcount)));
	atomic_set(addr(av.refcount), 1);
	av.num_children = 0;
	lockdep_assert_held_write(addr(av.root.rwsem));
	av.num_active_vmas++;
	if (rwsem_is_locked(addr(av.rwsem))) {
		sleeper(av);
	}
	might_sleep();
	helper(p);
	might_sleep();
	locker(p);
	might_sleep();
	spin_lock(addr(p.lock));
	VM_BUG_ON_VMA(address == -EFAULT, vma);
	cond_resched();
	VM_WARN_ON(av.num_children);
	put_anon_vma(av);
	spin_unlock(addr(p.lock));
	VM_WARN_ON(!vma.anon_vma);
	rcu_read_lock();
	VM_WARN_ON_ONCE(!list_empty(addr(vma.anon_vma_chain)));
	rcu_read_unlock();
	if (!av) {
		VM_WARN_ON(vma.anon_vma);
		return;
	}
	VM_WARN_ON_ONCE(av.num_children);
	if (!p)
		return;
	rcu_read_unlock();
	up_read(addr(p.sem));
	address = 0;
	spin_unlock(addr(p.lock));
	glob = 1;
	if (!p)
		return;
	address = 0;
}
`;

test('statement swaps: each equivalence rule on a swap it covers, and swaps no rule covers', () => {
	const rules = new Map(mutants('eq.ts', SWAPS, { operator: 'swap-statements', function: 'eq' })
		.map((m) => [m.description, m.equivalence ? `${m.equivalence.rule}${m.equivalence.proven ? '' : '?'}` : '-']));
	const rule = (d: string): string | undefined => rules.get(`swap ${d}`);
	assert.equal(rule('might_sleep() with VM_BUG_ON(atomic_read(addr(av.refcount)))'), RULE_CHECKS);
	/* The check reads the refcount the store writes: no rule, the checker decides. */
	assert.equal(rule('VM_BUG_ON(atomic_read(addr(av.refcount))) with atomic_set(addr(av.refcount), 1)'), `${RULE_MOVED_CHECK}?`);
	assert.equal(rule('atomic_set(addr(av.refcount), 1) with av.num_children = 0'), RULE_UNORDERED);
	assert.equal(rule('av.num_children = 0 with lockdep_assert_held_write(addr(av.root.rwsem))'), RULE_CHECK_UNORDERED);
	assert.equal(rule('lockdep_assert_held_write(addr(av.root.rwsem)) with av.num_active_vmas++'), RULE_CHECK_UNORDERED);
	/* A call to something that may lock or allocate: no rule. */
	assert.equal(rule('av.num_active_vmas++ with if (rwsem_is_locked(addr(av.rwsem))) { sleeper(av); }'), '-');
	/* might_sleep() past sleeping locks, followed through the model's functions: the same context. */
	assert.equal(rule('if (rwsem_is_locked(addr(av.rwsem))) { sleeper(av); } with might_sleep()'), RULE_CONTEXT);
	/* ... and past a function that takes a spinlock and releases it, but not one that keeps it, nor past a spinlock. */
	assert.equal(rule('might_sleep() with helper(p)'), RULE_CONTEXT);
	assert.equal(rule('might_sleep() with locker(p)'), `${RULE_MOVED_CHECK}?`);
	assert.equal(rule('might_sleep() with spin_lock(addr(p.lock))'), `${RULE_MOVED_CHECK}?`);
	/* A check of local values past a yield that assigns none of them. */
	assert.equal(rule('VM_BUG_ON_VMA(address == -EFAULT, vma) with cond_resched()'), RULE_LOCAL_CHECK);
	/* A check moved past a put (it may free what the check reads): the checker decides. */
	assert.equal(rule('VM_WARN_ON(av.num_children) with put_anon_vma(av)'), `${RULE_MOVED_CHECK}?`);
	/* Into an RCU read-side section: equivalent; out of one (past the unlock, the other way): the checker decides. */
	assert.equal(rule('VM_WARN_ON(!vma.anon_vma) with rcu_read_lock()'), RULE_CHECK_INTO_RCU);
	assert.equal(rule('VM_WARN_ON_ONCE(!list_empty(addr(vma.anon_vma_chain))) with rcu_read_unlock()'), `${RULE_MOVED_CHECK}?`);
	/* Below a guard that only checks and returns: made where the guard falls through, skipped where it returns. */
	assert.equal(rule('VM_WARN_ON(vma.anon_vma) with return'), RULE_DEAD_CHECK);
	assert.equal(rule('VM_WARN_ON_ONCE(av.num_children) with if (!p) return'), RULE_DEAD_CHECK);
	/* Two releases with nothing between them. */
	assert.equal(rule('rcu_read_unlock() with up_read(addr(p.sem))'), RULE_RELEASES);
	/* A store to a local of a local value, either side of a statement that does not mention it... */
	assert.equal(rule('up_read(addr(p.sem)) with address = 0'), RULE_LOCAL_STORE);
	assert.equal(rule('address = 0 with spin_unlock(addr(p.lock))'), RULE_LOCAL_STORE);
	/* ... but not a file-scope variable, nor past an exit (the store would be skipped). */
	assert.equal(rule('spin_unlock(addr(p.lock)) with glob = 1'), '-');
	assert.equal(rule('if (!p) return with address = 0'), '-');
	/* Above such a guard the check would run where the model returns first: the checker decides. */
	assert.equal(rule('if (!av) { VM_WARN_ON(vma.anon_vma); return; } with VM_WARN_ON_ONCE(av.num_children)'), `${RULE_MOVED_CHECK}?`);
});

test('a mutant the budget does not let the checker finish survives as incomplete, never killed or equivalent', () => {
	/* Dropping anon_vma_free()'s wait for a lock holder is found only at bound 3 in reclaim-vs-exit: 20 executions do not get there. */
	const r = runMutate({ function: 'anon_vma_free', operator: 'drop-lock', executions: 20, progress: () => {} });
	assert.equal(r.results.length, 1);
	assert.equal(r.results[0].status, 'survived');
	assert.equal(r.results[0].incomplete, true);
	assert.ok(r.results[0].executions <= 20 + 1);
	assert.equal(r.killed, 0);
	assert.equal(r.equivalent, 0);
});

test('every declared equivalent mutant names a mutant the operators still make', () => {
	const all = ['rmap', 'rmap_h'].flatMap((f) => {
		const file = path.join(sourceRoot(), 'model', `${f}.ts`);
		return mutants(file, fs.readFileSync(file, 'utf8'));
	});
	for (const e of equivalent) {
		assert.ok(all.some((m) => m.operator === e.operator && m.function === e.function && m.description === e.description),
			`stale equivalent entry: ${e.operator} ${e.function} ${e.description}`);
		assert.ok(e.reason.length > 20);
	}
});

/* The verb as a user runs it (dist/ts-src/cli.js). */
const CLI = path.join(sourceRoot(), '..', 'dist', 'ts-src', 'cli.js');
const ktsc = (...args: string[]) => spawnSync(process.execPath, [CLI, 'mutate', ...args], { encoding: 'utf8' });

test('ktsc mutate --function mutates that function only, end to end through the CLI', () => {
	const r = ktsc('--function', 'anon_vma_ctor', '--json');
	assert.equal(r.status, 0, r.stderr);
	const file = path.join(sourceRoot(), 'model', 'rmap.ts');
	const expected = mutants(file, fs.readFileSync(file, 'utf8'), { function: 'anon_vma_ctor' }).length;
	assert.ok(expected > 0 && expected < 10);
	assert.match(r.stderr, new RegExp(`^# ktsc mutate: ${expected} mutants,`, 'm'));
	const j = JSON.parse(r.stdout) as { equivalents: { function: string }[]; survivors: unknown[] };
	assert.ok(j.equivalents.length > 0);
	assert.ok(j.equivalents.every((e) => e.function === 'anon_vma_ctor'));
	for (const line of r.stderr.split('\n').filter((l) => /^\[\d+\/\d+\]/.test(l)))
		assert.match(line, / anon_vma_ctor:\d+ /);
});

test('ktsc mutate refuses a misspelt option, a stray argument and a name that selects nothing, before running anything', () => {
	/* --functions X used to be ignored, X taken for a positional: the whole model was mutated. */
	for (const [args, msg] of [
		[['--functions', 'anon_vma_ctor'], /unexpected argument anon_vma_ctor; unknown option --functions/],
		[['--function'], /--function needs a value/],
		[['--executions', 'many'], /--executions is not a number/],
		[['--function', 'no_such_function'], /no model function no_such_function/],
		[['--operator', 'drop-everything'], /no operator drop-everything/],
	] as [string[], RegExp][]) {
		const r = ktsc(...args);
		assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
		assert.match(r.stderr, msg);
		assert.doesNotMatch(r.stderr, /mutants, coverage measured/);
	}
});

test('folio_referenced()\'s result is checked: giving up without contention, or no contention and a mapping missed, or a skipped VMA visited', () => {
	/*
	 * Two statement swaps of folio_lock_anon_vma_read()'s try_lock path
	 * that break only the walk's answer, not memory safety: bail out before
	 * trying the lock (reclaim never ages an anon folio), and give up on
	 * contention without saying so (reclaim frees a folio it was told
	 * nothing references).  The model is clean in the same scenario.
	 */
	const file = path.join(sourceRoot(), 'model', 'rmap.ts');
	const text = fs.readFileSync(file, 'utf8');
	const traceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-mutate-test-'));
	for (const [fn, desc, msg] of [
		['folio_lock_anon_vma_read', /^swap if \(down_read_trylock\(.* with if \(rwc && rwc\.try_lock\)/, /reports a contended rmap lock, but no other thread held a lock or ran/],
		['folio_lock_anon_vma_read', /^swap rwc\.contended = true with break out$/, /reports 0 references and no contention, but 1 mappings were there throughout/],
		/* And the walk's own contract: rmap_one only for the VMAs invalid_vma() lets through (the child's is MADV_RANDOM). */
		['rmap_walk_anon', /^swap if \(rwc\.invalid_vma && .* with if \(!rwc\.rmap_one\(/, /visits a VMA its invalid_vma\(\) skips/],
	] as [string, RegExp, RegExp][]) {
		const m = mutants(file, text, { function: fn, operator: 'swap-statements' }).filter((x) => desc.test(x.description));
		assert.equal(m.length, 1, String(desc));
		overlaySource(file, applyEdits(text, m[0].edits));
		try {
			const r = checkOne('7.2', 'referenced-vs-exit', 'clean', { traceDir, seconds: 1e9, budget: { left: 5000 } });
			assert.equal(r.found, 'bug', m[0].description);
			assert.match(r.message!, msg);
		} finally {
			overlaySource(null);
		}
	}
	const clean = checkOne('7.2', 'referenced-vs-exit', 'clean', { traceDir, seconds: 1e9 });
	assert.equal(clean.found, 'clean', clean.message);
	fs.rmSync(traceDir, { recursive: true, force: true });
});

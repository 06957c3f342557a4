/*
 * ktsc check: the scheduler, each invariant on a broken and a correct toy,
 * each design variant's finding, 7.2 and 6.12 clean, static overrides,
 * VM_WARN findings, replay, the cost tables.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execute, thread_spec } from '../ts-src/check/execution';
import { explore } from '../ts-src/check/explore';
import { instantiate, scenario, scenarios, findScenario } from '../ts-src/check/scenarios';
import { checkOne, plan, runCheck, countAllocations } from '../ts-src/check/index';
import { replay } from '../ts-src/check/trace';
import { measureCost, measureCloneCost } from '../ts-src/check/cost';
import { world_modules } from '../ts-src/check/loader';

const quick = { bound: 2, maxExecutions: 5000, seconds: 30 };

/** A toy scenario: threads from ts-src/check/toys.ts. */
function toyScenario(name: string, build: (t: any, h: any) => thread_spec[]): scenario {
	return { name, description: 'toy', build: (h, w) => build(w.load('check/toys'), h) };
}

function run(sc: scenario, bound = 2) {
	return explore(() => instantiate(sc, '7.2'), { ...quick, bound, prune: false });
}

test('the scheduler is deterministic: same choices, same execution', () => {
	const sc = scenarios.find((s) => s.name === 'migrate-vs-adjust')!;
	const alternate = (en: number[], _cur: number, n: number): number => en[n % en.length];
	const a = execute(instantiate(sc, '7.2'), alternate);
	const b = execute(instantiate(sc, '7.2'), alternate);
	assert.deepEqual(a.choices, b.choices);
	assert.deepEqual(a.steps, b.steps);
	const e1 = run(sc, 1), e2 = run(sc, 1);
	assert.equal(e1.executions, e2.executions);
	assert.equal(e1.states, e2.states);
});

test('preemption bounding: bound 0 runs only the two serial orders, bound 1 more', () => {
	const sc = toyScenario('lost-update', (t) => [
		{ name: 'inc1', fn: t.racy_increment, args: [] },
		{ name: 'inc2', fn: t.racy_increment, args: [] },
	]);
	const b0 = run(sc, 0);
	assert.equal(b0.failure, null);
	assert.equal(b0.executions, 2);
	assert.ok(run(sc, 1).executions > 2);
});

test('deadlock: ABBA mutexes are found (lockdep or all blocked), ordered ones are not', () => {
	const abba = run(toyScenario('abba', (t) => [
		{ name: 'A', fn: t.lock_a_then_b, args: [] },
		{ name: 'B', fn: t.lock_b_then_a, args: [] },
	]));
	assert.equal(abba.failure?.kind, 'deadlock');
	const ok = run(toyScenario('ab-ab', (t) => [
		{ name: 'A', fn: t.lock_a_then_b, args: [] },
		{ name: 'B', fn: t.lock_a_then_b, args: [] },
	]));
	assert.equal(ok.failure, null);
});

test('sleep in atomic: might_sleep under a spinlock fails, under a mutex passes', () => {
	const bad = run(toyScenario('spin', (t) => [{ name: 'T', fn: t.sleep_under_spinlock, args: [] }]));
	assert.equal(bad.failure?.kind, 'sleep-in-atomic');
	const ok = run(toyScenario('mutex', (t) => [{ name: 'T', fn: t.sleep_under_mutex, args: [] }]));
	assert.equal(ok.failure, null);
});

test('use-after-free: lookup without ref fails, RCU + typesafe + inc_not_zero passes', () => {
	const bad = run(toyScenario('uaf', (t) => {
		t.toy_init(false);
		return [{ name: 'lookup', fn: t.lookup_unsafe, args: [] }, { name: 'put', fn: t.put_shared, args: [] }];
	}));
	assert.equal(bad.failure?.kind, 'use-after-free');
	const ok = run(toyScenario('rcu', (t) => {
		t.toy_init(true);
		return [{ name: 'lookup', fn: t.lookup_rcu_ref, args: [] }, { name: 'put', fn: t.put_shared, args: [] }];
	}));
	assert.equal(ok.failure, null);
});

test('lost mapping: a migration entry left behind fails, a clean page table passes', () => {
	const build = (leave: boolean) => toyScenario('ptes', (_t, h) => {
		const P = h.mm_alloc('p');
		h.do_mmap(P, 0x10000, 1);
		const F = h.do_anonymous_page(P, 0x10000);
		if (leave) {
			P.ptes.get(0x10000).migration = true;
			F.mapcount--;
		}
		return [{ name: 'fault', fn: h.do_mmap, args: [P, 0x20000, 1] }];
	});
	assert.equal(run(build(true)).failure?.kind, 'lost-mapping');
	assert.equal(run(build(false)).failure, null);
});

test('anon_vma forest: a wrong num_children fails, the real one passes', () => {
	const build = (corrupt: boolean) => toyScenario('forest', (_t, h) => {
		const P = h.mm_alloc('p');
		const vma = h.do_mmap(P, 0x10000, 1);
		h.do_anonymous_page(P, 0x10000);
		const C = h.dup_mmap(P, 'c');
		if (corrupt)
			vma.anon_vma.num_children++;
		return [{ name: 'exit', fn: h.exit_mmap, args: [C] }];
	});
	const bad = run(build(true));
	assert.equal(bad.failure?.kind, 'bug');
	assert.match(bad.failure!.message, /num_children/);
	assert.equal(run(build(false)).failure, null);
});

const traceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-traces-'));

for (const p of plan({ all: true }).filter((x) => x.expected !== 'clean')) {
	test(`variant ${p.design} finds ${p.expected} in ${p.scenario}`, () => {
		const r = checkOne(p.design, p.scenario, p.expected, { ...quick, traceDir });
		assert.equal(r.found, p.expected, r.message);
		assert.ok(r.trace && fs.existsSync(r.trace));
	});
}

for (const design of ['7.2', '6.12']) {
	test(`${design} is clean on every scenario (bound 1; bound 2 on the seed 001 races)`, () => {
		for (const sc of scenarios) {
			const bound = sc.name === 'migrate-vs-adjust' || sc.name === 'walk-vs-take-all-locks' ? 2 : 1;
			const r = checkOne(design, sc.name, 'clean', { ...quick, bound, traceDir });
			assert.equal(r.found, 'clean', `${sc.name}: ${r.message}`);
			assert.ok(r.complete, `${sc.name}: budget hit`);
		}
	});
}

test('a design can replace a static model function, for calls made inside the model', () => {
	const w = new world_modules();
	const K = w.load('kernel');
	const H = w.load('check/harness');
	let freed = 0;
	const orig = w.fn('model/rmap', 'anon_vma_chain_free');
	w.k.override('model/rmap:anon_vma_chain_free', (avc: unknown) => {
		freed++;
		return orig(avc);
	});
	assert.throws(() => w.fn('model/rmap', 'no_such_function'), /no function model\/rmap:no_such_function/);
	K.sched.current = new K.task_struct('t');
	H.harness_init();
	const P = H.mm_alloc('p');
	H.do_mmap(P, 0x10000, 1);
	H.do_anonymous_page(P, 0x10000);
	const C = H.dup_mmap(P, 'c');
	H.exit_mmap(C);
	/* The child's two anon_vma_chains, freed by unlink_anon_vmas() (exported) through the static one. */
	assert.equal(freed, 2);
});

test('a VM_WARN_ON_ONCE that fires is a warning finding naming the model line', () => {
	const r = checkOne('dup-anon-vma-unset', 'merge-unfaulted-vs-walk', 'warning', { ...quick, bound: 0, traceDir });
	assert.equal(r.found, 'warning');
	assert.match(r.message ?? '', /VM_WARN_ON_ONCE at rmap\.ts:\d+/);
});

test('fork-reuse-vs-exit-and-walk: the fork does reuse the exited child\'s anon_vma (maybe_reuse_anon_vma())', () => {
	const inst = instantiate(findScenario('fork-reuse-vs-exit-and-walk'), '7.2');
	const H = inst.w.load('check/harness');
	const G = H.world.mms.find((m: { name: string }) => m.name === 'grandchild');
	const exited = G.vmas[0].anon_vma.parent;
	const r = execute(inst, (enabled) => enabled[0], false);
	assert.equal(r.failure, null, r.failure?.message);
	const GG = H.world.mms.find((m: { name: string }) => m.name === 'great-grandchild');
	assert.equal(GG.vmas[0].anon_vma, exited);
	assert.equal(inst.check(), null);
});

test('root-walk-nested is clean where 7.2 is (take-all-locks in the same order)', () => {
	const r = checkOne('root-walk-nested', 'walk-vs-take-all-locks', 'clean', { ...quick, bound: 1, traceDir });
	assert.equal(r.found, 'clean', r.message);
});

test('replay reproduces a saved trace step by step', () => {
	const r = checkOne('take-all-locks-reverse', 'walk-vs-take-all-locks', 'deadlock', { ...quick, traceDir });
	const lines: string[] = [];
	const rep = replay(r.trace!, (l) => lines.push(l));
	assert.ok(rep.reproduced);
	assert.equal(rep.failure?.kind, 'deadlock');
	assert.ok(lines.length > rep.trace.schedule.length);
	assert.equal(runCheck({ replay: r.trace!, print: () => {} }), 0);
});

test('random mode with a seed finds the use-after-free too', () => {
	const r = checkOne('lock-anon-vma-no-rcu-no-ref', 'reclaim-vs-exit', 'use-after-free',
		{ seed: 1, maxExecutions: 2000, seconds: 20, traceDir });
	assert.equal(r.found, 'use-after-free');
});

test('--all --json has exactly the documented shape', () => {
	let out = '';
	const code = runCheck({ all: true, json: true, design: undefined, bound: 0, traceDir, print: (l) => (out += l) });
	const j = JSON.parse(out);
	assert.deepEqual(Object.keys(j), ['results']);
	for (const r of j.results)
		assert.deepEqual(Object.keys(r), ['design', 'scenario', 'expected', 'found', 'states', 'seconds', 'trace']);
	assert.ok(code === 0 || code === 1);
});

test('cost: one anon_vma scans O(N), anon_vma_chain about 2, the root walk O(N) again', () => {
	const single = measureCost('pre-2.6.34-single-anon-vma', 10);
	const chain = measureCost('7.2', 10);
	const root = measureCost('root-walk-nested', 10);
	assert.equal(single.avgVmas, 11);
	assert.ok(chain.avgVmas < 2.01 && chain.avgVmas > 1.5);
	assert.equal(root.avgVmas, 11);
	assert.ok(root.avgLocks > chain.avgLocks * 5);
});

test('cost: 6.12 allocates the chain under the root lock, 7.2 before it; one lock per clone/unlink', () => {
	const old = measureCloneCost('6.12', 10);
	const now = measureCloneCost('7.2', 10);
	assert.equal(old.chain, 11);
	assert.equal(now.chain, 11);
	/* 6.12: the first AVC is allocated before lock_anon_vma_root(), the other N under it. */
	assert.equal(old.cloneAllocsLocked, 10);
	assert.equal(now.cloneAllocsLocked, 0);
	for (const r of [old, now]) {
		assert.equal(r.cloneLocks, 1, r.design);
		assert.equal(r.unlinkLocks, 1, r.design);
	}
});

test('allocation failure injection: 7.2\'s anon_vma_fork()/anon_vma_clone() unwind (cleanup_partial_anon_vmas())', () => {
	const base = findScenario('fork-enomem');
	/* Per VMA (2): anon_vma + its chain first, then 3 AVCs for the grandchild's chain. */
	assert.equal(countAllocations(base, '7.2'), 10);
	/* once=3: the first clone AVC fails; once=4: the second, after one is allocated; from=1: the anon_vma. */
	for (const name of ['fork-enomem:once=3', 'fork-enomem:once=4', 'fork-enomem:from=1']) {
		const inst = instantiate(findScenario(name), '7.2');
		const r = execute(inst, (enabled) => enabled[0], false);
		assert.equal(r.failure, null, `${name}: ${r.failure?.message}`);
		const H = inst.w.load('check/harness');
		assert.equal(H.world.enomem, 1, `${name}: fork fails and unwinds`);
		assert.equal(inst.check(), null, `${name}: invariants hold after the unwinding`);
	}
});

test('allocation failure injection drives the -ENOMEM paths of 6.12\'s anon_vma_clone()/anon_vma_fork()', () => {
	const base = findScenario('fork-enomem');
	/* 3 anon_vma_chains per VMA, 2 VMAs, and no new anon_vma: the fork reuses the exited child's. */
	assert.equal(countAllocations(base, '6.12'), 6);
	for (const name of ['fork-enomem:once=2', 'fork-enomem:from=3', 'fork-enomem:from=1']) {
		const inst = instantiate(findScenario(name), '6.12');
		const r = execute(inst, (enabled) => enabled[0], false);
		assert.equal(r.failure, null, `${name}: ${r.failure?.message}`);
		const H = inst.w.load('check/harness');
		/* once=2: the GFP_NOWAIT allocation fails, the GFP_KERNEL retry succeeds. */
		assert.equal(H.world.enomem, name.includes('once') ? 0 : 1, `${name}: fork ${name.includes('once') ? 'succeeds' : 'fails and unwinds'}`);
		assert.equal(inst.check(), null, `${name}: invariants hold after the unwinding`);
	}
	const r = checkOne('6.12', 'fork-enomem', 'clean');
	assert.equal(r.found, 'clean', r.message);
	assert.match(r.message ?? '', /12 allocation failure points/);
});

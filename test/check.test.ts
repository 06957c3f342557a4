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
import { measureCost, measureCloneCost, measureKsmCost } from '../ts-src/check/cost';
import { world_modules, sourceRoot, overlaySource } from '../ts-src/check/loader';
import { transpileForCheck } from '../ts-src/check/transform';
import { runtime } from '../ts-src/check/runtime';
import { typecheckModel } from '../ts-src/check/typecheck';
import { REVERTS, revert_edit } from '../ts-src/check/reverts';
import { revertSource } from '../ts-src/check/revert_source';

/*
 * Budgets are execution counts, never wall time: a loaded CI host must not
 * turn a complete search into "budget hit".
 */
const quick = { bound: 2, maxExecutions: 5000, seconds: Infinity };

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

test('weak memory: message passing needs smp_wmb() and smp_rmb(); a reordered load costs one preemption', () => {
	const mp = (wmb: boolean, rmb: boolean) => toyScenario(`mp-${wmb}-${rmb}`, (t) => [
		{ name: 'W', fn: t.mp_writer, args: [wmb] },
		{ name: 'R', fn: t.mp_reader, args: [rmb] },
	]);
	const both = run(mp(true, true), 3);
	assert.equal(both.failure, null);
	assert.ok(both.complete);
	for (const [wmb, rmb] of [[false, true], [true, false], [false, false]]) {
		const r = run(mp(wmb, rmb), 2);
		assert.equal(r.failure?.kind, 'bug', `wmb=${wmb} rmb=${rmb}`);
		assert.match(r.failure!.message, /the new mapping with the old kpfn/);
		/* The failing schedule holds the reordered load as a value choice (-2: one store old). */
		assert.ok(r.schedule!.includes(-2));
	}
	/* Serial orders only: the writer's stores are all before the reader's loads, and nothing is reordered. */
	assert.equal(run(mp(false, false), 0).failure, null);
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

test('a thread that returns inside an RCU read-side section or holding a lock is a bug', () => {
	const rcu = run(toyScenario('rcu', (t) => [{ name: 'T', fn: t.return_in_rcu, args: [] }]));
	assert.equal(rcu.failure?.kind, 'bug');
	assert.match(rcu.failure!.message, /T returns inside an RCU read-side critical section/);
	const held = run(toyScenario('held', (t) => [{ name: 'T', fn: t.return_holding_mutex, args: [] }]));
	assert.match(held.failure?.message ?? '', /T returns holding toy_a/);
	assert.equal(run(toyScenario('balanced', (t) => [{ name: 'T', fn: t.rcu_balanced, args: [] }])).failure, null);
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
			F._mapcount.counter--;	/* a migration entry holds no mapcount */
			F._refcount.counter--;	/* nor a reference */
		}
		return [{ name: 'fault', fn: h.do_mmap, args: [P, 0x20000, 1] }];
	});
	assert.equal(run(build(true)).failure?.kind, 'lost-mapping');
	assert.equal(run(build(false)).failure, null);
});

test('exclusive pages: a writable PTE of a page not PageAnonExclusive fails, so does an exclusive page mapped twice', () => {
	const build = (how: 'clear' | 'fork' | 'none') => toyScenario('exclusive', (_t, h) => {
		const P = h.mm_alloc('p');
		h.do_mmap(P, 0x10000, 1);
		const F = h.do_anonymous_page(P, 0x10000);
		if (how === 'clear')
			h.pte_page(P.ptes.get(0x10000)).anon_exclusive = false;
		if (how === 'fork') {
			h.dup_mmap(P, 'c');
			F.page.anon_exclusive = true;	/* as if fork had not cleared it */
		}
		return [{ name: 'fault', fn: h.do_mmap, args: [P, 0x20000, 1] }];
	});
	assert.match(run(build('clear')).failure?.message ?? '', /writable PTE at p:0x10000 maps a page not marked PageAnonExclusive/);
	assert.match(run(build('fork')).failure?.message ?? '', /exclusive \(PageAnonExclusive\) page is mapped by 2 PTEs/);
	assert.equal(run(build('none')).failure, null);
});

test('lost write: a page that does not hold what its process wrote fails; migration racing a store is clean', () => {
	const build = (corrupt: boolean) => toyScenario('data', (_t, h) => {
		const P = h.mm_alloc('p');
		h.do_mmap(P, 0x10000, 1);
		const F = h.do_anonymous_page(P, 0x10000);
		h.user_write(P, 0x10000, 0x11);
		if (corrupt)
			F.data = 0x22;
		return [{ name: 'fork', fn: h.dup_mmap, args: [P, 'c'] }];
	});
	const bad = run(build(true));
	assert.equal(bad.failure?.kind, 'lost-write');
	assert.match(bad.failure!.message, /p:0x10000 reads 0x22, but the process wrote \(or inherited\) 0x11 last/);
	assert.equal(run(build(false)).failure, null);
	/* The store waits on the migration entry or lands before the unmap, and the copy carries it. */
	assert.equal(run(findScenario('migrate-vs-write')).failure, null);
});

test('anon_vma forest: a wrong num_children fails, the real one passes', () => {
	const build = (corrupt: boolean) => toyScenario('forest', (_t, h) => {
		const P = h.mm_alloc('p');
		const vma = h.do_mmap(P, 0x10000, 1);
		h.do_anonymous_page(P, 0x10000);
		const C = h.dup_mmap(P, 'c');
		if (corrupt) {
			/* The test corrupts the counter itself: not the model's store, so not a data race. */
			const L = h.world_lockset();
			L.off++;
			vma.anon_vma.num_children++;
			L.off--;
		}
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
		/* A scenario that names its own bound (the keyhole's reordered loads need 3) keeps it. */
		const bound = Math.max(quick.bound, findScenario(p.scenario).bound ?? 0);
		const r = checkOne(p.design, p.scenario, p.expected, { ...quick, bound, traceDir });
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
		{ seed: 1, maxExecutions: 2000, seconds: Infinity, traceDir });
	assert.equal(r.found, 'use-after-free');
});

test('--all --json has exactly the documented shape, and its exit status follows its results', () => {
	let out = '';
	const code = runCheck({ all: true, json: true, design: undefined, bound: 0, traceDir, print: (l) => (out += l) });
	const j = JSON.parse(out);
	assert.deepEqual(Object.keys(j), ['results']);
	const vocabulary = ['deadlock', 'use-after-free', 'lost-mapping', 'lost-write', 'sleep-in-atomic', 'warning', 'data-race', 'leak', 'no-effect', 'bug', 'clean', 'incomplete'];
	for (const r of j.results) {
		assert.deepEqual(Object.keys(r), ['design', 'scenario', 'expected', 'found', 'states', 'seconds', 'trace']);
		assert.ok(vocabulary.includes(r.found), r.found);
		assert.equal(r.trace === null, r.found === 'clean' || r.found === 'incomplete', `${r.design} / ${r.scenario}`);
		if (r.design === '7.2' || r.design === '6.12')
			assert.equal(r.found, 'clean', `${r.design} / ${r.scenario}`);
	}
	const unexpected = j.results.filter((r: { found: string; expected: string }) => r.found !== r.expected).length;
	assert.equal(code, unexpected ? 1 : 0);
});

test('a run that hits its budget is incomplete: "budget hit", exit status 2, never clean', () => {
	const lines: string[] = [];
	const code = runCheck({ design: '7.2', scenario: 'fork-reuse-vs-exit-and-walk', maxExecutions: 3, traceDir, print: (l) => lines.push(l) });
	assert.equal(code, 2);
	assert.match(lines[0], /^budget hit 1 7\.2 \/ fork-reuse-vs-exit-and-walk: expected clean, found incomplete/);
	assert.match(lines.at(-1)!, /incomplete:1/);
	let out = '';
	runCheck({ design: '7.2', scenario: 'fork-reuse-vs-exit-and-walk', maxExecutions: 3, json: true, traceDir, print: (l) => (out += l) });
	assert.equal(JSON.parse(out).results[0].found, 'incomplete');
});

test('a bug during scenario setup is a finding with a trace, and --json stays JSON', () => {
	scenarios.push({
		name: 'setup-bug', description: 'toy: the setup itself hits a BUG_ON',
		build: (h, w) => {
			h.mm_alloc('p');
			w.load('kernel').BUG_ON(1);
			return [];
		},
	});
	try {
		let out = '';
		const code = runCheck({ design: '7.2', scenario: 'setup-bug', json: true, traceDir, print: (l) => (out += l) });
		const r = JSON.parse(out).results[0];
		assert.equal(r.found, 'bug');
		assert.equal(code, 1);
		assert.ok(r.trace && fs.existsSync(r.trace));
		const rep = replay(r.trace, () => {});
		assert.ok(rep.reproduced);
		assert.match(rep.failure!.message, /^during setup: BUG_ON/);
	} finally {
		scenarios.splice(scenarios.findIndex((s) => s.name === 'setup-bug'), 1);
	}
});

test('replaying a trace the model no longer fits says "not reproduced (diverges at step N)", exit 1', () => {
	const r = checkOne('take-all-locks-reverse', 'walk-vs-take-all-locks', 'deadlock', { ...quick, traceDir });
	const t = JSON.parse(fs.readFileSync(r.trace!, 'utf8'));
	t.schedule = [0, 7, 1];
	const file = path.join(traceDir, 'diverging.json');
	fs.writeFileSync(file, JSON.stringify(t));
	const lines: string[] = [];
	const rep = replay(file, (l) => lines.push(l));
	assert.equal(rep.reproduced, false);
	assert.equal(rep.diverged, 1);
	assert.equal(lines.at(-1), 'not reproduced (diverges at step 1)');
	assert.equal(runCheck({ replay: file, print: () => {} }), 1);
});

/*
 * mm/ksm.c's TypeScript functions run in the checker's world like
 * rmap.c's; what they call that the prelude declares without a Node
 * implementation stops the run naming it.
 */
test('model/ksm loads in the checker; its TypeScript runs; unimplemented prelude calls say "not modelled"', () => {
	const w = new world_modules();
	const K = w.load('kernel');
	K.sched.current = new K.task_struct('t');
	const chain = w.fn('model/ksm', 'is_stable_node_chain');
	const node = new K.ksm_stable_node();
	assert.equal(chain(node), false);
	node.rmap_hlist_len = K.STABLE_NODE_CHAIN;
	assert.equal(chain(node), true);
	assert.equal(w.fn('model/ksm', 'ksm_test_exit')(new K.mm_struct('m')), false);
	assert.throws(() => w.fn('model/ksm', 'ksm_slab_free')(), /not modelled: kmem_cache_destroy/);
	assert.equal(w.fn('model/ksm', 'ksm_slab_init')(), 0);
	assert.ok(w.fn('model/ksm', 'alloc_rmap_item')() instanceof K.ksm_rmap_item);
	assert.throws(() => w.fn('model/ksm', 'free_stable_node_chain')(node, new K.rb_root()), /rb_erase of a node that is in no tree/);
});

/*
 * The stable tree's TypeScript runs on prelude objects: a stable node in
 * root_stable_tree (a real BST) whose folio points back at it through
 * folio->mapping, ksm_get_folio()'s keyhole check and folio lock, the
 * migration's kpfn move (and ksm_get_folio() following it through its
 * goto loop), stable_node_dup_del()'s rb_erase from root + NUMA(nid).
 */
test('model/ksm: ksm_get_folio, folio_set_stable_node, folio_migrate_ksm and stable_node_dup_del run on the prelude', () => {
	const w = new world_modules();
	const K = w.load('kernel');
	K.sched.current = new K.task_struct('ksmd');
	const fn = (name: string) => w.fn('model/ksm', name);
	const sn = new K.ksm_stable_node();
	const f = new K.folio();
	sn.kpfn = K.folio_pfn(f);
	const root = K.root_stable_tree;
	assert.equal(root.rb_node, null);
	K.rb_link_node(K.addr(sn.node), null, K.addr_of(root, 'rb_node'));
	K.rb_insert_color(K.addr(sn.node), root);
	assert.equal(root.rb_node, sn.node);

	fn('folio_set_stable_node')(f, sn);
	assert.equal(K.folio_test_ksm(f), true);
	assert.equal(fn('folio_stable_node')(f), sn);

	const got = fn('ksm_get_folio')(sn, K.KSM_GET_FOLIO_LOCK);
	assert.equal(got, f);
	assert.equal(f.locked, true);
	assert.equal(K.folio_ref_count(f), 2);
	/* Locked by us: a trylock fails with -EBUSY and drops its reference. */
	const busy = fn('ksm_get_folio')(sn, K.KSM_GET_FOLIO_TRYLOCK);
	assert.equal(K.IS_ERR(busy), true);
	assert.equal(K.PTR_ERR(busy), -K.EBUSY);
	assert.equal(K.folio_ref_count(f), 2);

	/* Migration: the new folio takes over the mapping, the node's kpfn moves, the old folio's key is gone. */
	const nf = new K.folio();
	nf.mapping = f.mapping;
	nf.locked = true;
	fn('folio_migrate_ksm')(nf, f);
	assert.equal(sn.kpfn, K.folio_pfn(nf));
	/* As in C: the old folio stays a KSM folio whose stable node is NULL (mapping == FOLIO_MAPPING_KSM). */
	assert.equal(f.mapping, K.FOLIO_MAPPING_KSM);
	assert.equal(fn('folio_stable_node')(f), null);
	K.folio_unlock(f);
	K.folio_put(f);
	nf.locked = false;
	assert.equal(fn('ksm_get_folio')(sn, K.KSM_GET_FOLIO_NOLOCK), nf);
	assert.equal(K.folio_ref_count(nf), 2);

	/* Not a dup: stable_node_dup_del() erases it from root_stable_tree + NUMA(nid); DEBUG_VM clears head. */
	sn.head = K.addr(K.migrate_nodes);
	fn('stable_node_dup_del')(sn);
	assert.equal(root.rb_node, null);
	assert.equal(sn.head, null);
});

/*
 * A stable node chain of two dups: chain() takes the first candidate,
 * chain_prune() (once the prune interval has passed on the model's
 * clock) walks them all, keeps the one with most sharers, puts the other
 * folio's reference back and moves the winner to the head of the chain.
 */
test('model/ksm: chain() and chain_prune() pick a stable node dup through stable_node_dup()', () => {
	const w = new world_modules();
	const K = w.load('kernel');
	K.sched.current = new K.task_struct('ksmd');
	const fn = (name: string) => w.fn('model/ksm', name);
	K.mutex_lock(K.ksm_thread_mutex);
	const root = new K.rb_root();
	const ch = new K.ksm_stable_node();
	ch.rmap_hlist_len = K.STABLE_NODE_CHAIN;
	K.rb_link_node(K.addr(ch.node), null, K.addr_of(root, 'rb_node'));
	const dup = (sharers: number) => {
		const d = new K.ksm_stable_node(), f = new K.folio();
		d.kpfn = K.folio_pfn(f);
		d.rmap_hlist_len = sharers;
		fn('folio_set_stable_node')(f, d);
		fn('stable_node_chain_add_dup')(d, ch);
		return { d, f };
	};
	const many = dup(5), few = dup(2);
	assert.equal(ch.hlist.first, few.d.hlist_dup);
	let d: unknown = null, c: unknown = ch;
	const out = () => [K.ref(d, (v: unknown) => d = v), K.ref(c, (v: unknown) => c = v), root];

	assert.equal(fn('chain')(...out()), few.f);
	assert.equal(d, few.d);
	assert.equal(K.folio_ref_count(few.f), 2);
	K.folio_put(few.f);

	/* Within the prune interval chain_prune() does what chain() does. */
	assert.equal(fn('chain_prune')(...out()), few.f);
	K.folio_put(few.f);
	K.jiffies_advance(K.msecs_to_jiffies(2000) + 1);
	assert.equal(fn('chain_prune')(...out()), many.f);
	assert.equal(d, many.d);
	assert.equal(c, ch);
	assert.equal(ch.chain_prune_time, K.jiffies);
	assert.equal(K.folio_ref_count(many.f), 2);
	assert.equal(K.folio_ref_count(few.f), 1);
	assert.equal(ch.hlist.first, many.d.hlist_dup);
	assert.equal(many.d.hlist_dup.next, few.d.hlist_dup);
	K.mutex_unlock(K.ksm_thread_mutex);
});

/*
 * An mm enters KSM (madvise MADV_MERGEABLE) and exits: __ksm_enter() puts
 * its slot in mm_slots_hash and on the list behind the scan cursor, sets
 * MMF_VM_MERGEABLE and grabs the mm; __ksm_exit() frees a slot with no
 * rmap_items at once, and leaves one that has them on the list for ksmd,
 * after taking and dropping mmap_lock.
 */
test('model/ksm: __ksm_enter and __ksm_exit run on the prelude (slab caches from ksm_slab_init)', () => {
	const w = new world_modules();
	const K = w.load('kernel');
	K.sched.current = new K.task_struct('madvise');
	const fn = (name: string) => w.fn('model/ksm', name);
	assert.equal(fn('ksm_slab_init')(), 0);
	const head = K.ksm_mm_head.slot.mm_node;
	const a = new K.mm_struct('a'), b = new K.mm_struct('b');
	assert.equal(fn('__ksm_enter')(a), 0);
	assert.equal(fn('__ksm_enter')(b), 0);
	const slotA = K.mm_slot_lookup(K.mm_slots_hash, a), slotB = K.mm_slot_lookup(K.mm_slots_hash, b);
	assert.equal(slotA.mm, a);
	assert.equal(K.mm_flags_test(K.MMF_VM_MERGEABLE, a), true);
	assert.equal(a.mm_count.counter, 2);
	/* Behind the cursor, which is at the head: the list is head, a, b. */
	assert.equal(head.next, slotA.mm_node);
	assert.equal(slotA.mm_node.next, slotB.mm_node);

	fn('__ksm_exit')(a);
	assert.equal(K.mm_slot_lookup(K.mm_slots_hash, a), null);
	assert.equal(head.next, slotB.mm_node);
	assert.equal(K.mm_flags_test(K.MMF_VM_MERGEABLE, a), false);
	assert.equal(a.mm_count.counter, 1);

	/* b has rmap_items: its slot stays for ksmd, moved behind the cursor; b's mmap_lock was taken and released. */
	const kslotB = slotB.container;
	kslotB.rmap_list = new K.ksm_rmap_item();
	fn('__ksm_exit')(b);
	assert.equal(K.mm_slot_lookup(K.mm_slots_hash, b), slotB);
	assert.equal(head.prev, slotB.mm_node);
	assert.equal(b.mm_count.counter, 2);
	assert.equal(b.mmap_lock.writer, null);
});

test('prelude: the plain rbtree keeps its in-order sequence through rb_erase and rb_replace_node', () => {
	const w = new world_modules();
	const K = w.load('kernel');
	const root = new K.rb_root();
	const nodes = [50, 30, 70, 20, 40, 60, 80].map((key) => Object.assign(new K.rb_node(), { key }));
	const insert = (n: { key: number }) => {
		let link = K.addr_of(root, 'rb_node'), parent = null;
		while (link.deref) {
			parent = link.deref;
			link = K.addr_of(parent, n.key < parent.key ? 'rb_left' : 'rb_right');
		}
		K.rb_link_node(n, parent, link);
		K.rb_insert_color(n, root);
	};
	nodes.forEach(insert);
	const keys = () => {
		const out: number[] = [];
		for (let n = K.rb_first(root); n; n = K.rb_next(n))
			out.push(n.key);
		return out;
	};
	assert.deepEqual(keys(), [20, 30, 40, 50, 60, 70, 80]);
	K.rb_erase(nodes[0], root);
	assert.deepEqual(keys(), [20, 30, 40, 60, 70, 80]);
	K.rb_erase(nodes[3], root);
	K.rb_erase(nodes[2], root);
	assert.deepEqual(keys(), [30, 40, 60, 80]);
	const repl = Object.assign(new K.rb_node(), { key: 45 });
	K.rb_replace_node(nodes[4], repl, root);
	assert.deepEqual(keys(), [30, 45, 60, 80]);
	assert.throws(() => K.rb_erase(nodes[4], root), /in no tree/);
});

test('ktsc check refuses a model that does not type-check', () => {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-src-'));
	fs.cpSync(sourceRoot(), root, { recursive: true });
	/* check/reverts.ts imports typescript: the copy resolves it from the repository's node_modules. */
	fs.symlinkSync(path.resolve(sourceRoot(), '..', 'node_modules'), path.join(root, 'node_modules'), 'dir');
	assert.deepEqual(typecheckModel(root), []);
	const model = path.join(root, 'model', 'rmap.ts');
	fs.writeFileSync(model, fs.readFileSync(model, 'utf8').replace('anon_vma.num_children = 0;', 'anon_vma.num_children = anon_vma;'));
	const d = typecheckModel(root);
	assert.ok(d.length > 0);
	assert.match(d[0].file, /rmap\.ts$/);
});

/* ---- the lockset (data-race) check ---- */

function faultedWorld(t: (toys: any, h: any, av: any, vma: any) => thread_spec[]): scenario {
	return toyScenario('lockset', (toys, h) => {
		const P = h.mm_alloc('p');
		const vma = h.do_mmap(P, 0x10000, 1);
		h.do_anonymous_page(P, 0x10000);
		return t(toys, h, vma.anon_vma, vma);
	});
}

test('lockset: an interval tree update without the anon_vma lock is a data-race', () => {
	const r = run(faultedWorld((t, _h, _av, vma) => [{ name: 'T', fn: t.unlocked_tree_remove_insert, args: [vma] }]), 0);
	assert.equal(r.failure?.kind, 'data-race');
	assert.match(r.failure!.message, /interval tree remove of anon_vma\.rb_root without anon_vma->root->rwsem held for write/);
});

test('lockset: a counter update without the lock is a data-race; with it, clean; unlocked, an update can be lost', () => {
	const bad = run(faultedWorld((t, _h, av) => [{ name: 'T', fn: t.unlocked_counter_inc, args: [av] }]), 0);
	assert.equal(bad.failure?.kind, 'data-race');
	assert.match(bad.failure!.message, /write of anon_vma\.num_active_vmas/);
	const ok = run(faultedWorld((t, _h, av) => [
		{ name: 'A', fn: t.locked_counter_inc, args: [av] }, { name: 'B', fn: t.locked_counter_inc, args: [av] }]), 2);
	assert.equal(ok.failure, null, ok.failure?.message);
	/* The increment is a load and a store with a scheduling point between them. */
	const inst = instantiate(faultedWorld((t, _h, av) => [{ name: 'T', fn: t.unlocked_counter_inc, args: [av] }]), '7.2');
	const steps = execute(inst, (en) => en[0]).steps.map((s) => s.what);
	assert.ok(steps.includes('load anon_vma.num_active_vmas'), steps.join(', '));
});

/*
 * The checker on the model with one edit: ts-src/model/<file>.ts with
 * `from` (which must stand there exactly once) replaced by `to`, on the
 * 7.2 design, without its figures' time limit.  The source is restored
 * whatever happens.
 */
function checkEdited(file: 'rmap' | 'ksm', from: string, to: string, sc: string, bound?: number): ReturnType<typeof checkOne> {
	const path_ = path.join(sourceRoot(), 'model', `${file}.ts`);
	const text = fs.readFileSync(path_, 'utf8');
	assert.equal(text.split(from).length, 2, `${file}.ts holds the edited text once`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-edited-'));
	overlaySource(path_, text.replace(from, to));
	try {
		return checkOne('7.2', sc, 'clean', { ...(bound === undefined ? {} : { bound }), seconds: Infinity, traceDir: dir });
	} finally {
		overlaySource(null);
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** The unedited model's result on sc. */
function checkModel(sc: string, bound?: number): ReturnType<typeof checkOne> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-model-'));
	try {
		return checkOne('7.2', sc, 'clean', { ...(bound === undefined ? {} : { bound }), seconds: Infinity, traceDir: dir });
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/*
 * mm->mmlist (mm_types.h: "protected by mmlist_lock"): try_to_unmap_one()
 * without the lock around its list_add() to init_mm.mmlist is a data-race
 * on reclaim's first swap entry of the mm, found in the serial order.
 */
test('lockset: reclaim adding the mm to init_mm.mmlist without mmlist_lock is a data-race', () => {
	const locked = '\t\t\t\tspin_lock(addr(mmlist_lock));\n\t\t\t\tif (list_empty(addr(mm.mmlist)))\n\t\t\t\t\tlist_add(addr(mm.mmlist), addr(init_mm.mmlist));\n\t\t\t\tspin_unlock(addr(mmlist_lock));\n';
	assert.equal(checkModel('reclaim-vs-exit', 0).found, 'clean');
	const r = checkEdited('rmap', locked, '\t\t\t\tif (list_empty(addr(mm.mmlist)))\n\t\t\t\t\tlist_add(addr(mm.mmlist), addr(init_mm.mmlist));\n', 'reclaim-vs-exit', 0);
	assert.equal(r.found, 'data-race', r.message);
	assert.match(r.message!, /list_add of mm_struct\.mmlist without mmlist_lock/);
});

test('C integers: an unsigned long counter below zero is 2^64 - 1, not -1', () => {
	const inst = instantiate(faultedWorld((t, _h, av) => {
		const v = t.ulong_underflow(av);
		assert.equal(v, 2 ** 64 - 1);
		return [];
	}), '7.2');
	assert.equal(inst.threads.length, 0);
});

test('use-after-free through an embedded member: &obj->refcount used after obj is freed', () => {
	const bad = run(toyScenario('member', (t) => [{ name: 'T', fn: t.member_after_free, args: [] }]), 0);
	assert.equal(bad.failure?.kind, 'use-after-free');
	assert.match(bad.failure!.message, /refcount\.counter of a freed toy_obj/);
});

test('use-after-free: an object freed while another thread holds the lock embedded in it', () => {
	const build = (wait: boolean): scenario => toyScenario('free-locked', (t) => {
		t.locked_init();
		return [{ name: 'reader', fn: t.lock_holder, args: [] }, { name: 'freer', fn: t.free_locked, args: [wait] }];
	});
	const bad = run(build(false));
	assert.equal(bad.failure?.kind, 'use-after-free');
	assert.match(bad.failure!.message, /freer frees a toy_locked whose sem reader holds/);
	const ok = run(build(true));
	assert.equal(ok.failure, null);
	assert.ok(ok.complete);
});

test('leaks are counted per slab cache even when every process has exited', () => {
	const inst = instantiate(toyScenario('leak', (_t, h, ) => {
		const P = h.mm_alloc('p');
		h.do_mmap(P, 0x10000, 1);
		h.do_anonymous_page(P, 0x10000);
		return [{ name: 'exit', fn: h.exit_mmap, args: [P] }];
	}), '7.2');
	const K = inst.K;
	const r = execute(inst, (en) => en[0], false);
	assert.equal(r.failure, null, r.failure?.message);
	/* A stray allocation nobody can reach any more. */
	K.kmem_cache_alloc(K.slab_caches.find((c: { name: string }) => c.name === 'anon_vma_chain'), 0);
	assert.deepEqual(inst.check(), { kind: 'leak', message: '1 anon_vma_chain allocated, 0 reachable from the VMAs left' });
});

test('a folio reference a thread takes and never puts is a leak at the end; taken and put, clean', () => {
	for (const leak of [false, true]) {
		const inst = instantiate(toyScenario('folio-ref', (t, h) => {
			const P = h.mm_alloc('p');
			h.do_mmap(P, 0x10000, 1);
			const f = h.do_anonymous_page(P, 0x10000);
			return [{ name: 'walker', fn: t.folio_ref_user, args: [f, !leak] }];
		}), '7.2');
		const r = execute(inst, (en) => en[0], false);
		if (leak)
			assert.deepEqual(r.failure, { kind: 'leak', message: 'a folio holds 3 references at the end, expected 2 (its own and its 1 present PTE(s); every thread has finished): a folio_get() never put' });
		else
			assert.equal(r.failure, null, r.failure?.message);
	}
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
	/*
	 * Per reused VMA (2): anon_vma + its chain first, then 3 AVCs for the
	 * grandchild's chain; the third VMA (G's own, no reuse): anon_vma,
	 * chain, 1 AVC, and anon_vma_fork() links its own anon_vma.
	 */
	assert.equal(countAllocations(base, '7.2'), 13);
	/*
	 * once=3: the first clone AVC fails; once=4: the second, after one is
	 * allocated; from=1: the anon_vma; once=11/12/13: anon_vma_fork()'s own
	 * anon_vma, its chain, the clone's AVC of the VMA that reuses nothing,
	 * after two VMAs were copied (dup_mmap() unwinds them).
	 */
	for (const name of ['fork-enomem:once=3', 'fork-enomem:once=4', 'fork-enomem:from=1',
		'fork-enomem:once=11', 'fork-enomem:once=12', 'fork-enomem:once=13']) {
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
	/*
	 * 3 anon_vma_chains per reused VMA, 2 VMAs, and no new anon_vma: the
	 * fork reuses the exited child's; then G's own VMA: its AVC, an
	 * anon_vma and its chain.
	 */
	assert.equal(countAllocations(base, '6.12'), 9);
	for (const name of ['fork-enomem:once=2', 'fork-enomem:from=3', 'fork-enomem:from=1']) {
		const inst = instantiate(findScenario(name), '6.12');
		const r = execute(inst, (enabled) => enabled[0], false);
		assert.equal(r.failure, null, `${name}: ${r.failure?.message}`);
		const H = inst.w.load('check/harness');
		/* once=2: the GFP_NOWAIT allocation fails, the GFP_KERNEL retry succeeds. */
		assert.equal(H.world.enomem, name.includes('once') ? 0 : 1, `${name}: fork ${name.includes('once') ? 'succeeds' : 'fails and unwinds'}`);
		assert.equal(inst.check(), null, `${name}: invariants hold after the unwinding`);
	}
	const r = checkOne('6.12', 'fork-enomem', 'clean', { seconds: Infinity, traceDir });
	assert.equal(r.found, 'clean', r.message);
	assert.match(r.message ?? '', /18 allocation failure points/);
});

test('KSM: ksm-lookup-vs-migrate is clean on the model; without ksm_get_folio()\'s kpfn re-check (2013) a keyhole leads to a freed stable node', () => {
	const ok = checkOne('7.2', 'ksm-lookup-vs-migrate', 'clean', { ...quick, traceDir });
	assert.equal(ok.found, 'clean');
	assert.equal(ok.complete, true);
	const bad = checkOne('ksm-2013-get-folio-no-kpfn-recheck', 'ksm-lookup-vs-migrate', 'use-after-free', { ...quick, traceDir });
	assert.equal(bad.found, 'use-after-free');
	assert.match(bad.message ?? '', /keyhole \(folio->mapping\) leads to a freed stable node/);
});

test('KSM: each barrier of the keyhole, reverted alone in the model\'s source, gives the use-after-free; replay reproduces the reordered load', () => {
	for (const d of ['ksm-2013-migrate-no-smp-wmb', 'ksm-2013-get-folio-no-smp-rmb']) {
		const bad = checkOne(d, 'ksm-lookup-vs-migrate', 'use-after-free', { ...quick, bound: 3, traceDir });
		assert.equal(bad.found, 'use-after-free', d);
		assert.match(bad.message ?? '', /keyhole \(folio->mapping\) leads to a freed stable node/);
		const lines: string[] = [];
		const r = replay(path.join(traceDir, `${d}--ksm-lookup-vs-migrate.json`), (l) => lines.push(l));
		assert.equal(r.reproduced, true, d);
		assert.ok(lines.some((l) => /the load returns a value 1 store\(s\) old/.test(l)), d);
	}
});

test('KSM: ksmd-scan-vs-last-exit is clean on the model; the 2011 revert scans the list head (NULL mm), the 2016 unlock order touches a freed mm; replay reproduces both', () => {
	const ok = checkOne('7.2', 'ksmd-scan-vs-last-exit', 'clean', { ...quick, traceDir });
	assert.equal(ok.found, 'clean', ok.message);
	assert.equal(ok.complete, true);
	const cases: [string, string, RegExp][] = [
		['ksm-2011-scan-no-head-recheck', 'bug', /NULL pointer dereference: mmap_read_lock\(\) of a NULL mm/],
		['ksm-2016-scan-unlock-order', 'use-after-free', /mmap_read_unlock\(\) \(rwsem_wake\(\) after the release\) of a freed mm P/],
	];
	for (const [d, kind, msg] of cases) {
		const bad = checkOne(d, 'ksmd-scan-vs-last-exit', kind as never, { ...quick, traceDir });
		assert.equal(bad.found, kind, `${d}: ${bad.message}`);
		assert.match(bad.message ?? '', msg);
		assert.ok(bad.states < 2000, `${d}: ${bad.states} states`);
		const r = replay(path.join(traceDir, `${d}--ksmd-scan-vs-last-exit.json`), () => {});
		assert.equal(r.reproduced, true, d);
	}
});

test('KSM: ksmd\'s insertion through the model\'s stable_tree_insert() makes a stable_node chain over the identical page; a failed chain allocation leaves the new folio with no stable node, its COW broken', () => {
	const sc = 'ksm-insert-chain-enomem-vs-migrate';
	/* ksmd's allocations, run in order: the new dup, then the chain (migration allocates none from slab). */
	assert.equal(countAllocations(findScenario(sc), '7.2'), 2);
	const serial = (name: string, design = '7.2'): { inst: ReturnType<typeof instantiate>; r: ReturnType<typeof execute> } => {
		const inst = instantiate(findScenario(name), design);
		return { inst, r: execute(inst, (enabled) => enabled[0], false) };
	};
	const ok = serial(sc);
	assert.equal(ok.r.failure, null, ok.r.failure?.message);
	const K = ok.inst.K;
	const chain = K.root_stable_tree.rb_node.container;
	assert.equal(chain.rmap_hlist_len, K.STABLE_NODE_CHAIN, 'the root is a stable_node chain');
	const dups: any[] = [];
	for (let n = chain.hlist.first; n; n = n.next)
		dups.push(n.container);
	assert.equal(dups.length, 2, 'P and Q\'s node and the new one are its dups');
	assert.deepEqual(dups.map((d) => d.rmap_hlist_len).sort(), [2, 2]);
	for (const name of [`${sc}:once=1`, `${sc}:once=2`]) {
		const f = serial(name);
		assert.equal(f.r.failure, null, `${name}: ${f.r.failure?.message}`);
		const root = f.inst.K.root_stable_tree.rb_node.container;
		assert.notEqual(root.rmap_hlist_len, f.inst.K.STABLE_NODE_CHAIN, `${name}: no chain is left`);
		assert.equal(root.rmap_hlist_len, 2, `${name}: P and Q's node as it was`);
		const H = f.inst.w.load('check/harness');
		const R = H.world.mms.find((m: any) => m.name === 'R');
		assert.ok(!f.inst.K.folio_test_ksm(R.ptes.get(0x10000).folio), `${name}: break_cow() gave R a page of its own`);
	}
	/* The 2024 revert, run in order with the chain allocation failing: the new folio's keyhole leads to the freed dup. */
	const bad = serial(`${sc}:once=2`, 'ksm-2024-insert-stable-node-before-chain');
	assert.equal(bad.r.failure?.kind, 'use-after-free');
	assert.match(bad.r.failure?.message ?? '', /freed ksm_stable_node|keyhole \(folio->mapping\) leads to a freed stable node/);
});

test('KSM: ksm-insert-chain-enomem-vs-migrate is clean on the model; with folio_set_stable_node() before the chain (the 2024 revert, a moved line) compaction reads the freed stable node; replay reproduces it', () => {
	const ok = checkOne('7.2', 'ksm-insert-chain-enomem-vs-migrate', 'clean', { ...quick, bound: undefined as never, traceDir });
	assert.equal(ok.found, 'clean', ok.message);
	assert.equal(ok.complete, true);
	assert.match(ok.message ?? '', /4 allocation failure points/);
	const d = 'ksm-2024-insert-stable-node-before-chain';
	const bad = checkOne(d, 'ksm-insert-chain-enomem-vs-migrate', 'use-after-free', { ...quick, bound: undefined as never, traceDir });
	assert.equal(bad.found, 'use-after-free', bad.message);
	assert.match(bad.message ?? '', /once=2: migrate touches \w+ of a freed ksm_stable_node/);
	const r = replay(path.join(traceDir, `${d}--ksm-insert-chain-enomem-vs-migrate:once=2.json`), () => {});
	assert.equal(r.reproduced, true);
});

test('KSM: with merge_across_nodes = 0 ksmd\'s stable_tree_search() collapses a stable_node chain left with one dup, and finds its page migrated to node 1 (replace: to migrate_nodes)', () => {
	const sc = 'ksm-numa-search-vs-migrate';
	const serial = (pick: (enabled: number[]) => number): { inst: ReturnType<typeof instantiate>; r: ReturnType<typeof execute> } => {
		const inst = instantiate(findScenario(sc), '7.2');
		return { inst, r: execute(inst, pick, false) };
	};
	/* ksmd first: the stale dup pruned, the chain collapses into P and Q's node, which is on node 0 still. */
	const first = serial((enabled) => enabled[0]);
	assert.equal(first.r.failure, null, first.r.failure?.message);
	let K = first.inst.K;
	const root0 = K.root_stable_tree.rb_node.container;
	assert.notEqual(root0.rmap_hlist_len, K.STABLE_NODE_CHAIN, 'no chain is left');
	assert.equal(root0.rmap_hlist_len, 2, 'P and Q\'s node is the tree\'s');
	assert.notEqual(root0.head, K.STABLE_NODE_DUP_HEAD, 'a tree node is no dup: its head is the rb_node\'s parent word');
	assert.equal(K.ptr_add(K.root_stable_tree, 1).rb_node, null, 'node 1\'s tree is empty');
	/* The migration first: ksmd finds the collapsed node's page on node 1 and moves the node to migrate_nodes. */
	const last = serial((enabled) => enabled[enabled.length - 1]);
	assert.equal(last.r.failure, null, last.r.failure?.message);
	K = last.inst.K;
	assert.equal(K.root_stable_tree.rb_node, null, 'node 0\'s tree is empty');
	const moved = K.migrate_nodes.next.container;
	assert.equal(moved.rmap_hlist_len, 2, 'P and Q\'s node waits on migrate_nodes');
	assert.equal(K.pfn_to_nid(moved.kpfn), 1);
});

test('KSM: ksm-numa-search-vs-migrate is clean on the model; without stable_node_dup()\'s *_stable_node = found (the 2017 revert) ksmd\'s replace: reads the freed chain; replay reproduces it', () => {
	const sc = 'ksm-numa-search-vs-migrate';
	const ok = checkOne('7.2', sc, 'clean', { ...quick, bound: undefined as never, traceDir });
	assert.equal(ok.found, 'clean', ok.message);
	assert.equal(ok.complete, true);
	const d = 'ksm-2017-numa-chain-collapse';
	const t0 = Date.now();
	const bad = checkOne(d, sc, 'use-after-free', { ...quick, bound: undefined as never, traceDir });
	assert.equal(bad.found, 'use-after-free', bad.message);
	assert.match(bad.message ?? '', /ksmd touches rmap_hlist_len of a freed ksm_stable_node/);
	assert.ok(Date.now() - t0 < 10000, `found in ${Date.now() - t0} ms`);
	const r = replay(path.join(traceDir, `${d}--${sc}.json`), () => {});
	assert.equal(r.reproduced, true);
});

test('KSM: ksmd\'s OOM wait for the exiting process is clean on the model; with __ksm_exit() under ksm_thread_mutex (2009) it deadlocks', () => {
	const ok = checkOne('7.2', 'ksmd-oom-vs-exit', 'clean', { ...quick, traceDir });
	assert.equal(ok.found, 'clean', ok.message);
	assert.equal(ok.complete, true);
	const bad = checkOne('ksm-2009-exit-takes-ksm-thread-mutex', 'ksmd-oom-vs-exit', 'deadlock', { ...quick, traceDir });
	assert.equal(bad.found, 'deadlock', bad.message);
	assert.match(bad.message ?? '', /ksm_thread_mutex/);
});

test('KSM: ksmd scanning over the mm_slots while P exits is clean on the model, the cursor elsewhere or on P (the 2015 negative control: __ksm_exit()\'s mmap_lock handshake)', () => {
	for (const sc of ['ksmd-scan-vs-exit', 'ksmd-scan-vs-exit-at-cursor']) {
		const r = checkOne('7.2', sc, 'clean', { ...quick, traceDir });
		assert.equal(r.found, 'clean', `${sc}: ${r.message}`);
		assert.equal(r.complete, true, sc);
	}
});

test('KSM invariants: an rmap_item on two mm_slots\' rmap_lists, or a slot holding a freed mm, is reported', () => {
	const sc = findScenario('ksmd-scan-vs-exit-at-cursor')!;
	const slots = (inst: any): any[] => {
		const head = inst.K.ksm_mm_head.slot.mm_node;
		const out: any[] = [];
		for (let l = head.next; l !== head; l = l.next)
			out.push(l.container);
		return out;
	};
	const a = instantiate(sc, '7.2');
	assert.equal(a.check(), null);
	const [p, q] = slots(a);
	q.rmap_list = p.rmap_list;
	assert.match(a.check()?.message ?? '', /an rmap_item is on two mm_slots' rmap_lists/);
	const b = instantiate(sc, '7.2');
	slots(b)[0].slot.mm.mm_count.counter = 0;
	const f = b.check();
	assert.equal(f?.kind, 'use-after-free');
	assert.match(f?.message ?? '', /the mm_slot of P holds a freed mm/);
});

test('reverts: the line a variant takes out must stand exactly once in its function', () => {
	const r: revert_edit = { design: 'toy', description: '', expect: {}, module: 'model/x', function: 'f', drop: 'smp_wmb();' };
	const src = 'function g(): void {\n\tsmp_wmb();\n}\nfunction f(): void {\n\ta();\n\tsmp_wmb();\n\tb();\n}\n';
	assert.equal(revertSource('x.ts', src, r), 'function g(): void {\n\tsmp_wmb();\n}\nfunction f(): void {\n\ta();\n\n\tb();\n}\n');
	assert.throws(() => revertSource('x.ts', src, { ...r, function: 'h' }), /no function h/);
	assert.throws(() => revertSource('x.ts', src, { ...r, drop: 'smp_rmb();' }), /has 0 lines "smp_rmb\(\);"/);
	assert.throws(() => revertSource('x.ts', src.replace('\tb();', '\tsmp_wmb();'), r), /has 2 lines/);
	/* A line of another function of the module taken out with it (elsewhere: an assertion of a later era). */
	assert.equal(revertSource('x.ts', src, { ...r, elsewhere: { function: 'g', drop: 'smp_wmb();' } }),
		'function g(): void {\n\n}\nfunction f(): void {\n\ta();\n\n\tb();\n}\n');
	assert.throws(() => revertSource('x.ts', src, { ...r, elsewhere: { function: 'h', drop: 'x();' } }), /no function h/);
	/* A fix that reordered: the statement moves back up, written at the start of the target line (line numbers kept). */
	const m: revert_edit = { ...r, drop: undefined, move: { line: 'c();', above: 'b();' } };
	const msrc = 'function f(): void {\n\tif (x) {\n\t\tb();\n\t}\n\tc();\n}\nfunction g(): void {\n\tc();\n}\n';
	assert.equal(revertSource('x.ts', msrc, m), 'function f(): void {\n\tif (x) {\n\t\tc(); b();\n\t}\n\n}\nfunction g(): void {\n\tc();\n}\n');
	assert.throws(() => revertSource('x.ts', msrc, { ...m, move: { line: 'd();', above: 'b();' } }), /has 0 lines "d\(\);"/);
	assert.throws(() => revertSource('x.ts', msrc.replace('\t\tb();', '\t\tc();'), m), /has 2 lines "c\(\);"/);
	assert.throws(() => revertSource('x.ts', msrc, { ...m, move: { line: 'c();', above: 'a();' } }), /has 0 lines "a\(\);"/);
	assert.throws(() => revertSource('x.ts', msrc, { ...m, move: { line: 'b();', above: 'b();' } }), /cannot move above itself/);
	assert.throws(() => revertSource('x.ts', msrc, { ...m, drop: 'b();' }), /drops a line, moves one or replaces one/);
	/* A condition as it stood before the fix: a line rewritten in its indentation, and a second with also. */
	const rp: revert_edit = { ...r, drop: undefined, replace: { line: 'if (a || b) {', with: 'if (a) {' } };
	const rsrc = 'function f(): void {\n\tx = g();\n\tif (a || b) {\n\t\tc();\n\t}\n}\n';
	assert.equal(revertSource('x.ts', rsrc, rp), 'function f(): void {\n\tx = g();\n\tif (a) {\n\t\tc();\n\t}\n}\n');
	assert.equal(revertSource('x.ts', rsrc, { ...rp, also: { line: 'x = g();', with: 'x = 0;' } }),
		'function f(): void {\n\tx = 0;\n\tif (a) {\n\t\tc();\n\t}\n}\n');
	assert.throws(() => revertSource('x.ts', rsrc, { ...rp, also: { line: 'y();', with: '' } }), /has 0 lines "y\(\);"/);
	assert.throws(() => revertSource('x.ts', rsrc, { ...r, also: { line: 'x = g();', with: 'x = 0;' } }), /also is a second replace/);
	/* A statement over two lines (scan_get_next_rmap_item()'s "if (mm_slot == &ksm_mm_head) return NULL;"): dropped whole, its lines emptied. */
	const ml: revert_edit = { ...m, move: undefined, drop: 'if (a)' };
	assert.equal(revertSource('x.ts', 'function f(): void {\n\tb();\n\tif (a)\n\t\treturn;\n\tc();\n}\n', ml),
		'function f(): void {\n\tb();\n\n\n\tc();\n}\n');
	/* Two unlocks in both branches of an if (scan_get_next_rmap_item()'s last two): the nth of each, the count stated. */
	const two = 'function f(): void {\n\tif (x) {\n\t\tu();\n\t\tl();\n\t} else {\n\t\tu();\n\t\tl();\n\t}\n}\n';
	const nth: revert_edit = { ...m, move: { line: 'l();', above: 'u();', occurrence: { nth: 2, of: 2 } } };
	assert.equal(revertSource('x.ts', two, nth), 'function f(): void {\n\tif (x) {\n\t\tu();\n\t\tl();\n\t} else {\n\t\tl(); u();\n\n\t}\n}\n');
	assert.throws(() => revertSource('x.ts', two, { ...m, move: { line: 'l();', above: 'u();' } }), /has 2 lines "l\(\);", not one/);
	assert.throws(() => revertSource('x.ts', two, { ...m, move: { line: 'l();', above: 'u();', occurrence: { nth: 2, of: 3 } } }), /has 2 lines "l\(\);", not 3/);
	/* Every variant of the table still finds its line in the model. */
	for (const v of REVERTS) {
		const file = path.join(sourceRoot(), `${v.module}.ts`);
		assert.doesNotThrow(() => revertSource(file, fs.readFileSync(file, 'utf8'), v), v.design);
	}
});

test('KSM: ksm-merge-vs-deferred-flush is clean on the model (write_protect_page() flushes the stale TLB entry); write_protect_page() as in 2017 loses P\'s store; the flush-pending test reverted alone is clean in 7.2 (the anon-exclusive handling clears and flushes the PTE anyway)', () => {
	const sc = 'ksm-merge-vs-deferred-flush';
	const ok = checkOne('7.2', sc, 'clean', { ...quick, bound: 1, traceDir });
	assert.equal(ok.found, 'clean', ok.message);
	assert.equal(ok.complete, true);
	/* Not vacuous: run in order (ksmd first), P's page is merged into the KSM folio, and the writer's store then copies it. */
	const inst = instantiate(findScenario(sc), '7.2');
	const r = execute(inst, (enabled) => enabled[0], false);
	assert.equal(r.failure, null, r.failure?.message);
	const H = inst.w.load('check/harness');
	const P = H.world.mms.find((m: any) => m.name === 'P');
	const Q = H.world.mms.find((m: any) => m.name === 'Q');
	assert.equal(P.ptes.get(0x10000).folio.data, 0x77);
	assert.ok(inst.K.folio_test_ksm(Q.ptes.get(0x10000).folio));
	/*
	 * The merge is the model's try_to_merge_with_ksm_page() and
	 * try_to_merge_one_page(): replace_page() mapped the KSM folio in P
	 * (which P's store then copied), the page it replaced was freed by the
	 * scan's put, and P's rmap_item joined Q's and R's on the stable node,
	 * holding P's anon_vma.
	 */
	const node = inst.w.fn('model/ksm', 'folio_stable_node')(Q.ptes.get(0x10000).folio);
	assert.equal(node.rmap_hlist_len, 3);
	/* the replaced page: its last reference the scan's (lru_add_drain_all() put the harness's own) */
	assert.equal(H.world.folios.filter((f: any) => f.freed).length, 1);
	const items: any[] = [];
	for (let n = node.hlist.first; n; n = n.next)
		items.push(n.container);
	const pItem = items.find((it: any) => it.mm === P);
	assert.ok(pItem, 'P\'s rmap_item is on the stable node');
	assert.equal(pItem.anon_vma, P.vmas[0].anon_vma);
	const bad = checkOne('ksm-2017-wpp-before-anon-exclusive', sc, 'lost-write', { ...quick, bound: 1, traceDir });
	assert.equal(bad.found, 'lost-write', bad.message);
	assert.match(bad.message ?? '', /P:0x10000 reads 0x5a, but the process wrote \(or inherited\) 0x77 last/);
	assert.ok((bad.executions ?? Infinity) < 1000, `${bad.executions} executions`);
	/* An honest finding: in 7.2 mm_tlb_flush_pending() is not what saves this page (PageAnonExclusive is). */
	const plain = checkOne('ksm-2017-wpp-no-tlb-flush-pending', sc, 'clean', { ...quick, bound: 1, traceDir });
	assert.equal(plain.found, 'clean', plain.message);
	assert.equal(plain.complete, true);
});

test('KSM invariants: a stable node whose rmap_hlist_len does not count its rmap_items fails, the merged pair passes', () => {
	const merged = (corrupt: boolean): scenario => ({
		name: 'ksm-toy', description: 'toy',
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const mms = ['p', 'q'].map((n) => {
				const mm = h.mm_alloc(n);
				h.do_mmap(mm, 0x10000, 1);
				h.do_anonymous_page(mm, 0x10000);
				return mm;
			});
			const { node } = k.ksm_merged(mms, 0x10000);
			if (corrupt)
				node.rmap_hlist_len++;
			return [{ name: 'fault', fn: h.do_mmap, args: [mms[0], 0x20000, 1] }];
		},
	});
	const bad = run(merged(true));
	assert.equal(bad.failure?.kind, 'bug');
	assert.match(bad.failure!.message, /rmap_hlist_len 3, but 2 rmap_items hang on it/);
	assert.equal(run(merged(false)).failure, null);
});

/*
 * rmap_walk_ksm() is the model's (mm/ksm.c, TypeScript): a merged pair's
 * KSM folio, then P forks after ksmd passed, so its child maps the KSM
 * page without an rmap_item: the first pass visits each rmap_item's own
 * mm (the hlist's order: the last appended first), the search_new_forks
 * pass the child's VMA through P's anon_vma.  A try_lock walk that finds
 * an anon_vma write-locked gives up with contended.
 */
test('KSM: rmap_walk_ksm() runs from the model: both passes, try_lock contention', () => {
	const w = new world_modules();
	const K = w.load('kernel');
	const H = w.load('check/harness');
	const KH = w.load('check/ksm_harness');
	K.sched.current = new K.task_struct('setup');
	H.harness_init();
	const mms = ['P', 'Q'].map((n) => {
		const mm = H.mm_alloc(n);
		H.do_mmap(mm, 0x10000, 1);
		H.do_anonymous_page(mm, 0x10000);
		return mm;
	});
	const { kfolio } = KH.ksm_merged(mms, 0x10000);
	const C = H.dup_mmap(mms[0], 'C');
	const seen = KH.ksm_walk_visits(kfolio).map((v: { vma: any; address: number }) => `${v.vma.vm_mm.name}:0x${v.address.toString(16)}`);
	assert.deepEqual(seen, ['Q:0x10000', 'P:0x10000', 'C:0x10000']);
	assert.equal(C.ptes.get(0x10000).folio, kfolio);
	/* try_lock: Q's anon_vma is write-locked by another task. */
	const other = new K.task_struct('other');
	const me = K.sched.current;
	K.sched.current = other;
	const qav = H.find_vma(mms[1], 0x10000).anon_vma;
	K.down_write(qav.root.rwsem);
	K.sched.current = me;
	const rwc = new K.rmap_walk_control();
	let calls = 0;
	rwc.rmap_one = (): boolean => (calls++, true);
	rwc.try_lock = true;
	kfolio.locked = true;
	w.fn('model/ksm', 'rmap_walk_ksm')(kfolio, rwc);
	kfolio.locked = false;
	assert.equal(rwc.contended, true);
	assert.equal(calls, 0);
});

test('KSM invariant: a PTE of a KSM folio that the model\'s rmap_walk_ksm() does not find is a lost mapping', () => {
	const merged = (corrupt: boolean): scenario => ({
		name: 'ksm-toy', description: 'toy',
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const K = w.load('kernel');
			const mms = ['p', 'q'].map((n) => {
				const mm = h.mm_alloc(n);
				h.do_mmap(mm, 0x10000, 1);
				h.do_anonymous_page(mm, 0x10000);
				return mm;
			});
			const { items } = k.ksm_merged(mms, 0x10000);
			/* q's rmap_item names another address: its VMA does not cover it, so the walk skips it. */
			if (corrupt)
				items[1].address = 0x20000 | K.STABLE_FLAG;
			return [{ name: 'fault', fn: h.do_mmap, args: [mms[0], 0x30000, 1] }];
		},
	});
	const bad = run(merged(true));
	assert.equal(bad.failure?.kind, 'lost-mapping');
	assert.match(bad.failure!.message, /rmap_walk_ksm\(\) does not find the PTE at q:0x10000/);
	assert.equal(run(merged(false)).failure, null);
});

test('KSM: ksm-walk-vs-exit is clean (rmap walks of the mapped KSM folio through rmap_walk_ksm() while Q exits)', () => {
	const r = checkOne('7.2', 'ksm-walk-vs-exit', 'clean', { ...quick, bound: 1, traceDir });
	assert.equal(r.found, 'clean', r.message);
	assert.equal(r.complete, true);
});

/*
 * The rmap_walk_ksm() cost curve from real walks at small N: unlimited
 * sharing grows linearly (one KSM page, N rmap_one() calls), a
 * max_page_sharing of 256 stays bounded at 256 per walk (a chain of
 * ceil(N / 256) dups); and the weighted sample (N above the literal
 * bound) gives what the literal build gives.
 */
test('cost: rmap_walk_ksm() calls rmap_one() N times unlimited, at most 256 times under max_page_sharing 256', () => {
	for (const n of [1, 7, 40]) {
		const r = measureKsmCost(n, 0);
		assert.equal(r.walks, 1);
		assert.equal(r.avgRmapOne, n);
		assert.equal(r.maxRmapOne, n);
	}
	const chain = measureKsmCost(600, 256);
	assert.equal(chain.walks, 3);
	assert.equal(chain.maxRmapOne, 256);
	assert.equal(chain.avgRmapOne, 200);
	const sampled = measureKsmCost(600, 256, 300);
	assert.equal(sampled.built, 256 + 88);
	assert.deepEqual([sampled.walks, sampled.avgRmapOne, sampled.maxRmapOne], [3, 200, 256]);
	const lin = measureKsmCost(40, 0, 10);
	assert.equal(lin.built, 10);
	assert.deepEqual([lin.walks, lin.avgRmapOne, lin.maxRmapOne], [1, 40, 40]);
});

/*
 * remove_rmap_item_from_tree()'s unstable branch computes the item's age
 * as (unsigned char)(ksm_scan.seqnr - rmap_item->address): the model's
 * to_uchar() must wrap as C does, or an item inserted by this scan (age 0)
 * would be left in the unstable tree and one from two scans ago (age 2)
 * would pass the BUG_ON.
 */
test('model/ksm: remove_rmap_item_from_tree ages an unstable rmap_item modulo 256, as C\'s unsigned char does', () => {
	const w = new world_modules();
	const K = w.load('kernel');
	K.sched.current = new K.task_struct('ksmd');
	assert.equal(K.to_uchar(0x200 - 0x5100), 0);
	assert.equal(K.to_uchar(-1), 255);
	assert.equal(K.to_uchar(0x1234), 0x34);
	/* (a == b) == n: the comparison is C's int. */
	assert.equal(K.int_of(true), 1);
	assert.equal(K.int_of(false), 0);
	const remove = w.fn('model/ksm', 'remove_rmap_item_from_tree');
	const root = K.root_unstable_tree;
	const item = new K.ksm_rmap_item();
	K.rb_link_node(K.addr(item.node), null, K.addr_of(root, 'rb_node'));
	K.rb_insert_color(K.addr(item.node), root);
	/* Inserted in scan 0x200 (seqnr's low byte 0x00): the difference is negative in JavaScript, 0 as an unsigned char. */
	K.ksm_scan.seqnr = 0x200;
	item.address = 0x5000 | K.UNSTABLE_FLAG | 0x00;
	remove(item);
	assert.equal(root.rb_node, null, 'an item of this scan is erased from the unstable tree');
	assert.equal(item.address, 0x5000);
	/* Left from scan 0xfe when seqnr has wrapped to 0x100: age 2, a BUG. */
	item.address = 0x5000 | K.UNSTABLE_FLAG | 0xfe;
	K.ksm_scan.seqnr = 0x100;
	assert.throws(() => remove(item), /BUG/);
});

/*
 * mTHP (issue #10): a large anonymous folio through the rmap's add/remove
 * paths, single-threaded, with the state the kernel keeps for it
 * (CONFIG_PAGE_MAPCOUNT, CONFIG_MM_ID) read back after each step.
 */
test('mTHP: fault, fork, partial unmap, COW of a subpage, exit: per-page, per-MM and vmstat state', () => {
	const w = new world_modules();
	const K = w.load('kernel');
	const H = w.load('check/harness');
	K.sched.current = new K.task_struct('t');
	H.harness_init();
	const P = H.mm_alloc('p');
	H.do_mmap(P, 0x10000, 4);
	const F = H.do_anonymous_page_mthp(P, 0x12000, 2);
	const pages = (): number[] => K.folio_pages(F).map((p: any) => p._mapcount.counter + 1);
	const anon = (): number => K.global_node_page_state(K.NR_ANON_MAPPED);
	assert.equal(F.nr_pages, 4);
	assert.deepEqual([...P.ptes.keys()], [0x10000, 0x11000, 0x12000, 0x13000]);
	assert.deepEqual([K.folio_mapcount(F), F._nr_pages_mapped.counter, anon()], [4, 4, 4]);
	assert.deepEqual(pages(), [1, 1, 1, 1]);
	assert.ok(K.folio_pages(F).every((p: any) => p.anon_exclusive));
	assert.deepEqual([F._mm_id[0], F._mm_id_mapcount[0], F._mm_ids_shared], [P.mm_id, 3, false]);
	const C = H.dup_mmap(P, 'c');
	assert.deepEqual([K.folio_mapcount(F), F._nr_pages_mapped.counter, anon()], [8, 4, 4]);
	assert.ok(K.folio_pages(F).every((p: any) => !p.anon_exclusive));
	assert.deepEqual([F._mm_id, F._mm_id_mapcount, F._mm_ids_shared], [[P.mm_id, C.mm_id], [3, 3], true]);
	/* The parent drops pages 1-2: still mapped by the child, nothing is partially mapped yet. */
	H.madvise_dontneed(P, 0x11000, 2);
	assert.deepEqual(pages(), [2, 1, 1, 2]);
	assert.equal(F.partially_mapped, false);
	/* The child COWs page 1: its last mapping goes, the folio is queued for the deferred split. */
	const G = H.do_wp_page(C, 0x11000);
	assert.deepEqual(pages(), [2, 0, 1, 2]);
	assert.deepEqual([K.folio_mapcount(F), F._nr_pages_mapped.counter, anon()], [5, 3, 4]);
	assert.ok(F.partially_mapped && F.deferred_split);
	assert.equal(K.folio_mapcount(G), 1);
	assert.equal(H.world.folios.length, 2);
	H.exit_mmap(C);
	assert.deepEqual([F._mm_id, F._mm_id_mapcount, F._mm_ids_shared], [[P.mm_id, 0], [1, -1], false]);
	H.exit_mmap(P);
	assert.deepEqual([K.folio_mapcount(F), F._nr_pages_mapped.counter, anon()], [0, 0, 0]);
	assert.deepEqual(pages(), [0, 0, 0, 0]);
	assert.deepEqual([F._mm_id, F._mm_id_mapcount], [[0, 0], [-1, -1]]);
});

test('mTHP scenarios catch a broken large-folio rmap update (the model is clean in each)', () => {
	const root = sourceRoot();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-mthp-'));
	/* [file, the model's text, the broken text, scenario, finding, message] */
	for (const [file, from, to, sc, kind, msg] of [
		/* the large mapcount dropped by one PTE instead of the batch */
		['rmap.ts', 'folio_sub_large_mapcount(folio, nr_pages, vma);', 'folio_sub_large_mapcount(folio, 1, vma);',
			'mthp-fork-vs-partial-unmap', 'lost-mapping', /folio_mapcount\(\) \d+ but \d+ PTEs map the folio/],
		/* _nr_pages_mapped not told how many pages lost their last mapping */
		['rmap.ts', 'atomic_sub_return_relaxed(last, mapped)', 'atomic_sub_return_relaxed(1, mapped)',
			'mthp-fork-vs-partial-unmap', 'lost-mapping', /_nr_pages_mapped is \d+ but \d+ of its pages are mapped/],
		/* fork accounts the child's PTEs to the parent's MM slot */
		['rmap_h.ts', 'folio_add_large_mapcount(folio, orig_nr_pages, dst_vma);', 'folio_add_large_mapcount(folio, orig_nr_pages, src_vma);',
			'mthp-cow-subpage-vs-exit', 'lost-mapping', /MM slot|not marked maybe-shared/],
		/* the per-page loop stops after the first page */
		['rmap.ts', 'first += atomic_inc_and_test(addr(page._mapcount));\n\t\t} while (ptr_inc(ref(page, (v) => page = v)), --nr_pages > 0);',
			'first += atomic_inc_and_test(addr(page._mapcount));\n\t\t} while (false);',
			'mthp-swapin-vs-swapin', 'lost-mapping', /_mapcount \+ 1 is \d+ but \d+ PTEs map it/],
		/* no deferred split for a partially unmapped folio */
		['rmap.ts', 'deferred_split_folio(folio, true);', '{}',
			'mthp-partial-unmaps', 'lost-mapping', /not queued for the deferred split/],
		/* the unmapped pages not taken off NR_ANON_MAPPED */
		['rmap.ts', '__folio_mod_stat(folio, -nr, -nr_pmdmapped);', '__folio_mod_stat(folio, 0, -nr_pmdmapped);',
			'mthp-fork-vs-partial-unmap', 'bug', /NR_ANON_MAPPED \d+ and NR_FILE_MAPPED 0, but the page tables map \d+ anon/],
	] as [string, string, string, string, string, RegExp][]) {
		const path_ = path.join(root, 'model', file);
		const text = fs.readFileSync(path_, 'utf8');
		assert.equal(text.split(from).length, 2, `${file}: "${from}" once`);
		overlaySource(path_, text.replace(from, to));
		try {
			const r = checkOne('7.2', sc, 'clean', { ...quick, bound: 1, traceDir: dir });
			assert.equal(r.found, kind, `${to}: ${r.message}`);
			assert.match(r.message!, msg);
		} finally {
			overlaySource(null);
		}
	}
	for (const sc of ['mthp-fork-vs-partial-unmap', 'mthp-partial-unmaps', 'mthp-cow-subpage-vs-exit', 'mthp-swapin-vs-swapin'])
		assert.equal(checkOne('7.2', sc, 'clean', { ...quick, bound: 1, traceDir: dir }).found, 'clean', sc);
	fs.rmSync(dir, { recursive: true, force: true });
});

/*
 * An operation made a silent no-op breaks no invariant: run alone on its
 * scenario's setup (first, to its end, no allocation failure), it must do
 * its job (check/alone.ts).  Each edit below is clean by every invariant.
 */
test('an operation the model makes a no-op is a finding when it runs alone: no-effect', () => {
	const root = sourceRoot();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-alone-'));
	for (const [file, from, to, sc, msg] of [
		/* try_to_unmap() walks nothing: reclaim leaves the folio mapped */
		['rmap.ts', 'anon_lock: folio_lock_anon_vma_read,\n\t});\n\n\tif (flags & TTU_RMAP_LOCKED)\n\t\trmap_walk_locked(folio, addr(rwc));\n\telse\n\t\trmap_walk(folio, addr(rwc));',
			'anon_lock: folio_lock_anon_vma_read,\n\t});\n\n\tif (flags & TTU_RMAP_LOCKED)\n\t\trmap_walk_locked(folio, addr(rwc));',
			'reclaim-vs-exit', /^reclaim, run alone: try_to_unmap\(\) left 1 mapping\(s\) of the folio/],
		/* try_to_migrate() walks nothing: the migration puts the folio back */
		['rmap.ts', 'rwc.invalid_vma = invalid_migration_vma;\n\n\tif (flags & TTU_RMAP_LOCKED)\n\t\trmap_walk_locked(folio, addr(rwc));\n\telse\n\t\trmap_walk(folio, addr(rwc));',
			'rwc.invalid_vma = invalid_migration_vma;\n\n\tif (flags & TTU_RMAP_LOCKED)\n\t\trmap_walk_locked(folio, addr(rwc));',
			'migrate-vs-write', /^migrate, run alone: the folio was not migrated \(mapcount 1 left on it\)/],
		/* write_protect_page() never reports success: ksmd gives up the merge */
		['ksm.ts', 'orig_pte.deref = entry;\n\terr = 0;', 'orig_pte.deref = entry;',
			'ksm-merge-vs-deferred-flush', /^ksmd, run alone: the scan did not merge the identical page/],
	] as [string, string, string, string, RegExp][]) {
		const path_ = path.join(root, 'model', file);
		const text = fs.readFileSync(path_, 'utf8');
		assert.equal(text.split(from).length, 2, `${file}: "${from}" once`);
		overlaySource(path_, text.replace(from, to));
		try {
			const r = checkOne('7.2', sc, 'clean', { bound: 0, seconds: Infinity, traceDir: dir });
			assert.equal(r.found, 'no-effect', `${sc}: ${r.message}`);
			assert.match(r.message!, msg);
		} finally {
			overlaySource(null);
		}
	}
	fs.rmSync(dir, { recursive: true, force: true });
});

test('an mmu_notifier invalidation started and never ended is a bug when the thread returns', () => {
	const root = sourceRoot();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-mmu-'));
	for (const [file, from, to, sc, msg] of [
		/* try_to_unmap_one() without its range end */
		['rmap.ts', 'break walk_done;\n\t\tcontinue;\n}\n\t\tret = false;\n}\n\t\tpage_vma_mapped_walk_done(addr(pvmw));\n\t\tbreak;\n\t}\n\n\tmmu_notifier_invalidate_range_end(addr(range));',
			'break walk_done;\n\t\tcontinue;\n}\n\t\tret = false;\n}\n\t\tpage_vma_mapped_walk_done(addr(pvmw));\n\t\tbreak;\n\t}\n',
			'reclaim-vs-exit', /^reclaim returns with 1 mmu_notifier invalidation\(s\) started and never ended/],
		/* write_protect_page() without its range end */
		['ksm.ts', 'page_vma_mapped_walk_done(addr(pvmw));\n}\n\tmmu_notifier_invalidate_range_end(addr(range));', 'page_vma_mapped_walk_done(addr(pvmw));\n}\n',
			'ksm-merge-vs-deferred-flush', /^ksmd returns with 1 mmu_notifier invalidation\(s\) started and never ended/],
	] as [string, string, string, string, RegExp][]) {
		const path_ = path.join(root, 'model', file);
		const text = fs.readFileSync(path_, 'utf8');
		assert.equal(text.split(from).length, 2, `${file}: "${from}" once`);
		overlaySource(path_, text.replace(from, to));
		try {
			const r = checkOne('7.2', sc, 'clean', { bound: 0, seconds: Infinity, traceDir: dir });
			assert.equal(r.found, 'bug', `${sc}: ${r.message}`);
			assert.match(r.message!, msg);
		} finally {
			overlaySource(null);
		}
	}
	fs.rmSync(dir, { recursive: true, force: true });
});

/*
 * ksm-merge-vs-gup-pin: a page under DMA (a FOLL_PIN of an O_DIRECT read)
 * is not merged.  The model is clean; write_protect_page() without its
 * restore of the cleared PTE on the pinned path loses the mapping, and
 * without both of its pin checks (the reference count, and
 * folio_try_share_anon_rmap_pte()'s folio_maybe_dma_pinned()) the merge
 * goes on and trips replace_page()'s assertion on the still exclusive page.
 */
test('ksm-merge-vs-gup-pin: clean on the model; the pinned path\'s restore or both pin checks dropped are found', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-gup-'));
	assert.equal(checkOne('7.2', 'ksm-merge-vs-gup-pin', 'clean', { seconds: Infinity, traceDir: dir }).found, 'clean');
	const path_ = path.join(sourceRoot(), 'model', 'ksm.ts');
	const text = fs.readFileSync(path_, 'utf8');
	const refcheck = 'if (folio_mapcount(folio) + 1 + swapped != folio_ref_count(folio)) {\n\t\t\tset_pte_at(mm, pvmw.address, pvmw.pte, entry);\n\t\t\tbreak out_unlock;';
	const share = 'if (anon_exclusive &&\n\t\t    folio_try_share_anon_rmap_pte(folio, addr(folio.page))) {';
	assert.equal(text.split(refcheck).length, 2);
	assert.equal(text.split(share).length, 2);
	for (const [mutated, kind, msg] of [
		[text.replace(refcheck, 'if (folio_mapcount(folio) + 1 + swapped != folio_ref_count(folio)) {\n\t\t\tbreak out_unlock;'),
			'lost-mapping', /folio_mapcount\(\) 1 but 0 PTEs map the folio/],
		[text.replace(refcheck, 'if (false) {\n\t\t\tset_pte_at(mm, pvmw.address, pvmw.pte, entry);\n\t\t\tbreak out_unlock;')
			.replace(share, 'if (anon_exclusive && false) {'), 'bug', /VM_BUG_ON_PAGE/],
	] as [string, string, RegExp][]) {
		overlaySource(path_, mutated);
		try {
			const r = checkOne('7.2', 'ksm-merge-vs-gup-pin', 'clean', { seconds: Infinity, traceDir: dir });
			assert.equal(r.found, kind, r.message);
			assert.match(r.message!, msg);
		} finally {
			overlaySource(null);
		}
	}
	fs.rmSync(dir, { recursive: true, force: true });
});

test('an mmu_notifier range started before mmu_notifier_range_init() is a NULL pointer dereference', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-mmu-init-'));
	const path_ = path.join(sourceRoot(), 'model', 'rmap.ts');
	const text = fs.readFileSync(path_, 'utf8');
	/* try_to_unmap_one(): the range's start moved above its init */
	const init = text.indexOf('mmu_notifier_range_init(addr(range), MMU_NOTIFY_CLEAR, 0, vma.vm_mm,');
	assert.ok(init > 0);
	const start = text.indexOf('\tmmu_notifier_invalidate_range_start(addr(range));\n', init);
	const mutated = text.slice(0, start) + text.slice(start + '\tmmu_notifier_invalidate_range_start(addr(range));\n'.length);
	const lineStart = text.lastIndexOf('\n', init) + 1;
	overlaySource(path_, mutated.slice(0, lineStart) + '\tmmu_notifier_invalidate_range_start(addr(range));\n' + mutated.slice(lineStart));
	try {
		const r = checkOne('7.2', 'reclaim-vs-exit', 'clean', { bound: 0, seconds: Infinity, traceDir: dir });
		assert.equal(r.found, 'bug', r.message);
		assert.match(r.message!, /NULL pointer dereference: mmu_notifier_invalidate_range_start\(\) of a NULL mm/);
	} finally {
		overlaySource(null);
	}
	fs.rmSync(dir, { recursive: true, force: true });
});

/*
 * A folio left locked when every thread has finished is found at the end
 * of the run: try_to_merge_one_page() without its folio_unlock() leaves the
 * page ksmd merged locked, and the next folio_lock() would sleep for ever.
 */
test('a folio still locked at the end is a finding (try_to_merge_one_page() without its unlock)', () => {
	const r = checkEdited('ksm', '\t}\n\n}\n\tfolio_unlock(folio);\n}\n\treturn err;\n}\n', '\t}\n\n}\n}\n\treturn err;\n}\n', 'ksm-merge-vs-gup-pin', 0);
	assert.equal(r.found, 'deadlock', r.message);
	assert.match(r.message!, /a folio is still locked at the end .*: a folio_unlock\(\) missed on some path/);
});

/*
 * reclaim-vs-gup-pin, migrate-vs-gup-pin: reclaim and migration of a page
 * under an O_DIRECT pin.  Both are clean on the model; try_to_unmap_one()
 * or try_to_migrate_one() without the set_pte_at() that puts the PTE back
 * when folio_try_share_anon_rmap_pte() refuses a pinned page leaves the
 * page mapped by nothing.
 */
test('reclaim/migrate vs a GUP pin: clean on the model; the pinned path\'s PTE put-back dropped is a lost mapping', () => {
	const unmap = '\t\t\t    folio_try_share_anon_rmap_pte(folio, subpage)) {\n\t\t\t\tfolio_put_swap(folio, subpage);\n';
	const migrate = '\t\t\t\t   folio_try_share_anon_rmap_pte(folio, subpage)) {\n';
	const putBack = '\t\t\t\tset_pte_at(mm, address, pvmw.pte, pteval);\n';
	for (const [sc, from, after] of [
		['reclaim-vs-gup-pin', unmap, '\t\t\t\tbreak walk_abort;'],
		['migrate-vs-gup-pin', migrate, '\t\t\t\tret = false;'],
	]) {
		assert.equal(checkModel(sc).found, 'clean', sc);
		const r = checkEdited('rmap', from + putBack + after, from + after, sc);
		assert.equal(r.found, 'lost-mapping', `${sc}: ${r.message}`);
	}
});

/*
 * MADV_FREE: reclaim may discard a lazyfree folio only while it is clean
 * and nobody else holds a reference.  Both scenarios are clean on the
 * model; try_to_unmap_one() without the redirty test loses a store made
 * after MADV_FREE, and without the reference test (the 2022 fix, also a
 * design variant) loses what an O_DIRECT read wrote into the page.
 */
test('MADV_FREE vs reclaim: clean on the model; the redirty or the reference test dropped is a lost write', () => {
	for (const [sc, from, to] of [
		['reclaim-lazyfree-vs-write', 'if (folio_test_dirty(folio) && !(vma.vm_flags & VM_DROPPABLE)) {', 'if (false) {'],
		['reclaim-lazyfree-vs-gup-pin', '} else if (ref_count != 1 + map_count) {', '} else if (false) {'],
	]) {
		assert.equal(checkModel(sc).found, 'clean', sc);
		const r = checkEdited('rmap', from, to, sc);
		assert.equal(r.found, 'lost-write', `${sc}: ${r.message}`);
		assert.match(r.message!, /was MADV_FREE'd, then written \(0x77\), and is gone/);
	}
});

test('the checker refuses a call in an optional chain (it would not short-circuit) with file:line:col', () => {
	assert.throws(() => transpileForCheck('/x/harness.ts', 'export function f(m: Map<number, Set<number>>): void {\n\tsched_point("x");\n\tm.get(1)?.delete(2);\n}\n', { lines: true }),
		/\/x\/harness\.ts:3:2: a call in an optional chain \(m\.get\(1\)\?\.delete\(…\)\) is not supported in checked code/);
});

/*
 * referenced-vs-last-exit: exit_mmap() runs with mm_users at 0 (the last
 * mmput()), so folio_referenced_one() takes its exiting-mm branch.  The
 * model is clean; that branch without its page_vma_mapped_walk_done()
 * returns with the PTE map's RCU section (and lock) held, and without its
 * -1 reports a mapping that was there throughout as unreferenced.
 */
test('referenced-vs-last-exit: the exiting-mm branch of folio_referenced_one() is run and checked', () => {
	const head = '\t\t    !folio_maybe_mapped_shared(folio)) {\n';
	const branch = `${head}\t\t\tpra.referenced = -1;\n\t\t\tpage_vma_mapped_walk_done(addr(pvmw));\n\t\t\treturn false;`;
	assert.equal(checkModel('referenced-vs-last-exit').found, 'clean');
	for (const [to, msg] of [
		[`${head}\t\t\tpra.referenced = -1;\n\t\t\treturn false;`, /inside an RCU read-side critical section/],
		[`${head}\t\t\tpage_vma_mapped_walk_done(addr(pvmw));\n\t\t\treturn false;`, /reports 0 references and no contention, but 1 mappings were there throughout/],
	] as [string, RegExp][]) {
		const r = checkEdited('rmap', branch, to, 'referenced-vs-last-exit');
		assert.equal(r.found, 'bug', r.message);
		assert.match(r.message!, msg);
	}
});

/*
 * check_mm()'s "Bad rss-counter state": the RSS counters must count what
 * the page tables hold at the end, and nothing for an mm that has exited.
 * try_to_unmap_one() without its counter updates (a lazyfree page
 * discarded, a page swapped out) leaves one wrong.
 */
test('RSS counters: a counter update try_to_unmap_one() drops is a Bad rss-counter state', () => {
	for (const sc of ['reclaim-lazyfree-vs-write', 'reclaim-vs-exit'])
		assert.equal(checkModel(sc, 0).found, 'clean', sc);
	const lazy = checkEdited('rmap', '\t\t\t\tadd_mm_counter(mm, MM_ANONPAGES, -nr_pages);\n', '\n', 'reclaim-lazyfree-vs-write', 0);
	assert.equal(lazy.found, 'bug', lazy.message);
	assert.match(lazy.message!, /Bad rss-counter state mm:proc type:MM_ANONPAGES val:2 \(its page tables hold 1\)/);
	const swap = checkEdited('rmap', '\t\t\tdec_mm_counter(mm, MM_ANONPAGES);\n\t\t\tinc_mm_counter(mm, MM_SWAPENTS);\n',
		'\t\t\tdec_mm_counter(mm, MM_ANONPAGES);\n', 'reclaim-vs-exit', 0);
	assert.equal(swap.found, 'bug', swap.message);
	assert.match(swap.message!, /Bad rss-counter state mm:proc type:MM_SWAPENTS val:-1 \(its page tables hold 0; the mm has exited\)/);
});

/*
 * folio_move_anon_rmap() is TypeScript now: its "anon_vma +=
 * FOLIO_MAPPING_ANON" is arithmetic on a ptr<void> local, which the
 * checker's transform runs on the object's address, so the folio's
 * mapping becomes the tagged pointer __folio_set_anon() makes.
 */
test('void pointer arithmetic runs on the address: folio_move_anon_rmap() moves a folio to the child\'s anon_vma', () => {
	let seen: any[] = [];
	const sc: scenario = {
		name: 'move-anon-rmap', description: 'toy',
		build(h, w) {
			const M = w.load('model/rmap');
			const K = w.load('kernel');
			const P = h.mm_alloc('p');
			h.do_mmap(P, 0x10000, 1);
			const F = h.do_anonymous_page(P, 0x10000);
			const C = h.dup_mmap(P, 'child');
			const before = K.folio_anon_vma(F);
			F.locked = true;
			M.folio_move_anon_rmap(F, C.vmas[0]);
			F.locked = false;
			seen = [before, P.vmas[0].anon_vma, K.folio_anon_vma(F), C.vmas[0].anon_vma, typeof F.mapping];
			return [];
		},
	};
	instantiate(sc, '7.2');
	assert.equal(seen[0], seen[1], 'before: the parent\'s anon_vma');
	assert.equal(seen[2], seen[3], 'after: the child\'s');
	assert.notEqual(seen[2], seen[0]);
	assert.equal(seen[4], 'number', 'folio->mapping holds a tagged address');
});

/*
 * cow-reuse-vs-migrate: with the parent gone, the child's write fault
 * reuses the page it shared (no copy) and moves it to the child's own
 * anon_vma through the model's folio_move_anon_rmap(); clean against a
 * concurrent migration.
 */
test('cow-reuse-vs-migrate: the write reuses the page and moves it to the child\'s anon_vma; clean against migration', () => {
	const inst = instantiate(findScenario('cow-reuse-vs-migrate'), '7.2');
	const H = inst.w.load('check/harness');
	const K = inst.K;
	const C = H.world.mms.find((m: { name: string }) => m.name === 'child');
	const F = C.ptes.get(0x10000).folio;
	assert.equal(K.folio_anon_vma(F), C.vmas[0].anon_vma.root, 'before: the root (the exited parent\'s) anon_vma');
	/* The write alone, then the migration. */
	const r = execute(inst, (enabled) => enabled[0], false);
	assert.equal(r.failure, null, r.failure?.message);
	assert.equal(inst.check(), null);
	const now = C.ptes.get(0x10000);
	assert.ok(now.write, 'the reused page is writable');
	assert.equal(K.folio_anon_vma(now.folio), C.vmas[0].anon_vma, 'moved to the child\'s own anon_vma');
	assert.notEqual(C.vmas[0].anon_vma, C.vmas[0].anon_vma.root);
	assert.equal(checkModel('cow-reuse-vs-migrate', 1).found, 'clean');
});

/*
 * ksmd's merge through the model's scan path (cmp_and_merge_page()):
 * clean, and it does merge when it runs alone (the alone-check).  Without
 * the compare after write_protect_page() (pages_identical()), a write
 * that lands between ksmd's checksum and the write-protect is lost: P
 * ends up mapping the KSM page with the old contents.
 */
test('ksmd-merge-vs-write: the model merges and is clean; merging without the compare after the write-protect loses the write', () => {
	assert.equal(checkModel('ksmd-merge-vs-write').found, 'clean');
	const r = checkEdited('ksm', '\t\t} else if (pages_identical(page, kpage))\n', '\t\t} else\n', 'ksmd-merge-vs-write');
	assert.equal(r.found, 'lost-write', r.message);
	assert.match(r.message!, /P:0x10000 reads 0x5a, but the process wrote \(or inherited\) 0x77 last/);
});

/*
 * The unstable tree, from the model: ksmd's second scan puts P's page in
 * the unstable tree and merges Q's with it (try_to_merge_two_pages(),
 * stable_tree_insert()); the harness drained its own references first
 * (lru_add_drain_all()), so write_protect_page() counts the scan's.
 * Racing P's write or exit is clean, and alone ksmd merges.  When P exits
 * after Q's half of the merge, break_cow() of Q's rmap_item must undo it
 * (the unshare fault copies the page back): without it Q maps a KSM page
 * that no stable node knows.
 */
test('ksmd-unstable-merge: clean against a write and an exit; without try_to_merge_two_pages()\'s break_cow() a KSM page is left outside the stable tree', () => {
	assert.equal(checkModel('ksmd-unstable-merge-vs-write').found, 'clean');
	assert.equal(checkModel('ksmd-unstable-merge-vs-exit').found, 'clean');
	const r = checkEdited('ksm', '\t\tif (err)\n\t\t\tbreak_cow(rmap_item);\n\t}\n\treturn err ? NULL : page_folio(page);', '\t}\n\treturn err ? NULL : page_folio(page);', 'ksmd-unstable-merge-vs-exit');
	assert.equal(r.found, 'lost-mapping', r.message);
	assert.match(r.message!, /the PTE at Q:0x10000 maps a KSM folio whose stable node is NULL/);
	/* stable_tree_insert() failing (alloc_stable_node()): cmp_and_merge_page() must break COW on both pages. */
	assert.equal(checkModel('ksmd-unstable-merge-enomem-vs-write').found, 'clean');
	const e = checkEdited('ksm', '\t\t\t\tbreak_cow(tree_rmap_item);\n\t\t\t\tbreak_cow(rmap_item);\n', '\t\t\t\tbreak_cow(tree_rmap_item);\n', 'ksmd-unstable-merge-enomem-vs-write');
	assert.equal(e.found, 'lost-mapping', e.message);
	assert.match(e.message!, /once=1: the PTE at Q:0x10000 maps a KSM folio whose stable node is NULL/);
});

/*
 * ksm.c's statistics against what they count (ksm_invariants.ts's
 * checkKsmCounters()): unstable_tree_search_insert() without its
 * ksm_pages_unshared++ leaves the count below the rmap_items in the
 * unstable tree (an unsigned long: its later -- wraps).  File-scope
 * counters start at 0 as C's statics do (the transform's zeroInit()), not
 * at undefined.
 */
test('KSM counters: ksm_pages_unshared must count the unstable tree\'s rmap_items; the model keeps it', () => {
	assert.equal(checkModel('ksmd-unstable-merge-vs-write').found, 'clean');
	const r = checkEdited('ksm', '\trb_insert_color(addr(rmap_item.node), root);\n\n\tksm_pages_unshared++;\n', '\trb_insert_color(addr(rmap_item.node), root);\n\n', 'ksmd-unstable-merge-vs-write');
	assert.equal(r.found, 'bug', r.message);
	assert.match(r.message!, /KSM: ksm_pages_unshared is 18446744073709552000, but 0 rmap_item\(s\) are in an unstable tree/);
});

/*
 * C passes a struct by value.  The model's functions start with their own
 * copy of a struct parameter (ksm_vma_flags()'s vma_flags_set() of its
 * vma_flags must not change the caller's); the prelude's helpers, which
 * take the caller's object on purpose, are not rewritten.
 */
test('a struct parameter of a model function is the callee\'s copy, as C passes it', () => {
	const src = 'export function g(flags: vma_flags_t, p: ptr<vma_flags_t>, n: ulong): vma_flags_t {\n\tvma_flags_set(addr(flags), 31);\n\treturn flags;\n}\n';
	const model = transpileForCheck('/x/model/ksm.ts', src, { lines: true, byValue: new Set(['vma_flags_t']) });
	assert.match(model, /flags = __k\.byval\(flags\);/);
	assert.doesNotMatch(model, /p = __k\.byval|n = __k\.byval/);
	assert.doesNotMatch(transpileForCheck('/x/kernel/mm_types.ts', src, { lines: false }), /byval/);
	const k = new runtime();
	class vma_flags_t { bits = new Set<number>([3]); }
	const a = new vma_flags_t();
	const b = k.byval(a);
	b.bits.add(31);
	assert.ok(b instanceof vma_flags_t);
	assert.deepEqual([...a.bits], [3]);
	assert.deepEqual([...b.bits], [3, 31]);
	const pte = { folio: null, write: true };
	assert.equal(k.byval(pte), pte);
	assert.equal(k.byval(7), 7);
});

/*
 * madvise(MADV_UNMERGEABLE) through the model's ksm_madvise(): break_ksm()
 * must leave no KSM page in the range before VM_MERGEABLE goes, and ksmd
 * merges only in VM_MERGEABLE VMAs (the end invariant in invariants.ts).
 * Without the break_ksm() the merged page stays in P's unmergeable VMA.
 */
test('MADV_UNMERGEABLE: a KSM page left in a VMA without VM_MERGEABLE is a finding; the model breaks COW first', () => {
	for (const sc of ['ksm-unmergeable-vs-ksmd-scan', 'ksmd-merge-vs-unmergeable'])
		assert.equal(checkModel(sc).found, 'clean', sc);
	const r = checkEdited('ksm', '\t\tif (vma.anon_vma) {\n\t\t\terr = break_ksm(vma, start, end, true);\n\t\t\tif (err)\n\t\t\t\treturn err;\n\t\t}\n\n\t\tvm_flags.deref &= ~VM_MERGEABLE;',
		'\t\tvm_flags.deref &= ~VM_MERGEABLE;', 'ksm-unmergeable-vs-ksmd-scan');
	assert.equal(r.found, 'lost-mapping', r.message);
	assert.match(r.message!, /maps a KSM page in a VMA without VM_MERGEABLE/);
});

/*
 * ksm_mmlist_lock "protects mm_slots_hash and ksm_mm_head's list": a
 * slot's list_del() outside it is a data-race (the lockset rule on
 * ksm_mm_slot's slot.mm_node).  scan_get_next_rmap_item() with the
 * unlock moved above the list_del() (a swap that ktsc mutate left
 * surviving before the rule) is caught when P exits while ksmd scans.
 */
test('lockset: an mm_slot leaving ksm_mm_head\'s list outside ksm_mmlist_lock is a data-race', () => {
	const r = checkEdited('ksm', '\t\tlist_del(addr(mm_slot.slot.mm_node));\n\t\tspin_unlock(addr(ksm_mmlist_lock));\n\n\t\tmm_slot_free(',
		'\t\tspin_unlock(addr(ksm_mmlist_lock));\n\t\tlist_del(addr(mm_slot.slot.mm_node));\n\n\t\tmm_slot_free(', 'ksmd-scan-vs-last-exit');
	assert.equal(r.found, 'data-race', r.message);
	assert.match(r.message!, /ksm_mmlist_lock/);
});

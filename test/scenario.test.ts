/*
 * The model runs: one thread, 7.2's anon_vma lifecycle end to end, driven
 * by the checker's harness of mm operations (run directly here, no scheduler).
 * mmap + anonymous fault, fork twice, COW in the first child, munmap in the
 * parent, exit of both children -- and after each step, the anon_vma graph
 * the 7.2 code implies (root, parent, num_children, num_active_vmas,
 * refcount, interval trees, which anon_vmas are freed).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as K from '../ts-src/kernel';
import * as rmap from '../ts-src/model/rmap';
import * as mm from '../ts-src/check/harness';

type AV = K.ptr<K.anon_vma>;
type VMA = K.ptr<K.vm_area_struct>;
type FOLIO = K.ptr<K.folio>;

const START = 0x10000;

/** The VMAs an rmap walk of the folio visits (under the folio lock, as 7.2 asserts). */
function walk(f: FOLIO): VMA[] {
	const seen: VMA[] = [];
	const rwc = new K.rmap_walk_control() as K.ptr<K.rmap_walk_control>;
	rwc.rmap_one = (_f, vma) => {
		seen.push(vma);
		return true;
	};
	f.locked = true;
	rmap.rmap_walk(f, rwc);
	f.locked = false;
	return seen;
}

function live(av: AV): boolean {
	return K.slab_meta_of(av)!.live;
}

function shape(av: AV): object {
	return {
		root: av.root, parent: av.parent, refcount: av.refcount.counter,
		num_children: av.num_children, num_active_vmas: av.num_active_vmas,
		tree: av.rb_root.rb_root.nodes.length,
	};
}

test('anon_vma lifecycle of 7.2: fault, fork x2, COW, munmap, exit', () => {
	mm.harness_init();
	const P = mm.mm_alloc('parent');
	const vp = mm.do_mmap(P, START, 4);

	const f0 = mm.do_anonymous_page(P, START);
	const av0 = vp.anon_vma;
	assert.deepEqual(shape(av0), { root: av0, parent: av0, refcount: 1, num_children: 1, num_active_vmas: 1, tree: 1 });
	assert.equal(K.folio_anon_vma(f0), av0);

	const C1 = mm.dup_mmap(P, 'child1');
	const v1 = C1.vmas[0];
	const av1 = v1.anon_vma;
	assert.notEqual(av1, av0, 'the child gets an anon_vma of its own (av0 still has an active VMA)');
	assert.deepEqual(shape(av1), { root: av0, parent: av0, refcount: 1, num_children: 0, num_active_vmas: 1, tree: 1 });
	assert.deepEqual(shape(av0), { root: av0, parent: av0, refcount: 2, num_children: 2, num_active_vmas: 1, tree: 2 });

	const C2 = mm.dup_mmap(P, 'child2');
	const v2 = C2.vmas[0];
	const av2 = v2.anon_vma;
	assert.deepEqual(shape(av2), { root: av0, parent: av0, refcount: 1, num_children: 0, num_active_vmas: 1, tree: 1 });
	assert.deepEqual(shape(av0), { root: av0, parent: av0, refcount: 3, num_children: 3, num_active_vmas: 1, tree: 3 });
	assert.deepEqual(walk(f0), [vp, v1, v2], 'the parent page is found in all three processes');
	assert.equal(K.folio_mapcount(f0), 3);

	const f1 = mm.do_wp_page(C1, START);
	assert.equal(K.folio_anon_vma(f1), av1, 'the COWed page goes to the child\'s own anon_vma');
	assert.deepEqual(walk(f1), [v1]);
	assert.equal(K.folio_mapcount(f0), 2);
	assert.deepEqual(walk(f0), [vp, v1, v2], 'av0 still links child1 (it may hold other parent pages)');

	mm.do_munmap(P, vp);
	assert.deepEqual(shape(av0), { root: av0, parent: av0, refcount: 3, num_children: 3, num_active_vmas: 0, tree: 2 });
	assert.ok(live(av0), 'the root stays while children link it');

	mm.exit_mmap(C1);
	assert.equal(live(av1), false, 'child1\'s anon_vma is freed on exit');
	assert.deepEqual(shape(av0), { root: av0, parent: av0, refcount: 2, num_children: 2, num_active_vmas: 0, tree: 1 });
	assert.deepEqual(walk(f0), [v2]);

	mm.exit_mmap(C2);
	assert.equal(live(av2), false);
	assert.equal(live(av0), false, 'the root is freed last');
	assert.equal(K.folio_mapcount(f0) + K.folio_mapcount(f1), 0);
	assert.deepEqual(K.sched.warnings, []);
	assert.equal(K.get_current().held.length, 0, 'no lock left held');
});

test('7.2 merge of an unfaulted VMA: anon_vma_clone(VMA_OP_MERGE_UNFAULTED) takes the neighbour\'s anon_vma and chain', () => {
	mm.harness_init();
	const P = mm.mm_alloc('p');
	const prev = mm.do_mmap(P, START, 1);
	const next = mm.do_mmap(P, START + 0x1000, 1);
	const f = mm.do_anonymous_page(P, START + 0x1000);
	const av = next.anon_vma;
	assert.equal(prev.anon_vma, null);
	assert.equal(mm.vma_expand_unfaulted(P, prev, next), true);
	assert.equal(prev.anon_vma, av);
	assert.deepEqual(P.vmas, [prev]);
	assert.equal(prev.vm_end, START + 0x2000);
	assert.deepEqual(shape(av), { root: av, parent: av, refcount: 1, num_children: 1, num_active_vmas: 1, tree: 1 });
	assert.deepEqual(walk(f), [prev], 'the page is found in the merged VMA');
	mm.exit_mmap(P);
	assert.equal(live(av), false);
	assert.deepEqual(K.sched.warnings, []);
	assert.equal(K.get_current().held.length, 0, 'no lock left held');
});

test('a freed anon_vma is reported as use-after-free outside RCU', () => {
	mm.harness_init();
	const P = mm.mm_alloc('p');
	const v = mm.do_mmap(P, START, 1);
	mm.do_anonymous_page(P, START);
	const av = v.anon_vma;
	mm.exit_mmap(P);
	assert.throws(() => av.num_children, (e: unknown) => e instanceof K.KernelBug && e.kind === 'use-after-free');
	K.rcu_read_lock();
	assert.equal(typeof av.num_children, 'number', 'SLAB_TYPESAFE_BY_RCU: still an anon_vma under RCU');
	K.rcu_read_unlock();
});

/*
 * The model runs: one thread, 6.12's anon_vma lifecycle end to end.
 * mmap + anonymous fault, fork twice, COW in the first child, munmap in the
 * parent, exit of both children -- and after each step, the anon_vma graph
 * the 6.12 code implies (root, parent, num_children, num_active_vmas,
 * refcount, interval trees, which anon_vmas are freed).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as K from '../ts-src/kernel';
import * as rmap from '../ts-src/model/rmap';
import { anon_vma_prepare } from '../ts-src/model/rmap_h';

type AV = K.ptr<K.anon_vma>;
type VMA = K.ptr<K.vm_area_struct>;
type FOLIO = K.ptr<K.folio>;

const START = 0x10000;
const END = 0x14000;

function mm(name: string): K.ptr<K.mm_struct> {
	return new K.mm_struct(name) as K.ptr<K.mm_struct>;
}

function mmap(m: K.ptr<K.mm_struct>): VMA {
	const v = new K.vm_area_struct() as VMA;
	v.vm_start = START;
	v.vm_end = END;
	v.vm_pgoff = START >> K.PAGE_SHIFT;
	v.vm_mm = m;
	m.vmas.push(v);
	return v;
}

/** do_anonymous_page(): anon_vma_prepare, a new folio, __folio_set_anon, map it. */
function fault(v: VMA, address: number): FOLIO {
	K.down_read(K.addr(v.vm_mm.mmap_lock));
	assert.equal(anon_vma_prepare(v), 0);
	const f = new K.folio() as FOLIO;
	f.mapping = K.cast<K.ptr<K.address_space>>(K.cast<number>(v.anon_vma) + K.PAGE_MAPPING_ANON);
	f.index = ((address - v.vm_start) >> K.PAGE_SHIFT) + v.vm_pgoff;
	f.mapcount = 1;
	v.vm_mm.ptes.set(address, { folio: f, migration: false, write: true });
	K.up_read(K.addr(v.vm_mm.mmap_lock));
	return f;
}

/** dup_mmap(): copy the VMA, anon_vma_fork(), share the PTEs read-only. */
function fork(parent: VMA, child: K.ptr<K.mm_struct>): VMA {
	const v = mmap(child);
	v.anon_vma = parent.anon_vma;	/* vm_area_dup() copies the pointer */
	K.down_write(K.addr(parent.vm_mm.mmap_lock));
	assert.equal(rmap.anon_vma_fork(v, parent), 0);
	K.up_write(K.addr(parent.vm_mm.mmap_lock));
	for (const [a, pte] of parent.vm_mm.ptes) {
		pte.write = false;
		pte.folio.mapcount++;
		child.ptes.set(a, { folio: pte.folio, migration: false, write: false });
	}
	return v;
}

/** wp_page_copy(): a private copy in this VMA's own anon_vma. */
function cow(v: VMA, address: number): FOLIO {
	const old = v.vm_mm.ptes.get(address)!;
	old.folio.mapcount--;
	v.vm_mm.ptes.delete(address);
	return fault(v, address);
}

/** munmap()/exit_mmap(): zap the PTEs, then unlink_anon_vmas(). */
function unmap(v: VMA): void {
	for (const [a, pte] of v.vm_mm.ptes) {
		pte.folio.mapcount--;
		v.vm_mm.ptes.delete(a);
	}
	rmap.unlink_anon_vmas(v);
	v.vm_mm.vmas.splice(v.vm_mm.vmas.indexOf(v), 1);
}

/** The VMAs an rmap walk of the folio visits. */
function walk(f: FOLIO): VMA[] {
	const seen: VMA[] = [];
	const rwc = new K.rmap_walk_control() as K.ptr<K.rmap_walk_control>;
	rwc.rmap_one = (_f, vma) => {
		seen.push(vma);
		return true;
	};
	rmap.rmap_walk(f, rwc);
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

test('anon_vma lifecycle of 6.12: fault, fork x2, COW, munmap, exit', () => {
	rmap.anon_vma_init();
	const P = mm('parent'), C1 = mm('child1'), C2 = mm('child2');
	const vp = mmap(P);

	const f0 = fault(vp, START);
	const av0 = vp.anon_vma;
	assert.deepEqual(shape(av0), { root: av0, parent: av0, refcount: 1, num_children: 1, num_active_vmas: 1, tree: 1 });
	assert.equal(K.folio_anon_vma(f0), av0);

	const v1 = fork(vp, C1);
	const av1 = v1.anon_vma;
	assert.notEqual(av1, av0, 'the child gets an anon_vma of its own (av0 still has an active VMA)');
	assert.deepEqual(shape(av1), { root: av0, parent: av0, refcount: 1, num_children: 0, num_active_vmas: 1, tree: 1 });
	assert.deepEqual(shape(av0), { root: av0, parent: av0, refcount: 2, num_children: 2, num_active_vmas: 1, tree: 2 });

	const v2 = fork(vp, C2);
	const av2 = v2.anon_vma;
	assert.deepEqual(shape(av2), { root: av0, parent: av0, refcount: 1, num_children: 0, num_active_vmas: 1, tree: 1 });
	assert.deepEqual(shape(av0), { root: av0, parent: av0, refcount: 3, num_children: 3, num_active_vmas: 1, tree: 3 });
	assert.deepEqual(walk(f0), [vp, v1, v2], 'the parent page is found in all three processes');

	const f1 = cow(v1, START);
	assert.equal(K.folio_anon_vma(f1), av1, 'the COWed page goes to the child\'s own anon_vma');
	assert.deepEqual(walk(f1), [v1]);
	assert.deepEqual(walk(f0), [vp, v1, v2], 'av0 still links child1 (it may hold other parent pages)');

	unmap(vp);
	assert.deepEqual(shape(av0), { root: av0, parent: av0, refcount: 3, num_children: 3, num_active_vmas: 0, tree: 2 });
	assert.ok(live(av0), 'the root stays while children link it');

	unmap(v1);
	assert.equal(live(av1), false, 'child1\'s anon_vma is freed on exit');
	assert.deepEqual(shape(av0), { root: av0, parent: av0, refcount: 2, num_children: 2, num_active_vmas: 0, tree: 1 });
	assert.deepEqual(walk(f0), [v2]);

	unmap(v2);
	assert.equal(live(av2), false);
	assert.equal(live(av0), false, 'the root is freed last');
	assert.deepEqual(K.sched.warnings, []);
	assert.equal(K.current().held.length, 0, 'no lock left held');
});

test('a freed anon_vma is reported as use-after-free outside RCU', () => {
	rmap.anon_vma_init();
	const P = mm('p');
	const v = mmap(P);
	fault(v, START);
	const av = v.anon_vma;
	unmap(v);
	assert.throws(() => av.num_children, (e: unknown) => e instanceof K.KernelBug && e.kind === 'use-after-free');
	K.rcu_read_lock();
	assert.equal(typeof av.num_children, 'number', 'SLAB_TYPESAFE_BY_RCU: still an anon_vma under RCU');
	K.rcu_read_unlock();
});

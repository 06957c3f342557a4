/*
 * Toy programs for the checker's own tests: for each invariant, a broken
 * one (the checker must report it) and a correct one (it must not).
 * Loaded through the checker's transform like the model.
 */
import {
	ptr, addr, mutex, spinlock_t, mutex_lock, mutex_unlock, spin_lock, spin_unlock, might_sleep,
	kmem_cache, kmem_cache_create, kmem_cache_alloc, kmem_cache_free, sizeof, GFP_KERNEL,
	SLAB_TYPESAFE_BY_RCU, atomic_t, atomic_read, atomic_set, atomic_inc_not_zero, atomic_dec_and_test,
	rcu_read_lock, rcu_read_unlock, sched_point, READ_ONCE,
	rw_semaphore, down_read_trylock, up_read, down_write, up_write, rwsem_is_locked,
	anon_vma, anon_vma_chain, vm_area_struct, anon_vma_interval_tree_insert, anon_vma_interval_tree_remove,
	ksm_stable_node, folio, address_space, smp_wmb, smp_rmb, kernel_bug, NULL, folio_get, folio_put,
} from '../kernel';
import { anon_vma_lock_write, anon_vma_unlock_write } from '../model/rmap_h';

export class toy_obj {
	refcount = new atomic_t();
	value = 0;
}

export const toy = {
	a: new mutex('toy_a'),
	b: new mutex('toy_b'),
	spin: new spinlock_t('toy_spin'),
	cache: null as ptr<kmem_cache> | null,
	shared: null as ptr<toy_obj> | null,
	counter: 0,
};

/* ---- returning with a lock or inside an RCU read-side section ---- */

export function return_in_rcu(): void {
	rcu_read_lock();
}

export function return_holding_mutex(): void {
	mutex_lock(addr(toy.a));
}

export function rcu_balanced(): void {
	rcu_read_lock();
	rcu_read_unlock();
}

/* ---- deadlock: ABBA ---- */

export function lock_a_then_b(): void {
	mutex_lock(addr(toy.a));
	mutex_lock(addr(toy.b));
	mutex_unlock(addr(toy.b));
	mutex_unlock(addr(toy.a));
}

export function lock_b_then_a(): void {
	mutex_lock(addr(toy.b));
	mutex_lock(addr(toy.a));
	mutex_unlock(addr(toy.a));
	mutex_unlock(addr(toy.b));
}

/* ---- sleep in atomic ---- */

export function sleep_under_spinlock(): void {
	spin_lock(addr(toy.spin));
	might_sleep();
	spin_unlock(addr(toy.spin));
}

export function sleep_under_mutex(): void {
	mutex_lock(addr(toy.a));
	might_sleep();
	mutex_unlock(addr(toy.a));
}

/* ---- use-after-free: a lookup racing with the last put ---- */

export function toy_init(typesafe: boolean): void {
	toy.cache = kmem_cache_create('toy_obj', sizeof(toy_obj), 0, typesafe ? SLAB_TYPESAFE_BY_RCU : 0, null);
	const o: ptr<toy_obj> = kmem_cache_alloc(toy.cache, GFP_KERNEL);
	atomic_set(addr(o.refcount), 1);
	toy.shared = o;
}

export function put_shared(): void {
	const o = toy.shared!;
	toy.shared = null;
	sched_point('unpublish', toy);
	if (atomic_dec_and_test(addr(o.refcount)))
		kmem_cache_free(toy.cache!, o);
}

/* Broken: reads the object with no reference and no RCU. */
export function lookup_unsafe(): void {
	const o = READ_ONCE(toy.shared);
	if (!o)
		return;
	sched_point('use', o);
	o.value++;
}

/* Correct: RCU + typesafe slab + atomic_inc_not_zero(), the anon_vma pattern. */
export function lookup_rcu_ref(): void {
	rcu_read_lock();
	const o = READ_ONCE(toy.shared);
	if (!o || !atomic_inc_not_zero(addr(o.refcount))) {
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();
	o.value++;
	if (atomic_dec_and_test(addr(o.refcount)))
		kmem_cache_free(toy.cache!, o);
}

/* ---- lost update, for the determinism test ---- */

export function racy_increment(): void {
	const v = READ_ONCE(toy.counter);
	sched_point('store', toy);
	toy.counter = v + 1;
}

export function read_refcount(): number {
	return toy.shared ? atomic_read(addr(toy.shared.refcount)) : 0;
}

/* ---- lockset: the anon_vma of a faulted VMA, updated with and without its lock ---- */

/* Broken: an interval tree insert without anon_vma->root->rwsem. */
export function unlocked_tree_remove_insert(vma: ptr<vm_area_struct>): void {
	const avc: ptr<anon_vma_chain> = vma.anon_vma_chain.next.container as ptr<anon_vma_chain>;
	anon_vma_interval_tree_remove(avc, addr(avc.anon_vma.rb_root));
	anon_vma_interval_tree_insert(avc, addr(avc.anon_vma.rb_root));
}

/* Broken: a counter's read-modify-write without the lock (two of them lose an update). */
export function unlocked_counter_inc(av: ptr<anon_vma>): void {
	av.num_active_vmas++;
	av.num_active_vmas--;
}

/* Correct: the same under the root's rwsem. */
export function locked_counter_inc(av: ptr<anon_vma>): void {
	anon_vma_lock_write(av);
	av.num_active_vmas++;
	av.num_active_vmas--;
	anon_vma_unlock_write(av);
}

/* C semantics: an unsigned long counter decremented below zero is 2^64 - 1. */
export function ulong_underflow(av: ptr<anon_vma>): number {
	anon_vma_lock_write(av);
	const before = av.num_children;
	av.num_children -= before + 1;
	const after = av.num_children;
	av.num_children = before;
	anon_vma_unlock_write(av);
	return after;
}

/* ---- use-after-free through an embedded member (&obj->refcount kept, obj freed) ---- */

export function member_after_free(): number {
	toy.cache = kmem_cache_create('toy_obj', sizeof(toy_obj), 0, 0, null);
	const o: ptr<toy_obj> = kmem_cache_alloc(toy.cache, GFP_KERNEL);
	const ref = addr(o.refcount);
	atomic_set(ref, 1);
	kmem_cache_free(toy.cache, o);
	return atomic_read(ref);
}

/* ---- freeing an object while another thread holds the lock embedded in it ---- */

export class toy_locked {
	sem = new rw_semaphore('toy_sem');
}

export const toyl = {
	cache: null as ptr<kmem_cache> | null,
	obj: null as ptr<toy_locked> | null,
};

export function locked_init(): void {
	toyl.cache = kmem_cache_create('toy_locked', sizeof(toy_locked), 0, SLAB_TYPESAFE_BY_RCU, null);
	toyl.obj = kmem_cache_alloc(toyl.cache, GFP_KERNEL);
}

/* The reader: finds the object under RCU (typesafe slab), trylocks it and works under the lock. */
export function lock_holder(): void {
	rcu_read_lock();
	const o = READ_ONCE(toyl.obj);
	if (o && down_read_trylock(addr(o.sem))) {
		sched_point('use', o);
		up_read(addr(o.sem));
	}
	rcu_read_unlock();
}

/* The freer: unpublishes, then frees; anon_vma_free()'s pattern waits for a holder first (wait). */
export function free_locked(wait: boolean): void {
	const o = toyl.obj!;
	toyl.obj = null;
	sched_point('unpublish', toyl);
	if (wait && rwsem_is_locked(addr(o.sem))) {
		down_write(addr(o.sem));
		up_write(addr(o.sem));
	}
	kmem_cache_free(toyl.cache!, o);
}

/*
 * ---- weak memory: message passing (tools/memory-model's MP litmus) ----
 *
 * The writer stores the data (a stable node's kpfn, a weak field of
 * kernel/memory_order.ts) and then the flag (a folio's mapping, which
 * carries its writer's order); the reader loads the flag, then the data.
 * Seeing the new flag with the old data is forbidden only when the writer
 * has smp_wmb() and the reader smp_rmb() between the two.
 */
export const mp = { node: new ksm_stable_node(), folio: new folio(), flag: new address_space() as ptr<address_space> };

export function mp_writer(wmb: boolean): void {
	mp.node.kpfn = 2;
	if (wmb)
		smp_wmb();
	mp.folio.mapping = mp.flag;
}

export function mp_reader(rmb: boolean): void {
	if (READ_ONCE(mp.folio.mapping) == NULL)
		return;
	if (rmb)
		smp_rmb();
	if (READ_ONCE(mp.node.kpfn) != 2)
		kernel_bug('bug', 'message passing: the new mapping with the old kpfn');
}

/* ---- a folio reference taken, and put or not (the end-of-execution reference check) ---- */
export function folio_ref_user(f: ptr<folio>, put: boolean): void {
	folio_get(f);
	sched_point('folio', f);
	if (put)
		folio_put(f);
}

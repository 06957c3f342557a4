/*
 * Design variants: each is the 7.2 model with a few functions replaced,
 * the way the design looked before (or instead of) what mainline chose.
 *
 * A variant's patch() calls override(original, replacement); the checker's
 * runtime then sends every call of the original, from the model, the
 * prelude or the harness, to the replacement.  original is a function
 * value, or the name of a model function (mm/rmap.c's static functions
 * included: "cleanup_partial_anon_vmas"; another module's as
 * "check/harness:name").  model(name) hands a replacement the model's own
 * static functions to call.  Replacements live here and are loaded through
 * the same transform, so they schedule like the model.
 */
import {
	ptr, int, ulong, gfp_t, NULL, addr, cast, rw_semaphore, lockdep_assert_held, lockdep_assert_held_write,
	GFP_KERNEL, GFP_NOWAIT, __GFP_NOWARN, unlikely, anon_vma_interval_tree_insert,
	anon_vma, anon_vma_chain, vm_area_struct, mm_struct, folio, rmap_walk_control, spinlock_t,
	down_write, up_write, down_read, up_read, down_write_nested, down_read_nested,
	spin_lock, spin_unlock, rcu_read_lock, rcu_read_unlock, might_sleep, rwsem_is_locked, kmem_cache_free, slab_meta_of,
	READ_ONCE, WARN_ON_ONCE, VM_WARN_ON, RB_EMPTY_ROOT, cond_resched, lock_stands_for,
	list_del, list_for_each_entry, list_for_each_entry_safe, list_for_each_entry_reverse,
	anon_vma_interval_tree_remove, anon_vma_interval_tree_foreach, folio_mapped, folio_anon_vma, folio_pgoff,
	vma_address, EFAULT, FOLIO_MAPPING_FLAGS, FOLIO_MAPPING_ANON, ENOMEM, VMA_OP_FORK, VMA_OP_MERGE_UNFAULTED,
} from '../kernel';
import {
	anon_vma_clone, anon_vma_fork, unlink_anon_vmas, __put_anon_vma, folio_lock_anon_vma_read, rmap_walk,
} from '../model/rmap';
import {
	get_anon_vma, put_anon_vma, anon_vma_lock_write, anon_vma_unlock_write, anon_vma_lock_read,
	anon_vma_unlock_read, anon_vma_trylock_read,
} from '../model/rmap_h';
import { ksm_designs } from './ksm_designs';
import { REVERTS } from './reverts';
import { vma_prepare, vma_complete, mm_take_all_locks, mm_drop_all_locks, vma_expand_unfaulted,
	anon_vma_interval_tree_pre_update_vma, anon_vma_interval_tree_post_update_vma } from './harness';

export type override_fn = (original: Function | string, replacement: Function) => void;
/** A model function by name, static ones included ("anon_vma_chain_alloc"). */
export type model_fn = (name: string) => Function;

export interface design {
	name: string;
	description: string;
	/** Scenario name to what the checker must find there; others are not run. */
	expect: Record<string, string>;
	patch(override: override_fn, model: model_fn): void;
}

/* "name" is mm/rmap.c's; "module:name" any module's. */
export function qualify(name: string): string {
	return name.includes(':') ? name : `model/rmap:${name}`;
}

/* ---- mm/rmap.c's static helpers, for the replacements below (set by patch) ---- */

let anon_vma_alloc: () => ptr<anon_vma>;
let anon_vma_chain_alloc: (gfp: gfp_t) => ptr<anon_vma_chain>;
let anon_vma_chain_free: (avc: ptr<anon_vma_chain>) => void;
let anon_vma_chain_assign: (vma: ptr<vm_area_struct>, avc: ptr<anon_vma_chain>, av: ptr<anon_vma>) => void;

function statics(model: model_fn): void {
	anon_vma_alloc = model('anon_vma_alloc') as typeof anon_vma_alloc;
	anon_vma_chain_alloc = model('anon_vma_chain_alloc') as typeof anon_vma_chain_alloc;
	anon_vma_chain_free = model('anon_vma_chain_free') as typeof anon_vma_chain_free;
	anon_vma_chain_assign = model('anon_vma_chain_assign') as typeof anon_vma_chain_assign;
}

/*
 * ---- Linux 6.12: lock_anon_vma_root() per chain entry ----
 *
 * anon_vma_clone(), anon_vma_fork() and unlink_anon_vmas() as the model had
 * them for 6.12 (with the series' assertions): clone allocates each AVC in
 * turn (GFP_NOWAIT under the root lock, GFP_KERNEL after dropping it) and
 * unwinds through unlink_anon_vmas(); fork clones before allocating its
 * own anon_vma; unlink locks whatever root each entry has.
 */

function lock_anon_vma_root(root: ptr<anon_vma>, anon_vma: ptr<anon_vma>): ptr<anon_vma> {
	const new_root: ptr<anon_vma> = anon_vma.root;
	if (new_root != root) {
		if (WARN_ON_ONCE(root))
			up_write(addr(root.rwsem));
		root = new_root;
		down_write(addr(root.rwsem));
	}
	return root;
}

function unlock_anon_vma_root(root: ptr<anon_vma>): void {
	if (root)
		up_write(addr(root.rwsem));
}

function anon_vma_clone_6_12(dst: ptr<vm_area_struct>, src: ptr<vm_area_struct>): int {
	let avc: ptr<anon_vma_chain>, pavc: ptr<anon_vma_chain>;
	let root: ptr<anon_vma> = NULL;

	for (pavc of list_for_each_entry_reverse(addr(src.anon_vma_chain), 'same_vma')) {
		avc = anon_vma_chain_alloc(GFP_NOWAIT | __GFP_NOWARN);
		if (unlikely(!avc)) {
			unlock_anon_vma_root(root);
			root = NULL;
			avc = anon_vma_chain_alloc(GFP_KERNEL);
			if (!avc) {
				/*
				 * dst->anon_vma is dropped here otherwise its num_active_vmas can
				 * be incorrectly decremented in unlink_anon_vmas().
				 */
				dst.anon_vma = NULL;
				unlink_anon_vmas_6_12(dst);
				return -ENOMEM;
			}
		}
		const anon_vma: ptr<anon_vma> = pavc.anon_vma;
		root = lock_anon_vma_root(root, anon_vma);
		anon_vma_chain_assign(dst, avc, anon_vma);
		lockdep_assert_held_write(addr(anon_vma.root.rwsem));
		anon_vma_interval_tree_insert(avc, addr(anon_vma.rb_root));

		/* Reuse existing anon_vma if it has no vma and only one anon_vma child. */
		if (!dst.anon_vma && src.anon_vma &&
		    anon_vma.num_children < 2 &&
		    anon_vma.num_active_vmas == 0)
			dst.anon_vma = anon_vma;
	}
	if (dst.anon_vma)
		dst.anon_vma.num_active_vmas++;
	unlock_anon_vma_root(root);
	return 0;
}

function anon_vma_fork_6_12(vma: ptr<vm_area_struct>, pvma: ptr<vm_area_struct>): int {
	if (!pvma.anon_vma)
		return 0;

	vma.anon_vma = NULL;
	const error: int = anon_vma_clone_6_12(vma, pvma);
	if (error)
		return error;

	/* An existing anon_vma has been reused, all done then. */
	if (vma.anon_vma)
		return 0;

	const anon_vma: ptr<anon_vma> = anon_vma_alloc();
	if (!anon_vma) {
		unlink_anon_vmas_6_12(vma);
		return -ENOMEM;
	}
	anon_vma.num_active_vmas++;
	const avc: ptr<anon_vma_chain> = anon_vma_chain_alloc(GFP_KERNEL);
	if (!avc) {
		put_anon_vma(anon_vma);
		unlink_anon_vmas_6_12(vma);
		return -ENOMEM;
	}

	anon_vma.root = pvma.anon_vma.root;
	anon_vma.parent = pvma.anon_vma;
	get_anon_vma(anon_vma.root);
	vma.anon_vma = anon_vma;
	anon_vma_chain_assign(vma, avc, anon_vma);
	anon_vma_lock_write(anon_vma);
	anon_vma_interval_tree_insert(avc, addr(anon_vma.rb_root));
	lockdep_assert_held_write(addr(anon_vma.parent.root.rwsem));
	anon_vma.parent.num_children++;
	anon_vma_unlock_write(anon_vma);

	return 0;
}

function unlink_anon_vmas_6_12(vma: ptr<vm_area_struct>): void {
	let avc: ptr<anon_vma_chain>, next: ptr<anon_vma_chain>;
	let root: ptr<anon_vma> = NULL;

	for ([avc, next] of list_for_each_entry_safe(addr(vma.anon_vma_chain), 'same_vma')) {
		const anon_vma: ptr<anon_vma> = avc.anon_vma;

		root = lock_anon_vma_root(root, anon_vma);
		lockdep_assert_held_write(addr(anon_vma.root.rwsem));
		anon_vma_interval_tree_remove(avc, addr(anon_vma.rb_root));

		/* Leave empty anon_vmas on the list - we'll need to free them outside the lock. */
		if (RB_EMPTY_ROOT(addr(anon_vma.rb_root.rb_root))) {
			anon_vma.parent.num_children--;
			continue;
		}

		list_del(addr(avc.same_vma));
		anon_vma_chain_free(avc);
	}
	if (vma.anon_vma) {
		vma.anon_vma.num_active_vmas--;
		vma.anon_vma = NULL;
	}
	unlock_anon_vma_root(root);

	for ([avc, next] of list_for_each_entry_safe(addr(vma.anon_vma_chain), 'same_vma')) {
		const anon_vma: ptr<anon_vma> = avc.anon_vma;

		VM_WARN_ON(anon_vma.num_children);
		VM_WARN_ON(anon_vma.num_active_vmas);
		put_anon_vma(anon_vma);

		list_del(addr(avc.same_vma));
		anon_vma_chain_free(avc);
	}
}

function patch_6_12(override: override_fn, model: model_fn): void {
	statics(model);
	override(anon_vma_clone, anon_vma_clone_6_12);
	override(anon_vma_fork, anon_vma_fork_6_12);
	override(unlink_anon_vmas, unlink_anon_vmas_6_12);
}

/*
 * ---- 7.2's cleanup_partial_anon_vmas() with a line left out ----
 *
 * The 7.2 counterparts of 6.12's "dst->anon_vma is dropped here" comment:
 * a failed clone must leave dst with neither AVCs nor an anon_vma.
 */

/* Keeps vma->anon_vma: a merge target then counts as an active VMA it never became. */
function cleanup_partial_keep_anon_vma(vma: ptr<vm_area_struct>): void {
	let avc: ptr<anon_vma_chain>, next: ptr<anon_vma_chain>;

	for ([avc, next] of list_for_each_entry_safe(addr(vma.anon_vma_chain), 'same_vma')) {
		list_del(addr(avc.same_vma));
		anon_vma_chain_free(avc);
	}
}

/* Leaves the allocated AVCs on the chain of a VMA its caller then frees: they leak. */
function cleanup_partial_keep_avcs(vma: ptr<vm_area_struct>): void {
	vma.anon_vma = NULL;
}

/*
 * ---- dup_anon_vma() cloning before it sets dst->anon_vma ----
 *
 * What check_anon_vma_clone() is there to catch: a caller breaking
 * anon_vma_clone()'s preconditions.  Its VM_WARN_ON_ONCE fires.
 */
function vma_expand_unfaulted_unset(mm: ptr<mm_struct>, prev: ptr<vm_area_struct>, next: ptr<vm_area_struct>): boolean {
	down_write(addr(mm.mmap_lock));
	if (anon_vma_clone(prev, next, VMA_OP_MERGE_UNFAULTED)) {
		up_write(addr(mm.mmap_lock));
		return false;
	}
	prev.anon_vma = next.anon_vma;
	up_write(addr(mm.mmap_lock));
	return true;
}

/* ---- 2.6.34: vma_adjust() without the anon_vma lock ---- */

function vma_prepare_unlocked(vma: ptr<vm_area_struct>): void {
	if (vma.anon_vma)
		anon_vma_interval_tree_pre_update_vma(vma);
}

function vma_complete_unlocked(vma: ptr<vm_area_struct>): void {
	if (vma.anon_vma)
		anon_vma_interval_tree_post_update_vma(vma);
}

/* ---- unlink_anon_vmas() freeing the root first, root not pinned ---- */

function get_anon_vma_unpinned(_anon_vma: ptr<anon_vma>): void {
	/* Before 2.6.36 a child did not hold a reference on its root. */
}

function __put_anon_vma_unpinned(anon_vma: ptr<anon_vma>): void {
	might_sleep();
	if (rwsem_is_locked(addr(anon_vma.root.rwsem))) {
		anon_vma_lock_write(anon_vma);
		anon_vma_unlock_write(anon_vma);
	}
	kmem_cache_free(addr(slab_meta_of(anon_vma)!.cache), anon_vma);
}

function unlink_anon_vmas_root_first(vma: ptr<vm_area_struct>): void {
	let avc: ptr<anon_vma_chain>, next: ptr<anon_vma_chain>;
	const active_anon_vma: ptr<anon_vma> = vma.anon_vma;

	if (!active_anon_vma)
		return;
	anon_vma_lock_write(active_anon_vma);
	for ([avc, next] of list_for_each_entry_safe(addr(vma.anon_vma_chain), 'same_vma')) {
		const anon_vma: ptr<anon_vma> = avc.anon_vma;

		anon_vma_interval_tree_remove(avc, addr(anon_vma.rb_root));
		if (RB_EMPTY_ROOT(addr(anon_vma.rb_root.rb_root))) {
			anon_vma.parent.num_children--;
			continue;
		}
		list_del(addr(avc.same_vma));
		anon_vma_chain_free(avc);
	}
	active_anon_vma.num_active_vmas--;
	vma.anon_vma = NULL;
	anon_vma_unlock_write(active_anon_vma);

	/* The question of seed 001: oldest (the root) first instead of last. */
	const rest: ptr<anon_vma_chain>[] = [];
	for (avc of list_for_each_entry_reverse(addr(vma.anon_vma_chain), 'same_vma'))
		rest.push(avc);
	for (avc of rest) {
		VM_WARN_ON(avc.anon_vma.num_children);
		VM_WARN_ON(avc.anon_vma.num_active_vmas);
		put_anon_vma(avc.anon_vma);
		list_del(addr(avc.same_vma));
		anon_vma_chain_free(avc);
	}
}

/* ---- Mel Gorman's 2.6.34 proposal: lock the root, then nested locks ---- */

function nested_lock_write(av: ptr<anon_vma>): void {
	down_write(addr(av.root.rwsem));
	if (av !== av.root)
		down_write_nested(addr(av.rwsem), 1);
}

function nested_unlock_write(av: ptr<anon_vma>): void {
	if (av !== av.root)
		up_write(addr(av.rwsem));
	up_write(addr(av.root.rwsem));
}

function nested_lock_read(av: ptr<anon_vma>): void {
	down_read(addr(av.root.rwsem));
	if (av !== av.root)
		down_read_nested(addr(av.rwsem), 1);
}

function nested_unlock_read(av: ptr<anon_vma>): void {
	if (av !== av.root)
		up_read(addr(av.rwsem));
	up_read(addr(av.root.rwsem));
}

/*
 * anon_vma_lock_nested() of the patch: while walking the root's list, hold
 * the anon_vma of the VMA being looked at too, one at a time.
 */
function anon_vma_lock_nested(prev: ptr<anon_vma>, next: ptr<anon_vma>, root: ptr<anon_vma>): ptr<anon_vma> {
	if (prev)
		up_read(addr(prev.rwsem));
	if (next === root)
		return NULL;
	down_read_nested(addr(next.rwsem), 1);
	return next;
}

/*
 * rmap_walk_anon() of the patch: lock the root and walk the root's list -
 * every VMA of the whole fork tree - instead of the folio's own anon_vma.
 * This is what seed 000 objects to: O(VMAs in the forest) per walk again.
 */
function rmap_walk_root_nested(folio: ptr<folio>, rwc: ptr<rmap_walk_control>): void {
	let avc: ptr<anon_vma_chain>;
	let nested: ptr<anon_vma> = NULL;

	const anon_vma: ptr<anon_vma> = folio_anon_vma(folio);
	if (!anon_vma)
		return;
	const root: ptr<anon_vma> = anon_vma.root;
	down_read(addr(root.rwsem));
	for (avc of anon_vma_interval_tree_foreach(addr(root.rb_root), 0, Number.MAX_SAFE_INTEGER)) {
		const vma: ptr<vm_area_struct> = avc.vma;
		nested = anon_vma_lock_nested(nested, vma.anon_vma, root);
		const address: ulong = vma_address(vma, folio_pgoff(folio), 1);
		if (address === -EFAULT)
			continue;
		if (!rwc.rmap_one(folio, vma, address, rwc.arg))
			break;
		if (rwc.done && rwc.done(folio))
			break;
	}
	if (nested)
		up_read(addr(nested.rwsem));
	up_read(addr(root.rwsem));
}

const nested_locked = new Set<object>();

function nested_lock_one(av: ptr<anon_vma>): void {
	if (!nested_locked.has(av)) {
		down_write_nested(addr(av.rwsem), nested_locked.size ? 1 : 0);
		nested_locked.add(av);
	}
}

/* Patch 1/2 of seed 001: "Lock the anon_vmas in the same order rmap_walk would". */
function mm_take_all_locks_old_to_new(mm: ptr<mm_struct>): void {
	let avc: ptr<anon_vma_chain>;

	for (const vma of mm.vmas)
		if (vma.anon_vma)
			for (avc of list_for_each_entry_reverse(addr(vma.anon_vma_chain), 'same_vma'))
				nested_lock_one(avc.anon_vma);
}

/* Before that patch: the chain's own order, newest anon_vma first. */
function mm_take_all_locks_new_to_old(mm: ptr<mm_struct>): void {
	let avc: ptr<anon_vma_chain>;

	for (const vma of mm.vmas)
		if (vma.anon_vma)
			for (avc of list_for_each_entry(addr(vma.anon_vma_chain), 'same_vma'))
				nested_lock_one(avc.anon_vma);
}

function mm_drop_all_nested(_mm: ptr<mm_struct>): void {
	for (const av of [...nested_locked].reverse()) {
		nested_locked.delete(av);
		up_write(addr((av as ptr<anon_vma>).rwsem));
	}
}

function patch_nested(override: override_fn): void {
	override(anon_vma_lock_write, nested_lock_write);
	override(anon_vma_unlock_write, nested_unlock_write);
	override(anon_vma_lock_read, nested_lock_read);
	override(anon_vma_unlock_read, nested_unlock_read);
	override(rmap_walk, rmap_walk_root_nested);
	override(mm_take_all_locks, mm_take_all_locks_old_to_new);
	override(mm_drop_all_locks, mm_drop_all_nested);
}

/* ---- 2.6.33: anon_vma->lock is a spinlock ---- */

const spins = new WeakMap<object, spinlock_t>();
/* The model asserts on root->rwsem (and the lockset table names it); in this design the spinlock stands for it. */
const spin_of_rwsem = new WeakMap<object, spinlock_t>();

function anon_vma_spinlock(av: ptr<anon_vma>): ptr<spinlock_t> {
	let s = spins.get(av.root);
	if (!s) {
		s = new spinlock_t('&anon_vma->lock');
		spins.set(av.root, s);
		spin_of_rwsem.set(av.root.rwsem, s);
		lock_stands_for(s, av.root.rwsem);
	}
	return s as ptr<spinlock_t>;
}

function lockdep_assert_anon_vma_spin_held(sem: ptr<rw_semaphore>): void {
	lockdep_assert_held(spin_of_rwsem.get(sem) ?? sem);
}

function spin_lock_anon_vma(av: ptr<anon_vma>): void {
	spin_lock(anon_vma_spinlock(av));
}

function spin_unlock_anon_vma(av: ptr<anon_vma>): void {
	spin_unlock(anon_vma_spinlock(av));
}

function spin_trylock_anon_vma(av: ptr<anon_vma>): int {
	spin_lock(anon_vma_spinlock(av));
	return 1;
}

/*
 * 2.6.33's page_lock_anon_vma(), what folio_lock_anon_vma_read() was:
 * under rcu_read_lock(), the folio's anon_vma from its mapping, and
 * spin_lock(&anon_vma->lock) (no trylock, no refcount).  2.6.33 held
 * rcu_read_lock() until page_unlock_anon_vma(); the model's walk unlocks
 * with anon_vma_unlock_read() alone, and a held spinlock is itself a
 * read-side section of 2.6.33's non-preemptible RCU, so the explicit
 * section ends once the lock is held.
 */
function folio_lock_anon_vma_read_spin(folio: ptr<folio>, _rwc: ptr<rmap_walk_control>): ptr<anon_vma> {
	rcu_read_lock();
	const anon_mapping: ulong = cast<ulong>(READ_ONCE(folio.mapping));
	if ((anon_mapping & FOLIO_MAPPING_FLAGS) != FOLIO_MAPPING_ANON || !folio_mapped(folio)) {
		rcu_read_unlock();
		return NULL;
	}
	const anon_vma: ptr<anon_vma> = cast<ptr<anon_vma>>(anon_mapping - FOLIO_MAPPING_ANON);
	spin_lock_anon_vma(anon_vma);
	rcu_read_unlock();
	return anon_vma;
}

function no_cond_resched(): void {
	/* 2.6.33's rmap walk had no cond_resched(): it could not sleep there. */
}

/* ---- folio_lock_anon_vma_read() without RCU and without the refcount ---- */

function folio_lock_anon_vma_read_unsafe(folio: ptr<folio>, _rwc: ptr<rmap_walk_control>): ptr<anon_vma> {
	const anon_mapping: ulong = cast<ulong>(READ_ONCE(folio.mapping));

	if ((anon_mapping & FOLIO_MAPPING_FLAGS) != FOLIO_MAPPING_ANON)
		return NULL;
	if (!folio_mapped(folio))
		return NULL;
	const anon_vma: ptr<anon_vma> = cast<ptr<anon_vma>>(anon_mapping - FOLIO_MAPPING_ANON);
	/* Nothing keeps anon_vma alive from here on: see the comment over anon_vma_free(). */
	const root: ptr<anon_vma> = READ_ONCE(anon_vma.root);
	down_read(addr(root.rwsem));
	if (!folio_mapped(folio)) {
		up_read(addr(root.rwsem));
		return NULL;
	}
	return anon_vma;
}

/* ---- before anon_vma_chain: one anon_vma for the whole fork tree ---- */

function anon_vma_fork_shared(vma: ptr<vm_area_struct>, pvma: ptr<vm_area_struct>): int {
	if (!pvma.anon_vma)
		return 0;
	/* The child's COWed pages go to the parent's anon_vma too (no reuse, no own anon_vma). */
	vma.anon_vma = pvma.anon_vma;
	if (anon_vma_clone(vma, pvma, VMA_OP_FORK))
		return -ENOMEM;
	/* The counter under the anon_vma lock, as the lockset table wants. */
	anon_vma_lock_write(vma.anon_vma);
	vma.anon_vma.num_active_vmas++;
	anon_vma_unlock_write(vma.anon_vma);
	return 0;
}

export const designs: design[] = [
	{
		name: '7.2',
		description: 'mainline 7.2 (the model): one rwsem per anon_vma tree (the root\'s), taken once per anon_vma_clone()/unlink_anon_vmas(); vma_prepare() locks around VMA updates; RCU + refcount in folio_lock_anon_vma_read()',
		expect: { '*': 'clean' },
		patch(): void {},
	},
	{
		name: '6.12',
		description: 'mainline 6.12: anon_vma_clone()/unlink_anon_vmas() lock each chain entry\'s root through lock_anon_vma_root(); anon_vma_fork() clones before allocating',
		expect: { '*': 'clean' },
		patch: patch_6_12,
	},
	{
		name: 'cleanup-partial-keeps-anon-vma',
		description: '7.2 with cleanup_partial_anon_vmas() not resetting vma->anon_vma: an unfaulted merge target whose clone failed keeps an anon_vma it is not counted in',
		expect: { 'merge-unfaulted-vs-walk': 'bug' },
		patch(override: override_fn, model: model_fn): void {
			statics(model);
			override('cleanup_partial_anon_vmas', cleanup_partial_keep_anon_vma);
		},
	},
	{
		name: 'cleanup-partial-keeps-avcs',
		description: '7.2 with cleanup_partial_anon_vmas() leaving the allocated AVCs on the chain: __split_vma() frees the new VMA and they leak',
		expect: { 'clone-enomem-vs-walk': 'leak' },
		patch(override: override_fn): void {
			override('cleanup_partial_anon_vmas', cleanup_partial_keep_avcs);
		},
	},
	{
		name: 'dup-anon-vma-unset',
		description: 'dup_anon_vma() calling anon_vma_clone(VMA_OP_MERGE_UNFAULTED) before setting dst->anon_vma: check_anon_vma_clone()\'s VM_WARN_ON_ONCE fires',
		expect: { 'merge-unfaulted-vs-walk': 'warning' },
		patch(override: override_fn): void {
			override(vma_expand_unfaulted, vma_expand_unfaulted_unset);
		},
	},
	{
		name: '2.6.34-no-anon-vma-lock-around-adjust',
		description: 'seed 001: vma_adjust() changes vm_start/vm_pgoff and the tree without the anon_vma lock',
		/* The unlocked interval tree update is the cause; the lost mapping (found before the lockset check) its effect. */
		expect: { 'migrate-vs-adjust': 'data-race' },
		patch(override: override_fn): void {
			override(vma_prepare, vma_prepare_unlocked);
			override(vma_complete, vma_complete_unlocked);
		},
	},
	{
		name: 'unlink-root-first',
		description: 'seed 001 (Kamezawa): unlink_anon_vmas() puts the oldest anon_vma (the root) first, and children do not pin their root (pre-2.6.36)',
		expect: { 'exit-parent-and-child': 'use-after-free' },
		patch(override: override_fn, model: model_fn): void {
			statics(model);
			override(get_anon_vma, get_anon_vma_unpinned);
			override(__put_anon_vma, __put_anon_vma_unpinned);
			override(unlink_anon_vmas, unlink_anon_vmas_root_first);
		},
	},
	{
		name: 'take-all-locks-reverse',
		description: 'seed 001: root-first nested locking in rmap walks, but mm_take_all_locks() locks anon_vmas newest first',
		expect: { 'walk-vs-take-all-locks': 'deadlock' },
		patch(override: override_fn): void {
			patch_nested(override);
			override(mm_take_all_locks, mm_take_all_locks_new_to_old);
		},
	},
	{
		name: 'spinlock-anon-vma',
		description: 'seed 004: anon_vma->lock is a spinlock while the mmu_notifier invalidate in the rmap walk sleeps',
		expect: { 'migrate-with-sleeping-notifier': 'sleep-in-atomic' },
		patch(override: override_fn): void {
			override(anon_vma_lock_write, spin_lock_anon_vma);
			override(anon_vma_unlock_write, spin_unlock_anon_vma);
			override(anon_vma_lock_read, spin_lock_anon_vma);
			override(anon_vma_unlock_read, spin_unlock_anon_vma);
			override(anon_vma_trylock_read, spin_trylock_anon_vma);
			override(folio_lock_anon_vma_read, folio_lock_anon_vma_read_spin);
			override(cond_resched, no_cond_resched);
			override(lockdep_assert_held_write, lockdep_assert_anon_vma_spin_held);
		},
	},
	{
		name: 'lock-anon-vma-no-rcu-no-ref',
		description: 'comment over anon_vma_free(): folio_lock_anon_vma_read() without rcu_read_lock() and without a reference',
		expect: { 'reclaim-vs-exit': 'use-after-free' },
		patch(override: override_fn): void {
			override(folio_lock_anon_vma_read, folio_lock_anon_vma_read_unsafe);
		},
	},
	{
		name: 'root-walk-nested',
		description: 'seeds 000/001 (Mel Gorman): rmap walks lock the root and walk the root\'s list (the whole fork tree), each VMA\'s anon_vma locked nested; mm_take_all_locks() old to new',
		expect: { 'walk-vs-take-all-locks': 'clean', 'migrate-vs-adjust': 'clean' },
		patch: patch_nested,
	},
	{
		name: 'pre-2.6.34-single-anon-vma',
		description: 'seed 003 (before anon_vma_chain): every VMA of the fork tree on one anon_vma; for the cost table',
		expect: {},
		patch(override: override_fn): void {
			override(anon_vma_fork, anon_vma_fork_shared);
		},
	},
	...ksm_designs,
	/* A fix's one line reverted in the model's own source (reverts.ts): the world compiles it so, nothing to replace. */
	...REVERTS.map((r): design => ({ name: r.design, description: r.description, expect: r.expect, patch(): void {} })),
];

/*
 * mm/rmap.c - physical to virtual reverse mappings
 *
 * Copyright 2001, Rik van Riel <riel@conectiva.com.br>
 * Released under the General Public License (GPL).
 *
 * Simple, low overhead reverse mapping scheme.
 * Please try to keep this thing as modular as possible.
 *
 * Provides methods for unmapping each kind of mapped page:
 * the anon methods track anonymous pages, and
 * the file methods track pages belonging to an inode.
 *
 * Original design by Rik van Riel <riel@conectiva.com.br> 2001
 * File methods by Dave McCracken <dmccr@us.ibm.com> 2003, 2004
 * Anonymous methods by Andrea Arcangeli <andrea@suse.de> 2004
 * Contributions by Hugh Dickins 2003, 2004
 */

/*
 * Lock ordering in mm:
 *
 * inode->i_rwsem	(while writing or truncating, not reading or faulting)
 *   mm->mmap_lock
 *     mapping->invalidate_lock (in filemap_fault)
 *       folio_lock
 *         hugetlbfs_i_mmap_rwsem_key (in huge_pmd_share, see hugetlbfs below)
 *           vma_start_write
 *             mapping->i_mmap_rwsem
 *               anon_vma->rwsem
 *                 mm->page_table_lock or pte_lock
 *                   swap_lock (in swap_duplicate, swap_info_get)
 *                     mmlist_lock (in mmput, drain_mmlist and others)
 *                     mapping->private_lock (in block_dirty_folio)
 *                       folio_lock_memcg move_lock (in block_dirty_folio)
 *                         i_pages lock (widely used)
 *                           lruvec->lru_lock (in folio_lruvec_lock_irq)
 *                     inode->i_lock (in set_page_dirty's __mark_inode_dirty)
 *                     bdi.wb->list_lock (in set_page_dirty's __mark_inode_dirty)
 *                       sb_lock (within inode_lock in fs/fs-writeback.c)
 *                       i_pages lock (widely used, in set_page_dirty,
 *                                 in arch-dependent flush_dcache_mmap_lock,
 *                                 within bdi.wb->list_lock in __sync_single_inode)
 *
 * anon_vma->rwsem,mapping->i_mmap_rwsem   (memory_failure, collect_procs_anon)
 *   ->tasklist_lock
 *     pte map lock
 *
 * hugetlbfs PageHuge() take locks in this order:
 *   hugetlb_fault_mutex (hugetlbfs specific page fault mutex)
 *     vma_lock (hugetlb specific lock for pmd_sharing)
 *       mapping->i_mmap_rwsem (also used for hugetlb pmd sharing)
 *         folio_lock
 */

import {
	ptr, int, ulong, bool, gfp_t, pgoff_t, NULL, addr, addr_of, cast, sizeof,
	anon_vma, anon_vma_chain, vm_area_struct, mm_struct, folio, address_space,
	rmap_walk_control, kmem_cache,
	kmem_cache_alloc, kmem_cache_free, kmem_cache_create, KMEM_CACHE,
	GFP_KERNEL, GFP_NOWAIT, __GFP_NOWARN, SLAB_TYPESAFE_BY_RCU, SLAB_PANIC, SLAB_ACCOUNT,
	ENOMEM, EFAULT,
	atomic_set, atomic_read, atomic_inc_not_zero, atomic_dec_and_test,
	might_sleep, cond_resched, rwsem_is_locked, lockdep_assert_held_write, down_write, up_write, init_rwsem,
	down_read_trylock, up_read, spin_lock, spin_unlock, rcu_read_lock, rcu_read_unlock,
	READ_ONCE, smp_store_release,
	VM_BUG_ON, VM_BUG_ON_FOLIO, VM_BUG_ON_VMA, VM_WARN_ON, WARN_ON_ONCE, likely, unlikely,
	list_add, list_del, list_for_each_entry_reverse, list_for_each_entry_safe,
	anon_vma_interval_tree_insert, anon_vma_interval_tree_remove,
	anon_vma_interval_tree_foreach, vma_interval_tree_foreach, RB_EMPTY_ROOT, RB_ROOT_CACHED,
	mmap_assert_locked, find_mergeable_anon_vma, folio_mapped, folio_anon_vma, folio_mapping,
	folio_pgoff, folio_nr_pages, folio_test_locked, folio_test_ksm, folio_test_anon,
	vma_address, i_mmap_trylock_read, i_mmap_lock_read, i_mmap_unlock_read, rmap_walk_ksm,
	PAGE_MAPPING_FLAGS, PAGE_MAPPING_ANON,
} from '../kernel';
import {
	get_anon_vma, put_anon_vma, anon_vma_lock_write, anon_vma_unlock_write,
	anon_vma_lock_read, anon_vma_unlock_read, anon_vma_trylock_read,
} from './rmap_h';

let anon_vma_cachep: ptr<kmem_cache>;
let anon_vma_chain_cachep: ptr<kmem_cache>;

function anon_vma_alloc(): ptr<anon_vma> {
	'inline';
	let anon_vma: ptr<anon_vma>;

	anon_vma = kmem_cache_alloc(anon_vma_cachep, GFP_KERNEL);
	if (anon_vma) {
		atomic_set(addr(anon_vma.refcount), 1);
		anon_vma.num_children = 0;
		anon_vma.num_active_vmas = 0;
		anon_vma.parent = anon_vma;
		/*
		 * Initialise the anon_vma root to point to itself. If called
		 * from fork, the root will be reset to the parents anon_vma.
		 */
		anon_vma.root = anon_vma;
	}

	return anon_vma;
}

function anon_vma_free(anon_vma: ptr<anon_vma>): void {
	'inline';
	VM_BUG_ON(atomic_read(addr(anon_vma.refcount)));

	/*
	 * Synchronize against folio_lock_anon_vma_read() such that
	 * we can safely hold the lock without the anon_vma getting
	 * freed.
	 *
	 * Relies on the full mb implied by the atomic_dec_and_test() from
	 * put_anon_vma() against the acquire barrier implied by
	 * down_read_trylock() from folio_lock_anon_vma_read(). This orders:
	 *
	 * folio_lock_anon_vma_read()	VS	put_anon_vma()
	 *   down_read_trylock()		  atomic_dec_and_test()
	 *   LOCK				  MB
	 *   atomic_read()			  rwsem_is_locked()
	 *
	 * LOCK should suffice since the actual taking of the lock must
	 * happen _before_ what follows.
	 */
	might_sleep();
	if (rwsem_is_locked(addr(anon_vma.root.rwsem))) {
		anon_vma_lock_write(anon_vma);
		anon_vma_unlock_write(anon_vma);
	}

	kmem_cache_free(anon_vma_cachep, anon_vma);
}

function anon_vma_chain_alloc(gfp: gfp_t): ptr<anon_vma_chain> {
	'inline';
	return kmem_cache_alloc(anon_vma_chain_cachep, gfp);
}

function anon_vma_chain_free(anon_vma_chain: ptr<anon_vma_chain>): void {
	kmem_cache_free(anon_vma_chain_cachep, anon_vma_chain);
}

function anon_vma_chain_assign(vma: ptr<vm_area_struct>,
				  avc: ptr<anon_vma_chain>,
				  anon_vma: ptr<anon_vma>): void {
	avc.vma = vma;
	avc.anon_vma = anon_vma;
	list_add(addr(avc.same_vma), addr(vma.anon_vma_chain));
}

/**
 * __anon_vma_prepare - attach an anon_vma to a memory region
 * @vma: the memory region in question
 *
 * This makes sure the memory mapping described by 'vma' has
 * an 'anon_vma' attached to it, so that we can associate the
 * anonymous pages mapped into it with that anon_vma.
 *
 * The common case will be that we already have one, which
 * is handled inline by anon_vma_prepare(). But if
 * not we either need to find an adjacent mapping that we
 * can re-use the anon_vma from (very common when the only
 * reason for splitting a vma has been mprotect()), or we
 * allocate a new one.
 *
 * Anon-vma allocations are very subtle, because we may have
 * optimistically looked up an anon_vma in folio_lock_anon_vma_read()
 * and that may actually touch the rwsem even in the newly
 * allocated vma (it depends on RCU to make sure that the
 * anon_vma isn't actually destroyed).
 *
 * As a result, we need to do proper anon_vma locking even
 * for the new allocation. At the same time, we do not want
 * to do any locking for the common case of already having
 * an anon_vma.
 */
export function __anon_vma_prepare(vma: ptr<vm_area_struct>): int {
	let mm: ptr<mm_struct> = vma.vm_mm;
	let anon_vma: ptr<anon_vma>, allocated: ptr<anon_vma>;
	let avc: ptr<anon_vma_chain>;

	mmap_assert_locked(mm);
	might_sleep();

out_enomem: {
out_enomem_free_avc: {
	avc = anon_vma_chain_alloc(GFP_KERNEL);
	if (!avc)
		break out_enomem;

	anon_vma = find_mergeable_anon_vma(vma);
	allocated = NULL;
	if (!anon_vma) {
		anon_vma = anon_vma_alloc();
		if (unlikely(!anon_vma))
			break out_enomem_free_avc;
		anon_vma.num_children++; /* self-parent link for new root */
		allocated = anon_vma;
	}

	anon_vma_lock_write(anon_vma);
	/* page_table_lock to protect against threads */
	spin_lock(addr(mm.page_table_lock));
	if (likely(!vma.anon_vma)) {
		/*
		 * Make anon_vma fields visible before anon_vma is published.
		 * Paired with an address dependency in reusable_anon_vma().
		 */
		smp_store_release(addr_of(vma, 'anon_vma'), anon_vma);
		anon_vma_chain_assign(vma, avc, anon_vma);
		anon_vma_interval_tree_insert(avc, addr(anon_vma.rb_root));
		anon_vma.num_active_vmas++;
		allocated = NULL;
		avc = NULL;
	}
	spin_unlock(addr(mm.page_table_lock));
	anon_vma_unlock_write(anon_vma);

	if (unlikely(allocated))
		put_anon_vma(allocated);
	if (unlikely(avc))
		anon_vma_chain_free(avc);

	return 0;

 }
	anon_vma_chain_free(avc);
 }
	return -ENOMEM;
}

/*
 * This is a useful helper function for locking the anon_vma root as
 * we traverse the vma->anon_vma_chain, looping over anon_vma's that
 * have the same vma.
 *
 * Such anon_vma's should have the same root, so you'd expect to see
 * just a single mutex_lock for the whole traversal.
 */
function lock_anon_vma_root(root: ptr<anon_vma>, anon_vma: ptr<anon_vma>): ptr<anon_vma> {
	'inline';
	let new_root: ptr<anon_vma> = anon_vma.root;
	if (new_root != root) {
		if (WARN_ON_ONCE(root))
			up_write(addr(root.rwsem));
		root = new_root;
		down_write(addr(root.rwsem));
	}
	return root;
}

function unlock_anon_vma_root(root: ptr<anon_vma>): void {
	'inline';
	if (root)
		up_write(addr(root.rwsem));
}

/*
 * Attach the anon_vmas from src to dst.
 * Returns 0 on success, -ENOMEM on failure.
 *
 * anon_vma_clone() is called by vma_expand(), vma_merge(), __split_vma(),
 * copy_vma() and anon_vma_fork(). The first four want an exact copy of src,
 * while the last one, anon_vma_fork(), may try to reuse an existing anon_vma to
 * prevent endless growth of anon_vma. Since dst->anon_vma is set to NULL before
 * call, we can identify this case by checking (!dst->anon_vma &&
 * src->anon_vma).
 *
 * If (!dst->anon_vma && src->anon_vma) is true, this function tries to find
 * and reuse existing anon_vma which has no vmas and only one child anon_vma.
 * This prevents degradation of anon_vma hierarchy to endless linear chain in
 * case of constantly forking task. On the other hand, an anon_vma with more
 * than one child isn't reused even if there was no alive vma, thus rmap
 * walker has a good chance of avoiding scanning the whole hierarchy when it
 * searches where page is mapped.
 */
export function anon_vma_clone(dst: ptr<vm_area_struct>, src: ptr<vm_area_struct>): int {
	let avc: ptr<anon_vma_chain>, pavc: ptr<anon_vma_chain>;
	let root: ptr<anon_vma> = NULL;

enomem_failure: {
	for (pavc of list_for_each_entry_reverse(addr(src.anon_vma_chain), 'same_vma')) {
		let anon_vma: ptr<anon_vma>;

		avc = anon_vma_chain_alloc(GFP_NOWAIT | __GFP_NOWARN);
		if (unlikely(!avc)) {
			unlock_anon_vma_root(root);
			root = NULL;
			avc = anon_vma_chain_alloc(GFP_KERNEL);
			if (!avc)
				break enomem_failure;
		}
		anon_vma = pavc.anon_vma;
		root = lock_anon_vma_root(root, anon_vma);
		anon_vma_chain_assign(dst, avc, anon_vma);
		lockdep_assert_held_write(addr(anon_vma.root.rwsem));
		anon_vma_interval_tree_insert(avc, addr(anon_vma.rb_root));

		/*
		 * Reuse existing anon_vma if it has no vma and only one
		 * anon_vma child.
		 *
		 * Root anon_vma is never reused:
		 * it has self-parent reference and at least one child.
		 */
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
	/*
	 * dst->anon_vma is dropped here otherwise its num_active_vmas can
	 * be incorrectly decremented in unlink_anon_vmas().
	 * We can safely do this because callers of anon_vma_clone() don't care
	 * about dst->anon_vma if anon_vma_clone() failed.
	 */
	dst.anon_vma = NULL;
	unlink_anon_vmas(dst);
	return -ENOMEM;
}

/*
 * Attach vma to its own anon_vma, as well as to the anon_vmas that
 * the corresponding VMA in the parent process is attached to.
 * Returns 0 on success, non-zero on failure.
 */
export function anon_vma_fork(vma: ptr<vm_area_struct>, pvma: ptr<vm_area_struct>): int {
	let avc: ptr<anon_vma_chain>;
	let anon_vma: ptr<anon_vma>;
	let error: int;

	/* Don't bother if the parent process has no anon_vma here. */
	if (!pvma.anon_vma)
		return 0;

	/* Drop inherited anon_vma, we'll reuse existing or allocate new. */
	vma.anon_vma = NULL;

	/*
	 * First, attach the new VMA to the parent VMA's anon_vmas,
	 * so rmap can find non-COWed pages in child processes.
	 */
	error = anon_vma_clone(vma, pvma);
	if (error)
		return error;

	/* An existing anon_vma has been reused, all done then. */
	if (vma.anon_vma)
		return 0;

out_error: {
out_error_free_anon_vma: {
	/* Then add our own anon_vma. */
	anon_vma = anon_vma_alloc();
	if (!anon_vma)
		break out_error;
	anon_vma.num_active_vmas++;
	avc = anon_vma_chain_alloc(GFP_KERNEL);
	if (!avc)
		break out_error_free_anon_vma;

	/*
	 * The root anon_vma's rwsem is the lock actually used when we
	 * lock any of the anon_vmas in this anon_vma tree.
	 */
	anon_vma.root = pvma.anon_vma.root;
	anon_vma.parent = pvma.anon_vma;
	/*
	 * With refcounts, an anon_vma can stay around longer than the
	 * process it belongs to. The root anon_vma needs to be pinned until
	 * this anon_vma is freed, because the lock lives in the root.
	 */
	get_anon_vma(anon_vma.root);
	/* Mark this anon_vma as the one where our new (COWed) pages go. */
	vma.anon_vma = anon_vma;
	anon_vma_chain_assign(vma, avc, anon_vma);
	/* Now let rmap see it. */
	anon_vma_lock_write(anon_vma);
	anon_vma_interval_tree_insert(avc, addr(anon_vma.rb_root));
	/* The parent's counters are serialised by the root both share. */
	lockdep_assert_held_write(addr(anon_vma.parent.root.rwsem));
	anon_vma.parent.num_children++;
	anon_vma_unlock_write(anon_vma);

	return 0;

 }
	put_anon_vma(anon_vma);
 }
	unlink_anon_vmas(vma);
	return -ENOMEM;
}

export function unlink_anon_vmas(vma: ptr<vm_area_struct>): void {
	let avc: ptr<anon_vma_chain>, next: ptr<anon_vma_chain>;
	let root: ptr<anon_vma> = NULL;

	/*
	 * Unlink each anon_vma chained to the VMA.  This list is ordered
	 * from newest to oldest, ensuring the root anon_vma gets freed last.
	 */
	for ([avc, next] of list_for_each_entry_safe(addr(vma.anon_vma_chain), 'same_vma')) {
		let anon_vma: ptr<anon_vma> = avc.anon_vma;

		root = lock_anon_vma_root(root, anon_vma);
		lockdep_assert_held_write(addr(anon_vma.root.rwsem));
		anon_vma_interval_tree_remove(avc, addr(anon_vma.rb_root));

		/*
		 * Leave empty anon_vmas on the list - we'll need
		 * to free them outside the lock.
		 */
		if (RB_EMPTY_ROOT(addr(anon_vma.rb_root.rb_root))) {
			anon_vma.parent.num_children--;
			continue;
		}

		list_del(addr(avc.same_vma));
		anon_vma_chain_free(avc);
	}
	if (vma.anon_vma) {
		vma.anon_vma.num_active_vmas--;

		/*
		 * vma would still be needed after unlink, and anon_vma will be prepared
		 * when handle fault.
		 */
		vma.anon_vma = NULL;
	}
	unlock_anon_vma_root(root);

	/*
	 * Iterate the list once more, it now only contains empty and unlinked
	 * anon_vmas, destroy them. Could not do before due to __put_anon_vma()
	 * needing to write-acquire the anon_vma->root->rwsem.
	 */
	for ([avc, next] of list_for_each_entry_safe(addr(vma.anon_vma_chain), 'same_vma')) {
		let anon_vma: ptr<anon_vma> = avc.anon_vma;

		VM_WARN_ON(anon_vma.num_children);
		VM_WARN_ON(anon_vma.num_active_vmas);
		put_anon_vma(anon_vma);

		list_del(addr(avc.same_vma));
		anon_vma_chain_free(avc);
	}
}

function anon_vma_ctor(data: ptr<void>): void {
	let anon_vma: ptr<anon_vma> = data;

	init_rwsem(addr(anon_vma.rwsem));
	atomic_set(addr(anon_vma.refcount), 0);
	anon_vma.rb_root = RB_ROOT_CACHED;
}

export function anon_vma_init(): void {
	'__init';
	anon_vma_cachep = kmem_cache_create("anon_vma", sizeof(anon_vma),
			0, SLAB_TYPESAFE_BY_RCU|SLAB_PANIC|SLAB_ACCOUNT,
			anon_vma_ctor);
	anon_vma_chain_cachep = KMEM_CACHE(anon_vma_chain,
			SLAB_PANIC|SLAB_ACCOUNT);
}

/*
 * Getting a lock on a stable anon_vma from a page off the LRU is tricky!
 *
 * Since there is no serialization what so ever against folio_remove_rmap_*()
 * the best this function can do is return a refcount increased anon_vma
 * that might have been relevant to this page.
 *
 * The page might have been remapped to a different anon_vma or the anon_vma
 * returned may already be freed (and even reused).
 *
 * In case it was remapped to a different anon_vma, the new anon_vma will be a
 * child of the old anon_vma, and the anon_vma lifetime rules will therefore
 * ensure that any anon_vma obtained from the page will still be valid for as
 * long as we observe page_mapped() [ hence all those page_mapped() tests ].
 *
 * All users of this function must be very careful when walking the anon_vma
 * chain and verify that the page in question is indeed mapped in it
 * [ something equivalent to page_mapped_in_vma() ].
 *
 * Since anon_vma's slab is SLAB_TYPESAFE_BY_RCU and we know from
 * folio_remove_rmap_*() that the anon_vma pointer from page->mapping is valid
 * if there is a mapcount, we can dereference the anon_vma after observing
 * those.
 *
 * NOTE: the caller should normally hold folio lock when calling this.  If
 * not, the caller needs to double check the anon_vma didn't change after
 * taking the anon_vma lock for either read or write (UFFDIO_MOVE can modify it
 * concurrently without folio lock protection). See folio_lock_anon_vma_read()
 * which has already covered that, and comment above remap_pages().
 */
export function folio_get_anon_vma(folio: ptr<folio>): ptr<anon_vma> {
	let anon_vma: ptr<anon_vma> = NULL;
	let anon_mapping: ulong;

	rcu_read_lock();
out: {
	anon_mapping = cast<ulong>(READ_ONCE(folio.mapping));
	if ((anon_mapping & PAGE_MAPPING_FLAGS) != PAGE_MAPPING_ANON)
		break out;
	if (!folio_mapped(folio))
		break out;

	anon_vma = cast<ptr<anon_vma>> (anon_mapping - PAGE_MAPPING_ANON);
	if (!atomic_inc_not_zero(addr(anon_vma.refcount))) {
		anon_vma = NULL;
		break out;
	}

	/*
	 * If this folio is still mapped, then its anon_vma cannot have been
	 * freed.  But if it has been unmapped, we have no security against the
	 * anon_vma structure being freed and reused (for another anon_vma:
	 * SLAB_TYPESAFE_BY_RCU guarantees that - so the atomic_inc_not_zero()
	 * above cannot corrupt).
	 */
	if (!folio_mapped(folio)) {
		rcu_read_unlock();
		put_anon_vma(anon_vma);
		return NULL;
	}
}
	rcu_read_unlock();

	return anon_vma;
}

/*
 * Similar to folio_get_anon_vma() except it locks the anon_vma.
 *
 * Its a little more complex as it tries to keep the fast path to a single
 * atomic op -- the trylock. If we fail the trylock, we fall back to getting a
 * reference like with folio_get_anon_vma() and then block on the mutex
 * on !rwc->try_lock case.
 */
export function folio_lock_anon_vma_read(folio: ptr<folio>,
					  rwc: ptr<rmap_walk_control>): ptr<anon_vma> {
	let anon_vma: ptr<anon_vma> = NULL;
	let root_anon_vma: ptr<anon_vma>;
	let anon_mapping: ulong;

retry: for (;;) {
out: {
	rcu_read_lock();
	anon_mapping = cast<ulong>(READ_ONCE(folio.mapping));
	if ((anon_mapping & PAGE_MAPPING_FLAGS) != PAGE_MAPPING_ANON)
		break out;
	if (!folio_mapped(folio))
		break out;

	anon_vma = cast<ptr<anon_vma>> (anon_mapping - PAGE_MAPPING_ANON);
	root_anon_vma = READ_ONCE(anon_vma.root);
	if (down_read_trylock(addr(root_anon_vma.rwsem))) {
		/*
		 * folio_move_anon_rmap() might have changed the anon_vma as we
		 * might not hold the folio lock here.
		 */
		if (unlikely(cast<ulong>(READ_ONCE(folio.mapping)) !=
			     anon_mapping)) {
			up_read(addr(root_anon_vma.rwsem));
			rcu_read_unlock();
			continue retry;
		}

		/*
		 * If the folio is still mapped, then this anon_vma is still
		 * its anon_vma, and holding the mutex ensures that it will
		 * not go away, see anon_vma_free().
		 */
		if (!folio_mapped(folio)) {
			up_read(addr(root_anon_vma.rwsem));
			anon_vma = NULL;
		}
		break out;
	}

	if (rwc && rwc.try_lock) {
		anon_vma = NULL;
		rwc.contended = true;
		break out;
	}

	/* trylock failed, we got to sleep */
	if (!atomic_inc_not_zero(addr(anon_vma.refcount))) {
		anon_vma = NULL;
		break out;
	}

	if (!folio_mapped(folio)) {
		rcu_read_unlock();
		put_anon_vma(anon_vma);
		return NULL;
	}

	/* we pinned the anon_vma, its safe to sleep */
	rcu_read_unlock();
	anon_vma_lock_read(anon_vma);

	/*
	 * folio_move_anon_rmap() might have changed the anon_vma as we might
	 * not hold the folio lock here.
	 */
	if (unlikely(cast<ulong>(READ_ONCE(folio.mapping)) !=
		     anon_mapping)) {
		anon_vma_unlock_read(anon_vma);
		put_anon_vma(anon_vma);
		anon_vma = NULL;
		continue retry;
	}

	if (atomic_dec_and_test(addr(anon_vma.refcount))) {
		/*
		 * Oops, we held the last refcount, release the lock
		 * and bail -- can't simply use put_anon_vma() because
		 * we'll deadlock on the anon_vma_lock_write() recursion.
		 */
		anon_vma_unlock_read(anon_vma);
		__put_anon_vma(anon_vma);
		anon_vma = NULL;
	}

	return anon_vma;

}
	rcu_read_unlock();
	return anon_vma;
}
}

export function __put_anon_vma(anon_vma: ptr<anon_vma>): void {
	let root: ptr<anon_vma> = anon_vma.root;

	anon_vma_free(anon_vma);
	if (root != anon_vma && atomic_dec_and_test(addr(root.refcount)))
		anon_vma_free(root);
}

function rmap_walk_anon_lock(folio: ptr<folio>,
					    rwc: ptr<rmap_walk_control>): ptr<anon_vma> {
	let anon_vma: ptr<anon_vma>;

	if (rwc.anon_lock)
		return rwc.anon_lock(folio, rwc);

	/*
	 * Note: remove_migration_ptes() cannot use folio_lock_anon_vma_read()
	 * because that depends on page_mapped(); but not all its usages
	 * are holding mmap_lock. Users without mmap_lock are required to
	 * take a reference count to prevent the anon_vma disappearing
	 */
	anon_vma = folio_anon_vma(folio);
	if (!anon_vma)
		return NULL;

out: {
	if (anon_vma_trylock_read(anon_vma))
		break out;

	if (rwc.try_lock) {
		anon_vma = NULL;
		rwc.contended = true;
		break out;
	}

	anon_vma_lock_read(anon_vma);
}
	return anon_vma;
}

/*
 * rmap_walk_anon - do something to anonymous page using the object-based
 * rmap method
 * @folio: the folio to be handled
 * @rwc: control variable according to each walk type
 * @locked: caller holds relevant rmap lock
 *
 * Find all the mappings of a folio using the mapping pointer and the vma
 * chains contained in the anon_vma struct it points to.
 */
function rmap_walk_anon(folio: ptr<folio>,
		rwc: ptr<rmap_walk_control>, locked: bool): void {
	let anon_vma: ptr<anon_vma>;
	let pgoff_start: pgoff_t, pgoff_end: pgoff_t;
	let avc: ptr<anon_vma_chain>;

	if (locked) {
		anon_vma = folio_anon_vma(folio);
		/* anon_vma disappear under us? */
		VM_BUG_ON_FOLIO(!anon_vma, folio);
	} else {
		anon_vma = rmap_walk_anon_lock(folio, rwc);
	}
	if (!anon_vma)
		return;

	pgoff_start = folio_pgoff(folio);
	pgoff_end = pgoff_start + folio_nr_pages(folio) - 1;
	for (avc of anon_vma_interval_tree_foreach(addr(anon_vma.rb_root),
			pgoff_start, pgoff_end)) {
		let vma: ptr<vm_area_struct> = avc.vma;
		let address: ulong = vma_address(vma, pgoff_start,
				folio_nr_pages(folio));

		VM_BUG_ON_VMA(address == -EFAULT, vma);
		cond_resched();

		if (rwc.invalid_vma && rwc.invalid_vma(vma, rwc.arg))
			continue;

		if (!rwc.rmap_one(folio, vma, address, rwc.arg))
			break;
		if (rwc.done && rwc.done(folio))
			break;
	}

	if (!locked)
		anon_vma_unlock_read(anon_vma);
}

/*
 * rmap_walk_file - do something to file page using the object-based rmap method
 * @folio: the folio to be handled
 * @rwc: control variable according to each walk type
 * @locked: caller holds relevant rmap lock
 *
 * Find all the mappings of a folio using the mapping pointer and the vma chains
 * contained in the address_space struct it points to.
 */
function rmap_walk_file(folio: ptr<folio>,
		rwc: ptr<rmap_walk_control>, locked: bool): void {
	let mapping: ptr<address_space> = folio_mapping(folio);
	let pgoff_start: pgoff_t, pgoff_end: pgoff_t;
	let vma: ptr<vm_area_struct>;

	/*
	 * The page lock not only makes sure that page->mapping cannot
	 * suddenly be NULLified by truncation, it makes sure that the
	 * structure at mapping cannot be freed and reused yet,
	 * so we can safely take mapping->i_mmap_rwsem.
	 */
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);

	if (!mapping)
		return;

	pgoff_start = folio_pgoff(folio);
	pgoff_end = pgoff_start + folio_nr_pages(folio) - 1;
done: {
lookup: {
	if (!locked) {
		if (i_mmap_trylock_read(mapping))
			break lookup;

		if (rwc.try_lock) {
			rwc.contended = true;
			return;
		}

		i_mmap_lock_read(mapping);
	}
}
	for (vma of vma_interval_tree_foreach(addr(mapping.i_mmap),
			pgoff_start, pgoff_end)) {
		let address: ulong = vma_address(vma, pgoff_start,
			       folio_nr_pages(folio));

		VM_BUG_ON_VMA(address == -EFAULT, vma);
		cond_resched();

		if (rwc.invalid_vma && rwc.invalid_vma(vma, rwc.arg))
			continue;

		if (!rwc.rmap_one(folio, vma, address, rwc.arg))
			break done;
		if (rwc.done && rwc.done(folio))
			break done;
	}

}
	if (!locked)
		i_mmap_unlock_read(mapping);
}

export function rmap_walk(folio: ptr<folio>, rwc: ptr<rmap_walk_control>): void {
	if (unlikely(folio_test_ksm(folio)))
		rmap_walk_ksm(folio, rwc);
	else if (folio_test_anon(folio))
		rmap_walk_anon(folio, rwc, false);
	else
		rmap_walk_file(folio, rwc, false);
}

/* Like rmap_walk, but caller holds relevant rmap lock */
export function rmap_walk_locked(folio: ptr<folio>, rwc: ptr<rmap_walk_control>): void {
	/* no ksm support for now */
	VM_BUG_ON_FOLIO(folio_test_ksm(folio), folio);
	if (folio_test_anon(folio))
		rmap_walk_anon(folio, rwc, true);
	else
		rmap_walk_file(folio, rwc, true);
}

/*
 * The rest of mm/ as it drives mm/ksm.c, beside harness.ts's anon_vma
 * side: what ksmd's merge leaves behind, ksmd meeting a stable node on a
 * tree walk, and the migration of a KSM folio.  (A write to a merged page
 * is harness.ts's user_write(): its read-only PTE is copied on write.)
 *
 * Model-only and loaded through the checker's transform like harness.ts:
 * every lock, atomic and list operation is a point where another thread
 * may run.  It uses the model's functions (mm/ksm.c's statics by name,
 * as design variants do) wherever the model has them; what it does
 * itself is what mm/memory.c and mm/migrate.c do to page tables.
 */
import {
	ptr, ulong, addr, folio, mm_struct, ksm_stable_node, ksm_rmap_item,
	spin_lock, spin_unlock, mutex_lock, mutex_unlock, kernel_bug,
	folio_lock, folio_unlock, folio_put, folio_ref_count, folio_test_ksm, folio_mapped,
	ksm_thread_mutex, NULL, ref, addr_of,
	root_stable_tree, RMAP_NONE, mm_slot_entry, mm_slot_lookup, mm_slots_hash, ksm_mm_slot,
	vm_area_struct, rmap_walk_control, mm_flags_test, MMF_VM_MERGEABLE,
	kmem_cache, slab_caches, mm_slot, list_empty, ksm_mm_head, ksm_scan, ksm_mmlist_lock, mmap_read_lock,
	mmap_read_unlock, mmap_write_lock, mmap_write_unlock, folio_test_anon, hash_del, list_del,
	mm_slot_free, mm_flags_clear, mmdrop, atomic_dec_and_test, cond_resched,
	PAGE_SIZE, list_head, sched_wait, sched_point, ttu_flags,
	pte_present, folio_get, MADV_MERGEABLE, MADV_UNMERGEABLE,
} from '../kernel';
import type { int } from '../kernel';
import {
	folio_page, folio_pfn, ksm_numa_trees, set_pfn_nid, IS_ERR,
	pte_wrprotect, inc_tlb_flush_pending, dec_tlb_flush_pending, flush_tlb_range, VM_MERGEABLE,
} from '../kernel';
import { get_anon_vma } from '../model/rmap_h';
import { folio_migrate_ksm, __ksm_enter, __ksm_exit, rmap_walk_ksm, ksm_madvise } from '../model/ksm';
import { try_to_migrate } from '../model/rmap';
import { remove_migration_ptes } from '../model/migrate';
import {
	world, find_vma, folio_alloc, pte_try_share, pte_clear, pte_map_anon, exit_mmap,
	madvise_free_flush, drain_lru_batches, folio_isolate,
} from './harness';

declare const __k: { lookup(name: string): Function; variable(name: string): { get(): unknown; set(v: unknown): void } };

/* mm/ksm.c's static functions, which the harness may call as ksmd does (by name, as design variants do). */
function ksm(name: string): Function {
	return __k.lookup(`model/ksm:${name}`);
}

let slab_ready = false;
/* ksm.c's static mm_slot_cache, which the scan's stand-in frees slots to. */
let mm_slot_cache: ptr<kmem_cache> = NULL;

/* ksm_init()'s ksm_slab_init(): KSM's slab caches, once per world. */
function ksm_slab_setup(): void {
	if (!slab_ready && ksm('ksm_slab_init')() === 0) {
		slab_ready = true;
		mm_slot_cache = slab_caches.find((c) => c.name === 'ksm_mm_slot') as ptr<kmem_cache>;
	}
}


/*
 * madvise(advice) of the VMA at address, as mm/madvise.c's
 * madvise_vma_behavior() does it under mmap_lock for write: the model's
 * ksm_madvise() works out the new flags (MADV_MERGEABLE registers the mm
 * with ksmd the first time, __ksm_enter(); MADV_UNMERGEABLE breaks COW of
 * every KSM page in the range, break_ksm()), and madvise_update_vma()
 * stores them (vm_flags_reset()) when it succeeded.  ksm_madvise()'s
 * error is the result.
 */
function ksm_madvise_vma(mm: ptr<mm_struct>, address: ulong, advice: int): int {
	ksm_slab_setup();
	mmap_write_lock(mm);
	const vma = find_vma(mm, address);
	let new_flags: ulong = vma.vm_flags;
	const err = ksm_madvise(vma, vma.vm_start, vma.vm_end, advice, ref(new_flags, (v) => new_flags = v));
	if (!err)
		vma.vm_flags = new_flags;
	mmap_write_unlock(mm);
	return err;
}

export function ksm_madvise_mergeable(mm: ptr<mm_struct>, address: ulong): void {
	if (ksm_madvise_vma(mm, address, MADV_MERGEABLE))
		kernel_bug('bug', 'ksm_madvise_mergeable: ksm_madvise() failed');
}

export function ksm_madvise_unmergeable(mm: ptr<mm_struct>, address: ulong): int {
	return ksm_madvise_vma(mm, address, MADV_UNMERGEABLE);
}

/**
 * The page at address in each of mms, after ksmd merged them: each mm
 * registered with ksmd (__ksm_enter(), as madvise(MADV_MERGEABLE) does),
 * the first process's folio is the KSM folio, each process has an
 * rmap_item on its stable node (stable_tree_append(), with the anon_vma
 * reference try_to_merge_with_ksm_page() takes), and every PTE maps the
 * KSM folio read-only (what write_protect_page() and replace_page()
 * leave).  Setup only: it runs single-threaded, before the threads race.
 * The node is the model's: stable_tree_insert() into the (empty) stable
 * tree, as cmp_and_merge_page() inserts a merged pair (ksm_insert()).
 */
export function ksm_merged(mms: ptr<mm_struct>[], address: ulong): { kfolio: ptr<folio>; node: ptr<ksm_stable_node>; items: ptr<ksm_rmap_item>[] } {
	ksm_slab_setup();
	if (root_stable_tree.rb_node)
		kernel_bug('bug', 'ksm_merged: the stable tree is not empty');
	const { kfolio, items } = ksm_merge_pages(mms, address);
	mutex_lock(addr(ksm_thread_mutex));
	const node = ksm_insert(kfolio, items, false);
	mutex_unlock(addr(ksm_thread_mutex));
	if (!node)
		kernel_bug('bug', 'ksm_merged: stable_tree_insert() failed');
	return { kfolio, node, items };
}

/**
 * mms' pages at address merged into one KSM folio that is in no stable
 * tree yet, as try_to_merge_two_pages() leaves them for
 * cmp_and_merge_page() to insert (try_to_merge_with_ksm_page() of each
 * page): the first mm's folio write-protected and made a KSM folio with no
 * stable node (try_to_merge_one_page() with no KSM page yet:
 * folio_set_stable_node(folio, NULL)), the others' PTEs replaced by it
 * read-only (replace_page()), each mm registered with ksmd and given an
 * rmap_item on its mm_slot's rmap_list (get_next_rmap_item()) that holds
 * a reference to the VMA's anon_vma and hangs on no tree
 * (remove_rmap_item_from_tree() before the merge).  Setup only.
 */
export function ksm_merge_pages(mms: ptr<mm_struct>[], address: ulong): { kfolio: ptr<folio>; items: ptr<ksm_rmap_item>[] } {
	ksm_slab_setup();
	const first = mms[0].ptes.get(address);
	if (!first)
		kernel_bug('bug', 'ksm_merge_pages: no page to merge');
	const kfolio = first.folio;
	folio_lock(kfolio);
	/* write_protect_page(): the page is no longer exclusive, its PTE read-only. */
	spin_lock(addr(mms[0].page_table_lock));
	if (!pte_try_share(first, { exclusive: false }))
		kernel_bug('bug', 'ksm_merge_pages: folio_try_share_anon_rmap_pte() failed');
	first.write = false;
	spin_unlock(addr(mms[0].page_table_lock));
	ksm('folio_set_stable_node')(kfolio, NULL);
	const items: ptr<ksm_rmap_item>[] = [];
	for (const mm of mms) {
		const vma = find_vma(mm, address);
		/* madvise(MADV_MERGEABLE) registered the mm with ksmd: its mm_slot. */
		if (__ksm_enter(mm))
			kernel_bug('bug', 'ksm_merge_pages: __ksm_enter failed');
		vma.vm_flags |= VM_MERGEABLE;
		const item = scan_rmap_item(mm, address);
		/* try_to_merge_with_ksm_page(): must get reference to anon_vma while still holding mmap_lock. */
		item.anon_vma = vma.anon_vma;
		get_anon_vma(vma.anon_vma);
		spin_lock(addr(mm.page_table_lock));
		const pte = mm.ptes.get(address)!;
		if (pte.folio !== kfolio) {
			/* replace_page(): the PTE maps the KSM page instead, read-only. */
			const old = pte.folio;
			pte_clear(vma, address);
			pte_map_anon(vma, address, kfolio, false, RMAP_NONE);
			world.folios.splice(world.folios.indexOf(old), 1);
		}
		spin_unlock(addr(mm.page_table_lock));
		items.push(item);
	}
	folio_unlock(kfolio);
	return { kfolio, items };
}

/*
 * The scan's rmap_item for mm's page at address: the model's
 * get_next_rmap_item() from the head of mm's mm_slot's rmap_list (the
 * harness's merges take one page of each mm, so the item joins the list
 * there, unless it is on it already).
 */
function scan_rmap_item(mm: ptr<mm_struct>, address: ulong): ptr<ksm_rmap_item> {
	const slot = mm_slot_entry(mm_slot_lookup(mm_slots_hash, mm), ksm_mm_slot, 'slot');
	const item = ksm('get_next_rmap_item')(slot, addr_of(slot, 'rmap_list'), address) as ptr<ksm_rmap_item>;

	if (!item)
		kernel_bug('bug', 'scan_rmap_item: alloc_rmap_item() failed');
	return item;
}

/**
 * cmp_and_merge_page() after try_to_merge_two_pages() merged the pages of
 * items into kfolio: the folio locked, the model's stable_tree_insert()
 * (which makes a stable_node chain through alloc_stable_node_chain() when
 * an identical page is already in the tree), and the rmap_items appended
 * to the new node (stable_tree_append(); bypass is its
 * max_page_sharing_bypass).  If the insertion fails (an allocation), the
 * merged pages are left outside the stable tree: break_cow() on each.
 * The caller holds ksm_thread_mutex, as ksmd does.  The rmap_items are
 * appended in items' order (cmp_and_merge_page() appends tree_rmap_item
 * first: the order is only the walk's).  Returns the node, or NULL.
 */
export function ksm_insert(kfolio: ptr<folio>, items: ptr<ksm_rmap_item>[], bypass: boolean): ptr<ksm_stable_node> {
	folio_lock(kfolio);
	const stable_node = ksm('stable_tree_insert')(kfolio) as ptr<ksm_stable_node>;
	if (stable_node)
		for (const item of items)
			ksm('stable_tree_append')(item, stable_node, bypass);
	folio_unlock(kfolio);

	/*
	 * If we fail to insert the page into the stable tree,
	 * we will have 2 virtual addresses that are pointing
	 * to a ksm page left outside the stable tree,
	 * in which case we need to break_cow on both.
	 */
	if (!stable_node)
		for (const item of items)
			break_cow(item);
	return stable_node;
}

/*
 * The model's break_cow(): the anon_vma reference the merge took is
 * dropped, and break_ksm() walks the page tables for the KSM page and
 * raises the unshare fault (handle_mm_fault(): harness.ts's fault, which
 * copies the page, contents and all, waiting out a migration entry first).
 */
function break_cow(rmap_item: ptr<ksm_rmap_item>): void {
	ksm('break_cow')(rmap_item);
}

/**
 * ksmd's insertion of a KSM folio it has just merged (ksm_merge_pages()
 * set it up, with ksmd's reference from the scan): under
 * ksm_thread_mutex, ksm_insert(), then cmp_and_merge_page()'s
 * folio_put(kfolio).
 */
export function ksmd_insert(kfolio: ptr<folio>, items: ptr<ksm_rmap_item>[]): void {
	mutex_lock(addr(ksm_thread_mutex));
	ksm_insert(kfolio, items, false);
	folio_put(kfolio);
	mutex_unlock(addr(ksm_thread_mutex));
}

/**
 * One page content merged from every mm of groups' pages at address,
 * under a max_page_sharing limit: each group is one KSM page with a
 * stable node of its own (at most max_page_sharing rmap_items each, as
 * stable_tree_append() keeps them).  Each group is merged
 * (ksm_merge_pages()) and inserted by the model's stable_tree_insert()
 * (ksm_insert()), under ksm_thread_mutex as ksmd holds it: one group is a
 * plain node at the stable tree's root; the second finds the first
 * identical, so the model makes a stable_node chain
 * (alloc_stable_node_chain()) and every later group is one more dup of
 * it.  max_page_sharing 0 is unlimited: stable_tree_append() is told to
 * bypass the limit.  Returns each group's KSM folio.
 */
export function ksm_merged_shared(groups: ptr<mm_struct>[][], address: ulong, max_page_sharing: number): ptr<folio>[] {
	ksm_slab_setup();
	if (root_stable_tree.rb_node)
		kernel_bug('bug', 'ksm_merged_shared: the stable tree is not empty');
	if (groups.length > 1 && !max_page_sharing)
		kernel_bug('bug', 'ksm_merged_shared: a chain only exists under a max_page_sharing limit');
	if (max_page_sharing && groups.some((g) => g.length > max_page_sharing))
		kernel_bug('bug', 'ksm_merged_shared: a group is larger than max_page_sharing');
	const folios: ptr<folio>[] = [];
	for (const g of groups) {
		const { kfolio, items } = ksm_merge_pages(g, address);
		mutex_lock(addr(ksm_thread_mutex));
		const node = ksm_insert(kfolio, items, !max_page_sharing);
		mutex_unlock(addr(ksm_thread_mutex));
		if (!node)
			kernel_bug('bug', 'ksm_merged_shared: stable_tree_insert() failed');
		folios.push(kfolio);
	}
	return folios;
}

/**
 * ksmd meets a stable node on its way down the stable tree
 * (stable_tree_search()/stable_tree_insert() call chain() on each node
 * they pass): chain() looks the node's folio up through its keyhole
 * (ksm_get_folio(KSM_GET_FOLIO_NOLOCK)) and takes a stale node out of
 * the tree; ksmd compares the folio and drops its reference.  Under
 * ksm_thread_mutex, as all of ksmd's work.
 */
export function ksmd_tree_lookup(): void {
	mutex_lock(addr(ksm_thread_mutex));
	let node: ptr<ksm_stable_node> = root_stable_tree.rb_node ? root_stable_tree.rb_node.container as ptr<ksm_stable_node> : NULL;
	let dup: ptr<ksm_stable_node> = NULL;
	if (node) {
		const tree_folio = ksm('chain')(ref(dup, (v) => dup = v), ref(node, (v) => node = v), root_stable_tree) as ptr<folio>;
		if (tree_folio)
			folio_put(tree_folio);
	}
	mutex_unlock(addr(ksm_thread_mutex));
}

/**
 * migrate_pages() of a KSM folio: locked throughout; no anon_vma to pin
 * (migrate_folio_unmap() pins one only for a non-KSM anon folio, and
 * rmap_walk_ksm() takes each rmap_item's); unmapped with migration
 * entries; moved only when no one else holds a reference (the refcount
 * freeze of folio_migrate_mapping(), -EAGAIN otherwise), the stable node
 * following the new folio (folio_migrate_ksm()); then the migration
 * entries become PTEs of whichever folio won, and the old folio's last
 * reference frees it (its mapping reset to NULL).  With nid, the new
 * folio is on that NUMA node (migrate_pages() to another node).
 */
export function migrate_ksm_folio(src: ptr<folio>, nid?: number): ptr<folio> {
	folio_isolate(src);
	folio_lock(src);
	if (!folio_test_ksm(src))
		kernel_bug('bug', 'migrate_ksm_folio: not a KSM folio');
	/* migrate_folio_unmap(): only a mapped folio is unmapped, and only its migration entries are removed. */
	const was_mapped = folio_mapped(src);
	if (was_mapped)
		try_to_migrate(src, 0 as ttu_flags);
	let dst = src;
	/* One reference: the isolation's (the harness's PTEs hold none of their own). */
	if (!folio_mapped(src) && folio_ref_count(src) === 1) {
		dst = folio_alloc();
		/* A migration to another NUMA node: the new folio's page frame is on nid. */
		if (nid !== undefined)
			set_pfn_nid(folio_pfn(dst), nid);
		folio_lock(dst);
		dst.mapping = src.mapping;
		dst.index = src.index;
		dst.data = src.data;
		/* folio_migrate_flags() */
		dst.dirty = src.dirty;
		folio_migrate_ksm(dst, src);
	}
	if (was_mapped)
		remove_migration_ptes(src, dst, 0 as ttu_flags);
	if (dst !== src) {
		folio_unlock(dst);
		folio_unlock(src);
		world.folios.splice(world.folios.indexOf(src), 1);
		world.retired.push(src);
		folio_put(src);
	} else {
		folio_unlock(src);
	}
	return dst;
}

/** One rmap_one() call of an rmap walk: the VMA and the address it was handed. */
export interface ksm_visit {
	vma: ptr<vm_area_struct>;
	address: ulong;
}

/**
 * The model's rmap_walk_ksm() of a KSM folio with an rmap_one() that
 * only records what it is handed (and a done() that never stops the
 * walk): every (VMA, address) try_to_unmap(), try_to_migrate() or
 * folio_referenced() would act on, in the walk's order.  The folio is
 * locked around it, as rmap_walk() requires.  The invariants and the
 * cost table run it; as a thread it is an rmap walk like any other.
 */
export function ksm_walk_visits(f: ptr<folio>): ksm_visit[] {
	const seen: ksm_visit[] = [];
	const rwc = new rmap_walk_control() as ptr<rmap_walk_control>;
	rwc.rmap_one = (_folio: ptr<folio>, vma: ptr<vm_area_struct>, address: ulong): boolean => {
		seen.push({ vma, address });
		return true;
	};
	folio_lock(f);
	rmap_walk_ksm(f, rwc);
	folio_unlock(f);
	return seen;
}

/*
 * ---- ksmd's scan and a process's exit ----
 *
 * kernel/fork.c mmput() of the last user: __mmput() calls ksm_exit()
 * (include/linux/ksm.h: __ksm_exit() of an mm registered with ksmd)
 * before exit_mmap(), and drops the mm_struct's own reference last; the
 * mm is freed when mm_count reaches zero (ksmd's mm_slot holds the
 * reference __ksm_enter()'s mmgrab() took).
 */
export function mmput(mm: ptr<mm_struct>): void {
	if (atomic_dec_and_test(addr(mm.mm_users))) {
		if (mm_flags_test(MMF_VM_MERGEABLE, mm))
			__ksm_exit(mm);
		exit_mmap(mm);
		mmdrop(mm);
	}
}

/*
 * ksmd: ksm_scan_thread()'s ksm_do_scan() of scan_npages pages under
 * ksm_thread_mutex, while KSM_RUN_MERGE.  All of it is the model's
 * (ts-src/model/ksm.ts): scan_get_next_rmap_item() walks the mm_slots
 * under ksm_mmlist_lock and each mm's mmap_lock, finds the next anonymous
 * page with walk_page_range_vma() and ksm_next_page_pmd_entry(), frees the
 * slot of an mm that has exited or lost its mergeable areas, and each
 * rmap_item it returns goes to cmp_and_merge_page(); the first scan of a
 * page only takes its checksum, the next looks for it in the stable tree,
 * then in the unstable tree, where an identical page met is merged with it
 * (try_to_merge_two_pages()) and the pair inserted in the stable tree.
 * (ksm_scan_thread() itself stays carried C: its wait_while_offlining()
 * is defined twice.)
 */
export function ksmd_scan(scan_npages: number): void {
	mutex_lock(addr(ksm_thread_mutex));
	ksm('ksm_do_scan')(scan_npages);
	mutex_unlock(addr(ksm_thread_mutex));
}

/*
 * ksmd_scan() by a scenario that expects mm's page at address to be
 * merged: returns whether a KSM page is mapped there afterwards (read
 * without a scheduling point: the alone-check's, alone.ts).
 */
export function ksmd_scan_merging(mm: ptr<mm_struct>, address: ulong, scan_npages: number): boolean {
	ksmd_scan(scan_npages);
	const pte = mm.ptes.get(address);
	return !!pte && !!pte_present(pte) && !!folio_test_ksm(pte.folio);
}

/*
 * ksmd (or KSM_RUN_UNMERGE) breaking COW under ksm_thread_mutex when
 * memory has run out: break_ksm()'s fault allocates a page, and the
 * allocation waits in the OOM killer until the victim it chose, the
 * exiting process, has freed its memory (exit_mmap()).
 */
export function ksmd_break_cow_oom(victim: ptr<mm_struct>): void {
	mutex_lock(addr(ksm_thread_mutex));
	/* Not a lock: a deadlock report names the wait itself. */
	sched_point('out_of_memory()', victim);
	sched_wait(`out_of_memory(): the OOM victim ${victim.name} to exit`, () => !world.mms.includes(victim));
	mutex_unlock(addr(ksm_thread_mutex));
}


/*
 * mm/ksm.c's statistics (sysfs pages_shared, pages_sharing,
 * pages_unshared), for the invariants (ksm_invariants.ts); a counter no
 * code has touched yet is C's zero-initialised static.
 */
export function ksm_counters(): { shared: number; sharing: number; unshared: number } {
	const v = (n: string): number => (__k.variable(`model/ksm:${n}`).get() as number | undefined) ?? 0;
	return { shared: v('ksm_pages_shared'), sharing: v('ksm_pages_sharing'), unshared: v('ksm_pages_unshared') };
}

/*
 * ---- merge_across_nodes = 0: one stable tree per NUMA node ----
 *
 * echo 0 > /sys/kernel/mm/ksm/merge_across_nodes before anything is
 * merged: merge_across_nodes_store() (carried C) allocates a stable and an
 * unstable tree per node and clears ksm_merge_across_nodes, so
 * get_kpfn_nid() files each KSM page in its own node's tree.  The model
 * runs with two nodes.  Setup only.
 */
export function ksm_no_merge_across_nodes(): void {
	if (root_stable_tree.rb_node)
		kernel_bug('bug', 'ksm_no_merge_across_nodes: pages are already shared');
	ksm_numa_trees(2);
	__k.variable('model/ksm:ksm_merge_across_nodes').set(0);
}

/**
 * ksmd's cmp_and_merge_page() of a scanned page with the stable tree
 * (its first step, under ksm_thread_mutex): stable_tree_search() of the
 * folio's page, ksmd holding a reference to it from the scan; a folio
 * found (to merge with) is released again, the merge itself not run,
 * then the scanned folio (cmp_and_merge_page()'s caller puts it).
 */
export function ksmd_stable_search(f: ptr<folio>): void {
	mutex_lock(addr(ksm_thread_mutex));
	const kfolio = ksm('stable_tree_search')(folio_page(f, 0)) as ptr<folio>;
	if (kfolio && !IS_ERR(kfolio))
		folio_put(kfolio);
	folio_put(f);
	mutex_unlock(addr(ksm_thread_mutex));
}

/**
 * A KSM folio made stale: every process wrote to its page (COW) and the
 * last reference went, so the page is freed (its keyhole reset) while its
 * stable node still waits in the tree for ksm_get_folio() to prune it.
 * Setup only: its PTEs must already be gone.
 */
export function ksm_folio_free(f: ptr<folio>): void {
	if (folio_mapped(f))
		kernel_bug('bug', 'ksm_folio_free: the folio is still mapped');
	world.folios.splice(world.folios.indexOf(f), 1);
	world.retired.push(f);
	folio_put(f);
}

/* ---- a deferred TLB flush, and ksmd merging a page into a KSM folio ---- */

/**
 * fs/proc/task_mmu.c's clear_refs_write(CLEAR_REFS_SOFT_DIRTY) of the
 * page at address, the shape of every PTE change whose TLB flush is
 * batched after the page-table lock is dropped (MADV_FREE, a
 * change_protection() under mmap_read_lock): the flush announced
 * (tlb_gather_mmu(): inc_tlb_flush_pending()), the writable PTE
 * write-protected under the page-table lock (clear_soft_dirty()), and only
 * then, the lock dropped, the TLBs flushed (tlb_finish_mmu():
 * flush_tlb_range(), dec_tlb_flush_pending()).  Until the flush a thread
 * that wrote the page may keep writing through its TLB.  In two halves, so
 * that a scenario can start with the first done (the model's mmap_read_lock
 * is taken by each half: lockdep's held locks are the thread's).
 */
export function clear_refs_soft_dirty_wrprotect(mm: ptr<mm_struct>, address: ulong): void {
	mmap_read_lock(mm);
	inc_tlb_flush_pending(mm);
	spin_lock(addr(mm.page_table_lock));
	const pte = mm.ptes.get(address);
	if (pte && pte_present(pte) && pte.write)
		mm.ptes.set(address, pte_wrprotect(pte));
	spin_unlock(addr(mm.page_table_lock));
	mmap_read_unlock(mm);
}

export function clear_refs_soft_dirty_flush(mm: ptr<mm_struct>, address: ulong): void {
	mmap_read_lock(mm);
	flush_tlb_range(find_vma(mm, address), address, address + PAGE_SIZE);
	dec_tlb_flush_pending(mm);
	mmap_read_unlock(mm);
}

/* The two batched flushes of a MADV_FREE and a clear_refs of the page, one after the other. */
export function madvise_free_and_clear_refs_flush(mm: ptr<mm_struct>, address: ulong): void {
	madvise_free_flush(mm, address);
	clear_refs_soft_dirty_flush(mm, address);
}

export function clear_refs_soft_dirty(mm: ptr<mm_struct>, address: ulong): void {
	clear_refs_soft_dirty_wrprotect(mm, address);
	clear_refs_soft_dirty_flush(mm, address);
}

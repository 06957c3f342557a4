/*
 * The rest of mm/ that drives mm/rmap.c's anon_vma core, cut down to what
 * the anon_vma rules depend on: mmap and the anonymous fault, fork with
 * COW, munmap/exit, VMA split/merge/expand with mm/vma.c's locking,
 * migration, reclaim, mm_take_all_locks() and a sleeping mmu_notifier.
 *
 * Model-only: it is never emitted.  It is loaded through the checker's
 * transform like the model, so every lock, atomic and list operation below
 * is a point where another thread may run, and a design variant can replace
 * any exported function here (vma_prepare, mm_take_all_locks...) for every
 * caller.  Names follow the kernel functions they stand for.
 */
import {
	ptr, ulong, pgoff_t, addr, addr_of,
	anon_vma, anon_vma_chain, vm_area_struct, mm_struct, folio, page, pte_t, rmap_t,
	PAGE_SHIFT, PAGE_SIZE, VMA_OP_SPLIT, VMA_OP_MERGE_UNFAULTED, RMAP_NONE, RMAP_EXCLUSIVE,
	folio_page, PageAnonExclusive,
	down_write, up_write, down_read, up_read, down_write_nested, spin_lock, spin_unlock,
	might_sleep, sched_point, sched_wait, kernel_bug, WRITE_ONCE, atomic_set,
	list_for_each_entry, list_for_each_entry_reverse,
	anon_vma_interval_tree_insert, anon_vma_interval_tree_remove,
	folio_mapped, folio_anon_vma, vma_pages, vma_mark_attached, vma_mark_detached, vm_area_alloc, lockset,
	NULL, VM_SEQ_READ, VM_RAND_READ, vma_has_recency, folio_get, folio_put, folio_test_large,
	ttu_flags, TTU_SYNC, pte_present, list_empty, list_del, mmlist_lock,
} from '../kernel';
import { GUP_PIN_COUNTING_BIAS, folio_try_get, atomic_add, atomic_sub, pte_same } from '../kernel';
import { mm_fault_handler, FAULT_FLAG_UNSHARE, not_modelled, lru_batches } from '../kernel';
import type { vm_fault_t, uint } from '../kernel';
import { tlb_model, tlb_lookup_write, tlb_fill_write, flush_tlb_range, inc_tlb_flush_pending, dec_tlb_flush_pending } from '../kernel';
import { add_mm_counter, MM_ANONPAGES, MM_SWAPENTS, SetPageAnonExclusive, folio_test_ksm } from '../kernel';
import { folio_lock, folio_trylock, folio_unlock, folio_mark_dirty, folio_test_dirty, folio_clear_dirty, folio_test_swapbacked, folio_maybe_mapped_shared, folio_ref_count, folio_test_anon, folio_test_swapcache, pte_mkclean, pte_dirty } from '../kernel';
import {
	anon_vma_init, anon_vma_clone, anon_vma_fork, unlink_anon_vmas,
	folio_get_anon_vma, folio_lock_anon_vma_read, rmap_walk, folio_add_new_anon_rmap, folio_referenced, try_to_migrate, try_to_unmap,
	folio_remove_rmap_ptes, folio_add_anon_rmap_ptes, folio_move_anon_rmap,
} from '../model/rmap';
import { remove_migration_ptes } from '../model/migrate';
import {
	anon_vma_prepare, anon_vma_lock_write, anon_vma_unlock_write, put_anon_vma,
	folio_add_anon_rmap_pte, folio_remove_rmap_pte, folio_try_dup_anon_rmap_pte, folio_try_share_anon_rmap_pte,
	folio_try_dup_anon_rmap_ptes,
} from '../model/rmap_h';

/** Everything the invariants look at once the threads are done. */
export const world = {
	mms: [] as ptr<mm_struct>[],
	/** The mms that have exited (exit_mmap()): their RSS counters must be back at zero (check_mm()). */
	exited: [] as ptr<mm_struct>[],
	folios: [] as ptr<folio>[],
	/** Folios the harness has put its own reference of (migrated away): each must be freed by the end. */
	retired: [] as ptr<folio>[],
	/**
	 * Folios whose own reference the harness has given up while they stay
	 * mapped: ksmd's lru_add_drain_all() (below).  Such a folio holds only
	 * its PTEs' references, as a mapped anon folio does in the kernel, so
	 * ksmd's write_protect_page() counts it right and its last unmap frees it.
	 */
	drained: new Set<ptr<folio>>(),
	/** PTEs each rmap walk visited, for the cost table. */
	walk_visits: 0,
	/** Operations that failed with -ENOMEM and unwound (allocation failure injection). */
	enomem: 0,
	/**
	 * What each process must read at each of its pages: what it wrote
	 * last, or inherited at fork.  The data invariant holds the page
	 * tables to it at the end: no write is lost, no process sees another's.
	 */
	expect: new Map<ptr<mm_struct>, Map<number, number>>(),
	/**
	 * Pages MADV_FREE'd and not written since (madvise_free()): reclaim
	 * may discard them, and the process then reads a zero page, so a page
	 * gone from one of these is no lost mapping.  A store takes the page
	 * out: from then on its contents must survive.
	 */
	lazy: new Map<ptr<mm_struct>, Set<number>>(),
	/** Pages written after MADV_FREE: a page gone from one of these is a lost write (the process reads zeroes). */
	relazy: new Map<ptr<mm_struct>, Set<number>>(),
	/*
	 * The scheduler's view (set by check/execution.ts, null when the model
	 * runs single-threaded): how many times it switched threads so far, and
	 * whether a thread other than the running one holds a lock.
	 */
	sched_view: null as null | { switches: number; others_hold_locks(): boolean },
};

/* world.expect of one process. */
function perMm<T>(m: Map<ptr<mm_struct>, Map<number, T>>, mm: ptr<mm_struct>): Map<number, T> {
	let v = m.get(mm);
	if (!v)
		m.set(mm, (v = new Map()));
	return v;
}

/** The process's store (or fault, or inheritance) of v at address: what it must read from now on. */
function expect_set(mm: ptr<mm_struct>, address: ulong, v: number): void {
	perMm(world.expect, mm).set(address, v);
	if (lazySet(mm).delete(address))
		lazySet(mm, world.relazy).add(address);
}

/** This world's lockset switch, for tests that corrupt the model's state on purpose. */
export function world_lockset(): { off: number } {
	return lockset;
}

export function harness_init(): void {
	anon_vma_init();
}

/* ---- mm/mmap.c: mmap of a private anonymous region ---- */

export function mm_alloc(name: string): ptr<mm_struct> {
	const mm = new mm_struct(name) as ptr<mm_struct>;
	world.mms.push(mm);
	return mm;
}

/* Into the mm's tree: the VMA is attached (per-VMA locks can find it). */
function vma_link(mm: ptr<mm_struct>, vma: ptr<vm_area_struct>): void {
	let i = 0;
	while (i < mm.vmas.length && mm.vmas[i].vm_start < vma.vm_start)
		i++;
	mm.vmas.splice(i, 0, vma);
	vma_mark_attached(vma);
}

function vma_unlink(mm: ptr<mm_struct>, vma: ptr<vm_area_struct>): void {
	const i = mm.vmas.indexOf(vma);
	if (i < 0)
		kernel_bug('bug', 'vma_unlink: vma not in its mm');
	mm.vmas.splice(i, 1);
	vma_mark_detached(vma);
}

export function do_mmap(mm: ptr<mm_struct>, start: ulong, pages: ulong): ptr<vm_area_struct> {
	const vma = vm_area_alloc(mm);

	vma.vm_start = start;
	vma.vm_end = start + pages * PAGE_SIZE;
	vma.vm_pgoff = start >> PAGE_SHIFT;	/* anonymous: the linear page index */
	down_write(addr(mm.mmap_lock));
	vma_link(mm, vma);
	up_write(addr(mm.mmap_lock));
	return vma;
}

/* mm/madvise.c madvise(MADV_RANDOM) of the VMA at address: the access pattern, no page is touched. */
export function madvise_random(mm: ptr<mm_struct>, address: ulong): void {
	down_write(addr(mm.mmap_lock));
	const vma = find_vma(mm, address);
	vma.vm_flags = (vma.vm_flags & ~VM_SEQ_READ) | VM_RAND_READ;
	up_write(addr(mm.mmap_lock));
}

export function find_vma(mm: ptr<mm_struct>, address: ulong): ptr<vm_area_struct> {
	for (const vma of mm.vmas)
		if (vma.vm_start <= address && address < vma.vm_end)
			return vma;
	return null as never;
}

/* ---- mm/memory.c: the anonymous fault and COW ---- */

/** A new folio of 2^order pages (order > 0: an mTHP, PTE-mapped). */
/*
 * A harness folio's own reference (folio_alloc()) stands for what the
 * harness does not model: the LRU's per-CPU batch (folio_batch) a new
 * folio sits in, and the isolation reference of reclaim and migration.
 * 1, or 0 once ksmd's lru_add_drain_all() has put it.
 */
export function own_refs(f: ptr<folio>): number {
	return world.drained.has(f) ? 0 : 1;
}

/*
 * mm/swap.c lru_add_drain_all(), as ksmd calls it before each full scan
 * ("a number of pages can hang around indefinitely in per-cpu LRU cache,
 * raised page count preventing write_protect_page from merging them"):
 * the harness puts its own reference of every mapped anonymous folio
 * (not a KSM folio, not in the swap cache, whose references it keeps).
 */
export function drain_lru_batches(): void {
	for (const f of [...world.folios])
		if (!f.freed && !world.drained.has(f) && folio_mapped(f) && folio_test_anon(f) &&
		    !folio_test_ksm(f) && !folio_test_swapcache(f)) {
			world.drained.add(f);
			folio_put(f);
		}
}
/* The model's lru_add_drain_all() (ksmd's scan) drains the harness's batches. */
lru_batches.drain_all = drain_lru_batches;

/*
 * folio_isolate_lru()'s reference, which reclaim, aging and migration
 * take before they work on a folio: the harness's own again, so a drained
 * folio gets one back (and keeps it, as every harness folio does).
 */
export function folio_isolate(f: ptr<folio>): void {
	if (world.drained.delete(f))
		folio_get(f);
}

export function folio_alloc(order = 0): ptr<folio> {
	const f = new folio() as ptr<folio>;
	f.nr_pages = 1 << order;
	world.folios.push(f);
	return f;
}

/*
 * Setting and clearing a PTE with its rmap accounting, as mm/memory.c,
 * kernel/fork.c, mm/migrate.c and mm/rmap.c do it: through the model's
 * own add/remove paths (mm/rmap.c, rmap.h), so the folio's _mapcount and
 * PageAnonExclusive are the kernel's.  A present PTE holds a reference on
 * its folio, as the kernel's do (try_to_migrate_one() puts it when the
 * PTE becomes a migration entry, remove_migration_pte() takes one for
 * the PTE it restores); a migration entry holds none.  The caller holds
 * the PTE lock (mm->page_table_lock).  A PTE maps one page of its folio: a
 * small folio's only page, or page pte.nr of a large (mTHP) folio, which
 * consecutive PTEs map in order (set_ptes()); the batched paths (fork's
 * copy_present_ptes(), zap_present_ptes()) hand the rmap a run of them.
 */

/** The page a PTE maps. */
export function pte_page(pte: pte_t): ptr<page> {
	return folio_page(pte.folio, pte.nr ?? 0);
}

/*
 * The RSS counter a page-table entry counts in (mm/memory.c's rss[]): a
 * present PTE or a migration entry of an anonymous folio in
 * MM_ANONPAGES (a migration entry keeps its page's count), a swap entry
 * in MM_SWAPENTS; none, -1.
 */
function rss_member(pte: pte_t | undefined | null): number {
	if (!pte || !pte.folio)
		return -1;
	if (pte.swap)
		return MM_SWAPENTS;
	return MM_ANONPAGES;
}

/**
 * Every page-table change the harness makes for mm/memory.c (faults,
 * fork's copy, zap, swap-in): the entry at address becomes pte (null:
 * cleared), and mm's RSS counters move with it as memory.c moves them.
 * The model's own changes (set_pte_at() and the others) move none: its
 * add_mm_counter() calls do, as in mm/rmap.c.
 */
export function pte_store(mm: ptr<mm_struct>, address: ulong, pte: pte_t | null): void {
	const was = rss_member(mm.ptes.get(address));
	const now = rss_member(pte);
	if (was >= 0)
		add_mm_counter(mm, was, -1);
	if (now >= 0)
		add_mm_counter(mm, now, 1);
	if (pte)
		mm.ptes.set(address, pte);
	else
		mm.ptes.delete(address);
}

/** do_anonymous_page(), wp_page_copy(): a new folio's PTEs (one per page), writable (folio_add_new_anon_rmap()). */
export function pte_map_new_anon(vma: ptr<vm_area_struct>, address: ulong, f: ptr<folio>): void {
	/*
	 * folio_ref_add(folio, nr_pages) before the rmap, as do_anonymous_page()
	 * orders them: once mapped, the folio is one lru_add_drain_all() may
	 * drain, and the harness's own reference it drops (the LRU batch's) must
	 * not be the only one left.
	 */
	for (let i = 0; i < f.nr_pages; i++)
		folio_get(f);
	folio_add_new_anon_rmap(f, vma, address, RMAP_EXCLUSIVE);
	/* set_ptes() */
	for (let i = 0; i < f.nr_pages; i++)
		pte_store(vma.vm_mm, address + i * PAGE_SIZE, f.nr_pages > 1 ?
			{ folio: f, migration: false, write: true, nr: i } : { folio: f, migration: false, write: true });
}

/*
 * folio_pte_batch(): how many PTEs from address on map the pages of the
 * same large folio that follow pte's, in order (at most up to end).
 */
function pte_batch(mm: ptr<mm_struct>, address: ulong, pte: pte_t, end: ulong): number {
	let n = 1;

	if (!pte_present(pte) || pte.folio.nr_pages === 1)
		return 1;
	for (;;) {
		const a = address + n * PAGE_SIZE;
		const next = mm.ptes.get(a);
		if (a >= end || !next || !pte_present(next) || next.folio !== pte.folio || next.nr !== (pte.nr ?? 0) + n)
			return n;
		n++;
	}
}

/** remove_migration_pte(), do_swap_page(), KSM's replace_page(): map a folio that has an anon_vma (folio_add_anon_rmap_pte()). */
export function pte_map_anon(vma: ptr<vm_area_struct>, address: ulong, f: ptr<folio>, write: boolean, flags: rmap_t): void {
	const pte: pte_t = { folio: f, migration: false, write };

	folio_add_anon_rmap_pte(f, pte_page(pte), vma, address, flags);
	folio_get(f);
	pte_store(vma.vm_mm, address, pte);
}

/**
 * zap_present_ptes(), wp_page_copy()'s old page: clear the PTE at address
 * and, when it was present (not a migration or swap entry, which hold no
 * mapcount), drop its rmap (folio_remove_rmap_pte()).  A swap entry's
 * slot goes with it (free_swap_and_cache(): the swap cache's folio stays).
 * Returns what was there.
 */
export function pte_clear(vma: ptr<vm_area_struct>, address: ulong): pte_t | undefined {
	const mm = vma.vm_mm;
	const pte = mm.ptes.get(address);

	if (!pte)
		return pte;
	pte_store(mm, address, null);
	if (pte_present(pte)) {
		folio_remove_rmap_pte(pte.folio, pte_page(pte), vma);
		folio_put(pte.folio);
	}
	return pte;
}

/**
 * try_to_migrate_one(), try_to_unmap_one(), KSM's write_protect_page():
 * an exclusive page's PTE is about to stop being the only way to it
 * (folio_try_share_anon_rmap_pte()); false when it may not (pinned: never
 * in the model).  Returns whether the page was exclusive in out.exclusive.
 */
export function pte_try_share(pte: pte_t, out: { exclusive: boolean }): boolean {
	const p = pte_page(pte);

	out.exclusive = !!PageAnonExclusive(p);
	return !out.exclusive || !folio_try_share_anon_rmap_pte(pte.folio, p);
}

/**
 * vmf_anon_prepare(): the faulting VMA with its anon_vma, under mmap_lock
 * for read; NULL (VM_FAULT_OOM, mmap_lock dropped) when anon_vma_prepare()
 * fails with -ENOMEM.
 */
function vmf_anon_prepare(mm: ptr<mm_struct>, address: ulong, who: string): ptr<vm_area_struct> {
	down_read(addr(mm.mmap_lock));
	const vma = find_vma(mm, address);
	if (!vma)
		kernel_bug('bug', `${who}: no vma`);
	if (anon_vma_prepare(vma)) {
		world.enomem++;
		up_read(addr(mm.mmap_lock));
		return null as never;
	}
	return vma;
}

/** do_anonymous_page() for a write fault at address; returns the new folio. */
export function do_anonymous_page(mm: ptr<mm_struct>, address: ulong): ptr<folio> {
	const vma = vmf_anon_prepare(mm, address, 'do_anonymous_page');
	if (!vma)
		return null as never;
	const f = folio_alloc();
	spin_lock(addr(mm.page_table_lock));
	pte_map_new_anon(vma, address, f);
	spin_unlock(addr(mm.page_table_lock));
	expect_set(mm, address, f.data);
	up_read(addr(mm.mmap_lock));
	return f;
}

/*
 * do_anonymous_page() with an mTHP order (alloc_anon_folio()): a folio of
 * 2^order pages for the naturally aligned range around address, mapped by
 * 2^order PTEs at once.  The range must lie in the VMA with no PTE in it.
 */
export function do_anonymous_page_mthp(mm: ptr<mm_struct>, address: ulong, order: number): ptr<folio> {
	const nr = 1 << order;
	const start = address - (address % (nr * PAGE_SIZE));
	const vma = vmf_anon_prepare(mm, start, 'do_anonymous_page_mthp');
	if (!vma)
		return null as never;
	if (start + nr * PAGE_SIZE > vma.vm_end)
		kernel_bug('bug', 'do_anonymous_page_mthp: the folio does not fit in the VMA');
	const f = folio_alloc(order);
	spin_lock(addr(mm.page_table_lock));
	for (let i = 0; i < nr; i++)
		if (mm.ptes.has(start + i * PAGE_SIZE))
			kernel_bug('bug', 'do_anonymous_page_mthp: a PTE is already there (pte_range_none())');
	pte_map_new_anon(vma, start, f);
	spin_unlock(addr(mm.page_table_lock));
	for (let i = 0; i < nr; i++)
		expect_set(mm, start + i * PAGE_SIZE, f.data);
	up_read(addr(mm.mmap_lock));
	return f;
}

/*
 * do_wp_page()'s reuse of an anonymous small folio (wp_can_reuse_anon_folio(),
 * wp_page_reuse()), under the PTE lock: an exclusive page is made writable
 * where it is; one that is not but has no other user (no other mapping,
 * pin or swap-cache reference: the harness's own reference and this PTE's
 * are all its count) is moved to this VMA's anon_vma by the model's
 * folio_move_anon_rmap() under the folio lock, then marked exclusive and
 * made writable.  Returns the folio, or null when it must be copied.
 */
function wp_reuse(vma: ptr<vm_area_struct>, address: ulong, old: pte_t | undefined): ptr<folio> | null {
	if (!old || !pte_present(old) || old.write)
		return null;
	const folio = old.folio;
	const page = pte_page(old);
	if (!folio_test_anon(folio) || folio_test_large(folio) || folio_test_ksm(folio) || folio_test_swapcache(folio))
		return null;
	if (!PageAnonExclusive(page)) {
		/* wp_can_reuse_anon_folio(): folio_ref_count(folio) != 1, with the harness's own reference besides the kernel's */
		if (folio_ref_count(folio) > 1 + own_refs(folio))
			return null;
		if (!folio_trylock(folio))
			return null;
		if (folio_test_ksm(folio) || folio_ref_count(folio) !== 1 + own_refs(folio)) {
			folio_unlock(folio);
			return null;
		}
		folio_move_anon_rmap(folio, vma);
		folio_unlock(folio);
		SetPageAnonExclusive(page);
	}
	/* wp_page_reuse(): pte_mkyoung(), maybe_mkwrite(pte_mkdirty()) */
	pte_store(vma.vm_mm, address, { ...old, write: true, dirty: true });
	return folio;
}

/**
 * do_wp_page(): a write to a read-only anonymous page reuses it when the
 * process is its only user (wp_reuse()), else gets a private copy.
 */
export function do_wp_page(mm: ptr<mm_struct>, address: ulong): ptr<folio> {
	const vma = vmf_anon_prepare(mm, address, 'do_wp_page');
	if (!vma)
		return null as never;
	const f = wp_page(vma, address, false);
	up_read(addr(mm.mmap_lock));
	return f;
}

/*
 * do_wp_page() with the mmap_lock held: reuse (not when unsharing, the
 * caller wants a copy of a page it does not own, as break_ksm() does) or
 * wp_page_copy(), which maps an unshared copy read-only.  Returns the
 * folio now mapped, or null when a migration entry stands there.
 */
function wp_page(vma: ptr<vm_area_struct>, address: ulong, unshare: boolean): ptr<folio> {
	const mm = vma.vm_mm;
	spin_lock(addr(mm.page_table_lock));
	const reused = unshare ? null : wp_reuse(vma, address, mm.ptes.get(address));
	spin_unlock(addr(mm.page_table_lock));
	if (reused)
		return reused;
	const f = folio_alloc();
	/* Under the PTE lock, as wp_page_copy() rechecks with pte_same(). */
	spin_lock(addr(mm.page_table_lock));
	const old = mm.ptes.get(address);
	if (old && old.migration) {
		/* Not ours to copy: the caller waits for the migration (migration_entry_wait()) and faults again. */
		spin_unlock(addr(mm.page_table_lock));
		world.folios.splice(world.folios.indexOf(f), 1);
		return null as never;
	}
	/*
	 * The old page's contents: a present PTE's folio, or the swap cache's
	 * that a swap entry names (reclaim swapped it out; do_swap_page()
	 * reads it back and the write copies it).
	 */
	f.data = old ? old.folio.data : 0;
	/* wp_page_copy(): the new folio's rmap before its PTE, the old page's rmap dropped after. */
	if (old)
		pte_store(mm, address, null);
	pte_map_new_anon(vma, address, f);
	if (unshare)
		pte_store(mm, address, { ...mm.ptes.get(address)!, write: false, dirty: false });
	if (old && pte_present(old)) {
		folio_remove_rmap_pte(old.folio, pte_page(old), vma);
		folio_put(old.folio);
	}
	spin_unlock(addr(mm.page_table_lock));
	return f;
}

/*
 * mm/memory.c handle_mm_fault() as the model calls it (kernel/memory.ts):
 * the unshare fault break_ksm() raises on a KSM page, the mmap_lock held
 * for read.  A migration entry is waited out (migration_entry_wait()) and
 * the fault returns to be retried, as the kernel's does; a page that is
 * no longer a KSM page, or not present, needs nothing.
 */
function fault(vma: ptr<vm_area_struct>, address: ulong, flags: uint): vm_fault_t {
	const mm = vma.vm_mm;
	if (!(flags & FAULT_FLAG_UNSHARE))
		return not_modelled('handle_mm_fault other than FAULT_FLAG_UNSHARE');
	spin_lock(addr(mm.page_table_lock));
	const pte = mm.ptes.get(address);
	spin_unlock(addr(mm.page_table_lock));
	if (pte && pte.migration) {
		sched_wait('migration_entry_wait', () => {
			const now = mm.ptes.get(address);
			return !now || !now.migration;
		});
		return 0;
	}
	if (!pte || !pte_present(pte) || !folio_test_ksm(pte.folio))
		return 0;
	wp_page(vma, address, true);
	return 0;
}
mm_fault_handler.handle = fault;

/* ---- kernel/fork.c: dup_mmap() ---- */

/** dup_mmap(): the child's mm, or NULL when fork fails with -ENOMEM. */
export function dup_mmap(oldmm: ptr<mm_struct>, name: string): ptr<mm_struct> {
	const mm = mm_alloc(name);
	let failed = false;

	down_write(addr(oldmm.mmap_lock));
	down_write_nested(addr(mm.mmap_lock), 1);
	for (const mpnt of oldmm.vmas) {
		const tmp = vm_area_alloc(mm);
		tmp.vm_start = mpnt.vm_start;
		tmp.vm_end = mpnt.vm_end;
		tmp.vm_pgoff = mpnt.vm_pgoff;
		tmp.vm_flags = mpnt.vm_flags;
		tmp.anon_vma = mpnt.anon_vma;
		if (anon_vma_fork(tmp, mpnt)) {
			/*
			 * fail_nomem_anon_vma_fork: anon_vma_fork() has unlinked
			 * what it linked; free tmp, and fork fails: copy_mm()'s
			 * mmput() tears down the VMAs copied so far.
			 */
			failed = true;
			break;
		}
		vma_link(mm, tmp);
		/* copy_page_range(): share every page, both sides read-only (COW). */
		spin_lock(addr(oldmm.page_table_lock));
		const batched = new Set<number>();
		for (const [address, pte] of [...oldmm.ptes]) {
			if (address < mpnt.vm_start || address >= mpnt.vm_end || batched.has(address))
				continue;
			/* copy_present_ptes(): the PTEs of a large folio as one batch (folio_try_dup_anon_rmap_ptes()) */
			const nr = pte_batch(oldmm, address, pte, mpnt.vm_end);
			if (nr > 1) {
				if (folio_try_dup_anon_rmap_ptes(pte.folio, pte_page(pte), nr, tmp, mpnt))
					kernel_bug('bug', 'dup_mmap: folio_try_dup_anon_rmap_ptes() failed, but no folio is pinned in the model');
				for (let i = 0; i < nr; i++) {
					const a = address + i * PAGE_SIZE;
					const p = oldmm.ptes.get(a)!;
					batched.add(a);
					folio_get(p.folio);
					p.write = false;
					pte_store(mm, a, { folio: p.folio, migration: false, write: false, nr: p.nr });
				}
				continue;
			}
			/*
			 * copy_present_ptes() (the child's PTE takes a reference); a
			 * migration or swap entry (copy_nonpresent_pte()) holds no
			 * mapcount and becomes a readable, not exclusive one on both
			 * sides (the swap entry's slot gains a user: swap_dup_entry_direct()).
			 */
			if (pte_present(pte) && folio_try_dup_anon_rmap_pte(pte.folio, pte_page(pte), tmp, mpnt))
				kernel_bug('bug', 'dup_mmap: folio_try_dup_anon_rmap_pte() failed, but no folio is pinned in the model');
			if (pte_present(pte))
				folio_get(pte.folio);
			pte.write = false;
			pte.exclusive = false;
			const child: pte_t = { folio: pte.folio, migration: pte.migration, write: false };
			if (pte.nr !== undefined)
				child.nr = pte.nr;
			if (pte.swap)
				child.swap = true;
			pte_store(mm, address, child);
		}
		inherit(oldmm, mm, mpnt.vm_start, mpnt.vm_end);
		spin_unlock(addr(oldmm.page_table_lock));
	}
	up_write(addr(mm.mmap_lock));
	up_write(addr(oldmm.mmap_lock));
	if (failed) {
		world.enomem++;
		exit_mmap(mm);
		return null as never;
	}
	return mm;
}

/* The child sees what the parent wrote, swapped-out pages included (copy_nonpresent_pte()). */
function inherit(oldmm: ptr<mm_struct>, mm: ptr<mm_struct>, start: ulong, end: ulong): void {
	for (const [address, v] of perMm(world.expect, oldmm))
		if (start <= address && address < end) {
			expect_set(mm, address, v);
			/* A lazyfree page stays one in the child until either writes it. */
			if (lazySet(oldmm).has(address))
				lazySet(mm).add(address);
		}
}

/* ---- mm/memory.c zap + mm/vma.c free_pgtables: munmap and exit ---- */

/*
 * zap_pte_range() of [start, end) of vma: page by page, a large folio's
 * run of PTEs in one batch (zap_present_ptes(): folio_remove_rmap_ptes()).
 */
function zap_pte_range(vma: ptr<vm_area_struct>, start = vma.vm_start, end = vma.vm_end): void {
	const mm = vma.vm_mm;

	for (let a = start; a < end; a += PAGE_SIZE) {
		spin_lock(addr(mm.page_table_lock));
		const pte = mm.ptes.get(a);
		const nr = pte ? pte_batch(mm, a, pte, end) : 1;
		if (nr > 1) {
			for (let i = 0; i < nr; i++) {
				pte_store(mm, a + i * PAGE_SIZE, null);
				perMm(world.expect, mm).delete(a + i * PAGE_SIZE);
			}
			folio_remove_rmap_ptes(pte!.folio, pte_page(pte!), nr, vma);
			/* tlb_flush_mmu(): folio_put_refs(folio, nr), the PTEs' references */
			for (let i = 0; i < nr; i++)
				folio_put(pte!.folio);
			spin_unlock(addr(mm.page_table_lock));
			a += (nr - 1) * PAGE_SIZE;
			continue;
		}
		pte_clear(vma, a);
		perMm(world.expect, mm).delete(a);
		spin_unlock(addr(mm.page_table_lock));
	}
}

/*
 * madvise(MADV_DONTNEED) of pages [start, start + pages * PAGE_SIZE) of the
 * VMA there, under mmap_lock for read: zaps part of a large folio (the
 * rmap queues it for the deferred split).
 */
export function madvise_dontneed(mm: ptr<mm_struct>, start: ulong, pages: ulong): void {
	down_read(addr(mm.mmap_lock));
	const vma = find_vma(mm, start);
	if (!vma || start + pages * PAGE_SIZE > vma.vm_end)
		kernel_bug('bug', 'madvise_dontneed: the range is not in one VMA');
	zap_pte_range(vma, start, start + pages * PAGE_SIZE);
	up_read(addr(mm.mmap_lock));
}

export function do_munmap(mm: ptr<mm_struct>, vma: ptr<vm_area_struct>): void {
	down_write(addr(mm.mmap_lock));
	zap_pte_range(vma);
	unlink_anon_vmas(vma);
	vma_unlink(mm, vma);
	up_write(addr(mm.mmap_lock));
}

export function exit_mmap(mm: ptr<mm_struct>): void {
	/*
	 * __mmput() runs exit_mmap() once mmput() has dropped the last user:
	 * from here on mm_users is 0, which folio_referenced_one() reads
	 * ("the exiting or OOM-reaped process").  ksm_harness's mmput() has
	 * dropped it already.
	 */
	if (mm.mm_users.counter)
		atomic_set(addr(mm.mm_users), 0);
	down_write(addr(mm.mmap_lock));
	for (const vma of mm.vmas)
		zap_pte_range(vma);
	for (const vma of mm.vmas)
		unlink_anon_vmas(vma);
	mm.vmas = [];
	up_write(addr(mm.mmap_lock));
	world.mms.splice(world.mms.indexOf(mm), 1);
	world.exited.push(mm);
	world.expect.delete(mm);
	world.lazy.delete(mm);
	world.relazy.delete(mm);
	/* mmput(): off the swapoff list. */
	if (!list_empty(addr(mm.mmlist))) {
		spin_lock(addr(mmlist_lock));
		list_del(addr(mm.mmlist));
		spin_unlock(addr(mmlist_lock));
	}
}

/* ---- mm/vma.c: changing a VMA under the rmap walkers' feet ---- */

/* anon_vma_interval_tree_pre_update_vma(): the key is about to change. */
export function anon_vma_interval_tree_pre_update_vma(vma: ptr<vm_area_struct>): void {
	let avc: ptr<anon_vma_chain>;

	for (avc of list_for_each_entry(addr(vma.anon_vma_chain), 'same_vma'))
		anon_vma_interval_tree_remove(avc, addr(avc.anon_vma.rb_root));
}

export function anon_vma_interval_tree_post_update_vma(vma: ptr<vm_area_struct>): void {
	let avc: ptr<anon_vma_chain>;

	for (avc of list_for_each_entry(addr(vma.anon_vma_chain), 'same_vma'))
		anon_vma_interval_tree_insert(avc, addr(avc.anon_vma.rb_root));
}

/*
 * vma_prepare(): the anon_vma lock (the root's rwsem) is what makes an
 * rmap walk see either the old or the new vm_start/vm_pgoff, never a mix,
 * and never a VMA missing from the tree while its key is updated.
 */
export function vma_prepare(vma: ptr<vm_area_struct>): void {
	if (vma.anon_vma) {
		anon_vma_lock_write(vma.anon_vma);
		anon_vma_interval_tree_pre_update_vma(vma);
	}
}

export function vma_complete(vma: ptr<vm_area_struct>): void {
	if (vma.anon_vma) {
		anon_vma_interval_tree_post_update_vma(vma);
		anon_vma_unlock_write(vma.anon_vma);
	}
}

/* vma_set_range(): three stores another CPU can see one at a time. */
function vma_set_range(vma: ptr<vm_area_struct>, start: ulong, end: ulong, pgoff: pgoff_t): void {
	WRITE_ONCE(addr_of(vma, 'vm_start'), start);
	WRITE_ONCE(addr_of(vma, 'vm_end'), end);
	WRITE_ONCE(addr_of(vma, 'vm_pgoff'), pgoff);
}

/** expand_downwards()/vma_expand(): grow vma to [start, end). */
export function vma_adjust(mm: ptr<mm_struct>, vma: ptr<vm_area_struct>, start: ulong, end: ulong): void {
	down_write(addr(mm.mmap_lock));
	const pgoff = vma.vm_pgoff - ((vma.vm_start - start) >> PAGE_SHIFT);
	vma_prepare(vma);
	vma_set_range(vma, start, end, pgoff);
	vma_complete(vma);
	up_write(addr(mm.mmap_lock));
}

/** __split_vma(): the part below address becomes a new VMA. */
export function split_vma(mm: ptr<mm_struct>, vma: ptr<vm_area_struct>, address: ulong): ptr<vm_area_struct> {
	down_write(addr(mm.mmap_lock));
	const n = vm_area_alloc(mm);
	n.vm_start = vma.vm_start;
	n.vm_end = address;
	n.vm_pgoff = vma.vm_pgoff;
	n.anon_vma = vma.anon_vma;
	if (anon_vma_clone(n, vma, VMA_OP_SPLIT)) {
		/* __split_vma(): free the new VMA, the old one is untouched. */
		world.enomem++;
		up_write(addr(mm.mmap_lock));
		return null as never;
	}
	vma_prepare(vma);
	vma_set_range(vma, address, vma.vm_end, vma.vm_pgoff + ((address - vma.vm_start) >> PAGE_SHIFT));
	vma_link(mm, n);
	vma_complete(vma);
	up_write(addr(mm.mmap_lock));
	return n;
}

/** vma_merge_existing_range() of prev and next into prev (anon_vma_merge()). */
export function merge_vmas(mm: ptr<mm_struct>, prev: ptr<vm_area_struct>, next: ptr<vm_area_struct>): void {
	down_write(addr(mm.mmap_lock));
	if (prev.vm_end !== next.vm_start || prev.anon_vma !== next.anon_vma ||
	    next.vm_pgoff !== prev.vm_pgoff + vma_pages(prev))
		kernel_bug('bug', 'merge_vmas: not mergeable');
	commit_merge(mm, prev, next);
	up_write(addr(mm.mmap_lock));
}

/*
 * commit_merge(): prev takes next's range under the anon_vma lock, next
 * leaves the mm; vma_complete() unlinks the removed VMA's anon_vmas last.
 */
function commit_merge(mm: ptr<mm_struct>, prev: ptr<vm_area_struct>, next: ptr<vm_area_struct>): void {
	vma_prepare(prev);
	vma_set_range(prev, prev.vm_start, next.vm_end, prev.vm_pgoff);
	vma_unlink(mm, next);
	vma_complete(prev);
	unlink_anon_vmas(next);
}

/*
 * vma_expand() with dup_anon_vma(): an unfaulted prev grows over a faulted
 * next, which is removed.  prev takes next's anon_vma and a copy of its
 * (singular) chain, anon_vma_clone(prev, next, VMA_OP_MERGE_UNFAULTED);
 * prev stays attached all along.  On -ENOMEM nothing has changed.
 */
export function vma_expand_unfaulted(mm: ptr<mm_struct>, prev: ptr<vm_area_struct>, next: ptr<vm_area_struct>): boolean {
	down_write(addr(mm.mmap_lock));
	if (prev.vm_end !== next.vm_start || prev.anon_vma || !next.anon_vma ||
	    next.vm_pgoff !== prev.vm_pgoff + vma_pages(prev))
		kernel_bug('bug', 'vma_expand_unfaulted: not an unfaulted prev before a faulted next');
	/* dup_anon_vma() */
	prev.anon_vma = next.anon_vma;
	if (anon_vma_clone(prev, next, VMA_OP_MERGE_UNFAULTED)) {
		world.enomem++;
		up_write(addr(mm.mmap_lock));
		return false;
	}
	commit_merge(mm, prev, next);
	up_write(addr(mm.mmap_lock));
	return true;
}

/* ---- mm/migrate.c ---- */

/**
 * migrate_folio_unmap() + migrate_folio_move(): unmap src with migration
 * entries; if every mapping was found, move to a new folio, else put src
 * back.  Either way no migration entry may survive.
 */
export function migrate_pages(src: ptr<folio>): ptr<folio> {
	folio_isolate(src);
	/* migrate_folio_unmap(): MIGRATE_SYNC waits for the folio lock. */
	folio_lock(src);
	/* The anon_vma must outlive the walks: pin it (no mmap_lock held). */
	const av: ptr<anon_vma> = folio_get_anon_vma(src);
	if (!av) {
		folio_unlock(src);
		return src;
	}
	/* migrate_folio_unmap(): MIGRATE_SYNC, so no TTU_BATCH_FLUSH. */
	try_to_migrate(src, 0 as ttu_flags);
	let dst = src;
	if (!folio_mapped(src)) {
		/* migrate_folio_unmap() locks the new folio too. */
		dst = folio_alloc();
		dst.locked = true;
		dst.mapping = src.mapping;
		dst.index = src.index;
		dst.data = src.data;
		/* folio_migrate_flags() */
		dst.dirty = src.dirty;
	}
	/* migrate_folio_move(), or migrate_folio_undo_src() if src stayed mapped. */
	remove_migration_ptes(src, dst, 0 as ttu_flags);
	put_anon_vma(av);
	if (dst !== src)
		dst.locked = false;
	folio_unlock(src);
	return dst;
}

/* ---- mm/vmscan.c: shrink_folio_list() ---- */

/**
 * shrink_folio_list() for one anon folio: the folio locked, added to the
 * swap cache (add_to_swap(): a large folio whole, the swap cache takes
 * mTHPs), then the model's try_to_unmap() (mm/rmap.c: rmap_walk() with
 * folio_lock_anon_vma_read(), try_to_unmap_one() over
 * page_vma_mapped_walk(), each PTE becoming a swap entry).  TTU_SYNC for a
 * large folio, as reclaim passes it; not TTU_BATCH_FLUSH: the model's
 * TLB has nothing to batch, so each PTE is flushed as it is cleared
 * (flush_tlb_range()).  The folio stays in the swap cache, where a fault
 * finds it (do_wp_page(), do_swap_page_mthp()).
 */
export function shrink_folio(f: ptr<folio>): void {
	folio_isolate(f);
	/* shrink_folio_list(): a folio someone else has locked is kept for later. */
	if (!folio_trylock(f))
		return;
	/* A lazyfree folio (MADV_FREE) is not added to the swap cache: it is dropped, not written. */
	const lazyfree = folio_test_anon(f) && !folio_test_swapbacked(f);
	if (!lazyfree)
		f.swapcache = true;
	try_to_unmap(f, (folio_test_large(f) ? TTU_SYNC : 0) as ttu_flags);
	/*
	 * shrink_folio_list(): a lazyfree folio that try_to_unmap() left
	 * unmapped and clean is freed if only the isolation's reference is
	 * left (folio_ref_freeze(folio, 1)): the harness's own reference.
	 * try_to_unmap_one() put it back swap-backed if it was redirtied.
	 */
	if (lazyfree && !folio_mapped(f) && folio_test_anon(f) && !folio_test_swapbacked(f) &&
	    !folio_test_dirty(f) && folio_ref_count(f) === 1) {
		folio_unlock(f);
		folio_put(f);
		return;
	}
	folio_unlock(f);
}

/* ---- mm/madvise.c: MADV_FREE ---- */

function lazySet(mm: ptr<mm_struct>, m = world.lazy): Set<number> {
	let s = m.get(mm);
	if (!s)
		m.set(mm, (s = new Set()));
	return s;
}

/**
 * madvise(MADV_FREE) of mm's page at address (madvise_free_pte_range() for
 * one PTE of a small folio): under the mmap_lock for read, the TLB flush
 * announced (tlb_gather_mmu(): inc_tlb_flush_pending()); under the PTE
 * lock, a folio mapped by this process alone has its dirty flag cleared
 * (under the folio lock, given up if the lock is taken), its PTE made old
 * and clean (still writable), and is made lazyfree (folio_mark_lazyfree():
 * no longer swap-backed); then the TLBs are flushed (tlb_finish_mmu()).
 * From then on reclaim may discard the page unless it is written again.
 * In two halves, as clear_refs (ksm_harness.ts), so that a scenario can
 * start with the flush still to come.
 */
export function madvise_free(mm: ptr<mm_struct>, address: ulong): void {
	madvise_free_clean(mm, address);
	madvise_free_flush(mm, address);
}

export function madvise_free_flush(mm: ptr<mm_struct>, address: ulong): void {
	down_read(addr(mm.mmap_lock));
	flush_tlb_range(find_vma(mm, address), address, address + PAGE_SIZE);
	dec_tlb_flush_pending(mm);
	up_read(addr(mm.mmap_lock));
}

export function madvise_free_clean(mm: ptr<mm_struct>, address: ulong): void {
	down_read(addr(mm.mmap_lock));
	inc_tlb_flush_pending(mm);
	spin_lock(addr(mm.page_table_lock));
	const pte = mm.ptes.get(address);
	if (pte && pte_present(pte) && !folio_test_large(pte.folio) && !folio_maybe_mapped_shared(pte.folio)) {
		const f = pte.folio;
		let ok = true;
		if (folio_test_swapcache(f) || folio_test_dirty(f)) {
			if (!folio_trylock(f)) {
				ok = false;
			} else {
				/* folio_free_swap(): the model's swap cache keeps its folios, so a swap-cache page is skipped. */
				if (folio_test_swapcache(f))
					ok = false;
				else
					folio_clear_dirty(f);
				folio_unlock(f);
			}
		}
		if (ok) {
			if (pte_dirty(pte))
				mm.ptes.set(address, pte_mkclean(pte));
			/* folio_mark_lazyfree() */
			if (folio_test_anon(f) && folio_test_swapbacked(f) && !folio_test_swapcache(f)) {
				f.swapbacked = false;
				lazySet(mm).add(address);
			}
		}
	}
	spin_unlock(addr(mm.page_table_lock));
	up_read(addr(mm.mmap_lock));
}

/*
 * mm/vmscan.c folio_check_references(): reclaim's aging asks the model's
 * folio_referenced() (mm/rmap.c: its rmap_walk_control, rmap_walk() with
 * folio_lock_anon_vma_read() and try_lock, folio_referenced_one() over
 * page_vma_mapped_walk(), invalid_folio_referenced_vma()) with the folio
 * locked and no memcg, and checks the answer reclaim relies on.
 */
export function folio_check_references(f: ptr<folio>): number {
	const out = { vm_flags: 0 };
	const view = world.sched_view;
	const switches = view ? view.switches : 0;
	const alone = view ? !view.others_hold_locks() : false;
	const mapped = folio_ptes(f);
	const exiting = (): boolean => world.mms.some((mm) => !mm.mm_users.counter &&
		[...mm.ptes.values()].some((p) => p.folio === f));
	const exitingBefore = exiting();

	/* shrink_folio_list() holds the folio lock (trylock: a locked folio is kept) */
	if (!folio_trylock(f))
		return 0;
	const referenced = folio_referenced(f, 1, NULL, addr_of(out, 'vm_flags'));
	folio_unlock(f);
	/*
	 * rmap.h: try_lock "bail out if the rmap lock is contended".  -1 makes
	 * reclaim keep the folio (folio_check_references()), so a walk that
	 * gives up without contention leaves a folio unreclaimable: when no
	 * other thread held a lock as the walk began and none ran during it,
	 * no lock can have been contended.  folio_referenced_one()'s other -1
	 * is a folio mapped by an mm whose last user is gone (exit_mmap() is
	 * under way): not a contention.
	 */
	if (referenced === -1 && view && alone && view.switches === switches && !exitingBefore && !exiting())
		kernel_bug('bug', 'folio_referenced: the try_lock walk reports a contended rmap lock, but no other thread held a lock or ran during the walk');
	/*
	 * rmap.h: rmap_one is called only for the VMAs invalid_vma() lets
	 * through: a VMA without recency (MADV_RANDOM) must not be counted,
	 * and folio_referenced_one() ORs each referencing VMA's flags into
	 * *vm_flags.
	 */
	if (out.vm_flags & (VM_SEQ_READ | VM_RAND_READ))
		kernel_bug('bug', 'folio_referenced: the walk visits a VMA its invalid_vma() skips (no recency: MADV_RANDOM)');
	/* And the flags of the VMAs that did reference it (reclaim tests VM_EXEC in them): a VMA's vm_flags are never 0. */
	if (referenced > 0 && !out.vm_flags)
		kernel_bug('bug', `folio_referenced: the walk reports ${referenced} references but no referencing VMA's flags`);
	/*
	 * A walk that is not contended visits every VMA mapping the folio: a
	 * mapping there when the walk began and still there at its end was
	 * there throughout (the folio lock keeps migration, which takes a
	 * mapping away and can put it back, off the folio), so it is counted
	 * (each VMA maps the scenarios' small folio once).  Otherwise reclaim
	 * frees a folio it was told nothing references.
	 */
	const kept = folio_ptes(f).filter((p) => mapped.includes(p)).length;
	if (referenced !== -1 && referenced < kept)
		kernel_bug('bug', `folio_referenced: the walk reports ${referenced} references and no contention, but ${kept} mappings were there throughout`);
	return referenced;
}

/* The PTEs mapping the folio now (not migration entries), in every mm, where folio_referenced() looks: VMAs with recency. */
function folio_ptes(f: ptr<folio>): pte_t[] {
	return world.mms.flatMap((mm) => [...mm.ptes].filter(([a, p]) => {
		const vma = find_vma(mm, a);
		return p.folio === f && pte_present(p) && vma && vma_has_recency(vma);
	}).map(([, p]) => p));
}

/* ---- swap-in of an mTHP ---- */

/*
 * do_swap_page() of a swap-cache mTHP at address, under mmap_lock for read
 * and the folio lock: when every PTE of the folio's range is still its swap
 * entry, the folio is mapped whole (folio_add_anon_rmap_ptes() over the
 * batch), else only the faulting page (folio_add_anon_rmap_pte()).  Mapped
 * RMAP_NONE, read-only: the swap entries are taken as not exclusive (a
 * write copies, do_wp_page()).
 */
export function do_swap_page_mthp(mm: ptr<mm_struct>, address: ulong): void {
	down_read(addr(mm.mmap_lock));
	const vma = find_vma(mm, address);
	const swapped = (a: ulong): ptr<folio> | undefined => {
		const p = mm.ptes.get(a);
		return p && p.swap ? p.folio : undefined;
	};
	const f = swapped(address);
	if (!vma || !f || f.nr_pages === 1)
		kernel_bug('bug', 'do_swap_page_mthp: no swap entry of a large folio there');
	/* do_swap_page(): folio_lock_or_retry() */
	folio_lock(f);
	spin_lock(addr(mm.page_table_lock));
	/* The page of the folio that address maps, and where the folio would start. */
	const nr = ((address - vma.vm_start) >> PAGE_SHIFT) + vma.vm_pgoff - f.index;
	const start = address - nr * PAGE_SIZE;
	let whole = start >= vma.vm_start && start + f.nr_pages * PAGE_SIZE <= vma.vm_end;
	for (let i = 0; whole && i < f.nr_pages; i++)
		whole = swapped(start + i * PAGE_SIZE) === f;
	if (whole) {
		folio_add_anon_rmap_ptes(f, folio_page(f, 0), f.nr_pages, vma, start, RMAP_NONE);
		for (let i = 0; i < f.nr_pages; i++) {
			folio_get(f);
			pte_store(mm, start + i * PAGE_SIZE, { folio: f, migration: false, write: false, nr: i });
		}
	} else if (swapped(address) === f) {
		const pte: pte_t = { folio: f, migration: false, write: false, nr };
		folio_add_anon_rmap_pte(f, pte_page(pte), vma, address, RMAP_NONE);
		folio_get(f);
		pte_store(mm, address, pte);
	}
	spin_unlock(addr(mm.page_table_lock));
	folio_unlock(f);
	up_read(addr(mm.mmap_lock));
}

/* ---- mm/vma.c: mm_take_all_locks() ---- */

const all_locked = new Set<object>();

/* vm_lock_anon_vma(): each anon_vma tree's lock once, under mmap_lock. */
function vm_lock_anon_vma(mm: ptr<mm_struct>, av: ptr<anon_vma>): void {
	if (!all_locked.has(av.root)) {
		/* down_write_nest_lock(): lockdep told the mmap_lock orders them. */
		down_write_nested(addr(av.root.rwsem), 1);
		all_locked.add(av.root);
	}
}

function vm_unlock_anon_vma(av: ptr<anon_vma>): void {
	if (all_locked.delete(av.root))
		up_write(addr(av.root.rwsem));
}

export function mm_take_all_locks(mm: ptr<mm_struct>): void {
	let avc: ptr<anon_vma_chain>;

	for (const vma of mm.vmas)
		if (vma.anon_vma)
			for (avc of list_for_each_entry(addr(vma.anon_vma_chain), 'same_vma'))
				vm_lock_anon_vma(mm, avc.anon_vma);
}

export function mm_drop_all_locks(mm: ptr<mm_struct>): void {
	let avc: ptr<anon_vma_chain>;

	for (const vma of mm.vmas)
		if (vma.anon_vma)
			for (avc of list_for_each_entry_reverse(addr(vma.anon_vma_chain), 'same_vma'))
				vm_unlock_anon_vma(avc.anon_vma);
}

/** mmu_notifier_register(): the caller of mm_take_all_locks(). */
export function mmu_notifier_register(mm: ptr<mm_struct>): void {
	down_write(addr(mm.mmap_lock));
	mm_take_all_locks(mm);
	sched_point('mmu_notifier_register: hlist_add_head_rcu', mm);
	mm_drop_all_locks(mm);
	up_write(addr(mm.mmap_lock));
}

/** The anon_vma a folio is filed under (no locking: for the invariants). */
export function folio_anon(f: ptr<folio>): ptr<anon_vma> {
	return folio_anon_vma(f);
}

/* ---- a process's own loads and stores ---- */

/**
 * The process stores v at address: through a present, writable PTE the
 * store lands in the folio (the PTE lookup and the store are one step: a
 * PTE change waits for the TLB flush, and so for the store); otherwise it
 * faults: a migration entry waits for the migration to end
 * (migration_entry_wait()), a read-only or swapped-out page is copied
 * (do_wp_page(), do_swap_page()), and the store is tried again.
 */
export function user_write(mm: ptr<mm_struct>, address: ulong, v: number): void {
	for (;;) {
		sched_point('user store', mm);
		/*
		 * The thread's TLB (kernel/tlb.ts) may still hold a writable
		 * translation: the store goes through it, whatever the PTE is now,
		 * and does not fault.
		 */
		const cached = tlb_lookup_write(mm, address);
		if (cached) {
			/* x86 caches the dirty bit: a TLB entry filled by a store is dirty, the PTE was set then. */
			cached.data = v;
			expect_set(mm, address, v);
			return;
		}
		const pte = mm.ptes.get(address);
		if (pte && pte.write && pte_present(pte)) {
			/* The CPU sets the accessed and dirty bits as it stores, one atomic update of the PTE. */
			if (!pte.dirty)
				mm.ptes.set(address, { ...pte, dirty: true });
			pte.folio.data = v;
			tlb_fill_write(mm, address, pte.folio);
			expect_set(mm, address, v);
			return;
		}
		if (pte && pte.migration) {
			sched_wait('migration_entry_wait', () => {
				const now = mm.ptes.get(address);
				return !now || !now.migration;
			});
			continue;
		}
		const failed = world.enomem;
		do_wp_page(mm, address);
		if (world.enomem !== failed)
			return;	/* VM_FAULT_OOM: the store never happens */
	}
}

/* ---- mm/gup.c: an O_DIRECT read into the page (FOLL_PIN | FOLL_WRITE) ---- */

/**
 * pin_user_pages_fast() of mm's page at address for a device to write (an
 * O_DIRECT read into it), the I/O, and unpin_user_page().  The fast path
 * (gup_fast_pte_range()) takes no page-table lock: it reads the PTE, gives
 * up on one that is not present, not writable or (FOLL_PIN of an anon
 * page) not PageAnonExclusive, raises the folio's count by
 * GUP_PIN_COUNTING_BIAS (try_grab_folio_fast()) and reads the PTE again:
 * changed, it drops the pin and gives up.  That second read, against
 * write_protect_page()'s clear-the-PTE-then-count, is what keeps KSM from
 * merging a page under DMA.  Where the fast path gives up, the slow path
 * faults the page writable (do_wp_page(): under the PTE lock, a copy) and
 * pins again.  The device then writes v into the pinned folio, which the
 * process must read back.
 */
export function gup_pin_write(mm: ptr<mm_struct>, address: ulong, v: number): void {
	let f: ptr<folio>;
	for (;;) {
		sched_point('gup_fast_pte_range', mm);
		const pte = mm.ptes.get(address);
		if (pte && pte.migration) {
			sched_wait('migration_entry_wait', () => {
				const now = mm.ptes.get(address);
				return !now || !now.migration;
			});
			continue;
		}
		if (!pte || !pte_present(pte) || !pte.write || !PageAnonExclusive(pte_page(pte))) {
			const failed = world.enomem;
			do_wp_page(mm, address);
			if (world.enomem !== failed)
				return;	/* -ENOMEM: no pin, no I/O */
			continue;
		}
		/* A PTE is one word: what the fast path compares is its value. */
		const seen: pte_t = { ...pte };
		f = pte.folio;
		if (!folio_try_get(f))
			continue;
		atomic_add(GUP_PIN_COUNTING_BIAS - 1, addr(f._refcount));
		sched_point('gup_fast recheck', mm);
		const now = mm.ptes.get(address);
		if (now && pte_same(now, seen))
			break;
		unpin_folio(f);
	}
	/* The device's write. */
	sched_point('DMA', f);
	f.data = v;
	expect_set(mm, address, v);
	/*
	 * The I/O wrote the page: unpin_user_pages_dirty_lock() (bio_release_pages()
	 * with mark_dirty) marks the folio dirty before the pin goes, as every
	 * FOLL_PIN user that modified a page must (try_to_unmap_one()'s lazyfree
	 * check relies on it).
	 */
	folio_mark_dirty(f);
	unpin_folio(f);
}

/* gup_put_folio() of a FOLL_PIN reference. */
function unpin_folio(f: ptr<folio>): void {
	atomic_sub(GUP_PIN_COUNTING_BIAS - 1, addr(f._refcount));
	folio_put(f);
}

/*
 * From now on the world's threads keep TLBs of writable translations
 * (kernel/tlb.ts): a scenario about a deferred TLB flush turns them on
 * after its setup.
 */
export function tlb_on(): void {
	tlb_model.on = true;
}

/**
 * The thread named comm has stored to mm's page at address before the
 * race (setup): its TLB holds the writable translation of the PTE there.
 */
export function tlb_wrote_before(comm: string, mm: ptr<mm_struct>, address: ulong): void {
	const pte = mm.ptes.get(address);
	if (!pte || !pte.write || !pte_present(pte))
		kernel_bug('bug', 'tlb_wrote_before: no writable PTE to cache');
	tlb_fill_write(mm, address, pte!.folio, comm);
}

/** The data each process must see at each of its pages, against its page tables. */
export function data_expected(): Map<ptr<mm_struct>, Map<number, number>> {
	return world.expect;
}

/**
 * Is mm's page at address MADV_FREE'd: 'free' and unwritten since (reclaim
 * may have discarded it), 'written' since, or null?
 */
export function data_lazyfree(mm: ptr<mm_struct>, address: ulong): 'free' | 'written' | null {
	return lazySet(mm).has(address) ? 'free' : lazySet(mm, world.relazy).has(address) ? 'written' : null;
}

/** What mm reads at address (a present PTE's folio, or the swap cache's a swap entry names), or null. */
export function user_data(mm: ptr<mm_struct>, address: ulong): number | null {
	const pte = mm.ptes.get(address);
	return pte ? pte.folio.data : null;
}

/* ---- composite threads for the scenarios ---- */

export function split_and_merge(mm: ptr<mm_struct>, address: ulong): void {
	const vma = find_vma(mm, address);
	const below = split_vma(mm, vma, address);
	if (below)
		merge_vmas(mm, below, vma);
}

/* Merge an unfaulted VMA with its faulted neighbour, then munmap what prev is now. */
export function merge_unfaulted_and_unmap(mm: ptr<mm_struct>, prev: ptr<vm_area_struct>, next: ptr<vm_area_struct>): void {
	vma_expand_unfaulted(mm, prev, next);
	do_munmap(mm, prev);
}

/* Split a VMA (anon_vma_clone(VMA_OP_SPLIT) of its whole chain), then the process exits. */
export function split_and_exit(mm: ptr<mm_struct>, address: ulong): void {
	split_vma(mm, find_vma(mm, address), address);
	exit_mmap(mm);
}

export function cow_and_exit(mm: ptr<mm_struct>, address: ulong): void {
	do_wp_page(mm, address);
	exit_mmap(mm);
}

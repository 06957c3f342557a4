/*
 * What try_to_unmap_one() (mm/rmap.c) names for reclaim's swap-out:
 * include/linux/swap.h and swapops.h's swap entries, the RSS counters,
 * the swap-out bookkeeping (mm->mmlist, init_mm) and the PTE batch and
 * lazyfree tests of include/linux/mm.h and mm/internal.h.
 *
 * A swap entry is, in the model, the non-present PTE it becomes (a pte_t
 * with `swap` set, unmap.ts's convention for migration entries): it names
 * the folio in the swap cache and the page of it (`nr`), and `exclusive`
 * is pte_swp_exclusive().  The model has no swap device: a swap entry is
 * identified by the swap cache's folio, whose contents (folio->data) are
 * what a swap-in reads, and a swap slot never runs out, so
 * folio_dup_swap() never fails.  The RSS counters (MM_ANONPAGES and the
 * others) are kept: the harness's page-table changes update them as
 * mm/memory.c does, the model's own calls as mm/rmap.c does, and at the
 * end each must count what the page tables hold (check_mm()'s "Bad
 * rss-counter state").  The mm->mmlist link that swapoff walks is kept,
 * under mmlist_lock.
 */
import type { ptr, ulong, int, long, bool, uint, out_param, gfp_t } from './ctypes';
import { GFP_KERNEL } from './slab';
import { not_modelled } from './bug';
import { spinlock_t, lockdep_is_held } from './locking';
import { guarded_by } from './lockset';
import { list_head } from './list';
import { mm_struct, folio_test_anon, folio_put, PAGE_SIZE } from './mm_types';
import type { folio, page, vm_area_struct, pte_t } from './mm_types';
import { folio_test_swapbacked, folio_test_large } from './folio_rmap';
import type { swp_entry_t } from './unmap';
import { pte_slot } from './pagewalk';
import type { pmd_t } from './pagewalk';

/* ---- include/linux/swap.h, swapops.h ---- */

/* The swap entry of a page of a folio in the swap cache: folio->swap plus the page's index. */
export function page_swap_entry(page: ptr<page>): swp_entry_t {
	const folio = page.owner as ptr<folio> | null;

	if (!folio)
		return not_modelled('page_swap_entry() of a page of no folio');
	/*
	 * Not in the swap cache (a lazyfree folio: try_to_unmap_one() takes
	 * the entry before its MADV_FREE test): folio->swap is 0, and the
	 * entry swp_entry_to_pte() makes of it is pte_none().  Installed, it
	 * loses the mapping, which the checker then finds.
	 */
	if (!folio.swapcache)
		return { folio: null as never, migration: false, write: false, swap: true };
	return page.nr ? { folio, migration: false, write: false, swap: true, nr: page.nr } :
		{ folio, migration: false, write: false, swap: true };
}

/* Another user of the page's swap slot (its swap count): slots never run out in the model. */
export function folio_dup_swap(folio: ptr<folio>, _subpage: ptr<page>): int {
	if (!folio.swapcache)
		return not_modelled('folio_dup_swap() of a folio not in the swap cache');
	return 0;
}

export function folio_put_swap(_folio: ptr<folio>, _subpage: ptr<page>): void {
}

export function pte_swp_mkexclusive(pte: pte_t): pte_t {
	return { ...pte, exclusive: true };
}

export function pte_swp_exclusive(pte: pte_t): bool {
	return !!pte.swap && !!pte.exclusive;
}

/* ---- include/linux/mm_types.h, mm.h: the RSS counters ---- */

export const MM_FILEPAGES = 0;
export const MM_ANONPAGES = 1;
export const MM_SWAPENTS = 2;
export const MM_SHMEMPAGES = 3;

export function add_mm_counter(mm: ptr<mm_struct>, member: int, value: long): void {
	mm.rss_stat[member] += value;
}

export function inc_mm_counter(mm: ptr<mm_struct>, member: int): void {
	add_mm_counter(mm, member, 1);
}

/* File folios: the model maps none. */
export function mm_counter_file(_folio: ptr<folio>): int {
	return not_modelled('mm_counter_file');
}

export function get_mm_counter(mm: ptr<mm_struct>, member: int): long {
	return mm.rss_stat[member];
}

/* ---- mm/swapfile.c: the mms swapoff must visit ---- */

export const mmlist_lock: spinlock_t = new spinlock_t('mmlist_lock');

/* kernel/fork.c's init_mm: the head of the mmlist of every mm with swap entries. */
export const init_mm: mm_struct = new mm_struct('init_mm');

/*
 * mm_types.h: "List of maybe swapped mm's.  These are globally strung
 * together off init_mm.mmlist, and are protected by mmlist_lock".  Every
 * list_add() and list_del() of an mm's mmlist, init_mm's the head of
 * them all, needs the lock: swapoff (try_to_unuse()) walks the list under
 * it while reclaim adds to it and exit removes from it.
 */
guarded_by(mm_struct, 'mmlist', {
	lock: 'mmlist_lock',
	held: () => lockdep_is_held(mmlist_lock),
	updates_always_locked: true,
});

/* ---- include/linux/page-flags.h, mm.h ---- */

/* MADV_FREE's folios (anon, no longer swap-backed: the harness's madvise_free()). */
export function folio_test_lazyfree(folio: ptr<folio>): bool {
	return folio_test_anon(folio) && !folio_test_swapbacked(folio);
}

export function folio_test_dirty(folio: ptr<folio>): bool {
	return folio.dirty;
}

export function folio_clear_dirty(folio: ptr<folio>): void {
	folio.dirty = false;
}

/*
 * A KSM page swapped in where it cannot be reused (ksm_might_need_to_copy()):
 * the copy's allocation and its flags.  The model has no swap-in of a
 * KSM page (do_swap_page() is not run), so the copy is not modelled.
 */
/* include/linux/page-flags.h: every folio the model makes is read in. */
export function folio_test_uptodate(_folio: ptr<folio>): bool {
	return true;
}

export const __GFP_HIGHMEM = 0x02;
export const __GFP_MOVABLE = 0x08;
export const __GFP_HARDWALL = 0x100000;
export const GFP_HIGHUSER_MOVABLE = GFP_KERNEL | __GFP_HARDWALL | __GFP_HIGHMEM | __GFP_MOVABLE;

export function vma_alloc_folio(_gfp: gfp_t, _order: int, _vma: ptr<vm_area_struct>, _addr: ulong): ptr<folio> {
	return not_modelled('vma_alloc_folio (a KSM page copied at swap-in)');
}

export function mem_cgroup_charge(_folio: ptr<folio>, _mm: ptr<mm_struct>, _gfp: gfp_t): int {
	return not_modelled('mem_cgroup_charge');
}

export function copy_mc_user_highpage(_to: ptr<page>, _from: ptr<page>, _vaddr: ulong, _vma: ptr<vm_area_struct>): int {
	return not_modelled('copy_mc_user_highpage');
}

export function folio_set_dirty(folio: ptr<folio>): void {
	folio.dirty = true;
}

export function __folio_mark_uptodate(_folio: ptr<folio>): void {
}

export function __folio_set_locked(folio: ptr<folio>): void {
	folio.locked = true;
}

/* include/linux/vm_event_item.h: event counters, statistics the model does not keep. */
/** @c enum vm_event_item */
export enum vm_event_item {
	KSM_SWPIN_COPY,
}
export const KSM_SWPIN_COPY = vm_event_item.KSM_SWPIN_COPY;

export function count_vm_event(_item: vm_event_item): void {
}

/*
 * mm/swap.c (swap.h declares it): the LRU's accessed marks, which only
 * reclaim's aging reads; the model's aging takes every mapped folio as
 * referenced (rmap_one.ts), so the marks are no state it keeps.
 */
export function folio_mark_accessed(_folio: ptr<folio>): void {}

/*
 * mm/swapfile.c: free the swap space of a folio in the swap cache that no
 * PTE maps any more; false, nothing to do, for a folio not in it.  The
 * model's swap cache keeps its folios (swap entries name them), so one
 * being freed here is not modelled.
 */
export function folio_free_swap(folio: ptr<folio>): bool {
	if (!folio.swapcache)
		return false;
	return not_modelled('folio_free_swap of a folio in the swap cache');
}

export function folio_set_swapbacked(folio: ptr<folio>): void {
	folio.swapbacked = true;
}

/* The PTEs' references, nr at once (the last frees the folio). */
export function folio_put_refs(folio: ptr<folio>, refs: int): void {
	for (let i = 0; i < refs; i++)
		folio_put(folio);
}

/* ---- PTE batches (include/linux/pgtable.h, mm/internal.h) ---- */

/* A batch of nr PTEs: consecutive slots of one page table, mapping consecutive pages. */
export function set_ptes(mm: ptr<mm_struct>, address: ulong, ptep: ptr<pte_t>, pte: pte_t, nr: uint): void {
	const s = ptep as unknown as pte_slot;

	if (!(ptep instanceof pte_slot) || s.address !== address || s.mm !== mm)
		return not_modelled('set_ptes() through a pointer that is not the slot of its address');
	for (let i = 0; i < nr; i++) {
		const nr_in_folio = (pte.nr ?? 0) + i;
		mm.ptes.set(address + i * PAGE_SIZE, nr_in_folio ? { ...pte, nr: nr_in_folio } : { ...pte });
	}
}

/* The batch's PTEs cleared, their accessed and dirty bits gathered into the first's (the model has none). */
export function get_and_clear_ptes(mm: ptr<mm_struct>, address: ulong, ptep: ptr<pte_t>, nr: uint): pte_t {
	const s = ptep as unknown as pte_slot;

	if (!(ptep instanceof pte_slot) || s.address !== address || s.mm !== mm)
		return not_modelled('get_and_clear_ptes() through a pointer that is not the slot of its address');
	const first = mm.ptes.get(address);
	if (!first)
		return not_modelled('get_and_clear_ptes() of an empty slot');
	for (let i = 0; i < nr; i++)
		mm.ptes.delete(address + i * PAGE_SIZE);
	return first;
}

/* mm/internal.h: folio_pte_batch()'s flags. */
export const FPB_RESPECT_DIRTY = 1 << 0;
export const FPB_RESPECT_SOFT_DIRTY = 1 << 1;
export const FPB_RESPECT_WRITE = 1 << 2;

/* Lazyfree and file folios only (try_to_unmap_one() unmaps an anon swap-backed folio a PTE at a time). */
export function folio_pte_batch_flags(folio: ptr<folio>, _vma: ptr<vm_area_struct>, _ptep: ptr<pte_t>,
	_ptentp: out_param<pte_t>, _max_nr: uint, _flags: uint): uint {
	if (!folio_test_large(folio))
		return 1;
	return not_modelled('folio_pte_batch_flags of a large lazyfree or file folio');
}

/* ---- the rest of try_to_unmap_one()'s vocabulary ---- */

/* No userfaultfd in the model: no uffd-wp marker to install. */
export function userfaultfd_wp(_vma: ptr<vm_area_struct>): bool {
	return false;
}

export function pte_install_uffd_wp_if_needed(_vma: ptr<vm_area_struct>, _addr: ulong, _pte: ptr<pte_t>, _pteval: pte_t): bool {
	return false;
}

/* A PMD-mapped lazyfree THP: the model's page tables map no PMD. */
export function unmap_huge_pmd_locked(_vma: ptr<vm_area_struct>, _addr: ulong, _pmdp: ptr<pmd_t>, _folio: ptr<folio>): bool {
	return not_modelled('unmap_huge_pmd_locked');
}


/*
 * What try_to_migrate_one() (mm/rmap.c) and remove_migration_pte()
 * (model/migrate.ts) name beyond the page walk (pagewalk.ts): the PTE
 * setters and bits of include/linux/pgtable.h, the migration entries of
 * include/linux/swapops.h and leafops.h, the TLB and cache flushes, and
 * the hugetlb, PMD and hwpoison paths, which the model has none of.
 *
 * A swap entry (swp_entry_t, softleaf_t) is, in the model, the
 * non-present PTE it becomes: a pte_t with `migration` set, `write` for a
 * writable migration entry and `exclusive` for a readable-exclusive one.
 * The model's PTEs have a dirty bit (MADV_FREE's lazyfree folios are
 * discarded by reclaim only while clean, so a store the bit misses is a
 * lost write) and no accessed, soft-dirty or uffd-wp bits: a process
 * uses what it maps (a present PTE reads young, as in rmap_one.ts); the
 * paths those bits would take are `not modelled` when reached.  The flushes are x86's:
 * cache flushes are nothing, and a TLB flush in the model has nothing to
 * flush (no CPU caches a PTE).  RSS counters are not modelled state.
 */
import type { ptr, ulong, int, long, bool } from './ctypes';
import { not_modelled } from './bug';
import { pfn_folio, folio_pfn, folio_pages } from './mm_types';
import type { folio, page, vm_area_struct, mm_struct, pte_t } from './mm_types';
import { ptep_get, pte_present, pte_slot } from './pagewalk';
import type { pmd_t, struct_page_vma_mapped_walk } from './pagewalk';
import { ttu_flags, TTU_BATCH_FLUSH } from './rmap_types';
import { flush_tlb_page } from './tlb';

/** @c swp_entry_t */
export type swp_entry_t = pte_t;
/** @c softleaf_t */
export type softleaf_t = swp_entry_t;

/* ---- include/linux/pgtable.h: PTEs ---- */

function slot_of(ptep: ptr<pte_t>, address: ulong): pte_slot {
	if (!(ptep instanceof pte_slot) || ptep.address !== address)
		return not_modelled('a pte_t pointer that is not the page tables\' slot of its address');
	return ptep;
}

export function set_pte_at(mm: ptr<mm_struct>, address: ulong, ptep: ptr<pte_t>, pte: pte_t): void {
	const s = slot_of(ptep, address);

	if (s.mm !== mm)
		return not_modelled('set_pte_at() of another mm\'s page table');
	mm.ptes.set(address, { ...pte });
}

export function ptep_get_and_clear(mm: ptr<mm_struct>, address: ulong, ptep: ptr<pte_t>): pte_t {
	const pte = ptep_get(ptep);

	slot_of(ptep, address);
	mm.ptes.delete(address);
	return pte;
}

/* The cleared PTE, and every CPU's TLB entry of it flushed (tlb.ts). */
export function ptep_clear_flush(vma: ptr<vm_area_struct>, address: ulong, ptep: ptr<pte_t>): pte_t {
	const pte = ptep_get_and_clear(vma.vm_mm, address, ptep);

	flush_tlb_page(vma, address);
	return pte;
}

export function pte_clear(mm: ptr<mm_struct>, address: ulong, ptep: ptr<pte_t>): void {
	ptep_get_and_clear(mm, address, ptep);
}

export function pte_write(pte: pte_t): bool {
	return pte.write;
}

/* Every present PTE is young (a process uses what it maps). */
export function pte_young(pte: pte_t): bool {
	return pte_present(pte);
}

export function pte_dirty(pte: pte_t): bool {
	return pte_present(pte) && !!pte.dirty;
}

export function pte_soft_dirty(_pte: pte_t): bool {
	return false;
}

export function pte_uffd_wp(_pte: pte_t): bool {
	return false;
}

export function pte_swp_soft_dirty(_pte: pte_t): bool {
	return false;
}

export function pte_swp_uffd_wp(_pte: pte_t): bool {
	return false;
}

/* s390's guest-unused pages: never on x86. */
export function pte_unused(_pte: pte_t): bool {
	return false;
}

export function pte_swp_mksoft_dirty(_pte: pte_t): pte_t {
	return not_modelled('pte_swp_mksoft_dirty');
}

export function pte_swp_mkuffd_wp(_pte: pte_t): pte_t {
	return not_modelled('pte_swp_mkuffd_wp');
}

/* For a tracepoint's eyes only: the frame number. */
export function pte_val(pte: pte_t): ulong {
	return pte.folio ? folio_pfn(pte.folio) : 0;
}

/* A present PTE of page with the VMA's protection: read-only until pte_mkwrite(). */
export function mk_pte(page: ptr<page>, _prot: ulong): pte_t {
	if (!page.owner)
		return not_modelled('mk_pte of a page of no folio');
	const folio = page.owner as ptr<folio>;
	/* A large folio's subpage keeps its index: the PTE maps that page, not page 0. */
	const nr = folio_pages(folio).indexOf(page as page);
	return nr > 0 ? { folio, migration: false, write: false, nr } : { folio, migration: false, write: false };
}

/*
 * The zero page (mm.h's is_zero_pfn(), pfn_pte() and pte_mkspecial() of
 * replace_page()'s KSM zero-page path): the model has no zero page, so no
 * pfn is its pfn, and the PTE it would make is not modelled.
 */
export function is_zero_pfn(_pfn: ulong): bool {
	return false;
}

export function pfn_pte(_pfn: ulong, _prot: ulong): pte_t {
	return not_modelled('pfn_pte (the zero page)');
}

export function pte_mkspecial(_pte: pte_t): pte_t {
	return not_modelled('pte_mkspecial (the zero page)');
}

export function pte_mkwrite(pte: pte_t, _vma: ptr<vm_area_struct>): pte_t {
	return { ...pte, write: true };
}

export function pte_wrprotect(pte: pte_t): pte_t {
	return { ...pte, write: false };
}

export function pte_mkclean(pte: pte_t): pte_t {
	return { ...pte, dirty: false };
}

/* No accessed or soft-dirty bit to clear. */
export function pte_mkold(pte: pte_t): pte_t {
	return pte;
}

export function pte_clear_soft_dirty(pte: pte_t): pte_t {
	return pte;
}

export function pte_mkdirty(pte: pte_t): pte_t {
	return { ...pte, dirty: true };
}

export function pte_mksoft_dirty(_pte: pte_t): pte_t {
	return not_modelled('pte_mksoft_dirty');
}

export function pte_mkuffd_wp(_pte: pte_t): pte_t {
	return not_modelled('pte_mkuffd_wp');
}

/* arch/x86: nothing to do after a PTE changes. */
export function update_mmu_cache(_vma: ptr<vm_area_struct>, _address: ulong, _ptep: ptr<pte_t>): void {
}

/* ---- include/linux/swapops.h, leafops.h: migration entries ---- */

/* The page frame of a page: its folio's, plus its place in the folio. */
export function page_to_pfn(page: ptr<page>): ulong {
	if (!page.owner)
		return not_modelled('page_to_pfn of a page of no folio');
	return folio_pfn(page.owner as ptr<folio>) + page.nr;
}

/* The folio a migration entry's frame is in: the model's entries are of small folios' pages. */
function migration_entry(pfn: ulong, write: boolean, exclusive: boolean): swp_entry_t {
	const f = pfn_folio(pfn);

	if (f.nr_pages !== 1)
		return not_modelled('a migration entry of a page of a large folio');
	return { folio: f, migration: true, write, exclusive };
}

/* include/linux/leafops.h: the folio a migration entry's frame is in. */
export function softleaf_to_folio(entry: softleaf_t): ptr<folio> {
	if (!entry.migration || !entry.folio)
		return not_modelled('softleaf_to_folio() of an entry that is not a migration entry');
	return entry.folio;
}

export function make_writable_migration_entry(pfn: ulong): swp_entry_t {
	return migration_entry(pfn, true, false);
}

export function make_readable_exclusive_migration_entry(pfn: ulong): swp_entry_t {
	return migration_entry(pfn, false, true);
}

export function make_readable_migration_entry(pfn: ulong): swp_entry_t {
	return migration_entry(pfn, false, false);
}

/* Every entry is young (every PTE was): nothing to record. */
export function make_migration_entry_young(entry: swp_entry_t): swp_entry_t {
	return entry;
}

export function make_migration_entry_dirty(entry: swp_entry_t): swp_entry_t {
	return { ...entry, dirty: true };
}

export function swp_entry_to_pte(entry: swp_entry_t): pte_t {
	return { ...entry };
}

export function softleaf_from_pte(pte: pte_t): softleaf_t {
	return pte;
}

export function softleaf_is_migration_write(entry: softleaf_t): bool {
	return entry.migration && entry.write;
}

export function softleaf_is_migration_read(entry: softleaf_t): bool {
	return entry.migration && !entry.write && !entry.exclusive;
}

export function softleaf_is_migration_young(entry: softleaf_t): bool {
	return entry.migration;
}

export function softleaf_is_migration_dirty(entry: softleaf_t): bool {
	return entry.migration && !!entry.dirty;
}

/* No device-private entry is ever in the model's page tables. */
export function softleaf_is_device_private_write(_entry: softleaf_t): bool {
	return not_modelled('softleaf_is_device_private_write');
}

export function make_device_exclusive_entry(_pfn: ulong): swp_entry_t {
	return not_modelled('make_device_exclusive_entry');
}

export function make_hwpoison_entry(_page: ptr<page>): swp_entry_t {
	return not_modelled('make_hwpoison_entry');
}

/* ---- the rest of try_to_migrate_one()'s vocabulary ---- */

/* include/linux/mm.h: VM_GROWSDOWN (x86 has no VM_GROWSUP), VM_STACK_EARLY, madvise()'s two. */
export const VM_GROWSDOWN = 0x100;
export const VM_GROWSUP = 0;
export const VM_STACK_EARLY = 0x800;
export const VM_STACK_INCOMPLETE_SETUP = 0x10000 | 0x8000 | VM_STACK_EARLY;

export function vma_is_temporary_stack(vma: ptr<vm_area_struct>): bool {
	const maybe_stack: int = vma.vm_flags & (VM_GROWSDOWN | VM_GROWSUP);

	if (!maybe_stack)
		return false;

	if ((vma.vm_flags & VM_STACK_INCOMPLETE_SETUP) ==
						VM_STACK_INCOMPLETE_SETUP)
		return true;

	return false;
}

export function folio_is_device_coherent(_folio: ptr<folio>): bool {
	return false;
}

export function PageHWPoison(_page: ptr<page>): bool {
	return false;
}

/* x86 has no virtually indexed caches. */
export function flush_cache_page(_vma: ptr<vm_area_struct>, _address: ulong, _pfn: ulong): void {
}

export function flush_cache_range(_vma: ptr<vm_area_struct>, _start: ulong, _end: ulong): void {
}

/* The mm's RSS high-water mark: a counter, not modelled state. */
export function update_hiwater_rss(_mm: ptr<mm_struct>): void {
}

/* mm_counter(): reached only on paths the model has no folios for (hwpoison, s390's unused pages). */
export function mm_counter(_folio: ptr<folio>): int {
	return not_modelled('mm_counter');
}

/* The RSS counters (swap.ts: add_mm_counter()); here, where try_to_migrate_one() finds it. */
export function dec_mm_counter(mm: ptr<mm_struct>, member: int): void {
	mm.rss_stat[member] -= 1;
}

export function userfaultfd_armed(_vma: ptr<vm_area_struct>): bool {
	return false;
}

/* x86 (only sparc has one). */
export function arch_unmap_one(_mm: ptr<mm_struct>, _vma: ptr<vm_area_struct>, _address: ulong, _orig_pte: pte_t): int {
	return 0;
}

/* Returns true if the folio was clean (folio_mark_dirty()'s "newly dirty"). */
export function folio_mark_dirty(folio: ptr<folio>): bool {
	const was = folio.dirty;

	folio.dirty = true;
	return !was;
}

/* Only a VM_LOCKED VMA needs it, and the harness has none. */
export function mlock_drain_local(): void {
	return not_modelled('mlock_drain_local');
}

/* Tracepoints: no-ops, like the vmstat counters. */
export function trace_set_migration_pte(_address: ulong, _pte: ulong, _order: int): void {
}

export function trace_remove_migration_pte(_address: ulong, _pte: ulong, _order: int): void {
}

/* ---- hugetlb and PMD-mapped THPs: the model has neither ---- */

/** @c struct hstate */
export class hstate {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_hstate: void;
}

/** @c struct mmu_gather */
export class mmu_gather {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_mmu_gather: void;
}

export function hstate_vma(_vma: ptr<vm_area_struct>): ptr<hstate> {
	return not_modelled('hstate_vma');
}

export function huge_page_size(_h: ptr<hstate>): ulong {
	return not_modelled('huge_page_size');
}

export function adjust_range_if_pmd_sharing_possible(_vma: ptr<vm_area_struct>, _start: ptr<ulong>, _end: ptr<ulong>): void {
	return not_modelled('adjust_range_if_pmd_sharing_possible');
}

export function huge_ptep_get(_mm: ptr<mm_struct>, _address: ulong, _ptep: ptr<pte_t>): pte_t {
	return not_modelled('huge_ptep_get');
}

export function huge_ptep_clear_flush(_vma: ptr<vm_area_struct>, _address: ulong, _ptep: ptr<pte_t>): pte_t {
	return not_modelled('huge_ptep_clear_flush');
}

export function set_huge_pte_at(_mm: ptr<mm_struct>, _address: ulong, _ptep: ptr<pte_t>, _pte: pte_t, _sz: ulong): void {
	return not_modelled('set_huge_pte_at');
}

export function hugetlb_vma_trylock_write(_vma: ptr<vm_area_struct>): int {
	return not_modelled('hugetlb_vma_trylock_write');
}

export function hugetlb_vma_unlock_write(_vma: ptr<vm_area_struct>): void {
	return not_modelled('hugetlb_vma_unlock_write');
}

export function tlb_gather_mmu_vma(_tlb: ptr<mmu_gather>, _vma: ptr<vm_area_struct>): void {
	return not_modelled('tlb_gather_mmu_vma');
}

export function tlb_finish_mmu(_tlb: ptr<mmu_gather>): void {
	return not_modelled('tlb_finish_mmu');
}

export function huge_pmd_unshare(_tlb: ptr<mmu_gather>, _vma: ptr<vm_area_struct>, _address: ulong, _ptep: ptr<pte_t>): int {
	return not_modelled('huge_pmd_unshare');
}

export function huge_pmd_unshare_flush(_tlb: ptr<mmu_gather>, _vma: ptr<vm_area_struct>): void {
	return not_modelled('huge_pmd_unshare_flush');
}

export function hugetlb_count_sub(_l: long, _mm: ptr<mm_struct>): void {
	return not_modelled('hugetlb_count_sub');
}

export function hugetlb_try_share_anon_rmap(_folio: ptr<folio>): int {
	return not_modelled('hugetlb_try_share_anon_rmap');
}

export function folio_clear_hugetlb_restore_reserve(_folio: ptr<folio>): void {
	return not_modelled('folio_clear_hugetlb_restore_reserve');
}

export function hugetlb_remove_rmap(_folio: ptr<folio>): void {
	return not_modelled('hugetlb_remove_rmap');
}

export function split_huge_pmd_locked(_vma: ptr<vm_area_struct>, _address: ulong, _pmd: ptr<pmd_t>, _freeze: bool): void {
	return not_modelled('split_huge_pmd_locked');
}

export function pmdp_get(_pmdp: ptr<pmd_t>): pmd_t {
	return not_modelled('pmdp_get');
}

/* A PMD-mapped THP's entry (page_vma_mkclean_one()): never reached, pmdp_get() is not modelled. */
export function pmd_dirty(_pmd: pmd_t): bool {
	return not_modelled('pmd_dirty');
}

export function pmd_write(_pmd: pmd_t): bool {
	return not_modelled('pmd_write');
}

export function pmdp_invalidate(_vma: ptr<vm_area_struct>, _address: ulong, _pmdp: ptr<pmd_t>): pmd_t {
	return not_modelled('pmdp_invalidate');
}

export function pmd_wrprotect(_pmd: pmd_t): pmd_t {
	return not_modelled('pmd_wrprotect');
}

export function pmd_mkclean(_pmd: pmd_t): pmd_t {
	return not_modelled('pmd_mkclean');
}

export function set_pmd_at(_mm: ptr<mm_struct>, _address: ulong, _pmdp: ptr<pmd_t>, _pmd: pmd_t): void {
	return not_modelled('set_pmd_at');
}

export function pmd_pfn(_pmd: pmd_t): ulong {
	return not_modelled('pmd_pfn');
}

export function softleaf_from_pmd(_pmd: pmd_t): softleaf_t {
	return not_modelled('softleaf_from_pmd');
}

export function set_pmd_migration_entry(_pvmw: ptr<struct_page_vma_mapped_walk>, _page: ptr<page>): int {
	return not_modelled('set_pmd_migration_entry');
}

/*
 * What mm/rmap.c's rmap_one callbacks name beyond the page walk
 * (pagewalk.ts): folio_referenced_one()'s struct folio_referenced_arg (a
 * struct of rmap.c's own: its carried C still defines and prints it, as
 * ksm_types.ts does for ksm.c's), the access-bit and recency helpers of
 * include/linux/mm_inline.h, page_idle.h, oom.h and mm/internal.h.
 *
 * The model has no accessed bit in its PTEs and no page-idle flag: a
 * process uses every page it maps, so a present PTE always reads young
 * (clear_flush_young_ptes_notify() answers whether the PTE is still
 * there), and the folio's idle/young page flags are those of a kernel
 * without CONFIG_PAGE_IDLE_FLAG.  The model runs without MGLRU
 * (lru_gen_enabled() is false), without memcg (mm_match_cgroup() of a
 * cgroup is not modelled: the harness passes none) and without large
 * folios in its page tables (folio_pte_batch() is not modelled).
 */
import type { ptr, int, uint, ulong, bool } from './ctypes';
import { not_modelled } from './bug';
import { kernel_warn } from './sched';
import { mm_flags_test } from './mm_types';
import type { folio, vm_area_struct, mm_struct, pte_t } from './mm_types';
import { folio_test_large, folio_test_hugetlb, folio_mapcount } from './folio_rmap';
import { unlikely } from './bug';
import { pte_present, ptep_get } from './pagewalk';
import type { pmd_t } from './pagewalk';

/** @c vm_flags_t */
export type vm_flags_t = number;

/* include/linux/mm.h: VM_SEQ_READ_BIT 15, VM_RAND_READ_BIT 16 (madvise()'s access patterns). */
export const VM_SEQ_READ = 0x8000;
export const VM_RAND_READ = 0x10000;

/** @c struct mem_cgroup */
export class mem_cgroup {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_mem_cgroup: void;
}

/** mm/rmap.c's own: what folio_referenced() passes its rmap_one as arg. @c struct folio_referenced_arg */
export class folio_referenced_arg {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_folio_referenced_arg: void;
	mapcount: int = 0;
	referenced: int = 0;
	vm_flags: vm_flags_t = 0;
	memcg: ptr<mem_cgroup> = null as never;
}

/* include/linux/mm_inline.h (anonymous VMAs have no file, so no FMODE_NOREUSE). */
export function vma_has_recency(vma: ptr<vm_area_struct>): bool {
	if (vma.vm_flags & (VM_SEQ_READ | VM_RAND_READ))
		return false;

	if (vma.vm_file)
		return not_modelled('vma_has_recency of a file VMA (FMODE_NOREUSE)');

	return true;
}

/* include/linux/memcontrol.h: reclaim on behalf of a cgroup. */
export function mm_match_cgroup(_mm: ptr<mm_struct>, _memcg: ptr<mem_cgroup>): bool {
	return not_modelled('mm_match_cgroup');
}

/* include/linux/oom.h: the OOM reaper marks an mm it tears down MMF_UNSTABLE. */
export const MMF_UNSTABLE = 22;
export const VM_FAULT_SIGBUS = 0x000002;

/* Returns a vm_fault_t, which the prelude has no alias for (no model function declares one). */
export function check_stable_address_space(mm: ptr<mm_struct>): uint {
	if (unlikely(mm_flags_test(MMF_UNSTABLE, mm)))
		return VM_FAULT_SIGBUS;
	return 0;
}

/* include/linux/mm.h: small folios only (a large one needs the folio's mm ids). */
export function folio_maybe_mapped_shared(folio: ptr<folio>): bool {
	const mapcount: int = folio_mapcount(folio);

	/* Only partially-mappable folios require more care. */
	if (!folio_test_large(folio) || unlikely(folio_test_hugetlb(folio)))
		return mapcount > 1;
	return not_modelled('folio_maybe_mapped_shared of a large folio');
}

/* mm/internal.h: how many PTEs from ptep map consecutive pages of a large folio. */
export function folio_pte_batch(_folio: ptr<folio>, _ptep: ptr<pte_t>, _pte: pte_t, _max_nr: uint): uint {
	return not_modelled('folio_pte_batch');
}

/* include/linux/mm_inline.h: no MGLRU in the model. */
export function lru_gen_enabled(): bool {
	return false;
}

export function lru_gen_switching(): bool {
	return false;
}

export function lru_gen_look_around(_pvmw: object, _nr: uint): bool {
	return not_modelled('lru_gen_look_around');
}

/*
 * mm/internal.h: clear the accessed bit of nr PTEs and the secondary
 * MMUs' (mmu_notifier_clear_flush_young()), and say whether any was
 * young.  The model's PTEs have no accessed bit: a mapped page is used,
 * so a present PTE is young (and stays so).
 */
export function clear_flush_young_ptes_notify(_vma: ptr<vm_area_struct>, _addr: ulong, ptep: ptr<pte_t>, nr: uint): bool {
	if (nr !== 1)
		return not_modelled('clear_flush_young_ptes_notify of a batch of PTEs');
	return pte_present(ptep_get(ptep));
}

export function pmdp_clear_flush_young_notify(_vma: ptr<vm_area_struct>, _addr: ulong, _pmdp: ptr<pmd_t>): bool {
	return not_modelled('pmdp_clear_flush_young_notify');
}

/* include/linux/page_idle.h without CONFIG_PAGE_IDLE_FLAG. */
export function folio_clear_idle(_folio: ptr<folio>): void {}

export function folio_test_clear_young(_folio: ptr<folio>): bool {
	return false;
}

/* include/linux/memremap.h: the model has no ZONE_DEVICE memory. */
export function folio_is_zone_device(_folio: ptr<folio>): bool {
	return false;
}

/* include/linux/mmdebug.h (DEBUG_VM: the checker reports each one). */
export function VM_WARN_ON_ONCE_FOLIO(cond: unknown, _folio: ptr<folio>): bool {
	if (cond)
		kernel_warn('VM_WARN_ON_ONCE_FOLIO');
	return !!cond;
}

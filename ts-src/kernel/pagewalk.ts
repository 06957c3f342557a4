/*
 * include/linux/rmap.h's page_vma_mapped_walk and its definition macro,
 * and the page-table types it names.  The walk itself (mm/page_vma_mapped.c)
 * is declared, not modelled yet: a run that reaches it stops with
 * "not modelled: page_vma_mapped_walk".
 */
import type { ptr, ulong, uint, pgoff_t } from './ctypes';
import { NULL } from './ctypes';
import { not_modelled } from './bug';
import { spinlock_t, spin_unlock } from './locking';
import { folio_nr_pages, folio_pgoff } from './mm_types';
import type { folio, vm_area_struct, pte_t, page } from './mm_types';

/** @c pmd_t */
export interface pmd_t {
	/** @model A page middle directory entry: only its presence. */
	present: boolean;
}

/* include/linux/rmap.h */
export const PVMW_SYNC = 1 << 0;
export const PVMW_MIGRATION = 1 << 1;

/**
 * struct page_vma_mapped_walk: C keeps struct tags apart from function
 * names, TypeScript does not (page_vma_mapped_walk() is the walk), so the
 * class has a name of its own, and its C name in the tag below.
 * @c struct page_vma_mapped_walk
 */
export class struct_page_vma_mapped_walk {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_page_vma_mapped_walk: void;
	pfn: ulong = 0;
	nr_pages: ulong = 0;
	pgoff: pgoff_t = 0;
	vma: ptr<vm_area_struct> = NULL;
	address: ulong = 0;
	pmd: ptr<pmd_t> = NULL;
	pte: ptr<pte_t> = NULL;
	ptl: ptr<spinlock_t> = NULL;
	flags: uint = 0;
	/** @model The folio the walk looks for (folio_pfn() in C). */
	folio: ptr<folio> = NULL;
}


/**
 * DEFINE_FOLIO_VMA_WALK(name, folio, vma, address, flags): the model
 * writes `let name: struct_page_vma_mapped_walk = DEFINE_FOLIO_VMA_WALK(folio, vma, address, flags);`.
 * @define
 */
export function DEFINE_FOLIO_VMA_WALK(folio: ptr<folio>, vma: ptr<vm_area_struct>, address: ulong, flags: uint): struct_page_vma_mapped_walk {
	const pvmw = new struct_page_vma_mapped_walk();

	pvmw.folio = folio;
	pvmw.nr_pages = folio_nr_pages(folio);
	pvmw.pgoff = folio_pgoff(folio);
	pvmw.vma = vma;
	pvmw.address = address;
	pvmw.flags = flags;
	return pvmw;
}

/* mm/page_vma_mapped.c */
export function page_vma_mapped_walk(_pvmw: ptr<struct_page_vma_mapped_walk>): boolean {
	return not_modelled('page_vma_mapped_walk');
}

export function page_vma_mapped_walk_done(pvmw: ptr<struct_page_vma_mapped_walk>): void {
	if (pvmw.ptl)
		spin_unlock(pvmw.ptl);
}

/* include/linux/pgtable.h */
/** @c enum pgtable_level */
export enum pgtable_level {
	PGTABLE_LEVEL_PTE = 0,
	PGTABLE_LEVEL_PMD,
	PGTABLE_LEVEL_PUD,
	PGTABLE_LEVEL_P4D,
	PGTABLE_LEVEL_PGD,
}
export const PGTABLE_LEVEL_PTE = pgtable_level.PGTABLE_LEVEL_PTE;
export const PGTABLE_LEVEL_PMD = pgtable_level.PGTABLE_LEVEL_PMD;
export const PGTABLE_LEVEL_PUD = pgtable_level.PGTABLE_LEVEL_PUD;
export const PGTABLE_LEVEL_P4D = pgtable_level.PGTABLE_LEVEL_P4D;
export const PGTABLE_LEVEL_PGD = pgtable_level.PGTABLE_LEVEL_PGD;

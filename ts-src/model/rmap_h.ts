/*
 * The inline functions of include/linux/rmap.h that mm/rmap.c calls.
 * Modelled so the model runs; not emitted (rmap.h is not in the series yet).
 */
import {
	ptr, int, ulong, bool, vm_area_struct, anon_vma, folio, page, rmap_t, ref, pgtable_level,
	atomic_inc, atomic_dec_and_test, addr, likely, unlikely, EBUSY, IS_ENABLED, CONFIG_PAGE_MAPCOUNT,
	down_write, down_write_trylock, up_write, down_read, down_read_trylock, up_read,
	PGTABLE_LEVEL_PTE, PGTABLE_LEVEL_PMD, PGTABLE_LEVEL_PUD, VM_WARN_ON_FOLIO, BUILD_BUG,
	folio_test_anon, folio_test_large, folio_is_device_private, folio_needs_cow_for_dma, folio_maybe_dma_pinned,
	PageAnonExclusive, ClearPageAnonExclusive, ptr_add, ptr_inc, __folio_rmap_sanity_checks,
	folio_add_large_mapcount, folio_inc_large_mapcount,
} from '../kernel';
import { __anon_vma_prepare, __put_anon_vma, folio_add_anon_rmap_ptes, folio_remove_rmap_ptes } from './rmap';

export function get_anon_vma(anon_vma: ptr<anon_vma>): void {
	atomic_inc(addr(anon_vma.refcount));
}

export function put_anon_vma(anon_vma: ptr<anon_vma>): void {
	if (atomic_dec_and_test(addr(anon_vma.refcount)))
		__put_anon_vma(anon_vma);
}

export function anon_vma_lock_write(anon_vma: ptr<anon_vma>): void {
	down_write(addr(anon_vma.root.rwsem));
}

export function anon_vma_trylock_write(anon_vma: ptr<anon_vma>): int {
	return down_write_trylock(addr(anon_vma.root.rwsem));
}

export function anon_vma_unlock_write(anon_vma: ptr<anon_vma>): void {
	up_write(addr(anon_vma.root.rwsem));
}

export function anon_vma_lock_read(anon_vma: ptr<anon_vma>): void {
	down_read(addr(anon_vma.root.rwsem));
}

export function anon_vma_trylock_read(anon_vma: ptr<anon_vma>): int {
	return down_read_trylock(addr(anon_vma.root.rwsem));
}

export function anon_vma_unlock_read(anon_vma: ptr<anon_vma>): void {
	up_read(addr(anon_vma.root.rwsem));
}

export function anon_vma_prepare(vma: ptr<vm_area_struct>): int {
	if (likely(vma.anon_vma))
		return 0;

	return __anon_vma_prepare(vma);
}

/* The rmap.h macros of one PTE. */
export function folio_add_anon_rmap_pte(folio: ptr<folio>, page: ptr<page>,
		vma: ptr<vm_area_struct>, address: ulong, flags: rmap_t): void {
	folio_add_anon_rmap_ptes(folio, page, 1, vma, address, flags);
}

export function folio_remove_rmap_pte(folio: ptr<folio>, page: ptr<page>,
		vma: ptr<vm_area_struct>): void {
	folio_remove_rmap_ptes(folio, page, 1, vma);
}

/* fork's copy_present_ptes(): the child's PTEs share the parent's pages, which are no longer exclusive. */
function __folio_try_dup_anon_rmap(folio: ptr<folio>,
		page: ptr<page>, nr_pages: int, dst_vma: ptr<vm_area_struct>,
		src_vma: ptr<vm_area_struct>, level: pgtable_level): int {
	const orig_nr_pages: int = nr_pages;
	let maybe_pinned: bool;
	let i: int;

	VM_WARN_ON_FOLIO(!folio_test_anon(folio), folio);
	__folio_rmap_sanity_checks(folio, page, nr_pages, level);

	/*
	 * If this folio may have been pinned by the parent process,
	 * don't allow to duplicate the mappings but instead require to e.g.,
	 * copy the subpage immediately for the child so that we'll always
	 * guarantee the pinned folio won't be randomly replaced in the
	 * future on write faults.
	 */
	maybe_pinned = likely(!folio_is_device_private(folio)) &&
		       unlikely(folio_needs_cow_for_dma(src_vma, folio));

	/*
	 * No need to check+clear for already shared PTEs/PMDs of the
	 * folio. But if any page is PageAnonExclusive, we must fallback to
	 * copying if the folio maybe pinned.
	 */
	switch (level) {
	case PGTABLE_LEVEL_PTE:
		if (unlikely(maybe_pinned)) {
			for (i = 0; i < nr_pages; i++)
				if (PageAnonExclusive(ptr_add(page, i)))
					return -EBUSY;
		}

		if (!folio_test_large(folio)) {
			if (PageAnonExclusive(page))
				ClearPageAnonExclusive(page);
			atomic_inc(addr(folio._mapcount));
			break;
		}

		do {
			if (PageAnonExclusive(page))
				ClearPageAnonExclusive(page);
			if (IS_ENABLED(CONFIG_PAGE_MAPCOUNT))
				atomic_inc(addr(page._mapcount));
		} while (ptr_inc(ref(page, (v) => page = v)), --nr_pages > 0);
		folio_add_large_mapcount(folio, orig_nr_pages, dst_vma);
		break;
	case PGTABLE_LEVEL_PMD:
	case PGTABLE_LEVEL_PUD:
		if (PageAnonExclusive(page)) {
			if (unlikely(maybe_pinned))
				return -EBUSY;
			ClearPageAnonExclusive(page);
		}
		atomic_inc(addr(folio._entire_mapcount));
		folio_inc_large_mapcount(folio, dst_vma);
		break;
	default:
		BUILD_BUG();
	}
	return 0;
}

export function folio_try_dup_anon_rmap_ptes(folio: ptr<folio>,
		page: ptr<page>, nr_pages: int, dst_vma: ptr<vm_area_struct>,
		src_vma: ptr<vm_area_struct>): int {
	return __folio_try_dup_anon_rmap(folio, page, nr_pages, dst_vma,
					 src_vma, PGTABLE_LEVEL_PTE);
}

export function folio_try_dup_anon_rmap_pte(folio: ptr<folio>,
		page: ptr<page>, dst_vma: ptr<vm_area_struct>,
		src_vma: ptr<vm_area_struct>): int {
	return __folio_try_dup_anon_rmap(folio, page, 1, dst_vma, src_vma,
					 PGTABLE_LEVEL_PTE);
}

/*
 * Before an exclusive page's PTE is replaced by a migration or swap entry
 * (try_to_migrate_one(), try_to_unmap_one()).  Without GUP-fast in the
 * model its memory barriers order nothing here.
 */
function __folio_try_share_anon_rmap(folio: ptr<folio>,
		page: ptr<page>, nr_pages: int, level: pgtable_level): int {
	VM_WARN_ON_FOLIO(!folio_test_anon(folio), folio);
	VM_WARN_ON_FOLIO(!PageAnonExclusive(page), folio);
	__folio_rmap_sanity_checks(folio, page, nr_pages, level);

	/* device private folios cannot get pinned via GUP. */
	if (unlikely(folio_is_device_private(folio))) {
		ClearPageAnonExclusive(page);
		return 0;
	}

	if (unlikely(folio_maybe_dma_pinned(folio)))
		return -EBUSY;
	ClearPageAnonExclusive(page);
	return 0;
}

export function folio_try_share_anon_rmap_pte(folio: ptr<folio>,
		page: ptr<page>): int {
	return __folio_try_share_anon_rmap(folio, page, 1, PGTABLE_LEVEL_PTE);
}

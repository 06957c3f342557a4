/*
 * mm/migrate.c's remove_migration_pte() and remove_migration_ptes(), the
 * other half of try_to_migrate() (mm/rmap.c): each migration entry for
 * src becomes a PTE of dst.  Written like the kernel's, over the model's
 * page tables (kernel/pagewalk.ts, kernel/unmap.ts).  A stand-in like
 * rmap_h.ts, not emitted; it lives beside the model rather than in the
 * prelude because it calls rmap.h's folio_add_anon_rmap_pte() and the
 * model's rmap_walk(), and the prelude does not import the model.
 *
 * What the model has none of is `not modelled` when reached: a
 * PMD-mapped THP's entry (remove_migration_pmd()), hugetlb, file folios,
 * device-private pages, the shared zero page (TTU_USE_SHARED_ZEROPAGE,
 * which only splitting a large folio asks for).
 */
import {
	ptr, ulong, bool, NULL, addr, cast, struct_init, ifdef, READ_ONCE, unlikely,
	folio, page, vm_area_struct, pte_t, rmap_t, RMAP_NONE, RMAP_EXCLUSIVE, rmap_walk_control, ttu_flags,
	TTU_USE_SHARED_ZEROPAGE, TTU_RMAP_LOCKED, VM_LOCKED, VM_BUG_ON_FOLIO,
	CONFIG_ARCH_ENABLE_THP_MIGRATION, CONFIG_HUGETLB_PAGE,
	struct_page_vma_mapped_walk, DEFINE_FOLIO_VMA_WALK, page_vma_mapped_walk, PVMW_SYNC, PVMW_MIGRATION,
	folio_test_large, folio_test_hugetlb, folio_test_pmd_mappable, folio_test_anon, folio_page, folio_get,
	linear_page_index, ptep_get, huge_ptep_get, softleaf_t, softleaf_from_pte, softleaf_is_migration_young,
	softleaf_is_migration_dirty, softleaf_is_migration_write, softleaf_is_migration_read, pte_swp_soft_dirty,
	pte_swp_uffd_wp, mk_pte, pte_mkold, pte_mkdirty, pte_mksoft_dirty, pte_clear_soft_dirty, pte_mkwrite,
	pte_mkuffd_wp, set_pte_at, update_mmu_cache, mlock_drain_local, trace_remove_migration_pte, pte_val,
	not_modelled,
} from '../kernel';
import { rmap_walk, rmap_walk_locked } from './rmap';
import { folio_add_anon_rmap_pte } from './rmap_h';

/**
 * mm/migrate.c's own: what remove_migration_ptes() passes its rmap_one
 * (a name of its own: the kernel's local of the same name would shadow it).
 * @c struct rmap_walk_arg
 */
export class struct_rmap_walk_arg {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_rmap_walk_arg: void;
	folio: ptr<folio> = NULL;
	map_unused_to_zeropage: bool = false;
}

/* The parts of remove_migration_pte() the model has none of. */
function folio_test_dirty(_folio: ptr<folio>): bool {
	return false;
}

function is_device_private_page(_page: ptr<page>): bool {
	return false;
}

function compound_order(_page: ptr<page>): ulong {
	return 0;
}

function try_to_map_unused_to_zeropage(_pvmw: ptr<struct_page_vma_mapped_walk>, _folio: ptr<folio>,
		_old_pte: pte_t, _idx: ulong): bool {
	return not_modelled('try_to_map_unused_to_zeropage');
}

function remove_migration_pmd(_pvmw: ptr<struct_page_vma_mapped_walk>, _new: ptr<page>): void {
	return not_modelled('remove_migration_pmd');
}

/*
 * Restore a potential migration pte to a working pte entry
 */
function remove_migration_pte(folio: ptr<folio>,
		vma: ptr<vm_area_struct>, address: ulong, arg: ptr<void>): bool {
	const rmap_walk_arg: ptr<struct_rmap_walk_arg> = arg;
	const pvmw: struct_page_vma_mapped_walk = DEFINE_FOLIO_VMA_WALK(rmap_walk_arg.folio, vma, address, PVMW_SYNC | PVMW_MIGRATION);

	while (page_vma_mapped_walk(addr(pvmw))) {
		let rmap_flags: rmap_t = RMAP_NONE;
		let old_pte: pte_t;
		let pte: pte_t;
		let entry: softleaf_t;
		let new_: ptr<page>;
		let idx: ulong = 0;

		/* pgoff is invalid for ksm pages, but they are never large */
		if (folio_test_large(folio) && !folio_test_hugetlb(folio))
			idx = linear_page_index(vma, pvmw.address) - pvmw.pgoff;
		new_ = folio_page(folio, idx);

		if (ifdef(CONFIG_ARCH_ENABLE_THP_MIGRATION)) {
			/* PMD-mapped THP migration entry */
			if (!pvmw.pte) {
				VM_BUG_ON_FOLIO(folio_test_hugetlb(folio) ||
						!folio_test_pmd_mappable(folio), folio);
				remove_migration_pmd(addr(pvmw), new_);
				continue;
			}
		}
		if (folio_test_hugetlb(folio))
			old_pte = huge_ptep_get(vma.vm_mm, pvmw.address,
						pvmw.pte);
		else
			old_pte = ptep_get(pvmw.pte);
		if (rmap_walk_arg.map_unused_to_zeropage &&
		    try_to_map_unused_to_zeropage(addr(pvmw), folio, old_pte, idx))
			continue;

		folio_get(folio);
		pte = mk_pte(new_, READ_ONCE(vma.vm_page_prot));

		entry = softleaf_from_pte(old_pte);
		if (!softleaf_is_migration_young(entry))
			pte = pte_mkold(pte);
		if (folio_test_dirty(folio) && softleaf_is_migration_dirty(entry))
			pte = pte_mkdirty(pte);
		if (pte_swp_soft_dirty(old_pte))
			pte = pte_mksoft_dirty(pte);
		else
			pte = pte_clear_soft_dirty(pte);

		if (softleaf_is_migration_write(entry))
			pte = pte_mkwrite(pte, vma);
		else if (pte_swp_uffd_wp(old_pte))
			pte = pte_mkuffd_wp(pte);

		if (folio_test_anon(folio) && !softleaf_is_migration_read(entry))
			rmap_flags |= RMAP_EXCLUSIVE;

		if (unlikely(is_device_private_page(new_)))
			return not_modelled('remove_migration_pte of a device-private page');

		if (ifdef(CONFIG_HUGETLB_PAGE) && folio_test_hugetlb(folio)) {
			return not_modelled('remove_migration_pte of a hugetlb folio');
		} else {
			if (folio_test_anon(folio))
				folio_add_anon_rmap_pte(folio, new_, vma,
							pvmw.address, rmap_flags);
			else
				return not_modelled('folio_add_file_rmap_pte');
			set_pte_at(vma.vm_mm, pvmw.address, pvmw.pte, pte);
		}
		if (READ_ONCE(vma.vm_flags) & VM_LOCKED)
			mlock_drain_local();

		trace_remove_migration_pte(pvmw.address, pte_val(pte),
					   compound_order(new_));

		/* No need to invalidate - it was non-present before */
		update_mmu_cache(vma, pvmw.address, pvmw.pte);
	}

	return true;
}

/*
 * Get rid of all migration entries and replace them by
 * references to the indicated page.
 */
export function remove_migration_ptes(src: ptr<folio>, dst: ptr<folio>,
		flags: ttu_flags): void {
	const rmap_walk_arg: struct_rmap_walk_arg = struct_init(struct_rmap_walk_arg, {
		folio: src,
		map_unused_to_zeropage: flags & TTU_USE_SHARED_ZEROPAGE,
	});

	const rwc: rmap_walk_control = struct_init(rmap_walk_control, {
		rmap_one: remove_migration_pte,
		arg: cast<ptr<void>>(addr(rmap_walk_arg)),
	});

	VM_BUG_ON_FOLIO((flags & TTU_USE_SHARED_ZEROPAGE) && (src != dst), src);

	if (flags & TTU_RMAP_LOCKED)
		rmap_walk_locked(dst, addr(rwc));
	else
		rmap_walk(dst, addr(rwc));
}

/*
 * The page tables as the rmap walks see them: include/linux/pgtable.h's
 * PTE accessors, include/linux/rmap.h's page_vma_mapped_walk and its
 * definition macro, and mm/page_vma_mapped.c's walk itself, written like
 * the kernel's for what the model's page tables hold.
 *
 * mm->ptes maps a page's address to its PTE (mm_types.ts): a present PTE
 * of a page of a folio, a migration entry for one, or a swap entry
 * (swap.ts: it names the swap cache's folio, but maps no page frame, so to
 * a walk it is not the folio's); no entry is pte_none().  Above the PTEs: the model never
 * allocates or frees page tables, so every PGD/P4D/PUD/PMD entry is
 * present and points to a page table of PTEs, never to a huge page.  A
 * `pte_t *` is a slot of mm->ptes (pte_slot below): `pte++` is the next
 * page's.  The PTE lock is pte_lockptr()'s: the model is configured with
 * split PTE locks off (NR_CPUS < CONFIG_SPLIT_PTE_PTLOCKS), where every
 * page table's lock is mm->page_table_lock, the lock the harness's fault,
 * fork, zap and migration paths take around a PTE change.
 *
 * What the model's page tables cannot hold (a PMD-mapped THP, a hugetlb
 * VMA, device-private and device-exclusive entries) is "not modelled"
 * when a walk would need it: never a silent success.
 */
import type { ptr, ulong, uint, pgoff_t, bool, int, kconfig, lvalue } from './ctypes';
import { NULL, ref } from './ctypes';
import { not_modelled, unlikely, WARN_ON_ONCE } from './bug';
import { spinlock_t, spin_lock, spin_unlock, rcu_read_lock, rcu_read_unlock } from './locking';
import { folio_nr_pages, folio_pgoff, folio_pfn, PAGE_SIZE, PAGE_SHIFT } from './mm_types';
import type { folio, page, vm_area_struct, pte_t, mm_struct } from './mm_types';
import { CONFIG_TRANSPARENT_HUGEPAGE } from './kconfig';

/** @c pmd_t */
export interface pmd_t {
	/** @model A page middle directory entry: only its presence. */
	present: boolean;
}

/* include/linux/rmap.h */
export const PVMW_SYNC = 1 << 0;
export const PVMW_MIGRATION = 1 << 1;
/* Result flags: the walk crossed a page table boundary. */
export const PVMW_PGTABLE_CROSSED = 1 << 16;

/* arch/x86/include/asm/pgtable_64_types.h */
export const PMD_SHIFT = 21;
export const PMD_SIZE = 1 << PMD_SHIFT;
/* ~(PMD_SIZE - 1): the model's addresses stay below 2^31, where JavaScript's & is C's. */
export const PMD_MASK = ~(PMD_SIZE - 1);

/* include/linux/mm.h: a hugetlbfs VMA (the model has none). */
export const VM_HUGETLB = 0x00400000;

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
}

/**
 * DEFINE_FOLIO_VMA_WALK(name, folio, vma, address, flags): the model
 * writes `let name: struct_page_vma_mapped_walk = DEFINE_FOLIO_VMA_WALK(folio, vma, address, flags);`.
 * @define
 */
export function DEFINE_FOLIO_VMA_WALK(folio: ptr<folio>, vma: ptr<vm_area_struct>, address: ulong, flags: uint): struct_page_vma_mapped_walk {
	const pvmw = new struct_page_vma_mapped_walk();

	pvmw.pfn = folio_pfn(folio);
	pvmw.nr_pages = folio_nr_pages(folio);
	pvmw.pgoff = folio_pgoff(folio);
	pvmw.vma = vma;
	pvmw.address = address;
	pvmw.flags = flags;
	return pvmw;
}

/* ---- the page tables ---- */

/**
 * A `pte_t *`: the slot of mm->ptes at address.  Pointer arithmetic
 * (ptr_add(), ptr_inc(), pvmw.pte++ in the walk) moves it by pages; the
 * value is read with ptep_get().
 */
export class pte_slot {
	constructor(readonly mm: ptr<mm_struct>, readonly address: ulong) {}

	/** pte + n (ptr_add() calls it: a method, so it runs plain). */
	ptr_add(n: int): ptr<pte_t> {
		return new pte_slot(this.mm, this.address + n * PAGE_SIZE) as unknown as ptr<pte_t>;
	}
}

function slot(ptep: ptr<pte_t>): pte_slot {
	if (!(ptep instanceof pte_slot))
		return not_modelled('a pte_t pointer that is not a slot of the page tables');
	return ptep;
}

/** The value of an empty slot: pte_none(). */
const PTE_NONE: pte_t = Object.freeze({ folio: NULL, migration: false, write: false });

/* include/linux/pgtable.h */
export function ptep_get(ptep: ptr<pte_t>): pte_t {
	const s = slot(ptep);

	return s.mm.ptes.get(s.address) ?? PTE_NONE;
}

/* Without the PTE lock: the same load (a PTE is one word: no torn read on x86-64). */
export function ptep_get_lockless(ptep: ptr<pte_t>): pte_t {
	return ptep_get(ptep);
}

/* arch/x86's __pte(): only the empty entry (try_to_merge_one_page()'s __pte(0)) has a value in the model. */
export function __pte(val: ulong): pte_t {
	if (val)
		return not_modelled('__pte() of a value other than 0');
	return { ...PTE_NONE };
}

/* include/linux/pgtable.h: the same entry, every bit the model's pte_t has. */
export function pte_same(a: pte_t, b: pte_t): int {
	return a.folio === b.folio && a.migration === b.migration && a.write === b.write &&
		(a.nr ?? 0) === (b.nr ?? 0) && !!a.exclusive === !!b.exclusive && !!a.swap === !!b.swap &&
		!!a.dirty === !!b.dirty ? 1 : 0;
}

export function pte_none(pte: pte_t): bool {
	return !pte.folio;
}

/* Migration and swap entries are swap-type entries: not present. */
export function pte_present(pte: pte_t): bool {
	return !!pte.folio && !pte.migration && !pte.swap;
}

/* x86: the TLB may hold the entry (present; the model has no PROT_NONE NUMA hinting entries). */
export function pte_accessible(_mm: ptr<mm_struct>, pte: pte_t): bool {
	return pte_present(pte);
}

/* The page frame a present PTE maps: its folio's first, plus the page's place in the folio. */
export function pte_pfn(pte: pte_t): ulong {
	return folio_pfn(pte.folio) + (pte.nr ?? 0);
}

/* include/linux/leafops.h: the software leaf entry of a non-present PTE (the model's: migration entries). */
export function softleaf_is_migration(pte: pte_t): bool {
	return !!pte.folio && pte.migration;
}

export function softleaf_to_pfn(pte: pte_t): ulong {
	if (pte.swap)
		return not_modelled('softleaf_to_pfn() of a swap entry (it has no page frame)');
	return folio_pfn(pte.folio) + (pte.nr ?? 0);
}

/* The model's page tables hold no device-private or device-exclusive entries. */
export function softleaf_is_device_private(_pte: pte_t): bool {
	return false;
}

export function softleaf_is_device_exclusive(_pte: pte_t): bool {
	return false;
}

/*
 * Above the PMDs (arch/x86's pgd_t, p4d_t, pud_t): what mm/rmap.c's
 * mm_find_pmd() walks down.  Every entry is present and points to a
 * table below it, so an entry's value is only _PAGE_PRESENT; a pointer to
 * one is a reference cell (*pgd reads it, as `ptr<int>`'s) that knows the
 * mm and address it was looked up for, which is what the next level's
 * offset needs.  The model never stores into these levels.
 */
/** @c pgd_t */
export type pgd_t = number;
/** @c p4d_t */
export type p4d_t = number;
/** @c pud_t */
export type pud_t = number;

const _PAGE_PRESENT = 0x1;

class upper_entry implements lvalue<number> {
	declare readonly __ref: number;
	constructor(readonly mm: ptr<mm_struct>, readonly address: ulong) {}
	get(): number {
		return _PAGE_PRESENT;
	}
	set(_v: number): void {
		not_modelled('a store to a PGD, P4D or PUD entry');
	}
	get deref(): number {
		return this.get();
	}
	set deref(v: number) {
		this.set(v);
	}
}

function upper(p: unknown): upper_entry {
	if (!(p instanceof upper_entry))
		return not_modelled('a page-table pointer that is not the model\'s');
	return p;
}

export function pgd_offset(mm: ptr<mm_struct>, address: ulong): ptr<pgd_t> {
	return new upper_entry(mm, address);
}

export function p4d_offset(pgd: ptr<pgd_t>, address: ulong): ptr<p4d_t> {
	return new upper_entry(upper(pgd).mm, address);
}

export function pud_offset(p4d: ptr<p4d_t>, address: ulong): ptr<pud_t> {
	return new upper_entry(upper(p4d).mm, address);
}

export function pgd_present(pgd: pgd_t): int {
	return pgd & _PAGE_PRESENT;
}

export function p4d_present(p4d: p4d_t): int {
	return p4d & _PAGE_PRESENT;
}

export function pud_present(pud: pud_t): int {
	return pud & _PAGE_PRESENT;
}

/* include/linux/pgtable.h: the PMD entry of address in the table pud points to. */
export function pmd_offset(pud: ptr<pud_t>, address: ulong): ptr<pmd_t> {
	return mm_pmd(upper(pud).mm, address);
}

/* One PMD entry per PMD_SIZE of an mm: always present, never huge (see above). */
const pmds = new WeakMap<object, Map<ulong, pmd_t>>();

function mm_pmd(mm: ptr<mm_struct>, address: ulong): ptr<pmd_t> {
	let table = pmds.get(mm);
	if (!table)
		pmds.set(mm, (table = new Map()));
	let pmd = table.get(address & PMD_MASK);
	if (!pmd)
		table.set(address & PMD_MASK, (pmd = { present: true }));
	return pmd as ptr<pmd_t>;
}

export function pmdp_get_lockless(pmdp: ptr<pmd_t>): pmd_t {
	return { present: pmdp.present };
}

export function pmd_present(pmd: pmd_t): bool {
	return pmd.present;
}

export function pmd_same(a: pmd_t, b: pmd_t): bool {
	return a.present === b.present;
}

/* include/linux/huge_mm.h, leafops.h: no PMD of the model maps a huge page or holds an entry. */
export function pmd_leaf(_pmd: pmd_t): bool {
	return false;
}

/* Never reached: no PMD is a leaf (pmd_leaf()). */
export function pmd_lock(_mm: ptr<mm_struct>, _pmd: ptr<pmd_t>): ptr<spinlock_t> {
	return not_modelled('pmd_lock');
}

export function vm_normal_page_pmd(_vma: ptr<vm_area_struct>, _addr: ulong, _pmd: pmd_t): ptr<page> {
	return not_modelled('vm_normal_page_pmd');
}

export function pmd_trans_huge(_pmd: pmd_t): bool {
	return false;
}

export function pmd_is_migration_entry(_pmd: pmd_t): bool {
	return false;
}

export function pmd_is_device_private_entry(_pmd: pmd_t): bool {
	return false;
}

/* include/linux/pgtable.h: the end of the PMD's range that address is in, or end. */
export function pmd_addr_end(address: ulong, end: ulong): ulong {
	const boundary = (address + PMD_SIZE) & PMD_MASK;

	return boundary - 1 < end - 1 ? boundary : end;
}

/* include/linux/mm.h: split PTE locks off, every page table's lock is the mm's. */
export function pte_lockptr(mm: ptr<mm_struct>, _pmd: ptr<pmd_t>): ptr<spinlock_t> {
	return mm.page_table_lock as ptr<spinlock_t>;
}

/*
 * mm/pgtable-generic.c: mapping a page table is an RCU read-side
 * section (__pte_offset_map()'s rcu_read_lock(); pte_unmap() ends it),
 * which keeps a page table freed by a racing collapse alive meanwhile.
 */
function __pte_offset_map(mm: ptr<mm_struct>, pmd: ptr<pmd_t>, address: ulong, pmdvalp: { v: pmd_t } | null): ptr<pte_t> {
	rcu_read_lock();
	const pmdval = pmdp_get_lockless(pmd);
	if (pmdvalp)
		pmdvalp.v = pmdval;
	if (!pmd_present(pmdval)) {
		rcu_read_unlock();
		return NULL;
	}
	return new pte_slot(mm, address & ~(PAGE_SIZE - 1)) as unknown as ptr<pte_t>;
}

export function pte_offset_map_rw_nolock(mm: ptr<mm_struct>, pmd: ptr<pmd_t>, address: ulong,
		pmdvalp: { v: pmd_t }, ptlp: { v: ptr<spinlock_t> }): ptr<pte_t> {
	const pte = __pte_offset_map(mm, pmd, address, pmdvalp);

	if (pte)
		ptlp.v = pte_lockptr(mm, pmd);
	return pte;
}

/* ptlp is C's `spinlock_t **ptlp`: ref(ptl, (v) => ptl = v) of the caller's local. */
export function pte_offset_map_lock(mm: ptr<mm_struct>, pmd: ptr<pmd_t>, address: ulong, ptlp: ptr<ptr<spinlock_t>>): ptr<pte_t> {
	const pte = __pte_offset_map(mm, pmd, address, null);

	if (!pte)
		return pte;
	ptlp.deref = pte_lockptr(mm, pmd);
	spin_lock(ptlp.deref);
	return pte;
}

export function pte_unmap(pte: ptr<pte_t>): void {
	slot(pte);
	rcu_read_unlock();
}

export function pte_unmap_unlock(pte: ptr<pte_t>, ptl: ptr<spinlock_t>): void {
	spin_unlock(ptl);
	pte_unmap(pte);
}

/* include/linux/hugetlb.h */
export function is_vm_hugetlb_page(vma: ptr<vm_area_struct>): bool {
	return !!(vma.vm_flags & VM_HUGETLB);
}

/* ---- mm/page_vma_mapped.c ---- */

function not_found(pvmw: ptr<struct_page_vma_mapped_walk>): bool {
	page_vma_mapped_walk_done(pvmw);
	return false;
}

function map_pte(pvmw: ptr<struct_page_vma_mapped_walk>, pmdvalp: { v: pmd_t }, ptlp: { v: ptr<spinlock_t> }): bool {
	let is_migration: bool;
	let ptent: pte_t;

	if (pvmw.flags & PVMW_SYNC) {
		/* Use the stricter lookup */
		let ptl: ptr<spinlock_t> = NULL;
		pvmw.pte = pte_offset_map_lock(pvmw.vma.vm_mm, pvmw.pmd, pvmw.address, ref(ptl, (v) => ptl = v));
		pvmw.ptl = ptl;
		ptlp.v = pvmw.ptl;
		return !!pvmw.pte;
	}

	is_migration = pvmw.flags & PVMW_MIGRATION;
	for (;;) {	/* again: */
		/*
		 * It is important to return the ptl corresponding to pte,
		 * in case *pvmw->pmd changes underneath us; so we need to
		 * return it even when choosing not to lock, in case caller
		 * proceeds to loop over next ptes, and finds a match later.
		 * Though, in most cases, page lock already protects this.
		 */
		pvmw.pte = pte_offset_map_rw_nolock(pvmw.vma.vm_mm, pvmw.pmd, pvmw.address, pmdvalp, ptlp);
		if (!pvmw.pte)
			return false;

		ptent = ptep_get_lockless(pvmw.pte);

		if (pte_none(ptent)) {
			return false;
		} else if (pte_present(ptent)) {
			if (is_migration)
				return false;
		} else if (!is_migration) {
			/* Handle un-addressable ZONE_DEVICE memory (none in the model: a migration entry is not it). */
			if (!softleaf_is_device_private(ptent) &&
			    !softleaf_is_device_exclusive(ptent))
				return false;
		}
		spin_lock(ptlp.v);
		if (unlikely(!pmd_same(pmdvalp.v, pmdp_get_lockless(pvmw.pmd)))) {
			pte_unmap_unlock(pvmw.pte, ptlp.v);
			continue;	/* goto again */
		}
		pvmw.ptl = ptlp.v;

		return true;
	}
}

/**
 * check_pte - check if [pvmw->pfn, @pvmw->pfn + @pvmw->nr_pages) is
 * mapped at the @pvmw->pte (a migration entry for it with PVMW_MIGRATION).
 */
function check_pte(pvmw: ptr<struct_page_vma_mapped_walk>, pte_nr: ulong): bool {
	let pfn: ulong;
	let ptent: pte_t;

	if (is_vm_hugetlb_page(pvmw.vma))
		return not_modelled('huge_ptep_get');
	else
		ptent = ptep_get(pvmw.pte);

	if (pvmw.flags & PVMW_MIGRATION) {
		if (!softleaf_is_migration(ptent))
			return false;

		pfn = softleaf_to_pfn(ptent);
	} else if (pte_present(ptent)) {
		pfn = pte_pfn(ptent);
	} else {
		/* Handle un-addressable ZONE_DEVICE memory */
		if (!softleaf_is_device_private(ptent) &&
		    !softleaf_is_device_exclusive(ptent))
			return false;

		pfn = softleaf_to_pfn(ptent);
	}

	if ((pfn + pte_nr - 1) < pvmw.pfn)
		return false;
	if (pfn > (pvmw.pfn + pvmw.nr_pages - 1))
		return false;
	return true;
}

function step_forward(pvmw: ptr<struct_page_vma_mapped_walk>, size: ulong): void {
	pvmw.address = (pvmw.address + size) & ~(size - 1);
	if (!pvmw.address)
		pvmw.address = Number.MAX_SAFE_INTEGER;	/* ULONG_MAX */
}

/* mm/internal.h */
export function vma_address_end(pvmw: ptr<struct_page_vma_mapped_walk>): ulong {
	const vma = pvmw.vma;
	let pgoff: pgoff_t;
	let address: ulong;

	/* Common case, plus ->pgoff is invalid for KSM */
	if (pvmw.nr_pages == 1)
		return pvmw.address + PAGE_SIZE;

	pgoff = pvmw.pgoff + pvmw.nr_pages;
	address = vma.vm_start + ((pgoff - vma.vm_pgoff) << PAGE_SHIFT);
	/* Check for address beyond vma (or wrapped through 0?) */
	if (address < vma.vm_start || address > vma.vm_end)
		address = vma.vm_end;
	return address;
}

/**
 * page_vma_mapped_walk - check if @pvmw->pfn is mapped in @pvmw->vma at
 * @pvmw->address.  Returns true with @pvmw->pte pointing to the PTE and
 * @pvmw->ptl locked; false when there are no more page table entries for
 * the page in the vma (@pvmw->ptl unlocked, @pvmw->pte unmapped).  The
 * kernel's gotos are the loop states below: `restart` walks down from
 * the PGD, `this_pte` checks the PTE, `next_pte` moves to the next.
 */
export function page_vma_mapped_walk(pvmw: ptr<struct_page_vma_mapped_walk>): bool {
	const vma = pvmw.vma;
	const mm = vma.vm_mm;
	let end: ulong;
	const ptl = { v: NULL as ptr<spinlock_t> };
	let pteval: pte_t;
	const pmde = { v: { present: false } as pmd_t };
	let at: 'restart' | 'this_pte' | 'next_pte';

	/* The only possible pmd mapping has been handled on last iteration */
	if (pvmw.pmd && !pvmw.pte)
		return not_found(pvmw);

	if (unlikely(is_vm_hugetlb_page(vma)))
		return not_modelled('page_vma_mapped_walk of a hugetlb VMA');

	end = vma_address_end(pvmw);
	at = pvmw.pte ? 'next_pte' : 'restart';
	for (;;) {
		if (at === 'restart') {
			/* pgd_offset(), p4d_offset(), pud_offset(): always present in the model */
			pvmw.pmd = mm_pmd(mm, pvmw.address);
			/*
			 * Make sure the pmd value isn't cached in a register by the
			 * compiler and used as a stale value after we've observed a
			 * subsequent update.
			 */
			pmde.v = pmdp_get_lockless(pvmw.pmd);

			if (IS_ENABLED_(CONFIG_TRANSPARENT_HUGEPAGE) &&
			    (pmd_trans_huge(pmde.v) || pmd_is_migration_entry(pmde.v) ||
			    pmd_is_device_private_entry(pmde.v))) {
				return not_modelled('page_vma_mapped_walk of a PMD-mapped THP or PMD entry');
			} else if (!pmd_present(pmde.v)) {
				step_forward(pvmw, PMD_SIZE);
				if (pvmw.address < end)
					continue;	/* the do-while's condition */
				return false;
			}
			if (!map_pte(pvmw, pmde, ptl)) {
				if (!pvmw.pte)
					continue;	/* goto restart */
				at = 'next_pte';
			} else {
				at = 'this_pte';
			}
		}
		if (at === 'this_pte') {
			if (check_pte(pvmw, 1))
				return true;
			at = 'next_pte';
		}
		/* next_pte: */
		let crossed = false;
		do {
			pvmw.address += PAGE_SIZE;
			if (pvmw.address >= end)
				return not_found(pvmw);
			/* Did we cross page table boundary? */
			if ((pvmw.address & (PMD_SIZE - PAGE_SIZE)) == 0) {
				if (pvmw.ptl) {
					spin_unlock(pvmw.ptl);
					pvmw.ptl = NULL;
				}
				pte_unmap(pvmw.pte);
				pvmw.pte = NULL;
				pvmw.flags |= PVMW_PGTABLE_CROSSED;
				crossed = true;	/* goto restart */
				break;
			}
			pvmw.pte = slot(pvmw.pte).ptr_add(1);
			if (!pvmw.ptl)
				pteval = ptep_get_lockless(pvmw.pte);
			else
				pteval = ptep_get(pvmw.pte);
		} while (pte_none(pteval));
		if (crossed) {
			at = 'restart';
			continue;
		}

		if (!pvmw.ptl) {
			spin_lock(ptl.v);
			if (unlikely(!pmd_same(pmde.v, pmdp_get_lockless(pvmw.pmd)))) {
				pte_unmap_unlock(pvmw.pte, ptl.v);
				pvmw.pte = NULL;
				at = 'restart';
				continue;
			}
			pvmw.ptl = ptl.v;
		}
		at = 'this_pte';
	}
}

/* IS_ENABLED() (folio_rmap.ts imports this file's types: a local copy keeps the modules acyclic at run time). */
function IS_ENABLED_(option: kconfig): bool {
	return option;
}

/* include/linux/rmap.h */
export function page_vma_mapped_walk_done(pvmw: ptr<struct_page_vma_mapped_walk>): void {
	/* HugeTLB pte is set to the relevant page table entry without pte_mapped. */
	if (pvmw.pte && !is_vm_hugetlb_page(pvmw.vma))
		pte_unmap(pvmw.pte);
	if (pvmw.ptl)
		spin_unlock(pvmw.ptl);
}

/**
 * page_vma_mapped_walk_restart - Restart the page table walk.  Ensures
 * that the PTL held during the previous walk is released and resets the
 * state to allow for a new walk starting at the current address stored
 * in pvmw->address.
 */
export function page_vma_mapped_walk_restart(pvmw: ptr<struct_page_vma_mapped_walk>): void {
	WARN_ON_ONCE(!pvmw.pmd && !pvmw.pte);

	if (pvmw.ptl)
		spin_unlock(pvmw.ptl);
	else
		WARN_ON_ONCE(1);

	pvmw.ptl = NULL;
	pvmw.pmd = NULL;
	pvmw.pte = NULL;
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

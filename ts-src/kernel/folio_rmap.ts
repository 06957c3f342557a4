/*
 * What the rmap add/remove paths of mm/rmap.c name beyond the folio itself
 * (include/linux/mm.h, page-flags.h, huge_mm.h, vmstat.h, mm/internal.h).
 * Folio sizes follow the model's folio_nr_pages(); the node's vmstat
 * counters are kept (one node), the mTHP counters are not modelled state
 * (their updates do nothing); what is
 * declared but has no Node implementation yet raises "not modelled: NAME"
 * when a run reaches it.
 */
import type { ptr, const_, bool, int, uint, long, ulong, pgoff_t, kconfig, lvalue } from './ctypes';
import { not_modelled, VM_WARN_ON_FOLIO } from './bug';
import type { pgtable_level } from './pagewalk';
import { PAGE_SHIFT, folio_pages, folio_test_swapcache, MM_ID_DUMMY, MM_ID_MIN } from './mm_types';
import { atomic_set, atomic_read } from './atomic';
import { VM_WARN_ON_ONCE } from './bug';
import { sched_point } from './sched';
import { NULL, array_place, addr } from './ctypes';
import { kernel_bug } from './sched';
import type { folio, vm_area_struct } from './mm_types';
import { page } from './mm_types';

/* include/linux/kconfig.h */
export function IS_ENABLED(option: kconfig): bool {
	return option;
}

/* include/linux/mm.h: VM_DROPPABLE (a high flag bit in the kernel; its value is not printed) */
export const VM_DROPPABLE = 0x40000000;

/* mm/internal.h */
export const ENTIRELY_MAPPED = 0x800000;
export const FOLIO_PAGES_MAPPED = ENTIRELY_MAPPED - 1;

/* include/linux/huge_mm.h */
export const HPAGE_PMD_ORDER = 9;
export const HPAGE_PMD_NR = 1 << HPAGE_PMD_ORDER;
export const HPAGE_PMD_SIZE = HPAGE_PMD_NR << PAGE_SHIFT;
/* PUD_SHIFT - PAGE_SHIFT on x86-64: a 1 GiB folio. */
export const HPAGE_PUD_ORDER = 18;
export const HPAGE_PUD_NR = 1 << HPAGE_PUD_ORDER;

export function folio_test_large(folio: ptr<const_<folio>>): bool {
	return folio.nr_pages > 1;
}

export function folio_large_nr_pages(folio: ptr<const_<folio>>): long {
	return folio.nr_pages;
}

export function folio_order(folio: ptr<const_<folio>>): uint {
	return Math.log2(folio.nr_pages);
}

export function folio_test_pmd_mappable(folio: ptr<const_<folio>>): bool {
	return folio_order(folio) >= HPAGE_PMD_ORDER;
}

/** The model has no hugetlb folios. */
export function folio_test_hugetlb(folio: ptr<const_<folio>>): bool {
	return folio.nr_pages < 0;
}

export function folio_test_swapbacked(folio: ptr<const_<folio>>): bool {
	return folio.swapbacked;
}

export function __folio_set_swapbacked(folio: ptr<folio>): void {
	folio.swapbacked = true;
}

/** The n-th page of a folio. */
export function folio_page(folio: ptr<folio>, n: ulong): ptr<page> {
	return folio_pages(folio)[n] as ptr<page>;
}

/* One past an array's end, per array: C may compute and compare it, never read it. */
const onePast = new WeakMap<object[], object>();

/**
 * p + n: pointer arithmetic within a folio's pages, or within an array of
 * structs (model_array(); a lone struct is an array of one).  One past the
 * last page is NULL, as nothing may read it; one past another array's
 * end is an object of its own, for comparisons (BUILD_BUG_ON()).
 * @ptradd
 */
export function ptr_add<T extends object>(p: ptr<T>, n: long): ptr<T> {
	/* A pointer that knows its own arithmetic: a pte_t * (pagewalk.ts's pte_slot) moves by pages. */
	const own = (p as unknown as { ptr_add?: (n: long) => ptr<T> }).ptr_add;
	if (typeof own === 'function')
		return own.call(p, n);
	if (!(p instanceof page)) {
		const { items, i } = array_place(p);
		if (i + n === items.length) {
			if (!onePast.has(items))
				onePast.set(items, Object.create(Object.getPrototypeOf(p)));
			return onePast.get(items) as ptr<T>;
		}
		if (i + n < 0 || i + n > items.length)
			return kernel_bug('bug', `pointer + ${n} outside its array`);
		return items[i + n] as ptr<T>;
	}
	return page_add(p, n) as unknown as ptr<T>;
}

/**
 * p[i]: the i-th struct of the array p points into, as a struct value
 * (C's lvalue: a member of it is reached with '.', struct_assign() stores
 * into it).  One past the end, or before the start, is a bug.
 * @subscript
 */
export function elem<T extends object>(p: ptr<T>, i: long): T {
	const { items, i: at } = array_place(p);
	if (at + i < 0 || at + i >= items.length)
		return kernel_bug('bug', `${p.constructor?.name ?? 'pointer'}[${i}] outside its array`);
	return items[at + i] as T;
}

/**
 * dst = src of a struct (C's struct assignment): every member copied,
 * an embedded struct member by value (as C copies it: the members a
 * fresh instance of the struct holds objects in are its embedded
 * structs), a pointer as the pointer, the model's own lists and sets as
 * copies.  src may be const (a compound literal's `(const struct T){ 0 }`).
 * @structassign
 */
export function struct_assign<T extends object>(dst: T, src: NoInfer<const_<T>>): void {
	const fresh = new (dst.constructor as new () => T)() as Record<string, unknown>;
	const d = dst as Record<string, unknown>;
	for (const [k, v] of Object.entries(src as object)) {
		if (fresh[k] !== null && typeof fresh[k] === 'object' && v !== null && typeof v === 'object' && !Array.isArray(v) &&
		    !(v instanceof Set) && !(v instanceof Map))
			struct_assign(d[k] as object, v as object);
		else
			d[k] = Array.isArray(v) ? [...v] : v instanceof Set ? new Set(v) : v instanceof Map ? new Map(v) : v;
	}
}

function page_add(p: page, n: long): ptr<page> {
	if (!p.owner) {
		if (n === 0)
			return p as ptr<page>;
		return not_modelled('pointer arithmetic on a page of no folio');
	}
	const pages = folio_pages(p.owner as ptr<folio>);
	const i = p.nr + n;

	if (i === pages.length)
		return NULL;
	if (i < 0 || i > pages.length)
		return kernel_bug('bug', `page + ${n} outside its folio`);
	return pages[i] as ptr<page>;
}

/**
 * p++ of a page pointer: ptr_inc(ref(page, (v) => page = v)) is page++.
 * @postinc
 */
export function ptr_inc<T extends object>(p: lvalue<ptr<T>>): ptr<T> {
	const old = p.deref;

	p.deref = ptr_add(old, 1);
	return old;
}

/**
 * p += n of a pointer: ptr_add_assign(addr_of(pvmw, 'pte'), nr - 1) is
 * pvmw.pte += nr - 1 (a statement of its own; ref(x, (v) => x = v) for a local).
 * @addassign
 */
export function ptr_add_assign<T extends object>(p: lvalue<ptr<T>>, n: long): void {
	p.deref = ptr_add(p.deref, n);
}

export function SetPageAnonExclusive(page: ptr<page>): void {
	page.anon_exclusive = true;
}

export function PageAnonExclusive(page: ptr<const_<page>>): bool {
	return page.anon_exclusive;
}

export function ClearPageAnonExclusive(page: ptr<page>): void {
	page.anon_exclusive = false;
}

/* include/linux/mm.h: a FOLL_PIN reference counts this much in a small folio's _refcount. */
export const GUP_PIN_COUNTING_BIAS = 1024;

/*
 * include/linux/mm.h: a small folio pinned by GUP (the harness's
 * gup_pin_write(): its pins raise _refcount by GUP_PIN_COUNTING_BIAS).  The
 * model pins no large folio (the kernel counts those in _pincount).
 */
export function folio_maybe_dma_pinned(folio: ptr<folio>): bool {
	if (folio_test_large(folio))
		return false;
	return atomic_read(addr(folio._refcount)) >= GUP_PIN_COUNTING_BIAS;
}

export function folio_needs_cow_for_dma(vma: ptr<vm_area_struct>, folio: ptr<folio>): bool {
	return false;
}

/*
 * include/linux/mm.h.  A plain load, no scheduling point: folio_mapped()
 * is one, after its read.  The model's folios have no page type in
 * _mapcount (page_mapcount_is_type() is never true).
 */
export function folio_mapcount(folio: ptr<const_<folio>>): int {
	if (!folio_test_large(folio))
		return folio._mapcount.counter + 1;
	return folio_large_mapcount(folio);
}

/* include/linux/mm.h: a plain load as well (atomic_read() is READ_ONCE()). */
export function folio_large_mapcount(folio: ptr<const_<folio>>): int {
	VM_WARN_ON_FOLIO(!folio_test_large(folio), folio);
	return folio._large_mapcount.counter + 1;
}

/* include/linux/pagemap.h */
export function linear_page_index(vma: ptr<const_<vm_area_struct>>, address: ulong): pgoff_t {
	return ((address - vma.vm_start) >> PAGE_SHIFT) + vma.vm_pgoff;
}

/* include/linux/huge_mm.h: enum mthp_stat_item */
export const MTHP_STAT_NR_ANON = 7;

export function mod_mthp_stat(order: int, item: int, delta: int): void {
	/* statistics only */
}

/* include/linux/mmzone.h: enum node_stat_item */
export const NR_FILE_MAPPED = 9;
export const NR_ANON_MAPPED = 10;
export const NR_SHMEM_PMDMAPPED = 30;
export const NR_FILE_PMDMAPPED = 31;
export const NR_ANON_THPS = 32;

/** @c struct pglist_data */
export class pglist_data {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_pglist_data: void;
	/** @model The node's vmstat counters (node_stat_item to value), what global_node_page_state() sums. */
	vm_stat = new Map<int, long>();
}

const node0 = new pglist_data();

export function folio_pgdat(folio: ptr<const_<folio>>): ptr<pglist_data> {
	return node0 as ptr<pglist_data>;
}

/*
 * The node's counters (the model has one node and no memcg, whose
 * per-lruvec copy lruvec_stat_mod_folio() also updates).  A per-CPU add
 * with interrupts off: one step that no other CPU's add can split, so no
 * scheduling point.  The invariants hold NR_ANON_MAPPED and NR_FILE_MAPPED
 * to the pages the page tables map.
 */
export function lruvec_stat_mod_folio(folio: ptr<folio>, idx: int, val: int): void {
	__mod_node_page_state(folio_pgdat(folio), idx, val);
}

export function __mod_node_page_state(pgdat: ptr<pglist_data>, item: int, delta: long): void {
	pgdat.vm_stat.set(item, (pgdat.vm_stat.get(item) ?? 0) + delta);
}

/* include/linux/vmstat.h (one node: its counter) */
export function global_node_page_state(item: int): ulong {
	return node0.vm_stat.get(item) ?? 0;
}

/* include/linux/build_bug.h: a switch default the compiler proves unreachable */
export function BUILD_BUG(): void {
	return not_modelled('BUILD_BUG');
}

/* include/linux/rmap.h */
export function __folio_rmap_sanity_checks(folio: ptr<const_<folio>>, page: ptr<const_<page>>, nr_pages: int,
		level: pgtable_level): void {
	VM_WARN_ON_FOLIO(nr_pages <= 0, folio);
}

export function folio_entire_mapcount(folio: ptr<const_<folio>>): int {
	return folio._entire_mapcount.counter + 1;
}

/*
 * include/linux/rmap.h, CONFIG_MM_ID (TRANSPARENT_HUGEPAGE selects it): the
 * large mapcount and the two per-MM slots that let
 * folio_maybe_mapped_shared() tell an exclusively mapped folio, updated
 * under the folio's bit spinlock (folio_lock_large_mapcount(): preemption
 * off, no other updater inside), so each operation is one step: a
 * scheduling point before it, none inside.  The lock bit itself is not
 * modelled: nothing else takes it.
 */
function folio_mm_id(folio: ptr<const_<folio>>, idx: int): int {
	return folio._mm_id[idx];
}

function folio_set_mm_id(folio: ptr<folio>, idx: int, id: int): void {
	folio._mm_id[idx] = id;
}

function __folio_large_mapcount_sanity_checks(folio: ptr<const_<folio>>, diff: int, mm_id: int): void {
	VM_WARN_ON_ONCE(!folio_test_large(folio) || folio_test_hugetlb(folio));
	VM_WARN_ON_ONCE(diff <= 0);
	VM_WARN_ON_ONCE(mm_id < MM_ID_MIN);
	VM_WARN_ON_ONCE(diff > folio_large_nr_pages(folio));
	VM_WARN_ON_ONCE(folio_mm_id(folio, 0) == MM_ID_DUMMY && folio._mm_id_mapcount[0] != -1);
	VM_WARN_ON_ONCE(folio_mm_id(folio, 0) != MM_ID_DUMMY && folio._mm_id_mapcount[0] < 0);
	VM_WARN_ON_ONCE(folio_mm_id(folio, 1) == MM_ID_DUMMY && folio._mm_id_mapcount[1] != -1);
	VM_WARN_ON_ONCE(folio_mm_id(folio, 1) != MM_ID_DUMMY && folio._mm_id_mapcount[1] < 0);
	/* !folio_mapped(), without its scheduling point: the bit lock is held. */
	VM_WARN_ON_ONCE(folio_mapcount(folio) < 1 && folio._mm_ids_shared);
}

export function folio_set_large_mapcount(folio: ptr<folio>, mapcount: int, vma: ptr<vm_area_struct>): void {
	__folio_large_mapcount_sanity_checks(folio, mapcount, vma.vm_mm.mm_id);

	VM_WARN_ON_ONCE(folio_mm_id(folio, 0) != MM_ID_DUMMY);
	VM_WARN_ON_ONCE(folio_mm_id(folio, 1) != MM_ID_DUMMY);

	/* Note: mapcounts start at -1. */
	atomic_set(addr(folio._large_mapcount), mapcount - 1);
	folio._mm_id_mapcount[0] = mapcount - 1;
	folio_set_mm_id(folio, 0, vma.vm_mm.mm_id);
}

export function folio_add_return_large_mapcount(folio: ptr<folio>, diff: int, vma: ptr<vm_area_struct>): int {
	const mm_id: int = vma.vm_mm.mm_id;

	sched_point('folio_lock_large_mapcount', folio);
	__folio_large_mapcount_sanity_checks(folio, diff, mm_id);

	const new_mapcount_val: int = folio._large_mapcount.counter + diff;
	folio._large_mapcount.counter = new_mapcount_val;

	/* 64-bit: a per-MM mapcount cannot overflow. */
	if (folio_mm_id(folio, 0) == mm_id) {
		folio._mm_id_mapcount[0] += diff;
	} else if (folio_mm_id(folio, 1) == mm_id) {
		folio._mm_id_mapcount[1] += diff;
	} else if (folio_mm_id(folio, 0) == MM_ID_DUMMY) {
		folio_set_mm_id(folio, 0, mm_id);
		folio._mm_id_mapcount[0] = diff - 1;
		/* We might have other mappings already. */
		if (new_mapcount_val != diff - 1)
			folio._mm_ids_shared = true;
	} else if (folio_mm_id(folio, 1) == MM_ID_DUMMY) {
		folio_set_mm_id(folio, 1, mm_id);
		folio._mm_id_mapcount[1] = diff - 1;
		/* Slot 0 certainly has mappings as well. */
		folio._mm_ids_shared = true;
	}
	return new_mapcount_val + 1;
}

export function folio_sub_return_large_mapcount(folio: ptr<folio>, diff: int, vma: ptr<vm_area_struct>): int {
	const mm_id: int = vma.vm_mm.mm_id;

	sched_point('folio_lock_large_mapcount', folio);
	__folio_large_mapcount_sanity_checks(folio, diff, mm_id);

	const new_mapcount_val: int = folio._large_mapcount.counter - diff;
	folio._large_mapcount.counter = new_mapcount_val;

	/*
	 * There are valid corner cases where we might underflow a per-MM
	 * mapcount, so it is set to -1 (the slot freed) once it goes negative.
	 */
	for (let i = 0; i < 2; i++) {
		if (folio_mm_id(folio, i) != mm_id)
			continue;
		folio._mm_id_mapcount[i] -= diff;
		if (folio._mm_id_mapcount[i] >= 0)
			return new_mapcount_val + 1;
		folio._mm_id_mapcount[i] = -1;
		folio_set_mm_id(folio, i, MM_ID_DUMMY);
		break;
	}
	/* If one MM slot owns all mappings, the folio is mapped exclusively (unmapped: both slots free). */
	if (folio._mm_id_mapcount[0] == new_mapcount_val ||
	    folio._mm_id_mapcount[1] == new_mapcount_val)
		folio._mm_ids_shared = false;
	return new_mapcount_val + 1;
}

/* The kernel's #defines: folio_add_large_mapcount is folio_add_return_large_mapcount, and so on. */
export function folio_add_large_mapcount(folio: ptr<folio>, diff: int, vma: ptr<vm_area_struct>): void {
	folio_add_return_large_mapcount(folio, diff, vma);
}

export function folio_sub_large_mapcount(folio: ptr<folio>, diff: int, vma: ptr<vm_area_struct>): void {
	folio_sub_return_large_mapcount(folio, diff, vma);
}

export function folio_inc_large_mapcount(folio: ptr<folio>, vma: ptr<vm_area_struct>): void {
	folio_add_return_large_mapcount(folio, 1, vma);
}

export function folio_dec_large_mapcount(folio: ptr<folio>, vma: ptr<vm_area_struct>): void {
	folio_sub_return_large_mapcount(folio, 1, vma);
}

export function folio_inc_return_large_mapcount(folio: ptr<folio>, vma: ptr<vm_area_struct>): int {
	return folio_add_return_large_mapcount(folio, 1, vma);
}

export function folio_dec_return_large_mapcount(folio: ptr<folio>, vma: ptr<vm_area_struct>): int {
	return folio_sub_return_large_mapcount(folio, 1, vma);
}

/* include/linux/mm.h: folio_maybe_mapped_shared() for a large folio (CONFIG_MM_ID). */
export function folio_maybe_mapped_shared_large(folio: ptr<folio>): bool {
	return folio._mm_ids_shared;
}

/* mm/internal.h: mlock only matters for a VM_LOCKED vma, which the model has not */
export const VM_LOCKED = 0x2000;

export function mlock_vma_folio(folio: ptr<folio>, vma: ptr<vm_area_struct>): void {
	if (vma.vm_flags & VM_LOCKED)
		return not_modelled('mlock_folio');
}

export function munlock_vma_folio(folio: ptr<folio>, vma: ptr<vm_area_struct>): void {
	if (vma.vm_flags & VM_LOCKED)
		return not_modelled('munlock_folio');
}

/* include/linux/page-flags.h: PG_partially_mapped, a plain test of the folio's second page's flags */
export function folio_test_partially_mapped(folio: ptr<const_<folio>>): bool {
	return folio.partially_mapped;
}

export function folio_is_device_private(folio: ptr<const_<folio>>): bool {
	return false;
}

/*
 * mm/huge_memory.c: queue the folio for the deferred split shrinker.  The
 * queue's list_lru lock is one step (the shrinker, which would split the
 * folio, is not modelled); what the model keeps is the queueing and
 * PG_partially_mapped, which the invariants hold the page tables to.
 */
export function deferred_split_folio(folio: ptr<folio>, partially_mapped: bool): void {
	/* Order 1 folios have no space for a deferred list. */
	if (folio_order(folio) <= 1)
		return;
	/* split_underused_thp: the model never queues a folio that is not partially mapped. */
	if (!partially_mapped)
		return not_modelled('deferred_split_folio of a folio that is not partially mapped');
	if (folio_test_swapcache(folio))
		return;
	sched_point('deferred_split_folio: list_lru_lock_irqsave', folio);
	if (!folio_test_partially_mapped(folio))
		folio.partially_mapped = true;
	folio.deferred_split = true;
}

/* include/linux/huge_mm.h: splitting a large folio (KSM merges small ones) is not modelled. */
export function split_huge_page(_page: ptr<page>): int {
	return not_modelled('split_huge_page');
}

/* include/linux/mmdebug.h */
export function VM_BUG_ON_PAGE(cond: unknown, _page: ptr<const_<page>>): void {
	if (cond)
		kernel_bug('bug', 'VM_BUG_ON_PAGE');
}

/* include/linux/pagemap.h: the file offset of a folio's page */
export function page_pgoff(folio: ptr<const_<folio>>, page: ptr<const_<page>>): pgoff_t {
	return folio.index + page.nr;
}

/* ptr_add() and ptr_inc() under a second name, as addr_ (ctypes.ts). */
export { ptr_add as ptr_add_, ptr_inc as ptr_inc_ };

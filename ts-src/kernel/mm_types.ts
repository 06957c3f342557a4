/*
 * include/linux/mm_types.h, mm.h, pagemap.h, page-flags.h, fs.h and the
 * mm/util.c, mm/vma.c and mm/internal.h helpers rmap.c calls: the VMA, the
 * mm, the folio and the file mapping, with just enough of each for rmap.
 *
 * Page tables are a map from address to PTE per mm: enough to check that an
 * rmap walk finds every mapping of a folio and that no migration entry is
 * left behind.
 */
import { sched_point, sched_wait, kernel_bug } from './sched';
import { cast, addr, NULL } from './ctypes';
import type { ptr, const_, ulong, pgoff_t, long, bool, int, kconfig } from './ctypes';
import { list_head } from './list';
import { might_sleep, rw_semaphore, spinlock_t, down_read_trylock, down_read, up_read, down_write, up_write, lockdep_assert_held, lockdep_assert_held_write,
	lockdep_is_held, lockdep_is_held_type } from './locking';
import { guarded_by, guard_rule, lockset_proxy, member_at } from './lockset';
import { rb_node, rb_root_cached } from './interval_tree';
import type { anon_vma, rmap_walk_control } from './rmap_types';
import { EFAULT } from './slab';
import { atomic_long_t, atomic_t, atomic_inc_not_zero, atomic_read, atomic_inc, atomic_dec_and_test } from './atomic';
import { mo_sync } from './memory_order';
import { folio_mapcount } from './folio_rmap';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/* ~(PAGE_SIZE - 1): the model's addresses stay below 2^31, where JavaScript's & is C's. */
export const PAGE_MASK = ~(PAGE_SIZE - 1);

/* include/linux/mm.h: ALIGN_DOWN(addr, PAGE_SIZE). */
export function PAGE_ALIGN_DOWN(a: ulong): ulong {
	return a & PAGE_MASK;
}

/* include/linux/page-flags.h */
export const FOLIO_MAPPING_ANON = 0x1;
export const FOLIO_MAPPING_ANON_KSM = 0x2;
export const FOLIO_MAPPING_KSM = FOLIO_MAPPING_ANON | FOLIO_MAPPING_ANON_KSM;
export const FOLIO_MAPPING_FLAGS = FOLIO_MAPPING_ANON | FOLIO_MAPPING_ANON_KSM;

export const VM_READ = 0x1;
export const VM_WRITE = 0x2;
export const VM_SHARED = 0x8;
/* madvise(MADV_MERGEABLE): KSM may merge the VMA's pages (BIT(31)). */
export const VM_MERGEABLE = 0x80000000;

/**
 * A page table entry: the folio mapped here, or a migration entry for it
 * (writable, readable-exclusive or readable: try_to_migrate_one() keeps
 * what the PTE was, remove_migration_pte() restores it).
 * @c pte_t
 */
export interface pte_t {
	folio: ptr<folio>;
	migration: boolean;
	write: boolean;
	/** @model Which page of the folio: folio_page(folio, nr); absent, the first (a small folio's only page). */
	nr?: number;
	/** A readable-exclusive migration entry (a read-only PTE of a PageAnonExclusive page), or pte_swp_exclusive(). */
	exclusive?: boolean;
	/** @model A swap entry (swap.ts): not present, it names the swap cache's folio and page. */
	swap?: boolean;
	/**
	 * pte_dirty(): the CPU sets it on a store through the PTE (the
	 * harness's user_write()); MADV_FREE cleans it, and reclaim reads it
	 * as it clears the PTE.  On a migration entry, make_migration_entry_dirty().
	 */
	dirty?: boolean;
}

/** @c struct address_space */
export class address_space {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_address_space: void;
	i_mmap = new rb_root_cached();
	i_mmap_rwsem = new rw_semaphore('&mapping->i_mmap_rwsem');
}

/** @c struct file */
export class file {
	/** C structs are nominal: a file is no address_space even where the fields match. */
	declare private readonly __struct_file: void;
	f_mapping: ptr<address_space> = null as never;
}

/* include/linux/mm_types.h: CONFIG_MM_ID */
export const MM_ID_DUMMY = 0;
export const MM_ID_MIN = MM_ID_DUMMY + 1;
/* mm_alloc_id()'s IDA, per world: ids are never reused (the model frees no mm_struct). */
let next_mm_id = MM_ID_MIN;

/** @c struct mm_struct */
export class mm_struct {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_mm_struct: void;
	mmap_lock = new rw_semaphore('&mm->mmap_lock');
	page_table_lock = new spinlock_t('&mm->page_table_lock');
	/** @model The VMAs in address order (the maple tree, for the model). */
	vmas: ptr<vm_area_struct>[] = [];
	/** @model Page tables: virtual page address to PTE. */
	ptes = new Map<number, pte_t>();
	/* Read by mm/ksm.c's TypeScript (ksm_test_exit(), free_rmap_item()); a live mm has a user. */
	mm_users = Object.assign(new atomic_t(), { counter: 1 });
	ksm_rmap_items: ulong = 0;
	/* KSM's per-mm counters (mm_types.h): pages merged into KSM pages, and zero pages. */
	ksm_merging_pages: ulong = 0;
	ksm_zero_pages = new atomic_long_t();
	/* mmgrab()'s count of references to the struct itself (mm_users counts the address space's users). */
	mm_count = Object.assign(new atomic_t(), { counter: 1 });
	/* inc_tlb_flush_pending()'s count of PTE changes whose TLB flush is still to come (tlb.ts). */
	tlb_flush_pending = new atomic_t();
	/* Reclaim's batched-flush generations (rmap.c's set_tlb_ubc_flush_pending()/flush_tlb_batched_pending()). */
	tlb_flush_batched = new atomic_t();
	/** @model mm->flags: the MMF_* bits set. */
	mmf = new Set<int>();
	/** CONFIG_MM_ID: mm_alloc_id() at mm_init(), never MM_ID_DUMMY. */
	mm_id: int = next_mm_id++;
	/* On init_mm's list, under mmlist_lock, once the mm has a swap entry (try_to_unmap_one()). */
	mmlist = new list_head(this);
	/**
	 * @model mm->rss_stat[NR_MM_COUNTERS] (percpu counters: no update is
	 * lost): MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES, as
	 * add_mm_counter() and the harness's page-table changes keep them.
	 */
	rss_stat: long[] = [0, 0, 0, 0];
	constructor(/** @model */ public name = 'mm') {
		/* A list_add()/list_del() of mmlist is checked against its rule (swap.ts: mmlist_lock). */
		member_at(this.mmlist, this, 'mmlist');
	}
}

/** @c struct vm_area_struct */
export class vm_area_struct {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_vm_area_struct: void;
	vm_start: ulong = 0;
	vm_end: ulong = 0;
	vm_mm: ptr<mm_struct> = null as never;
	vm_flags: ulong = VM_READ | VM_WRITE;
	/* The protection a new PTE of the VMA gets (mk_pte()): the model's PTEs keep only their write bit. */
	vm_page_prot: ulong = 0;
	vm_pgoff: pgoff_t = 0;
	vm_file: ptr<file> = null as never;
	shared = { rb: new rb_node(this) };
	anon_vma_chain = new list_head(this);
	anon_vma: ptr<anon_vma> = null as never;
	/*
	 * vm_refcnt (CONFIG_PER_VMA_LOCK): non-zero while the VMA is in its
	 * mm's tree (vma_mark_attached()/vma_mark_detached()).
	 */
	vm_refcnt = 0;
	/*
	 * The union's other view of vm_flags: the VMA flag bitmap (7.2's
	 * vma_flags_t).  Read, it is a copy, as C's struct value is.
	 */
	get flags(): vma_flags_t {
		return mk_vma_flags_of(this.vm_flags);
	}
}

/**
 * include/linux/mm_types.h: the VMA flags as a bitmap of bit numbers
 * (VMA_*_BIT), passed by value.  The model keeps the set bits.
 * @c vma_flags_t
 */
export class vma_flags_t {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_vma_flags_t: void;
	/** @model The bits set. */
	bits = new Set<int>();
}

function mk_vma_flags_of(vm_flags: ulong): vma_flags_t {
	const f = new vma_flags_t();

	for (let bit = 0; bit < 32; bit++)
		if ((vm_flags >>> bit) & 1)
			f.bits.add(bit);
	return f;
}

/* include/linux/mm.h's VMA flag bits; VM_SAO and VM_SPARC_ADI (powerpc, sparc) are not defined on x86. */
export const VMA_SHARED_BIT = 3;
export const VMA_MAYSHARE_BIT = 7;
export const VMA_PFNMAP_BIT = 10;
export const VMA_IO_BIT = 14;
export const VMA_DONTEXPAND_BIT = 18;
export const VMA_HUGETLB_BIT = 22;
export const VMA_MIXEDMAP_BIT = 28;
export const VMA_MERGEABLE_BIT = 31;
export const VMA_DROPPABLE_BIT = 40;
export const VMA_SAO_BIT = -1;
export const VMA_SPARC_ADI_BIT = -1;
export const VM_SAO: kconfig = false;
export const VM_SPARC_ADI: kconfig = false;

function mk_vma_flags(...bits: int[]): vma_flags_t {
	const f = new vma_flags_t();

	bits.forEach((b) => f.bits.add(b));
	return f;
}

/* mk_vma_flags() masks: VMA_DROPPABLE (64-bit), VMA_SPECIAL_FLAGS. */
export const VMA_DROPPABLE: vma_flags_t = mk_vma_flags(VMA_DROPPABLE_BIT);
export const VMA_SPECIAL_FLAGS: vma_flags_t = mk_vma_flags(VMA_IO_BIT, VMA_DONTEXPAND_BIT, VMA_PFNMAP_BIT, VMA_MIXEDMAP_BIT);

export function vma_flags_test(flags: ptr<const_<vma_flags_t>>, bit: int): bool {
	return flags.bits.has(bit);
}

/* vma_flags_test_any(flags, ...): any of the bits named. */
export function vma_flags_test_any(flags: ptr<const_<vma_flags_t>>, ...bits: int[]): bool {
	return bits.some((b) => flags.bits.has(b));
}

export function vma_flags_test_any_mask(flags: ptr<const_<vma_flags_t>>, mask: vma_flags_t): bool {
	return [...mask.bits].some((b) => flags.bits.has(b));
}

/* A mask of one bit (or none: EMPTY_VMA_FLAGS tests false). */
export function vma_flags_test_single_mask(flags: ptr<const_<vma_flags_t>>, mask: vma_flags_t): bool {
	return vma_flags_test_any_mask(flags, mask);
}

export function vma_flags_set(flags: ptr<vma_flags_t>, bit: int): void {
	flags.bits.add(bit);
}

/* include/linux/fs.h: no file of the model is on a DAX device. */
export function file_is_dax(_file: ptr<const_<file>>): bool {
	return false;
}

/*
 * vma->anon_vma ("Serialized by page_table_lock") and vma->anon_vma_chain
 * ("Serialized by mmap_lock & page_table_lock"): __anon_vma_prepare()
 * publishes under mmap_lock for read plus page_table_lock; every other
 * writer holds mmap_lock for write, which excludes the faulters.  A VMA
 * not in its mm's tree (fork's copy before it is linked) is private.
 */
export const vma_guard: guard_rule = {
	lock: 'mmap_lock held for write, or mmap_lock and page_table_lock',
	held: (vma) => lockdep_is_held_type(vma.vm_mm.mmap_lock, 0) ||
		(lockdep_is_held(vma.vm_mm.mmap_lock) && lockdep_is_held(vma.vm_mm.page_table_lock)),
	private: (vma) => !vma_is_attached(vma),
};
guarded_by(vm_area_struct, 'anon_vma', vma_guard);
guarded_by(vm_area_struct, 'anon_vma_chain', vma_guard);

/** mm/vma_init.c: a new VMA of mm (the lockset checks every store to it). */
export function vm_area_alloc(mm: ptr<mm_struct>): ptr<vm_area_struct> {
	const vma = lockset_proxy(new vm_area_struct() as ptr<vm_area_struct>, (v) => !!vma_is_attached(v));

	vma.vm_mm = mm;
	return vma;
}

/* mm/internal.h: operations which modify VMAs. */
/** @c enum vma_operation */
export enum vma_operation {
	VMA_OP_SPLIT,
	VMA_OP_MERGE_UNFAULTED,
	VMA_OP_REMAP,
	VMA_OP_FORK,
}
/* C enumerators are plain identifiers: the model names them as C does. */
export const VMA_OP_SPLIT = vma_operation.VMA_OP_SPLIT;
export const VMA_OP_MERGE_UNFAULTED = vma_operation.VMA_OP_MERGE_UNFAULTED;
export const VMA_OP_REMAP = vma_operation.VMA_OP_REMAP;
export const VMA_OP_FORK = vma_operation.VMA_OP_FORK;

/** @c struct page */
export class page {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_page: void;
	/** Starts at -1, as in the kernel (page_mapcount_reset()). */
	_mapcount: atomic_t = atomic_minus_one();
	/** @model PageAnonExclusive() */
	anon_exclusive = false;
	/** @model The folio this page belongs to (NULL: a page of no folio), and its place there. */
	owner: folio | null = null;
	/** @model */
	nr = 0;
}

/**
 * The folio's pages, made on first use: the first is folio->page, the
 * others follow it, so that page + i and page++ walk them as in C.
 */
export function folio_pages(folio: ptr<folio>): page[] {
	if (!folio.pages) {
		folio.page.owner = folio;
		folio.pages = [folio.page];
		for (let i = 1; i < folio.nr_pages; i++) {
			const p = new page();

			p.owner = folio;
			p.nr = i;
			folio.pages.push(p);
		}
	}
	return folio.pages;
}

function first_page(folio: folio): page {
	const p = new page();

	p.owner = folio;
	return p;
}

/*
 * mm/util.c memcmp_pages(): the pages' contents compared, < 0, 0 or > 0 as
 * memcmp().  The model's contents are the folio's data, one value per
 * folio (KSM merges small folios; user_write() stores it); a folio's
 * other pages read as its first.  No scheduling point: ksmd compares
 * write-protected KSM pages, whose contents cannot change under it.
 */
export function memcmp_pages(page1: ptr<page>, page2: ptr<page>): int {
	if (!page1.owner || !page2.owner)
		return kernel_bug('bug', 'memcmp_pages() of a page of no folio');
	const a = page1.owner.data;
	const b = page2.owner.data;
	return a < b ? -1 : a > b ? 1 : 0;
}

/* include/linux/mm.h: mm/util.c's comparison as a truth value (KSM's merge compares with it). */
export function pages_identical(page1: ptr<page>, page2: ptr<page>): bool {
	return !memcmp_pages(page1, page2);
}

/* include/linux/page-flags.h: the folio a page is part of. */
export function page_folio(page: ptr<page>): ptr<folio> {
	if (!page.owner)
		return kernel_bug('bug', 'page_folio() of a page of no folio');
	return page.owner as ptr<folio>;
}

function atomic_minus_one(): atomic_t {
	const a = new atomic_t();

	a.counter = -1;
	return a;
}

/** @c struct folio */
export class folio {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_folio: void;
	/** An address_space, or (unsigned long)anon_vma | FOLIO_MAPPING_ANON. */
	mapping: ptr<address_space> = null as never;
	index: pgoff_t = 0;
	/** @model folio_nr_pages() */
	nr_pages = 1;
	/** @model folio_test_locked() */
	locked = false;
	/** @model folio_test_swapcache() */
	swapcache = false;
	/** The kernel's reference count: a folio in use holds one. */
	_refcount: atomic_t = Object.assign(new atomic_t(), { counter: 1 });
	/** @model Freed by the last folio_put(). */
	freed = false;
	/** @model folio_test_swapbacked() */
	swapbacked = false;
	/** @model folio_test_dirty(): folio_mark_dirty() sets it, MADV_FREE clears it. */
	dirty = false;
	/** @model The stand-in for the page contents. */
	data = 0;
	/*
	 * The kernel's mapcounts, as folio_add_new_anon_rmap() and the other
	 * rmap paths write them (the checker's harness maps and unmaps
	 * through those paths).
	 */
	/** The first page, embedded (it knows its folio from the start: memcmp_pages()). */
	page: page = first_page(this);
	_mapcount: atomic_t = atomic_minus_one();
	_entire_mapcount: atomic_t = atomic_minus_one();
	_nr_pages_mapped: atomic_t = new atomic_t();
	/* A large folio's mapcount (CONFIG_MM_ID: and which two MMs map it, folio_rmap.ts). */
	_large_mapcount: atomic_t = atomic_minus_one();
	_mm_id: int[] = [MM_ID_DUMMY, MM_ID_DUMMY];
	_mm_id_mapcount: int[] = [-1, -1];
	/** @model FOLIO_MM_IDS_SHARED_BIT of folio->_mm_ids (bit 63: beyond a JS bit operation) */
	_mm_ids_shared = false;
	/** @model folio_test_partially_mapped() */
	partially_mapped = false;
	/** @model On the deferred split queue (deferred_split_folio()). */
	deferred_split = false;
	/** @model folio_pages() */
	pages: page[] | null = null;
}

/* include/linux/mm.h: the VMA that contains addr, or NULL (the maple tree's lookup; mmap_lock held). */
export function vma_lookup(mm: ptr<mm_struct>, addr: ulong): ptr<vm_area_struct> {
	for (const vma of mm.vmas)
		if (vma.vm_start <= addr && addr < vma.vm_end)
			return vma;
	return NULL;
}

export function vma_pages(vma: ptr<vm_area_struct>): ulong {
	return (vma.vm_end - vma.vm_start) >> PAGE_SHIFT;
}

export function mmap_assert_locked(mm: ptr<mm_struct>): void {
	lockdep_assert_held(mm.mmap_lock);
}

/*
 * include/linux/mm_types.h, mm.h: the iterator over an mm's VMAs (the
 * maple tree's, mm->vmas in the model), from an address up.
 */
/** @c struct vma_iterator */
export class vma_iterator {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_vma_iterator: void;
	/** @model The mm whose tree the iterator's maple state walks. */
	mm: ptr<mm_struct> = null as never;
	/** @model The address the next search starts from. */
	index: ulong = 0;
}

/**
 * VMA_ITERATOR(name, mm, addr): the model writes
 * `let vmi: vma_iterator = VMA_ITERATOR(mm, addr);`.
 * @define
 */
export function VMA_ITERATOR(mm: ptr<mm_struct>, address: ulong): vma_iterator {
	const vmi = new vma_iterator();

	vmi_init(vmi as ptr<vma_iterator>, mm, address);
	return vmi;
}

function vmi_init(vmi: ptr<vma_iterator>, mm: ptr<mm_struct>, address: ulong): void {
	vmi.mm = mm;
	vmi.index = address;
}

export function vma_iter_init(vmi: ptr<vma_iterator>, mm: ptr<mm_struct>, address: ulong): void {
	vmi_init(vmi, mm, address);
}

/**
 * for_each_vma(vmi, vma): each VMA that ends above the iterator's
 * address, in address order; the model writes `for (vma of
 * for_each_vma(vmi))`.  The walk needs the mmap_lock (vma_next()'s
 * maple-tree lockdep check); each step is a scheduling point, and the next
 * VMA is looked up after the body, as vma_next() does, so one unmapped
 * meanwhile is not visited.
 * @cursorlast
 */
export function* for_each_vma(vmi: vma_iterator): Iterable<ptr<vm_area_struct>> {
	for (;;) {
		sched_point('for_each_vma', vmi.mm);
		mmap_assert_locked(vmi.mm);
		const vma = vmi.mm.vmas.find((v) => v.vm_end > vmi.index);
		if (!vma)
			return;
		vmi.index = vma.vm_end;
		yield vma;
	}
}

/*
 * include/linux/mm.h: a VMA's flags change under the mmap_lock held for
 * write (vma_start_write()'s assertion).  The model's flags fit in 32 bits
 * (VM_MERGEABLE is bit 31): >>> 0 keeps them unsigned, as C's are.
 */
export function vm_flags_set(vma: ptr<vm_area_struct>, flags: ulong): void {
	mmap_assert_write_locked(vma.vm_mm);
	sched_point('vm_flags_set', vma);
	vma.vm_flags = (vma.vm_flags | flags) >>> 0;
}

export function vm_flags_clear(vma: ptr<vm_area_struct>, flags: ulong): void {
	mmap_assert_write_locked(vma.vm_mm);
	sched_point('vm_flags_clear', vma);
	vma.vm_flags = (vma.vm_flags & ~flags) >>> 0;
}

/* include/linux/mmap_lock.h */
export function mmap_assert_write_locked(mm: ptr<mm_struct>): void {
	lockdep_assert_held_write(addr(mm.mmap_lock));
}

export function vma_is_attached(vma: ptr<vm_area_struct>): bool {
	return vma.vm_refcnt !== 0;
}

export function vma_mark_attached(vma: ptr<vm_area_struct>): void {
	vma.vm_refcnt = 1;
}

export function vma_mark_detached(vma: ptr<vm_area_struct>): void {
	vma.vm_refcnt = 0;
}

/*
 * The load is the atomic step; the caller decides on a value another CPU
 * may change right after it, which is the window the kernel's comments
 * about folio_mapped() are about: the scheduling point is after the read.
 */
export function folio_mapped(folio: ptr<const_<folio>>): bool {
	let mapped: bool = folio_mapcount(folio) >= 1;

	sched_point('folio_mapped', folio);
	return mapped;
}

export function folio_test_anon(folio: ptr<const_<folio>>): bool {
	return (cast<ulong>(folio.mapping) & FOLIO_MAPPING_ANON) !== 0;
}

/* include/linux/page-flags.h: a KSM folio's mapping is its stable node | FOLIO_MAPPING_KSM. */
export function folio_test_ksm(folio: ptr<const_<folio>>): bool {
	return (cast<ulong>(folio.mapping) & FOLIO_MAPPING_FLAGS) === FOLIO_MAPPING_KSM;
}

/*
 * A bool, which C converts to int where an int holds it
 * (write_protect_page()'s "int swapped = folio_test_swapcache(folio)",
 * then added to a count): R is what the caller's place asks for, and the
 * value is 0 or 1 as C's would be.
 */
export function folio_test_swapcache<R extends bool = bool>(folio: ptr<const_<folio>>): R {
	return (folio.swapcache ? 1 : 0) as R;
}

/*
 * include/linux/mm.h's folio references.  folio_try_get() fails on a
 * folio whose count is 0 (free, or frozen by page_ref_freeze()).
 */
export function folio_try_get(folio: ptr<folio>): bool {
	return atomic_inc_not_zero(addr(folio._refcount));
}

export function folio_get(folio: ptr<folio>): void {
	if (atomic_read(addr(folio._refcount)) <= 0)
		kernel_bug('bug', 'folio_get of a folio with no reference (VM_BUG_ON_FOLIO)');
	atomic_inc(addr(folio._refcount));
}

/* The last reference frees the folio: free_pages_prepare() resets an anon folio's mapping to NULL. */
export function folio_put(folio: ptr<folio>): void {
	if (atomic_read(addr(folio._refcount)) <= 0)
		kernel_bug('bug', 'folio_put of a folio with no reference');
	if (atomic_dec_and_test(addr(folio._refcount))) {
		folio.mapping = NULL;
		folio.freed = true;
	}
}

export function folio_ref_count(folio: ptr<const_<folio>>): int {
	return folio._refcount.counter;
}

/* include/linux/pagemap.h: the folio lock, a sleeping bit lock (PG_locked). */
export function folio_lock(folio: ptr<folio>): void {
	might_sleep();
	sched_point('folio_lock', folio);
	sched_wait('folio_lock', () => !folio.locked);
	folio.locked = true;
	mo_sync();
}

export function folio_trylock(folio: ptr<folio>): bool {
	sched_point('folio_trylock', folio);
	if (folio.locked)
		return false;
	folio.locked = true;
	mo_sync();
	return true;
}

export function folio_unlock(folio: ptr<folio>): void {
	if (!folio.locked)
		kernel_bug('bug', 'folio_unlock of an unlocked folio (VM_BUG_ON_FOLIO)');
	mo_sync();
	folio.locked = false;
	sched_point('folio_unlock', folio);
}

/*
 * Page frame numbers: a folio gets one on first use, and pfn_folio() finds
 * the folio again, as the memmap does (a freed folio's pfn still names it).
 */
const PFN_BASE = 0x1000;
let nextPfn = PFN_BASE;
const pfnOf = new WeakMap<object, ulong>();
const folioAt = new Map<ulong, folio>();

export function folio_pfn(folio: ptr<folio>): ulong {
	let pfn = pfnOf.get(folio);
	if (pfn === undefined) {
		pfn = nextPfn;
		nextPfn += 1 << 9;
		pfnOf.set(folio, pfn);
		folioAt.set(pfn, folio);
	}
	return pfn;
}

export function pfn_folio(pfn: ulong): ptr<folio> {
	const f = folioAt.get(pfn);
	if (!f)
		return kernel_bug('bug', `pfn_folio(${pfn}): no folio has this pfn`);
	return f as ptr<folio>;
}

/** include/linux/page-flags.h: folio->mapping without its flag bits. */
export function folio_raw_mapping(folio: ptr<const_<folio>>): ptr<void> {
	const mapping = cast<ulong>(folio.mapping);

	return cast<ptr<void>>(mapping & ~FOLIO_MAPPING_FLAGS);
}

export function folio_test_locked(folio: ptr<const_<folio>>): bool {
	return folio.locked;
}

export function folio_pgoff(folio: ptr<const_<folio>>): pgoff_t {
	return folio.index;
}

export function folio_nr_pages(folio: ptr<const_<folio>>): long {
	return folio.nr_pages;
}

/** mm/util.c: the anon_vma of an anon folio, without any locking. */
export function folio_anon_vma(folio: ptr<const_<folio>>): ptr<anon_vma> {
	const mapping = cast<ulong>(folio.mapping);

	if ((mapping & FOLIO_MAPPING_FLAGS) !== FOLIO_MAPPING_ANON)
		return null as never;
	return cast<ptr<anon_vma>>(mapping - FOLIO_MAPPING_ANON);
}

/** mm/util.c: the file mapping of a folio; NULL for anon folios. */
export function folio_mapping(folio: ptr<const_<folio>>): ptr<address_space> {
	const mapping = cast<ulong>(folio.mapping);

	if (mapping & FOLIO_MAPPING_ANON)
		return null as never;
	return folio.mapping;
}

/** mm/internal.h: the address of pgoff in vma, or -EFAULT. */
export function vma_address(vma: ptr<const_<vm_area_struct>>, pgoff: pgoff_t, nr_pages: ulong): ulong {
	let address: ulong;

	if (pgoff >= vma.vm_pgoff) {
		address = vma.vm_start + ((pgoff - vma.vm_pgoff) << PAGE_SHIFT);
		if (address < vma.vm_start || address >= vma.vm_end)
			address = -EFAULT;
	} else if (pgoff + nr_pages - 1 >= vma.vm_pgoff) {
		address = vma.vm_start;
	} else {
		address = -EFAULT;
	}
	return address;
}

function anon_vma_compatible(a: ptr<vm_area_struct>, b: ptr<vm_area_struct>): boolean {
	return a.vm_end === b.vm_start && a.vm_file === b.vm_file &&
		!((a.vm_flags ^ b.vm_flags) & ~(VM_READ | VM_WRITE)) &&
		b.vm_pgoff === a.vm_pgoff + ((b.vm_start - a.vm_start) >> PAGE_SHIFT);
}

function reusable_anon_vma(old: ptr<vm_area_struct>, a: ptr<vm_area_struct>,
		b: ptr<vm_area_struct>): ptr<anon_vma> {
	if (anon_vma_compatible(a, b)) {
		sched_point('READ_ONCE', old);
		const av = old.anon_vma;
		const chain = old.anon_vma_chain;
		if (av && chain.next !== chain && chain.next === chain.prev)
			return av;
	}
	return null as never;
}

/** mm/vma.c: an anon_vma of a neighbour that this VMA could share. */
export function find_mergeable_anon_vma(vma: ptr<vm_area_struct>): ptr<anon_vma> {
	const vmas = vma.vm_mm.vmas;
	const i = vmas.indexOf(vma);
	const next = vmas[i + 1];
	if (next) {
		const av = reusable_anon_vma(next, vma, next);
		if (av)
			return av;
	}
	const prev = i > 0 ? vmas[i - 1] : undefined;
	if (prev)
		return reusable_anon_vma(prev, prev, vma);
	return null as never;
}

export function i_mmap_trylock_read(mapping: ptr<address_space>): int {
	return down_read_trylock(addr(mapping.i_mmap_rwsem));
}

export function i_mmap_lock_read(mapping: ptr<address_space>): void {
	down_read(addr(mapping.i_mmap_rwsem));
}

export function i_mmap_unlock_read(mapping: ptr<address_space>): void {
	up_read(addr(mapping.i_mmap_rwsem));
}

/* include/linux/mm_types.h's MMF_ bits KSM sets. */
export const MMF_VM_MERGEABLE = 16;
export const MMF_VM_MERGE_ANY = 30;

export function mm_flags_set(flag: int, mm: ptr<mm_struct>): void {
	sched_point('mm_flags_set', mm);
	mm.mmf.add(flag);
}

export function mm_flags_clear(flag: int, mm: ptr<mm_struct>): void {
	sched_point('mm_flags_clear', mm);
	mm.mmf.delete(flag);
}

export function mm_flags_test(flag: int, mm: ptr<const_<mm_struct>>): bool {
	return mm.mmf.has(flag);
}

/* include/linux/sched/mm.h: a reference to the mm_struct, not to its address space. */
export function mmgrab(mm: ptr<mm_struct>): void {
	atomic_inc(addr(mm.mm_count));
}

/* The last reference frees the mm_struct (__mmdrop()): the model marks it, a later mmgrab() is a bug. */
export function mmdrop(mm: ptr<mm_struct>): void {
	if (atomic_read(addr(mm.mm_count)) <= 0)
		kernel_bug('use-after-free', `mmdrop of a freed mm ${mm.name}`);
	atomic_dec_and_test(addr(mm.mm_count));
}

/*
 * An mm_struct freed by its last mmdrop() (mm_count at zero) may not be
 * touched: the model has no slab for it, so the mmap_lock operations
 * check it themselves (no scheduling point of their own).
 */
export function mm_touch(mm: ptr<mm_struct>, what: string): void {
	if (!mm)
		kernel_bug('bug', `NULL pointer dereference: ${what} of a NULL mm`);
	/* The counter itself: a check, not an access another thread could interleave with. */
	if (mm.mm_count.counter <= 0)
		kernel_bug('use-after-free', `${what} of a freed mm ${mm.name}`);
}

/* include/linux/mmap_lock.h: mmap_lock is an rwsem. */
export function mmap_read_lock(mm: ptr<mm_struct>): void {
	mm_touch(mm, 'mmap_read_lock()');
	down_read(addr(mm.mmap_lock));
}

/*
 * up_read() releases the rwsem and then, when a writer waits,
 * rwsem_wake() takes its wait_lock: the waiter may already own the lock
 * by then (and free the mm), as mutex_unlock()'s comment warns for
 * mutexes.  So the mm is touched once more after the release (up_read()
 * ends in a scheduling point).
 */
export function mmap_read_unlock(mm: ptr<mm_struct>): void {
	mm_touch(mm, 'mmap_read_unlock()');
	up_read(addr(mm.mmap_lock));
	mm_touch(mm, 'mmap_read_unlock() (rwsem_wake() after the release)');
}

export function mmap_write_lock(mm: ptr<mm_struct>): void {
	mm_touch(mm, 'mmap_write_lock()');
	down_write(addr(mm.mmap_lock));
}

export function mmap_write_unlock(mm: ptr<mm_struct>): void {
	mm_touch(mm, 'mmap_write_unlock()');
	up_write(addr(mm.mmap_lock));
}

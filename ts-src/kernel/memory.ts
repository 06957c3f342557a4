/*
 * What mm/ksm.c's merge and unshare paths call in the rest of mm/ and in
 * the headers: include/linux/mm.h's page references and folio walk
 * (mm/pagewalk.c's folio_walk_start()), highmem.h's kmap_local_page(),
 * xxhash.h, and mm/memory.c's handle_mm_fault().
 *
 * handle_mm_fault() is where the model calls out of itself into the
 * fault handler: the kernel's mm/memory.c, which the model does not
 * carry.  The checker's harness, which writes the faults (check/harness.ts),
 * installs its handler in mm_fault_handler when it loads; a run without
 * one says "not modelled", never returns a made-up success.
 */
import type { ptr, ulong, uint, int, bool, u32, int_bool, const_ } from './ctypes';
import { NULL, addr as addr_, cast } from './ctypes';
import { not_modelled } from './bug';
import { kernel_bug } from './sched';
import { spin_lock, spin_unlock } from './locking';
import type { spinlock_t } from './locking';
import { page_folio, folio_put, PAGE_SIZE, mmap_assert_locked, mmap_assert_write_locked } from './mm_types';
import type { folio, page, pte_t, vm_area_struct, mm_struct } from './mm_types';
import { folio_page, folio_test_large } from './folio_rmap';
import { __pte, pte_slot, pte_present, pmd_addr_end, pmd_offset, pud_offset, p4d_offset, pgd_offset } from './pagewalk';
import type { pmd_t } from './pagewalk';
import { EINVAL } from './err';
import type { task_struct } from './sched';

/* ---- include/linux/mm_types.h: faults ---- */

/** @c vm_fault_t */
export type vm_fault_t = uint;

/* enum vm_fault_reason */
export const VM_FAULT_OOM = 0x000001;
export const VM_FAULT_SIGSEGV = 0x000040;

/* enum fault_flag */
export const FAULT_FLAG_WRITE = 1 << 0;
export const FAULT_FLAG_REMOTE = 1 << 7;
export const FAULT_FLAG_UNSHARE = 1 << 10;

/** @c struct pt_regs */
export class pt_regs {
	declare private readonly __struct_pt_regs: void;
}

/**
 * The fault handler mm/memory.c would be: (vma, address, flags) -> a
 * vm_fault_t, called with the mmap_lock held for read as the model's
 * callers hold it.  Installed by the checker's harness.
 */
export const mm_fault_handler: { handle: ((vma: ptr<vm_area_struct>, address: ulong, flags: uint) => vm_fault_t) | null } = {
	handle: null,
};

/* mm/memory.c: the fault at address in vma (the harness's, above). */
export function handle_mm_fault(vma: ptr<vm_area_struct>, address: ulong, flags: uint,
				_regs: ptr<pt_regs>): vm_fault_t {
	if (!mm_fault_handler.handle)
		return not_modelled('handle_mm_fault (no fault handler installed)');
	return mm_fault_handler.handle(vma, address, flags);
}

/* include/linux/sched/signal.h: no signals are sent in the model. */
export function signal_pending(_p: ptr<task_struct>): int {
	return 0;
}

/* include/linux/freezer.h: the model never suspends the system, so no task is asked to freeze. */
export function freezing(_p: ptr<task_struct>): bool {
	return false;
}

/* include/linux/errno.h */
export const ERESTARTSYS = 512;
export const EHWPOISON = 133;

/* include/uapi/asm-generic/mman-common.h */
export const MADV_MERGEABLE = 12;
export const MADV_UNMERGEABLE = 13;

/*
 * include/linux/oom.h: the task that writes "2" to ksm/run may be picked
 * by the OOM killer while it unmerges; the model has no OOM killer.
 */
export function set_current_oom_origin(): void {}
export function clear_current_oom_origin(): void {}

/* include/linux/minmax.h's min()/max(), of two integers of one type. */
export function min(x: number, y: number): number {
	return x < y ? x : y;
}

export function max(x: number, y: number): number {
	return x > y ? x : y;
}

/* include/linux/limits.h */
export const U8_MAX = 255;

/* ---- include/linux/mm.h: page references ---- */

/* A page's reference is its folio's. */
export function put_page(page: ptr<page>): void {
	folio_put(page_folio(page));
}

/* The head page of a page's compound page: its folio's first page. */
export function compound_head(page: ptr<page>): ptr<page> {
	return folio_page(page_folio(page), 0);
}

/* include/linux/page-flags.h: a page of a large folio. */
export function PageTransCompound(page: ptr<page>): bool {
	return folio_test_large(page_folio(page));
}

/*
 * vm_normal_folio(): the folio a present PTE maps, NULL for a special
 * mapping; the model has none (no zero page, no pfnmap: unmap.ts).
 */
export function vm_normal_folio(_vma: ptr<vm_area_struct>, _addr: ulong, pte: pte_t): ptr<folio> {
	if (!pte_present(pte))
		return kernel_bug('bug', 'vm_normal_folio() of a PTE that is not present');
	return pte.folio;
}

/* vm_normal_page(): the page a present PTE maps (as vm_normal_folio()). */
export function vm_normal_page(vma: ptr<vm_area_struct>, addr: ulong, pte: pte_t): ptr<page> {
	return folio_page(vm_normal_folio(vma, addr, pte), pte.nr ?? 0);
}

/* The cache flushes around a kernel access to a user page: nothing on x86. */
export function flush_anon_page(_vma: ptr<vm_area_struct>, _page: ptr<page>, _vmaddr: ulong): void {}
export function flush_dcache_page(_page: ptr<page>): void {}

/* ---- include/linux/pagewalk.h: the folio walk ---- */

/** @c enum folio_walk_level */
export enum folio_walk_level {
	FW_LEVEL_PTE,
	FW_LEVEL_PMD,
	FW_LEVEL_PUD,
}
export const FW_LEVEL_PTE = folio_walk_level.FW_LEVEL_PTE;

/** @c struct folio_walk */
export class folio_walk {
	declare private readonly __struct_folio_walk: void;
	page: ptr<page> = NULL;
	level: folio_walk_level = FW_LEVEL_PTE;
	/** @model the PTE's address: which page of which mm */
	address = 0;
	pte: pte_t = __pte(0);
	/* The PTE's slot in the page table (pagewalk.ts's pte_slot). */
	ptep: ptr<pte_t> = NULL;
	vma: ptr<vm_area_struct> = NULL;
	ptl: ptr<spinlock_t> = NULL;
}

/*
 * mm/pagewalk.c folio_walk_start(): the folio mapped at addr in vma, with
 * its page table's lock held until folio_walk_end(); NULL (and nothing
 * held) where no present PTE is.  The model's page tables are PTEs only
 * (pagewalk.ts), so the level is always FW_LEVEL_PTE.
 */
export function folio_walk_start(fw: ptr<folio_walk>, vma: ptr<vm_area_struct>, addr: ulong,
				 _flags: int): ptr<folio> {
	const mm: ptr<mm_struct> = vma.vm_mm;
	const ptl = addr_(mm.page_table_lock);

	spin_lock(ptl);
	const pte = mm.ptes.get(addr & ~(PAGE_SIZE - 1));
	if (!pte || !pte_present(pte)) {
		spin_unlock(ptl);
		return NULL;
	}
	const f = vm_normal_folio(vma, addr, pte);
	fw.page = folio_page(f, pte.nr ?? 0);
	fw.level = FW_LEVEL_PTE;
	fw.address = addr;
	fw.pte = pte;
	fw.ptep = new pte_slot(mm, addr & ~(PAGE_SIZE - 1)) as unknown as ptr<pte_t>;
	fw.vma = vma;
	fw.ptl = ptl;
	return f;
}

export function folio_walk_end(fw: ptr<folio_walk>, _vma: ptr<vm_area_struct>): void {
	spin_unlock(fw.ptl);
}

/* ---- include/linux/highmem.h, include/linux/xxhash.h: a page's contents ---- */

/** @model What kmap_local_page() maps: the page, whose contents are its folio's data (mm_types.ts). */
class kmapped {
	constructor(readonly page: ptr<page>) {}
}

/* A kernel address for the page's contents (on x86-64, the direct map). */
export function kmap_local_page(page: ptr<page>): ptr<void> {
	return new kmapped(page);
}

export function kunmap_local(_addr: ptr<void>): void {}

/*
 * xxhash() of len bytes at input: the model's page contents are one
 * value per folio (memcmp_pages()), so the hash of a page is a function
 * of that value, equal for equal contents and different (in the values
 * the checker writes) for different ones, as a checksum is meant to be.
 */
export function xxhash(input: ptr<void>, len: ulong, seed: ulong): u32 {
	if (!(input instanceof kmapped) || len !== PAGE_SIZE)
		return not_modelled('xxhash of anything but a kmapped page');
	const f = page_folio(input.page);
	return ((f.data * 2654435761 + seed) >>> 0);
}

/* ---- include/linux/pagewalk.h, mm/pagewalk.c: the page-table walk ---- */

/** @c enum page_walk_lock */
export enum page_walk_lock {
	/* mmap_lock should be locked for read to stabilize the vma tree */
	PGWALK_RDLOCK = 0,
	/* vma will be write-locked during the walk */
	PGWALK_WRLOCK = 1,
	/* vma is expected to be already write-locked during the walk */
	PGWALK_WRLOCK_VERIFY = 2,
}
export const PGWALK_RDLOCK = page_walk_lock.PGWALK_RDLOCK;
export const PGWALK_WRLOCK = page_walk_lock.PGWALK_WRLOCK;

/* The callbacks of a walk; the model's walks call pmd_entry only (no huge entries above the PMD). */
/** @c struct mm_walk_ops */
export class mm_walk_ops {
	declare private readonly __struct_mm_walk_ops: void;
	pmd_entry: ((pmd: ptr<pmd_t>, addr: ulong, next: ulong, walk: ptr<mm_walk>) => int_bool) | null = null;
	walk_lock: page_walk_lock = PGWALK_RDLOCK;
}

/** @c struct mm_walk */
export class mm_walk {
	declare private readonly __struct_mm_walk: void;
	ops: ptr<const_<mm_walk_ops>> = NULL;
	mm: ptr<mm_struct> = NULL;
	vma: ptr<vm_area_struct> = NULL;
	/*
	 * void *private: an address, as a void * is (ctypes.ts cast()): the
	 * object stored here is read back as its address, which the callback's
	 * cast to its own pointer type turns into the object again.
	 */
	get private(): any {
		return this.private_ !== null && typeof this.private_ === 'object' ? cast<ulong>(this.private_) : this.private_;
	}
	set private(v: any) {
		this.private_ = v;
	}
	/** @model private's value */
	private_: any = null;
}

/*
 * walk_page_range_vma(): [start, end) of vma, one pmd_entry() call per PMD
 * range, stopping at the first non-zero return, which it returns.  The
 * locks are checked as process_mm_walk_lock()/process_vma_walk_lock() do:
 * the mmap_lock for read (PGWALK_RDLOCK) or write; the per-VMA lock the
 * model does not have (a write lock of the mmap_lock excludes its readers).
 */
export function walk_page_range_vma(vma: ptr<vm_area_struct>, start: ulong, end: ulong,
				    ops: ptr<const_<mm_walk_ops>>, private_: ptr<void>): int {
	const walk = new mm_walk() as ptr<mm_walk>;
	let err = 0;

	walk.ops = ops;
	walk.mm = vma.vm_mm;
	walk.vma = vma;
	walk.private = private_;
	if (start < vma.vm_start || end > vma.vm_end)
		return -EINVAL;
	if (ops.walk_lock === PGWALK_RDLOCK)
		mmap_assert_locked(walk.mm);
	else
		mmap_assert_write_locked(walk.mm);
	if (!ops.pmd_entry)
		return not_modelled('walk_page_range_vma without a pmd_entry');
	for (let addr = start, next: ulong; addr < end; addr = next) {
		next = pmd_addr_end(addr, end);
		err = +ops.pmd_entry(pmd_offset(pud_offset(p4d_offset(pgd_offset(walk.mm, addr), addr), addr), addr),
				    addr, next, walk);
		if (err)
			break;
	}
	return err;
}

/*
 * GUP for a device driver (make_device_exclusive(); the FOLL_ enum is in
 * mm_types.h): the model has no device memory, so nothing calls these;
 * declared so rmap.c's TypeScript type-checks and compiles to the
 * kernel's calls.
 */
export const FOLL_WRITE: uint = 1 << 0;
export const FOLL_GET: uint = 1 << 1;
export const FOLL_SPLIT_PMD: uint = 1 << 9;

export function get_user_page_vma_remote(_mm: ptr<mm_struct>, _addr: ulong, _gup_flags: uint,
		_vmap: ptr<ptr<vm_area_struct>>): ptr<page> {
	return not_modelled('get_user_page_vma_remote');
}

export function folio_lock_killable(_folio: ptr<folio>): int {
	return not_modelled('folio_lock_killable');
}

/*
 * mm/swap.c: drain every CPU's LRU batches (ksmd before each full scan).
 * What the batches hold is the checker's harness's bookkeeping (the
 * references a new folio's batch holds: check/harness.ts), so the
 * harness installs the drain; run directly, there is nothing to drain.
 */
/** @model */
export const lru_batches = { drain_all: (): void => {} };

export function lru_add_drain_all(): void {
	lru_batches.drain_all();
}

/*
 * include/linux/notifier.h, memory.h: memory hotplug's notifier chain
 * (ksm_memory_callback()).  The model has no memory hotplug
 * (CONFIG_MEMORY_HOTREMOVE unset): nothing calls the callback.
 */
/** @c struct notifier_block */
export class notifier_block {
	declare private readonly __struct_notifier_block: void;
	priority: int = 0;
}

/** @c struct memory_notify */
export class memory_notify {
	declare private readonly __struct_memory_notify: void;
	start_pfn: ulong = 0;
	nr_pages: ulong = 0;
}

/** @c enum memory_block_state */
export enum memory_block_state {
	MEM_ONLINE,
	MEM_GOING_OFFLINE,
	MEM_OFFLINE,
	MEM_GOING_ONLINE,
	MEM_CANCEL_ONLINE,
	MEM_CANCEL_OFFLINE,
}
export const MEM_GOING_OFFLINE = memory_block_state.MEM_GOING_OFFLINE;
export const MEM_OFFLINE = memory_block_state.MEM_OFFLINE;
export const MEM_CANCEL_OFFLINE = memory_block_state.MEM_CANCEL_OFFLINE;
export const NOTIFY_OK = 0x0001;

/* include/linux/log2.h: the base-2 logarithm of n, rounded down (n > 0). */
export function ilog2(n: ulong): int {
	return 31 - Math.clz32(n);
}

/* include/linux/sched.h: a sleep that signals do not end. */
export const TASK_UNINTERRUPTIBLE = 0x0002;

/*
 * include/linux/wait_bit.h: sleep until bit of *word is clear; 0, or
 * -EINTR for an interruptible sleep a signal ended (none is sent in the
 * model).  A clear bit returns at once.  A set one would wait for another
 * thread's store, which a ref() cell (&ksm_run) does not see: it holds
 * the value of the call, so that sleep is not modelled.
 */
export function wait_on_bit(word: ptr<ulong>, bit: int, _mode: uint): int {
	if (!(word.deref & (1 << bit)))
		return 0;
	return not_modelled('wait_on_bit (a sleep until another thread clears the bit)');
}

/* include/linux/wait_bit.h: wake the waiters on bit of *word (wait_on_bit()); the model has none. */
export function wake_up_bit(_word: ptr<ulong>, _bit: int): void {
}

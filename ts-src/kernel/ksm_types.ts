/*
 * mm/ksm.c's own structs and constants, as far as the TypeScript functions
 * of ts-src/model/ksm.ts use them.  ksm.c defines them itself (its carried
 * C keeps those definitions and prints them); these are the model's
 * declarations of the same things, the way rmap_types.ts stands for
 * include/linux/rmap.h.
 */
import type { ptr, int, uint, ulong, bool, u64, uchar } from './ctypes';
import { NULL, model_array } from './ctypes';
import { list_head, hlist_node, hlist_head } from './list';
import { rb_node, rb_root } from './interval_tree';
import type { anon_vma } from './rmap_types';
import { CONFIG_NUMA } from './kconfig';
import type { mm_struct, pte_t, page } from './mm_types';
import { page_to_pfn } from './unmap';
import { mutex, spinlock_t, lockdep_is_held } from './locking';
import { guarded_by } from './lockset';
import { mm_slot, hashtable } from './mm_slot';
import { wait_queue_head_t } from './sched_wait';
import { kernel_bug } from './sched';
import { not_modelled } from './bug';
import { atomic_long_t, atomic_long_read } from './atomic';
import { addr } from './ctypes';
import type { long } from './ctypes';
import type { folio } from './mm_types';
import type { ktime_t } from './jiffies';

/** @c struct ksm_stable_node */
export class ksm_stable_node {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_ksm_stable_node: void;
	/* In C, node and head/hlist_dup share a union, as do kpfn and chain_prune_time. */
	node = new rb_node(this);
	head: ptr<list_head> = NULL;
	hlist_dup = new hlist_node(this);
	list = new list_head(this);
	hlist = new hlist_head();
	kpfn: ulong = 0;
	chain_prune_time: ulong = 0;
	/* STABLE_NODE_CHAIN marks a chain; otherwise the number of rmap_items on hlist. */
	rmap_hlist_len: int = 0;
	nid: int = 0;
}

/** @c struct ksm_rmap_item */
export class ksm_rmap_item {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_ksm_rmap_item: void;
	rmap_list: ptr<ksm_rmap_item> = NULL;
	/* In C, anon_vma and nid share a union, as do node and head/hlist. */
	anon_vma: ptr<anon_vma> = NULL;
	nid: int = 0;
	mm: ptr<mm_struct> = NULL;
	address: ulong = 0;
	oldchecksum: uint = 0;
	node = new rb_node(this);
	head: ptr<ksm_stable_node> = NULL;
	hlist = new hlist_node(this);
	/* Smart scan (should_skip_rmap_item()): failed merge attempts, and scans still to skip. */
	age: rmap_age_t = 0;
	remaining_skips: rmap_age_t = 0;
}

/**
 * ksm.c's typedef u8 rmap_age_t.
 * @c rmap_age_t
 */
export type rmap_age_t = uchar;

/* rmap_item->address's low bits (ksm.c's #defines). */
export const SEQNR_MASK: ulong = 0x0ff;
export const UNSTABLE_FLAG: ulong = 0x100;
export const STABLE_FLAG: ulong = 0x200;

/** @c enum ksm_get_folio_flags */
export enum ksm_get_folio_flags {
	KSM_GET_FOLIO_NOLOCK,
	KSM_GET_FOLIO_LOCK,
	KSM_GET_FOLIO_TRYLOCK
}
/* C enumerators are plain identifiers: the model names them as C does. */
export const KSM_GET_FOLIO_NOLOCK = ksm_get_folio_flags.KSM_GET_FOLIO_NOLOCK;
export const KSM_GET_FOLIO_LOCK = ksm_get_folio_flags.KSM_GET_FOLIO_LOCK;
export const KSM_GET_FOLIO_TRYLOCK = ksm_get_folio_flags.KSM_GET_FOLIO_TRYLOCK;

/*
 * The stable and unstable tree heads (ksm.c's carried C defines them):
 * one tree each while merge_across_nodes, so root + NUMA(nid) is the
 * first; ptr_add() walks the array as C's pointer arithmetic does.
 */
export const one_stable_tree: rb_root[] = model_array([new rb_root()]);
export const one_unstable_tree: rb_root[] = model_array([new rb_root()]);
export let root_stable_tree: ptr<rb_root> = one_stable_tree[0] as ptr<rb_root>;
export let root_unstable_tree: ptr<rb_root> = one_unstable_tree[0] as ptr<rb_root>;

/*
 * merge_across_nodes_store() of 0 (carried C in ksm.c): the trees become
 * an array of one stable and one unstable tree per node (the kernel's
 * kcalloc() of 2 * nr_node_ids roots; here one model_array() each, so the
 * invariants can tell them apart).  The checker's harness calls it, with
 * the model's ksm_merge_across_nodes (ksm_nr_node_ids is carried C), before any page
 * is merged: the store itself refuses while ksm_pages_shared.
 */
export function ksm_numa_trees(nr_node_ids: int): void {
	root_stable_tree = model_array(Array.from({ length: nr_node_ids }, () => new rb_root()))[0] as ptr<rb_root>;
	root_unstable_tree = model_array(Array.from({ length: nr_node_ids }, () => new rb_root()))[0] as ptr<rb_root>;
}

/* include/linux/numa.h */
export const NUMA_NO_NODE = -1;

/* The node of each page frame the checker placed off node 0 (set_pfn_nid()). */
const pfnNid = new Map<ulong, int>();

/*
 * include/linux/mmzone.h pfn_to_nid(): the model's memory is node 0,
 * except the page frames the harness placed on another node (a folio
 * allocated there: set_pfn_nid()).
 */
export function pfn_to_nid(pfn: ulong): int {
	return pfnNid.get(pfn) ?? 0;
}

/** The checker's allocation on a node: the folio at pfn is on nid. */
export function set_pfn_nid(pfn: ulong, nid: int): void {
	pfnNid.set(pfn, nid);
}

/*
 * ksm.c's DO_NUMA(x): the statement where CONFIG_NUMA.  The argument is an
 * assignment the caller makes (DO_NUMA(node->nid = nid)); JavaScript has
 * evaluated it by the call, which is C's behaviour with CONFIG_NUMA, the
 * configuration the model runs (kconfig.ts).
 */
export function DO_NUMA(_x: unknown): void {
	if (!CONFIG_NUMA)
		kernel_bug('bug', 'DO_NUMA() without CONFIG_NUMA: the model evaluated its assignment anyway');
}

/* ksm.c's NUMA(x): the node id where CONFIG_NUMA, else 0. */
export function NUMA(x: int): int {
	return CONFIG_NUMA ? x : 0;
}

/* static LIST_HEAD(migrate_nodes): stable nodes pending placement after migration. */
export const migrate_nodes: list_head = new list_head();

/** rmap_hlist_len of a stable node that is a chain of dups. */
export const STABLE_NODE_CHAIN: int = -1024;

/*
 * A dup's head: in C &migrate_nodes.prev cast to a list_head, an address
 * no real list head has.  Here an object of its own, for the same reason.
 */
export const STABLE_NODE_DUP_HEAD: ptr<list_head> = new list_head() as ptr<list_head>;

/* ksm_run's states (ksm.c's #defines, printed by its carried C). */
export const KSM_RUN_STOP: ulong = 0;
export const KSM_RUN_MERGE: ulong = 1;
export const KSM_RUN_UNMERGE: ulong = 2;
export const KSM_RUN_OFFLINE: ulong = 4;

/* Default number of pages to scan per batch (ksm.c's #define). */
export const DEFAULT_PAGES_TO_SCAN: uint = 100;

/*
 * static DEFINE_MUTEX(ksm_thread_mutex), which ksm.c's carried C defines:
 * ksmd's scan, the stable tree and the sysfs writers that change KSM's
 * state are serialised by it.
 */
export const ksm_thread_mutex: mutex = new mutex('ksm_thread_mutex');

/** @c struct ksm_mm_slot */
export class ksm_mm_slot {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_ksm_mm_slot: void;
	slot = new mm_slot(this);
	rmap_list: ptr<ksm_rmap_item> = NULL;
}

/** @c struct ksm_scan */
export class struct_ksm_scan {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_ksm_scan: void;
	mm_slot: ptr<ksm_mm_slot> = NULL;
	address: ulong = 0;
	rmap_list: ptr<ptr<ksm_rmap_item>> = NULL;
	seqnr: ulong = 0;
}

/*
 * ksm.c's scan state (its carried C defines them): the list of mm_slots
 * headed by ksm_mm_head, their hash by mm, the lock of both, and the one
 * scan cursor, which starts at the head.
 */
export const ksm_mm_head: ksm_mm_slot = new ksm_mm_slot();
export const mm_slots_hash: hashtable = new hashtable();
export const ksm_mmlist_lock: spinlock_t = new spinlock_t('ksm_mmlist_lock');
/* "ksm_mmlist_lock: protects mm_slots_hash and ksm_mm_head's list" (mm/ksm.c): a slot leaves the list only under it. */
guarded_by(ksm_mm_slot, 'slot.mm_node', { lock: 'ksm_mmlist_lock', held: () => lockdep_is_held(ksm_mmlist_lock) });
export const ksm_scan: struct_ksm_scan = Object.assign(new struct_ksm_scan(), { mm_slot: ksm_mm_head as ptr<ksm_mm_slot> });
/* static DECLARE_WAIT_QUEUE_HEAD(ksm_thread_wait): ksmd sleeps there. */
export const ksm_thread_wait: wait_queue_head_t = new wait_queue_head_t();
/* static DECLARE_WAIT_QUEUE_HEAD(ksm_iter_wait): ksmd's sleep between batches, cut short by sleep_millisecs_store(). */
export const ksm_iter_wait: wait_queue_head_t = new wait_queue_head_t();

/* The page ksm_next_page_pmd_entry() found for scan_get_next_rmap_item() (ksm.c's struct). */
/** @c struct ksm_next_page_arg */
export class ksm_next_page_arg {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_ksm_next_page_arg: void;
	folio: ptr<folio> = NULL;
	page: ptr<page> = NULL;
	addr: ulong = 0;
}
/* The struct where scan_get_next_rmap_item()'s local of its name hides the class. */
export const struct_ksm_next_page_arg = ksm_next_page_arg;

/*
 * The scan-time advisor (ksm.c's #defines, struct advisor_ctx, enum
 * ksm_advisor_type; its carried C defines the variables).  It tunes
 * pages_to_scan from the scan's wall and CPU time, which the model has
 * not: its clocks say "not modelled" if a run reaches them.
 */
export const KSM_ADVISOR_MIN_CPU: uint = 10;
export const EWMA_WEIGHT: ulong = 30;

/** @c struct advisor_ctx */
export class struct_advisor_ctx {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_advisor_ctx: void;
	start_scan: ktime_t = 0;
	scan_time: ulong = 0;
	change: ulong = 0;
	cpu_time: u64 = 0;
}
export const advisor_ctx: struct_advisor_ctx = new struct_advisor_ctx();

/** @c enum ksm_advisor_type */
export enum ksm_advisor_type {
	KSM_ADVISOR_NONE,
	KSM_ADVISOR_SCAN_TIME
}
/* C enumerators are plain identifiers: the model names them as C does. */
export const KSM_ADVISOR_NONE = ksm_advisor_type.KSM_ADVISOR_NONE;
export const KSM_ADVISOR_SCAN_TIME = ksm_advisor_type.KSM_ADVISOR_SCAN_TIME;

/* atomic_long_t ksm_zero_pages = ATOMIC_LONG_INIT(0): KSM zero pages mapped, all mms (its carried C defines it). */
export const ksm_zero_pages: atomic_long_t = new atomic_long_t();

/* include/linux/ksm.h: an mm's KSM zero pages. */
export function mm_ksm_zero_pages(mm: ptr<mm_struct>): long {
	return atomic_long_read(addr(mm.ksm_zero_pages));
}

/*
 * include/linux/ksm.h: a KSM zero page (its PTE, its counters).  The model
 * has no zero page (unmap.ts's is_zero_pfn() is false), so it never runs.
 */
/* include/linux/pgtable.h: the shared zero page; the model has none. */
export function ZERO_PAGE(_vaddr: ulong): ptr<page> {
	return not_modelled('ZERO_PAGE');
}

/* include/linux/mm.h: the node of a page's frame (the checker's placement, pfn_to_nid()). */
export function page_to_nid(page: ptr<page>): int {
	return pfn_to_nid(page_to_pfn(page));
}

export function is_ksm_zero_pte(_pte: pte_t): bool {
	return false;
}

export function ksm_map_zero_page(_mm: ptr<mm_struct>): void {
	return not_modelled('ksm_map_zero_page');
}

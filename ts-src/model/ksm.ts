import {
	c, BUG_ON, BUILD_BUG_ON, CONFIG_DEBUG_VM, CONFIG_NUMA, CONFIG_SWAP, CONFIG_TRANSPARENT_HUGEPAGE,
	DEFAULT_PAGES_TO_SCAN, DEFINE_FOLIO_VMA_WALK, DO_NUMA, EBUSY, EFAULT, EHWPOISON, EINVAL, ENOMEM,
	ERESTARTSYS, ERR_PTR, EWMA_WEIGHT, FAULT_FLAG_REMOTE, FAULT_FLAG_UNSHARE, FOLIO_MAPPING_KSM,
	GFP_HIGHUSER_MOVABLE, GFP_KERNEL, INIT_HLIST_HEAD, IS_ENABLED, KMEM_CACHE, KSM_ADVISOR_MIN_CPU,
	KSM_ADVISOR_NONE, KSM_ADVISOR_SCAN_TIME, KSM_GET_FOLIO_LOCK, KSM_GET_FOLIO_NOLOCK,
	KSM_GET_FOLIO_TRYLOCK, KSM_RUN_MERGE, KSM_RUN_OFFLINE, KSM_RUN_STOP, KSM_RUN_UNMERGE,
	KSM_SWPIN_COPY, MADV_MERGEABLE, MADV_UNMERGEABLE, MEM_CANCEL_OFFLINE, MEM_GOING_OFFLINE,
	MEM_OFFLINE, MMF_VM_MERGEABLE, MMF_VM_MERGE_ANY, MMU_NOTIFY_CLEAR, MM_ANONPAGES, MSEC_PER_SEC,
	NOTIFY_OK, NULL, NUMA, NUMA_NO_NODE, PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, PGWALK_RDLOCK,
	PGWALK_WRLOCK, PMD_SIZE, PTR_ERR, PageAnonExclusive, PageHWPoison, PageTransCompound, RB_ROOT,
	READ_ONCE, RMAP_NONE, SEQNR_MASK, STABLE_FLAG, STABLE_NODE_CHAIN, STABLE_NODE_DUP_HEAD,
	TASK_UNINTERRUPTIBLE, U8_MAX, ULONG_MAX, UNSTABLE_FLAG, VMA_DROPPABLE, VMA_HUGETLB_BIT,
	VMA_ITERATOR, VMA_MAYSHARE_BIT, VMA_MERGEABLE_BIT, VMA_SAO_BIT, VMA_SHARED_BIT, VMA_SPARC_ADI_BIT,
	VMA_SPECIAL_FLAGS, VM_BUG_ON, VM_BUG_ON_FOLIO, VM_BUG_ON_PAGE, VM_FAULT_OOM, VM_FAULT_SIGBUS,
	VM_FAULT_SIGSEGV, VM_MERGEABLE, VM_SAO, VM_SPARC_ADI, VM_WARN_ON_FOLIO, VM_WARN_ON_ONCE, WARN_ONCE,
	WARN_ON_ONCE, ZERO_PAGE, __GFP_HIGH, __GFP_NORETRY, __GFP_NOWARN, __folio_mark_uptodate,
	__folio_set_locked, __pte, __read_mostly, add_to_kill_ksm, addr, addr_, addr_of, anon_vma,
	anon_vma_chain, anon_vma_interval_tree_foreach, atomic_long_read, atomic_read, bool, cast, char,
	clear_current_oom_origin, compound_head, cond_resched, const_, copy_mc_user_highpage,
	count_vm_event, cpu_relax, cstr, current, dec_mm_counter, defined, div_s64, elem, fallthrough,
	file, file_is_dax, flush_anon_page, flush_cache_page, flush_dcache_page, folio, folio_anon_vma,
	folio_free_swap, folio_get, folio_is_zone_device, folio_lock, folio_mapcount, folio_mapped,
	folio_mark_accessed, folio_mark_dirty, folio_page, folio_pfn, folio_put, folio_raw_mapping,
	folio_ref_count, folio_set_dirty, folio_test_anon, folio_test_dirty, folio_test_ksm,
	folio_test_large, folio_test_locked, folio_test_swapcache, folio_test_uptodate, folio_try_get,
	folio_trylock, folio_unlock, folio_walk, folio_walk_end, folio_walk_start, for_each_process,
	for_each_vma, freezing, handle_mm_fault, hash_del, hlist_add_head, hlist_del, hlist_empty,
	hlist_for_each_entry, hlist_for_each_entry_safe, hlist_is_singular_node, hlist_node, ifdef, ilog2,
	int, int_bool, int_of, is_ksm_zero_pte, is_zero_pfn, jiffies, kmap_local_page, kmem_cache,
	kmem_cache_alloc, kmem_cache_destroy, kmem_cache_free, kmem_cache_zalloc, kobj_attribute, kobject,
	ksm_advisor_type, ksm_get_folio_flags, ksm_iter_wait, ksm_map_zero_page, ksm_mm_head, ksm_mm_slot,
	ksm_mmlist_lock, ksm_next_page_arg, ksm_rmap_item, ksm_scan, ksm_stable_node, ksm_thread_mutex,
	ksm_thread_wait, ksm_zero_pages, kstrtobool, kstrtoint, kstrtouint, kstrtoul, kthread_should_stop,
	ktime_get, ktime_ms_delta, kunmap_local, likely, linear_page_index, list_add, list_add_tail,
	list_del, list_empty, list_entry, list_for_each_entry_safe, list_head, list_move, lockdep_assert,
	lockdep_is_held, long, lru_add_drain_all, max, mem_cgroup_charge, memcmp_pages, memory_notify,
	migrate_nodes, min, mk_pte, mm_flags_clear, mm_flags_set, mm_flags_test, mm_ksm_zero_pages,
	mm_slot, mm_slot_alloc, mm_slot_entry, mm_slot_free, mm_slot_insert, mm_slot_lookup, mm_slots_hash,
	mm_struct, mm_tlb_flush_pending, mm_walk, mm_walk_ops, mmap_assert_locked,
	mmap_assert_write_locked, mmap_read_lock, mmap_read_unlock, mmap_write_lock, mmap_write_unlock,
	mmdrop, mmgrab, mmu_notifier_invalidate_range_end, mmu_notifier_invalidate_range_start,
	mmu_notifier_range, mmu_notifier_range_init, msecs_to_jiffies, mutex_lock, mutex_unlock,
	notifier_block, out_param, page, page_folio, page_to_nid, page_to_pfn, page_vma_mapped_walk,
	page_vma_mapped_walk_done, pages_identical, pfn_folio, pfn_pte, pfn_to_nid, pmd_leaf, pmd_lock,
	pmd_present, pmd_t, pmd_trans_huge, pmdp_get, pmdp_get_lockless, prototype, pte_dirty, pte_mkclean,
	pte_mkdirty, pte_mkspecial, pte_none, pte_offset_map_lock, pte_pfn, pte_present, pte_same, pte_t,
	pte_unmap, pte_unmap_unlock, pte_write, pte_wrprotect, ptep_clear_flush, ptep_get, ptr, ptr_add,
	ptr_add_assign, ptr_inc, put_page, rb_entry, rb_erase, rb_first, rb_insert_color, rb_link_node,
	rb_next, rb_node, rb_replace_node, rb_root, rcu_read_lock, rcu_read_unlock, ref, rmap_age_t,
	rmap_walk_control, root_stable_tree, root_unstable_tree, set_current_oom_origin, set_freezable,
	set_pte_at, set_user_nice, signal_pending, size_t, sizeof, smp_mb, smp_rmb, smp_wmb,
	softleaf_from_pte, softleaf_is_migration, softleaf_t, softleaf_to_folio, spin_lock, spin_unlock,
	spinlock_t, split_huge_page, ssize_t, struct_advisor_ctx, struct_assign, struct_init,
	struct_ksm_next_page_arg, struct_mm_slot, struct_page_vma_mapped_walk, sysfs_emit, sysfs_streq,
	task_early_kill, task_sched_runtime, task_struct, time_before, to_uchar, trace_ksm_advisor,
	trace_ksm_enter, trace_ksm_exit, trace_ksm_merge_one_page, trace_ksm_merge_with_ksm_page,
	trace_ksm_remove_ksm_page, trace_ksm_remove_rmap_item, trace_ksm_start_scan, trace_ksm_stop_scan,
	u32, uchar, uint, ulong, uninit, unlikely, vm_area_struct, vm_fault_t, vm_flags_clear,
	vm_flags_set, vm_flags_t, vm_normal_folio, vm_normal_page, vm_normal_page_pmd, vma_alloc_folio,
	vma_flags_set, vma_flags_t, vma_flags_test, vma_flags_test_any, vma_flags_test_any_mask,
	vma_flags_test_single_mask, vma_iter_init, vma_iterator, vma_lookup, wait_event_freezable,
	wait_event_freezable_timeout, wait_on_bit, wake_up_bit, wake_up_interruptible, walk_page_range_vma,
	xxhash, zero_init,
} from '../kernel';
import { mm_find_pmd, page_address_in_vma } from './rmap';
import { anon_vma_lock_read, anon_vma_trylock_read, anon_vma_unlock_read, folio_add_anon_rmap_pte, folio_remove_rmap_pte, folio_try_share_anon_rmap_pte, get_anon_vma, put_anon_vma } from './rmap_h';
c`
// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory merging support.
 *
 * This code enables dynamic sharing of identical pages found in different
 * memory areas, even if they are not shared by fork()
 *
 * Copyright (C) 2008-2009 Red Hat, Inc.
 * Authors:
 *	Izik Eidus
 *	Andrea Arcangeli
 *	Chris Wright
 *	Hugh Dickins
 */

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/cputime.h>
#include <linux/rwsem.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/spinlock.h>
#include <linux/xxhash.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/wait.h>
#include <linux/slab.h>
#include <linux/rbtree.h>
#include <linux/memory.h>
#include <linux/mmu_notifier.h>
#include <linux/swap.h>
#include <linux/ksm.h>
#include <linux/hashtable.h>
#include <linux/freezer.h>
#include <linux/oom.h>
#include <linux/numa.h>
#include <linux/pagewalk.h>

#include <asm/tlbflush.h>
#include "internal.h"
#include "mm_slot.h"

#define CREATE_TRACE_POINTS
#include <trace/events/ksm.h>

#ifdef CONFIG_NUMA
#define NUMA(x)		(x)
#define DO_NUMA(x)	do { (x); } while (0)
#else
#define NUMA(x)		(0)
#define DO_NUMA(x)	do { } while (0)
#endif

typedef u8 rmap_age_t;

/**
 * DOC: Overview
 *
 * A few notes about the KSM scanning process,
 * to make it easier to understand the data structures below:
 *
 * In order to reduce excessive scanning, KSM sorts the memory pages by their
 * contents into a data structure that holds pointers to the pages' locations.
 *
 * Since the contents of the pages may change at any moment, KSM cannot just
 * insert the pages into a normal sorted tree and expect it to find anything.
 * Therefore KSM uses two data structures - the stable and the unstable tree.
 *
 * The stable tree holds pointers to all the merged pages (ksm pages), sorted
 * by their contents.  Because each such page is write-protected, searching on
 * this tree is fully assured to be working (except when pages are unmapped),
 * and therefore this tree is called the stable tree.
 *
 * The stable tree node includes information required for reverse
 * mapping from a KSM page to virtual addresses that map this page.
 *
 * In order to avoid large latencies of the rmap walks on KSM pages,
 * KSM maintains two types of nodes in the stable tree:
 *
 * * the regular nodes that keep the reverse mapping structures in a
 *   linked list
 * * the "chains" that link nodes ("dups") that represent the same
 *   write protected memory content, but each "dup" corresponds to a
 *   different KSM page copy of that content
 *
 * Internally, the regular nodes, "dups" and "chains" are represented
 * using the same struct ksm_stable_node structure.
 *
 * In addition to the stable tree, KSM uses a second data structure called the
 * unstable tree: this tree holds pointers to pages which have been found to
 * be "unchanged for a period of time".  The unstable tree sorts these pages
 * by their contents, but since they are not write-protected, KSM cannot rely
 * upon the unstable tree to work correctly - the unstable tree is liable to
 * be corrupted as its contents are modified, and so it is called unstable.
 *
 * KSM solves this problem by several techniques:
 *
 * 1) The unstable tree is flushed every time KSM completes scanning all
 *    memory areas, and then the tree is rebuilt again from the beginning.
 * 2) KSM will only insert into the unstable tree, pages whose hash value
 *    has not changed since the previous scan of all memory areas.
 * 3) The unstable tree is a RedBlack Tree - so its balancing is based on the
 *    colors of the nodes and not on their contents, assuring that even when
 *    the tree gets "corrupted" it won't get out of balance, so scanning time
 *    remains the same (also, searching and inserting nodes in an rbtree uses
 *    the same algorithm, so we have no overhead when we flush and rebuild).
 * 4) KSM never flushes the stable tree, which means that even if it were to
 *    take 10 attempts to find a page in the unstable tree, once it is found,
 *    it is secured in the stable tree.  (When we scan a new page, we first
 *    compare it against the stable tree, and then against the unstable tree.)
 *
 * If the merge_across_nodes tunable is unset, then KSM maintains multiple
 * stable trees and multiple unstable trees: one of each for each NUMA node.
 */

/**
 * struct ksm_mm_slot - ksm information per mm that is being scanned
 * @slot: hash lookup from mm to mm_slot
 * @rmap_list: head for this mm_slot's singly-linked list of rmap_items
 */
struct ksm_mm_slot {
	struct mm_slot slot;
	struct ksm_rmap_item *rmap_list;
};

/**
 * struct ksm_scan - cursor for scanning
 * @mm_slot: the current mm_slot we are scanning
 * @address: the next address inside that to be scanned
 * @rmap_list: link to the next rmap to be scanned in the rmap_list
 * @seqnr: count of completed full scans (needed when removing unstable node)
 *
 * There is only the one ksm_scan instance of this cursor structure.
 */
struct ksm_scan {
	struct ksm_mm_slot *mm_slot;
	unsigned long address;
	struct ksm_rmap_item **rmap_list;
	unsigned long seqnr;
};

/**
 * struct ksm_stable_node - node of the stable rbtree
 * @node: rb node of this ksm page in the stable tree
 * @head: (overlaying parent) &migrate_nodes indicates temporarily on that list
 * @hlist_dup: linked into the stable_node->hlist with a stable_node chain
 * @list: linked into migrate_nodes, pending placement in the proper node tree
 * @hlist: hlist head of rmap_items using this ksm page
 * @kpfn: page frame number of this ksm page (perhaps temporarily on wrong nid)
 * @chain_prune_time: time of the last full garbage collection
 * @rmap_hlist_len: number of rmap_item entries in hlist or STABLE_NODE_CHAIN
 * @nid: NUMA node id of stable tree in which linked (may not match kpfn)
 */
struct ksm_stable_node {
	union {
		struct rb_node node;	/* when node of stable tree */
		struct {		/* when listed for migration */
			struct list_head *head;
			struct {
				struct hlist_node hlist_dup;
				struct list_head list;
			};
		};
	};
	struct hlist_head hlist;
	union {
		unsigned long kpfn;
		unsigned long chain_prune_time;
	};
	/*
	 * STABLE_NODE_CHAIN can be any negative number in
	 * rmap_hlist_len negative range, but better not -1 to be able
	 * to reliably detect underflows.
	 */
#define STABLE_NODE_CHAIN -1024
	int rmap_hlist_len;
#ifdef CONFIG_NUMA
	int nid;
#endif
};

/**
 * struct ksm_rmap_item - reverse mapping item for virtual addresses
 * @rmap_list: next rmap_item in mm_slot's singly-linked rmap_list
 * @anon_vma: pointer to anon_vma for this mm,address, when in stable tree
 * @nid: NUMA node id of unstable tree in which linked (may not match page)
 * @mm: the memory structure this rmap_item is pointing into
 * @address: the virtual address this rmap_item tracks (+ flags in low bits)
 * @oldchecksum: previous checksum of the page at that virtual address
 * @node: rb node of this rmap_item in the unstable tree
 * @head: pointer to stable_node heading this list in the stable tree
 * @hlist: link into hlist of rmap_items hanging off that stable_node
 * @age: number of scan iterations since creation
 * @remaining_skips: how many scans to skip
 */
struct ksm_rmap_item {
	struct ksm_rmap_item *rmap_list;
	union {
		struct anon_vma *anon_vma;	/* when stable */
#ifdef CONFIG_NUMA
		int nid;		/* when node of unstable tree */
#endif
	};
	struct mm_struct *mm;
	unsigned long address;		/* + low bits used for flags below */
	unsigned int oldchecksum;	/* when unstable */
	rmap_age_t age;
	rmap_age_t remaining_skips;
	union {
		struct rb_node node;	/* when node of unstable tree */
		struct {		/* when listed from stable tree */
			struct ksm_stable_node *head;
			struct hlist_node hlist;
		};
	};
};

#define SEQNR_MASK	0x0ff	/* low bits of unstable tree seqnr */
#define UNSTABLE_FLAG	0x100	/* is a node of the unstable tree */
#define STABLE_FLAG	0x200	/* is listed from the stable tree */

/* The stable and unstable tree heads */
static struct rb_root one_stable_tree[1] = { RB_ROOT };
static struct rb_root one_unstable_tree[1] = { RB_ROOT };
static struct rb_root *root_stable_tree = one_stable_tree;
static struct rb_root *root_unstable_tree = one_unstable_tree;

/* Recently migrated nodes of stable tree, pending proper placement */
static LIST_HEAD(migrate_nodes);
#define STABLE_NODE_DUP_HEAD ((struct list_head *)&migrate_nodes.prev)

#define MM_SLOTS_HASH_BITS 10
static DEFINE_HASHTABLE(mm_slots_hash, MM_SLOTS_HASH_BITS);

static struct ksm_mm_slot ksm_mm_head = {
	.slot.mm_node = LIST_HEAD_INIT(ksm_mm_head.slot.mm_node),
};
static struct ksm_scan ksm_scan = {
	.mm_slot = &ksm_mm_head,
};

`;
let rmap_item_cache!: ptr<kmem_cache>;
let stable_node_cache!: ptr<kmem_cache>;
let mm_slot_cache!: ptr<kmem_cache>;
c`

/* Default number of pages to scan per batch */
#define DEFAULT_PAGES_TO_SCAN 100

/* The number of pages scanned */
`;
let ksm_pages_scanned!: ulong;
c`

/* The number of nodes in the stable tree */
`;
let ksm_pages_shared!: ulong;
c`

/* The number of page slots additionally sharing those nodes */
`;
let ksm_pages_sharing!: ulong;
c`

/* The number of nodes in the unstable tree */
`;
let ksm_pages_unshared!: ulong;
c`

/* The number of rmap_items in use: to calculate pages_volatile */
`;
let ksm_rmap_items!: ulong;
c`

/* The number of stable_node chains */
`;
let ksm_stable_node_chains!: ulong;
c`

/* The number of stable_node dups linked to the stable_node chains */
`;
let ksm_stable_node_dups!: ulong;
c`

/* Delay in pruning stale stable_node_dups in the stable_node_chains */
`;
let ksm_stable_node_chains_prune_millisecs: uint = 2000;
c`

/* Maximum number of page slots sharing a stable node */
`;
let ksm_max_page_sharing: int = 256;
c`

/* Number of pages ksmd should scan in one batch */
`;
let ksm_thread_pages_to_scan: uint = DEFAULT_PAGES_TO_SCAN;
c`

/* Milliseconds ksmd should sleep between batches */
`;
let ksm_thread_sleep_millisecs: uint = 20;
c`

/* Checksum of an empty (zeroed) page */
`;
let zero_checksum!: __read_mostly<uint>;
c`

/* Whether to merge empty (zeroed) pages with actual zero pages */
`;
let ksm_use_zero_pages!: __read_mostly<bool>;
c`

/* Skip pages that couldn't be de-duplicated previously */
/* Default to true at least temporarily, for testing */
`;
let ksm_smart_scan: bool = true;
c`

/* The number of zero pages which is placed by KSM */
atomic_long_t ksm_zero_pages = ATOMIC_LONG_INIT(0);

/* The number of pages that have been skipped due to "smart scanning" */
`;
let ksm_pages_skipped!: ulong;
c`

/* Don't scan more than max pages per batch. */
`;
let ksm_advisor_max_pages_to_scan: ulong = 30000;
c`

/* Min CPU for scanning pages per scan */
#define KSM_ADVISOR_MIN_CPU 10

/* Max CPU for scanning pages per scan */
`;
let ksm_advisor_max_cpu: uint =  70;
c`

/* Target scan time in seconds to analyze all KSM candidate pages. */
`;
let ksm_advisor_target_scan_time: ulong = 200;
c`

/* Exponentially weighted moving average. */
#define EWMA_WEIGHT 30

/**
 * struct advisor_ctx - metadata for KSM advisor
 * @start_scan: start time of the current scan
 * @scan_time: scan time of previous scan
 * @change: change in percent to pages_to_scan parameter
 * @cpu_time: cpu time consumed by the ksmd thread in the previous scan
 */
struct advisor_ctx {
	ktime_t start_scan;
	unsigned long scan_time;
	unsigned long change;
	unsigned long long cpu_time;
};
`;
let advisor_ctx: struct_advisor_ctx = uninit(struct_advisor_ctx);
c`

/* Define different advisor's */
enum ksm_advisor_type {
	KSM_ADVISOR_NONE,
	KSM_ADVISOR_SCAN_TIME,
};
`;
let ksm_advisor!: ksm_advisor_type;
c`

#ifdef CONFIG_SYSFS
/*
 * Only called through the sysfs control interface:
 */

/* At least scan this many pages per batch. */
`;
let ksm_advisor_min_pages_to_scan: ulong = 500;
c`

`;
function set_advisor_defaults(): void {
	if (ksm_advisor == KSM_ADVISOR_NONE) {
		ksm_thread_pages_to_scan = DEFAULT_PAGES_TO_SCAN;
	} else if (ksm_advisor == KSM_ADVISOR_SCAN_TIME) {
		struct_assign(advisor_ctx, cast<const_<struct_advisor_ctx>>(zero_init(struct_advisor_ctx)));
		ksm_thread_pages_to_scan = ksm_advisor_min_pages_to_scan;
	}
}
c`
#endif /* CONFIG_SYSFS */

`;
function advisor_start_scan(): void {
	'inline';
	if (ksm_advisor == KSM_ADVISOR_SCAN_TIME)
		advisor_ctx.start_scan = ktime_get();
}
c`

/*
 * Use previous scan time if available, otherwise use current scan time as an
 * approximation for the previous scan time.
 */
`;
function prev_scan_time(ctx: ptr<struct_advisor_ctx>,
					   scan_time: ulong): ulong {
	'inline';
	return ctx.scan_time ? ctx.scan_time : scan_time;
}
c`

/* Calculate exponential weighted moving average */
`;
function ewma(prev: ulong, curr: ulong): ulong {
	return ((100 - EWMA_WEIGHT) * prev + EWMA_WEIGHT * curr) / 100;
}
c`

/*
 * The scan time advisor is based on the current scan rate and the target
 * scan rate.
 *
 *      new_pages_to_scan = pages_to_scan * (scan_time / target_scan_time)
 *
 * To avoid perturbations it calculates a change factor of previous changes.
 * A new change factor is calculated for each iteration and it uses an
 * exponentially weighted moving average. The new pages_to_scan value is
 * multiplied with that change factor:
 *
 *      new_pages_to_scan *= change factor
 *
 * The new_pages_to_scan value is limited by the cpu min and max values. It
 * calculates the cpu percent for the last scan and calculates the new
 * estimated cpu percent cost for the next scan. That value is capped by the
 * cpu min and max setting.
 *
 * In addition the new pages_to_scan value is capped by the max and min
 * limits.
 */
`;
function scan_time_advisor(): void {
	let cpu_percent: uint;
	let cpu_time: ulong;
	let cpu_time_diff: ulong;
	let cpu_time_diff_ms: ulong;
	let pages: ulong;
	let per_page_cost: ulong;
	let factor: ulong;
	let change: ulong;
	let last_scan_time: ulong;
	let scan_time: ulong;

	/* Convert scan time to seconds */
	scan_time = div_s64(ktime_ms_delta(ktime_get(), advisor_ctx.start_scan),
			    MSEC_PER_SEC);
	scan_time = scan_time ? scan_time : 1;

	/* Calculate CPU consumption of ksmd background thread */
	cpu_time = task_sched_runtime(current);
	cpu_time_diff = cpu_time - advisor_ctx.cpu_time;
	cpu_time_diff_ms = cpu_time_diff / 1000 / 1000;

	cpu_percent = (cpu_time_diff_ms * 100) / (scan_time * 1000);
	cpu_percent = cpu_percent ? cpu_percent : 1;
	last_scan_time = prev_scan_time(addr(advisor_ctx), scan_time);

	/* Calculate scan time as percentage of target scan time */
	factor = ksm_advisor_target_scan_time * 100 / scan_time;
	factor = factor ? factor : 1;

	/*
	 * Calculate scan time as percentage of last scan time and use
	 * exponentially weighted average to smooth it
	 */
	change = scan_time * 100 / last_scan_time;
	change = change ? change : 1;
	change = ewma(advisor_ctx.change, change);

	/* Calculate new scan rate based on target scan rate. */
	pages = ksm_thread_pages_to_scan * 100 / factor;
	/* Update pages_to_scan by weighted change percentage. */
	pages = pages * change / 100;

	/* Cap new pages_to_scan value */
	per_page_cost = ksm_thread_pages_to_scan / cpu_percent;
	per_page_cost = per_page_cost ? per_page_cost : 1;

	pages = min(pages, per_page_cost * ksm_advisor_max_cpu);
	pages = max(pages, per_page_cost * KSM_ADVISOR_MIN_CPU);
	pages = min(pages, ksm_advisor_max_pages_to_scan);

	/* Update advisor context */
	advisor_ctx.change = change;
	advisor_ctx.scan_time = scan_time;
	advisor_ctx.cpu_time = cpu_time;

	ksm_thread_pages_to_scan = pages;
	trace_ksm_advisor(scan_time, pages, cpu_percent);
}
c`

`;
function advisor_stop_scan(): void {
	if (ksm_advisor == KSM_ADVISOR_SCAN_TIME)
		scan_time_advisor();
}
c`

#ifdef CONFIG_NUMA
/* Zeroed when merging across nodes is not allowed */
`;
let ksm_merge_across_nodes: uint = 1;
let ksm_nr_node_ids: int = 1;
c`
#else
#define ksm_merge_across_nodes	1U
#define ksm_nr_node_ids		1
#endif

#define KSM_RUN_STOP	0
#define KSM_RUN_MERGE	1
#define KSM_RUN_UNMERGE	2
#define KSM_RUN_OFFLINE	4
`;
let ksm_run: ulong = KSM_RUN_STOP;
prototype(wait_while_offlining);
c`

static DECLARE_WAIT_QUEUE_HEAD(ksm_thread_wait);
static DECLARE_WAIT_QUEUE_HEAD(ksm_iter_wait);
static DEFINE_MUTEX(ksm_thread_mutex);
static DEFINE_SPINLOCK(ksm_mmlist_lock);

`;
function ksm_slab_init(): int {
	'__init';
	rmap_item_cache = KMEM_CACHE(ksm_rmap_item, 0);
out: {
	if (!rmap_item_cache)
		break out;

	stable_node_cache = KMEM_CACHE(ksm_stable_node, 0);
out_free1: {
	if (!stable_node_cache)
		break out_free1;

	mm_slot_cache = KMEM_CACHE(ksm_mm_slot, 0);
out_free2: {
	if (!mm_slot_cache)
		break out_free2;

	return 0;

}
	kmem_cache_destroy(stable_node_cache);
}
	kmem_cache_destroy(rmap_item_cache);
}
	return -ENOMEM;
}
c`

`;
function ksm_slab_free(): void {
	'__init';
	kmem_cache_destroy(mm_slot_cache);
	kmem_cache_destroy(stable_node_cache);
	kmem_cache_destroy(rmap_item_cache);
	mm_slot_cache = NULL;
}
c`

`;
function is_stable_node_chain(chain: ptr<ksm_stable_node>): bool {
	'__always_inline';
	return chain.rmap_hlist_len == STABLE_NODE_CHAIN;
}
c`

`;
function is_stable_node_dup(dup: ptr<ksm_stable_node>): bool {
	'__always_inline';
	return dup.head == STABLE_NODE_DUP_HEAD;
}
c`

/*
 * The stable tree, its chains and their counters change only under
 * ksm_thread_mutex: ksmd holds it across ksm_do_scan(), and so do the
 * sysfs writers that unmerge or remove stable nodes.  Memory hotremove
 * keeps them out instead: ksm_memory_callback() sets KSM_RUN_OFFLINE
 * under the mutex, then ksm_check_stable_tree() prunes the tree without
 * holding it.
 */
`;
function ksm_assert_stable_tree_locked(): void {
	'inline';
	lockdep_assert(lockdep_is_held(addr(ksm_thread_mutex)) ||
		       (ksm_run & KSM_RUN_OFFLINE));
}
c`

`;
function stable_node_chain_add_dup(dup: ptr<ksm_stable_node>,
					     chain: ptr<ksm_stable_node>): void {
	'inline';
	ksm_assert_stable_tree_locked();
	VM_BUG_ON(is_stable_node_dup(dup));
	dup.head = STABLE_NODE_DUP_HEAD;
	VM_BUG_ON(!is_stable_node_chain(chain));
	hlist_add_head(addr(dup.hlist_dup), addr(chain.hlist));
	ksm_stable_node_dups++;
}
c`

`;
function __stable_node_dup_del(dup: ptr<ksm_stable_node>): void {
	'inline';
	ksm_assert_stable_tree_locked();
	VM_BUG_ON(!is_stable_node_dup(dup));
	hlist_del(addr(dup.hlist_dup));
	ksm_stable_node_dups--;
}
c`

`;
function stable_node_dup_del(dup: ptr<ksm_stable_node>): void {
	'inline';
	VM_BUG_ON(is_stable_node_chain(dup));
	if (is_stable_node_dup(dup))
		__stable_node_dup_del(dup);
	else
		rb_erase(addr(dup.node), ptr_add(root_stable_tree, NUMA(dup.nid)));
if (ifdef(CONFIG_DEBUG_VM)) {
	dup.head = NULL;
}
}
c`

`;
function alloc_rmap_item(): ptr<ksm_rmap_item> {
	'inline';
	let rmap_item: ptr<ksm_rmap_item>;

	rmap_item = kmem_cache_zalloc(rmap_item_cache, GFP_KERNEL |
						__GFP_NORETRY | __GFP_NOWARN);
	if (rmap_item)
		ksm_rmap_items++;
	return rmap_item;
}
c`

`;
function free_rmap_item(rmap_item: ptr<ksm_rmap_item>): void {
	'inline';
	ksm_rmap_items--;
	rmap_item.mm.ksm_rmap_items--;
	rmap_item.mm = NULL;	/* debug safety */
	kmem_cache_free(rmap_item_cache, rmap_item);
}
c`

`;
function alloc_stable_node(): ptr<ksm_stable_node> {
	'inline';
	/*
	 * The allocation can take too long with GFP_KERNEL when memory is under
	 * pressure, which may lead to hung task warnings.  Adding __GFP_HIGH
	 * grants access to memory reserves, helping to avoid this problem.
	 */
	return kmem_cache_alloc(stable_node_cache, GFP_KERNEL | __GFP_HIGH);
}
c`

`;
function free_stable_node(stable_node: ptr<ksm_stable_node>): void {
	'inline';
	ksm_assert_stable_tree_locked();
	VM_BUG_ON(stable_node.rmap_hlist_len &&
		  !is_stable_node_chain(stable_node));
	kmem_cache_free(stable_node_cache, stable_node);
}
c`

/*
 * ksmd, and unmerge_and_remove_all_rmap_items(), must not touch an mm's
 * page tables after it has passed through ksm_exit() - which, if necessary,
 * takes mmap_lock briefly to serialize against them.  ksm_exit() does not set
 * a special flag: they can just back out as soon as mm_users goes to zero.
 * ksm_test_exit() is used throughout to make this test for exit: in some
 * places for correctness, in some places just to avoid unnecessary work.
 */
`;
function ksm_test_exit(mm: ptr<mm_struct>): bool {
	'inline';
	return atomic_read(addr(mm.mm_users)) == 0;
}
c`

`;
function break_ksm_pmd_entry(pmdp: ptr<pmd_t>, addr: ulong, end: ulong,
			walk: ptr<mm_walk>): int_bool {
	let found_addr: ptr<ulong> = cast<ptr<ulong>> (walk.private);
	let mm: ptr<mm_struct> = walk.mm;
	let start_ptep: ptr<pte_t>, ptep: ptr<pte_t>;
	let ptl!: ptr<spinlock_t>;
	let found: int_bool = 0;

	if (ksm_test_exit(walk.mm))
		return 0;
	if (signal_pending(current))
		return -ERESTARTSYS;

	start_ptep = pte_offset_map_lock(mm, pmdp, addr, ref(ptl, (v) => ptl = v));
	if (!start_ptep)
		return 0;

out_unlock: {
	for (ptep = start_ptep; addr < end; ptr_inc(ref(ptep, (v) => ptep = v)), addr += PAGE_SIZE) {
		let pte: pte_t = ptep_get(ptep);
		let folio: ptr<folio> = NULL;

		if (pte_present(pte)) {
			folio = vm_normal_folio(walk.vma, addr, pte);
		} else if (!pte_none(pte)) {
			const entry: softleaf_t = softleaf_from_pte(pte);

			/*
			 * As KSM pages remain KSM pages until freed, no need to wait
			 * here for migration to end.
			 */
			if (softleaf_is_migration(entry))
				folio = softleaf_to_folio(entry);
		}
		/* return 1 if the page is an normal ksm page or KSM-placed zero page */
		found = (folio && folio_test_ksm(folio)) ||
			(pte_present(pte) && is_ksm_zero_pte(pte));
		if (found) {
			found_addr.deref = addr;
			break out_unlock;
		}
	}
}
	pte_unmap_unlock(start_ptep, ptl);
	return found;
}
c`

`;
const break_ksm_ops: mm_walk_ops = struct_init(mm_walk_ops, {
	pmd_entry: break_ksm_pmd_entry,
	walk_lock: PGWALK_RDLOCK,
});
c`

`;
const break_ksm_lock_vma_ops: mm_walk_ops = struct_init(mm_walk_ops, {
	pmd_entry: break_ksm_pmd_entry,
	walk_lock: PGWALK_WRLOCK,
});
c`

/*
 * Though it's very tempting to unmerge rmap_items from stable tree rather
 * than check every pte of a given vma, the locking doesn't quite work for
 * that - an rmap_item is assigned to the stable tree after inserting ksm
 * page and upping mmap_lock.  Nor does it fit with the way we skip dup'ing
 * rmap_items from parent to child at fork time (so as not to waste time
 * if exit comes before the next scan reaches it).
 *
 * Similarly, although we'd like to remove rmap_items (so updating counts
 * and freeing memory) when unmerging an area, it's easier to leave that
 * to the next pass of ksmd - consider, for example, how ksmd might be
 * in cmp_and_merge_page on one of the rmap_items we would be removing.
 *
 * We use break_ksm to break COW on a ksm page by triggering unsharing,
 * such that the ksm page will get replaced by an exclusive anonymous page.
 *
 * We take great care only to touch a ksm page, in a VM_MERGEABLE vma,
 * in case the application has unmapped and remapped mm,addr meanwhile.
 * Could a ksm page appear anywhere else?  Actually yes, in a VM_PFNMAP
 * mmap of /dev/mem, where we would not want to touch it.
 *
 * FAULT_FLAG_REMOTE/FOLL_REMOTE are because we do this outside the context
 * of the process that owns 'vma'.  We also do not want to enforce
 * protection keys here anyway.
 */
`;
function break_ksm(vma: ptr<vm_area_struct>, addr: ulong,
		end: ulong, lock_vma: bool): int {
	let ret: vm_fault_t = 0;
	let ops: ptr<const_<mm_walk_ops>> = lock_vma ?
				addr_(break_ksm_lock_vma_ops) : addr_(break_ksm_ops);

	do {
		let ksm_page: int;

		cond_resched();
		ksm_page = walk_page_range_vma(vma, addr, end, ops, ref(addr, (v) => addr = v));
		if (ksm_page <= 0)
			return ksm_page;
		ret = handle_mm_fault(vma, addr,
				      FAULT_FLAG_UNSHARE | FAULT_FLAG_REMOTE,
				      NULL);
	} while (!(ret & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_OOM)));
	/*
	 * We must loop until we no longer find a KSM page because
	 * handle_mm_fault() may back out if there's any difficulty e.g. if
	 * pte accessed bit gets updated concurrently.
	 *
	 * VM_FAULT_SIGBUS could occur if we race with truncation of the
	 * backing file, which also invalidates anonymous pages: that's
	 * okay, that truncation will have unmapped the KSM page for us.
	 *
	 * VM_FAULT_OOM: at the time of writing (late July 2009), setting
	 * aside mem_cgroup limits, VM_FAULT_OOM would only be set if the
	 * current task has TIF_MEMDIE set, and will be OOM killed on return
	 * to user; and ksmd, having no mm, would never be chosen for that.
	 *
	 * But if the mm is in a limited mem_cgroup, then the fault may fail
	 * with VM_FAULT_OOM even if the current task is not TIF_MEMDIE; and
	 * even ksmd can fail in this way - though it's usually breaking ksm
	 * just to undo a merge it made a moment before, so unlikely to oom.
	 *
	 * That's a pity: we might therefore have more kernel pages allocated
	 * than we're counting as nodes in the stable tree; but ksm_do_scan
	 * will retry to break_cow on each pass, so should recover the page
	 * in due course.  The important thing is to not let VM_MERGEABLE
	 * be cleared while any such pages might remain in the area.
	 */
	return (ret & VM_FAULT_OOM) ? -ENOMEM : 0;
}
c`

`;
function ksm_compatible(file: ptr<const_<file>>, vma_flags: vma_flags_t): bool {
	/* Just ignore the advice. */
	if (vma_flags_test_any(addr(vma_flags), VMA_SHARED_BIT, VMA_MAYSHARE_BIT,
			       VMA_HUGETLB_BIT))
		return false;
	if (vma_flags_test_single_mask(addr(vma_flags), VMA_DROPPABLE))
		return false;
	if (vma_flags_test_any_mask(addr(vma_flags), VMA_SPECIAL_FLAGS))
		return false;
	if (file_is_dax(file))
		return false;
if (ifdef(VM_SAO)) {
	if (vma_flags_test(addr(vma_flags), VMA_SAO_BIT))
		return false;
}
if (ifdef(VM_SPARC_ADI)) {
	if (vma_flags_test(addr(vma_flags), VMA_SPARC_ADI_BIT))
		return false;
}

	return true;
}
c`

`;
function vma_ksm_compatible(vma: ptr<vm_area_struct>): bool {
	return ksm_compatible(vma.vm_file, vma.flags);
}
c`

`;
function find_mergeable_vma(mm: ptr<mm_struct>,
		addr: ulong): ptr<vm_area_struct> {
	let vma: ptr<vm_area_struct>;
	if (ksm_test_exit(mm))
		return NULL;
	vma = vma_lookup(mm, addr);
	if (!vma || !(vma.vm_flags & VM_MERGEABLE) || !vma.anon_vma)
		return NULL;
	return vma;
}
c`

`;
function break_cow(rmap_item: ptr<ksm_rmap_item>): void {
	let mm: ptr<mm_struct> = rmap_item.mm;
	let addr: ulong = rmap_item.address;
	let vma: ptr<vm_area_struct>;

	/*
	 * It is not an accident that whenever we want to break COW
	 * to undo, we also need to drop a reference to the anon_vma.
	 */
	put_anon_vma(rmap_item.anon_vma);

	mmap_read_lock(mm);
	vma = find_mergeable_vma(mm, addr);
	if (vma)
		break_ksm(vma, addr, addr + PAGE_SIZE, false);
	mmap_read_unlock(mm);
}
c`

`;
function get_mergeable_page(rmap_item: ptr<ksm_rmap_item>): ptr<page> {
	let mm: ptr<mm_struct> = rmap_item.mm;
	let addr: ulong = rmap_item.address;
	let vma: ptr<vm_area_struct>;
	let page: ptr<page> = NULL;
	let fw: folio_walk = uninit(folio_walk);
	let folio: ptr<folio>;

	mmap_read_lock(mm);
	vma = find_mergeable_vma(mm, addr);
out: {
	if (!vma)
		break out;

	folio = folio_walk_start(addr_(fw), vma, addr, 0);
	if (folio) {
		if (!folio_is_zone_device(folio) &&
		    folio_test_anon(folio)) {
			folio_get(folio);
			page = fw.page;
		}
		folio_walk_end(addr_(fw), vma);
	}
}
	if (page) {
		flush_anon_page(vma, page, addr);
		flush_dcache_page(page);
	}
	mmap_read_unlock(mm);
	return page;
}
c`

/*
 * This helper is used for getting right index into array of tree roots.
 * When merge_across_nodes knob is set to 1, there are only two rb-trees for
 * stable and unstable pages from all nodes with roots in index 0. Otherwise,
 * every node has its own stable and unstable tree.
 */
`;
function get_kpfn_nid(kpfn: ulong): int {
	'inline';
	return ksm_merge_across_nodes ? 0 : NUMA(pfn_to_nid(kpfn));
}
c`

`;
function alloc_stable_node_chain(dup: ptr<ksm_stable_node>,
						   root: ptr<rb_root>): ptr<ksm_stable_node> {
	let chain: ptr<ksm_stable_node> = alloc_stable_node();
	VM_BUG_ON(is_stable_node_chain(dup));
	if (likely(chain)) {
		INIT_HLIST_HEAD(addr(chain.hlist));
		chain.chain_prune_time = jiffies;
		chain.rmap_hlist_len = STABLE_NODE_CHAIN;
if (defined (CONFIG_DEBUG_VM) && defined(CONFIG_NUMA)) {
		chain.nid = NUMA_NO_NODE; /* debug */
}
		ksm_stable_node_chains++;

		/*
		 * Put the stable node chain in the first dimension of
		 * the stable tree and at the same time remove the old
		 * stable node.
		 */
		rb_replace_node(addr(dup.node), addr(chain.node), root);

		/*
		 * Move the old stable node to the second dimension
		 * queued in the hlist_dup. The invariant is that all
		 * dup stable_nodes in the chain->hlist point to pages
		 * that are write protected and have the exact same
		 * content.
		 */
		stable_node_chain_add_dup(dup, chain);
	}
	return chain;
}
c`

`;
function free_stable_node_chain(chain: ptr<ksm_stable_node>,
					  root: ptr<rb_root>): void {
	'inline';
	rb_erase(addr(chain.node), root);
	free_stable_node(chain);
	ksm_stable_node_chains--;
}
c`

`;
function remove_node_from_stable_tree(stable_node: ptr<ksm_stable_node>): void {
	let rmap_item: ptr<ksm_rmap_item>;

	/* check it's not STABLE_NODE_CHAIN or negative */
	BUG_ON(stable_node.rmap_hlist_len < 0);

	for (rmap_item of hlist_for_each_entry(addr(stable_node.hlist), 'hlist')) {
		if (rmap_item.hlist.next) {
			ksm_pages_sharing--;
			trace_ksm_remove_rmap_item(stable_node.kpfn, rmap_item, rmap_item.mm);
		} else {
			ksm_pages_shared--;
		}

		rmap_item.mm.ksm_merging_pages--;

		VM_BUG_ON(stable_node.rmap_hlist_len <= 0);
		stable_node.rmap_hlist_len--;
		put_anon_vma(rmap_item.anon_vma);
		rmap_item.address &= PAGE_MASK;
		cond_resched();
	}

	/*
	 * We need the second aligned pointer of the migrate_nodes
	 * list_head to stay clear from the rb_parent_color union
	 * (aligned and different than any node) and also different
	 * from &migrate_nodes. This will verify that future list.h changes
	 * don't break STABLE_NODE_DUP_HEAD. Only recent gcc can handle it.
	 */
	BUILD_BUG_ON(STABLE_NODE_DUP_HEAD <= addr(migrate_nodes));
	BUILD_BUG_ON(STABLE_NODE_DUP_HEAD >= ptr_add(addr(migrate_nodes), 1));

	trace_ksm_remove_ksm_page(stable_node.kpfn);
	if (stable_node.head == addr(migrate_nodes))
		list_del(addr(stable_node.list));
	else
		stable_node_dup_del(stable_node);
	free_stable_node(stable_node);
}
c`

enum ksm_get_folio_flags {
	KSM_GET_FOLIO_NOLOCK,
	KSM_GET_FOLIO_LOCK,
	KSM_GET_FOLIO_TRYLOCK
};

/*
 * ksm_get_folio: checks if the page indicated by the stable node
 * is still its ksm page, despite having held no reference to it.
 * In which case we can trust the content of the page, and it
 * returns the gotten page; but if the page has now been zapped,
 * remove the stale node from the stable tree and return NULL.
 * But beware, the stable node's page might be being migrated.
 *
 * You would expect the stable_node to hold a reference to the ksm page.
 * But if it increments the page's count, swapping out has to wait for
 * ksmd to come around again before it can free the page, which may take
 * seconds or even minutes: much too unresponsive.  So instead we use a
 * "keyhole reference": access to the ksm page from the stable node peeps
 * out through its keyhole to see if that page still holds the right key,
 * pointing back to this stable node.  This relies on freeing a PageAnon
 * page to reset its page->mapping to NULL, and relies on no other use of
 * a page to put something that might look like our key in page->mapping.
 * is on its way to being freed; but it is an anomaly to bear in mind.
 */
`;
function ksm_get_folio(stable_node: ptr<ksm_stable_node>,
				 flags: ksm_get_folio_flags): ptr<folio> {
	let folio: ptr<folio>;
	let expected_mapping: ptr<void>;
	let kpfn: ulong;

	expected_mapping = cast<ptr<void>>(cast<ulong>(stable_node) |
					FOLIO_MAPPING_KSM);
again: for (;;) {
	kpfn = READ_ONCE(stable_node.kpfn); /* Address dependency. */
	folio = pfn_folio(kpfn);
stale: {
	if (READ_ONCE(folio.mapping) != expected_mapping)
		break stale;

	/*
	 * We cannot do anything with the page while its refcount is 0.
	 * Usually 0 means free, or tail of a higher-order page: in which
	 * case this node is no longer referenced, and should be freed;
	 * however, it might mean that the page is under page_ref_freeze().
	 * The __remove_mapping() case is easy, again the node is now stale;
	 * the same is in reuse_ksm_page() case; but if page is swapcache
	 * in folio_migrate_mapping(), it might still be our page,
	 * in which case it's essential to keep the node.
	 */
	while (!folio_try_get(folio)) {
		/*
		 * Another check for folio->mapping != expected_mapping
		 * would work here too.  We have chosen to test the
		 * swapcache flag to optimize the common case, when the
		 * folio is or is about to be freed: the swapcache flag
		 * is cleared (under spin_lock_irq) in the ref_freeze
		 * section of __remove_mapping(); but anon folio->mapping
		 * is reset to NULL later, in free_pages_prepare().
		 */
		if (!folio_test_swapcache(folio))
			break stale;
		cpu_relax();
	}

	if (READ_ONCE(folio.mapping) != expected_mapping) {
		folio_put(folio);
		break stale;
	}

	if (flags == KSM_GET_FOLIO_TRYLOCK) {
		if (!folio_trylock(folio)) {
			folio_put(folio);
			return ERR_PTR(-EBUSY);
		}
	} else if (flags == KSM_GET_FOLIO_LOCK)
		folio_lock(folio);

	if (flags != KSM_GET_FOLIO_NOLOCK) {
		if (READ_ONCE(folio.mapping) != expected_mapping) {
			folio_unlock(folio);
			folio_put(folio);
			break stale;
		}
	}
	return folio;

}
	/*
	 * We come here from above when folio->mapping or the swapcache flag
	 * suggests that the node is stale; but it might be under migration.
	 * We need smp_rmb(), matching the smp_wmb() in folio_migrate_ksm(),
	 * before checking whether node->kpfn has been changed.
	 */
	smp_rmb();
	if (READ_ONCE(stable_node.kpfn) != kpfn)
		continue again;
	remove_node_from_stable_tree(stable_node);
	return NULL;
}
}
c`

/*
 * Removing rmap_item from stable or unstable tree.
 * This function will clean the information from the stable/unstable tree.
 */
`;
function remove_rmap_item_from_tree(rmap_item: ptr<ksm_rmap_item>): void {
out: {
	if (rmap_item.address & STABLE_FLAG) {
		let stable_node: ptr<ksm_stable_node>;
		let folio: ptr<folio>;

		stable_node = rmap_item.head;
		folio = ksm_get_folio(stable_node, KSM_GET_FOLIO_LOCK);
		if (!folio)
			break out;

		hlist_del(addr(rmap_item.hlist));
		folio_unlock(folio);
		folio_put(folio);

		if (!hlist_empty(addr(stable_node.hlist)))
			ksm_pages_sharing--;
		else
			ksm_pages_shared--;

		rmap_item.mm.ksm_merging_pages--;

		VM_BUG_ON(stable_node.rmap_hlist_len <= 0);
		stable_node.rmap_hlist_len--;

		put_anon_vma(rmap_item.anon_vma);
		rmap_item.head = NULL;
		rmap_item.address &= PAGE_MASK;

	} else if (rmap_item.address & UNSTABLE_FLAG) {
		let age: uchar;
		/*
		 * Usually ksmd can and must skip the rb_erase, because
		 * root_unstable_tree was already reset to RB_ROOT.
		 * But be careful when an mm is exiting: do the rb_erase
		 * if this rmap_item was inserted by this scan, rather
		 * than left over from before.
		 */
		age = to_uchar((ksm_scan.seqnr - rmap_item.address));
		BUG_ON(age > 1);
		if (!age)
			rb_erase(addr(rmap_item.node),
				 ptr_add(root_unstable_tree, NUMA(rmap_item.nid)));
		ksm_pages_unshared--;
		rmap_item.address &= PAGE_MASK;
	}
}
	cond_resched();		/* we're called from many long loops */
}
c`

`;
function remove_trailing_rmap_items(rmap_list: ptr<ptr<ksm_rmap_item>>): void {
	while (rmap_list.deref) {
		let rmap_item: ptr<ksm_rmap_item> = rmap_list.deref;
		rmap_list.deref = rmap_item.rmap_list;
		remove_rmap_item_from_tree(rmap_item);
		free_rmap_item(rmap_item);
	}
}
c`

`;
function folio_stable_node(folio: ptr<const_<folio>>): ptr<ksm_stable_node> {
	'inline';
	'\n';
	return folio_test_ksm(folio) ? folio_raw_mapping(folio) : NULL;
}
c`

`;
function folio_set_stable_node(folio: ptr<folio>,
					 stable_node: ptr<ksm_stable_node>): void {
	'inline';
	VM_WARN_ON_FOLIO(folio_test_anon(folio) && PageAnonExclusive(addr(folio.page)), folio);
	folio.mapping = cast<ptr<void>>(cast<ulong>(stable_node) | FOLIO_MAPPING_KSM);
}
c`

#ifdef CONFIG_SYSFS
/*
 * Only called through the sysfs control interface:
 */
`;
function remove_stable_node(stable_node: ptr<ksm_stable_node>): int {
	let folio: ptr<folio>;
	let err: int;

	folio = ksm_get_folio(stable_node, KSM_GET_FOLIO_LOCK);
	if (!folio) {
		/*
		 * ksm_get_folio did remove_node_from_stable_tree itself.
		 */
		return 0;
	}

	/*
	 * Page could be still mapped if this races with __mmput() running in
	 * between ksm_exit() and exit_mmap(). Just refuse to let
	 * merge_across_nodes/max_page_sharing be switched.
	 */
	err = -EBUSY;
	if (!folio_mapped(folio)) {
		/*
		 * The stable node did not yet appear stale to ksm_get_folio(),
		 * since that allows for an unmapped ksm folio to be recognized
		 * right up until it is freed; but the node is safe to remove.
		 * This folio might be in an LRU cache waiting to be freed,
		 * or it might be in the swapcache (perhaps under writeback),
		 * or it might have been removed from swapcache a moment ago.
		 */
		folio_set_stable_node(folio, NULL);
		remove_node_from_stable_tree(stable_node);
		err = 0;
	}

	folio_unlock(folio);
	folio_put(folio);
	return err;
}
c`

`;
function remove_stable_node_chain(stable_node: ptr<ksm_stable_node>,
				    root: ptr<rb_root>): int_bool {
	let dup: ptr<ksm_stable_node>;
	let hlist_safe: ptr<hlist_node>;

	if (!is_stable_node_chain(stable_node)) {
		VM_BUG_ON(is_stable_node_dup(stable_node));
		if (remove_stable_node(stable_node))
			return true;
		else
			return false;
	}

	for ([dup, hlist_safe] of hlist_for_each_entry_safe(
				  addr(stable_node.hlist), 'hlist_dup')) {
		VM_BUG_ON(!is_stable_node_dup(dup));
		if (remove_stable_node(dup))
			return true;
	}
	BUG_ON(!hlist_empty(addr(stable_node.hlist)));
	free_stable_node_chain(stable_node, root);
	return false;
}
c`

`;
function remove_all_stable_nodes(): int {
	let stable_node: ptr<ksm_stable_node>, next: ptr<ksm_stable_node>;
	let nid: int;
	let err: int = 0;

	for (nid = 0; nid < ksm_nr_node_ids; nid++) {
		while (elem(root_stable_tree, nid).rb_node) {
			stable_node = rb_entry(elem(root_stable_tree, nid).rb_node,
						ksm_stable_node, 'node');
			if (remove_stable_node_chain(stable_node,
						     ptr_add(root_stable_tree, nid))) {
				err = -EBUSY;
				break;	/* proceed to next nid */
			}
			cond_resched();
		}
	}
	for ([stable_node, next] of list_for_each_entry_safe(addr(migrate_nodes), 'list')) {
		if (remove_stable_node(stable_node))
			err = -EBUSY;
		cond_resched();
	}
	return err;
}
c`

`;
function unmerge_and_remove_all_rmap_items(): int {
	let mm_slot: ptr<ksm_mm_slot>;
	let slot: ptr<mm_slot>;
	let mm: ptr<mm_struct>;
	let vma: ptr<vm_area_struct>;
	let err: int = 0;

	spin_lock(addr(ksm_mmlist_lock));
	slot = list_entry(ksm_mm_head.slot.mm_node.next,
			  struct_mm_slot, 'mm_node');
	ksm_scan.mm_slot = mm_slot_entry(slot, ksm_mm_slot, 'slot');
	spin_unlock(addr(ksm_mmlist_lock));

error: {
	for (mm_slot = ksm_scan.mm_slot; mm_slot != addr(ksm_mm_head);
	     mm_slot = ksm_scan.mm_slot) {
		let vmi: vma_iterator = VMA_ITERATOR(mm_slot.slot.mm, 0);

		mm = mm_slot.slot.mm;
		mmap_read_lock(mm);

		/*
		 * Exit right away if mm is exiting to avoid lockdep issue in
		 * the maple tree
		 */
mm_exiting: {
		if (ksm_test_exit(mm))
			break mm_exiting;

		for (vma of for_each_vma(vmi)) {
			if (!(vma.vm_flags & VM_MERGEABLE) || !vma.anon_vma)
				continue;
			err = break_ksm(vma, vma.vm_start, vma.vm_end, false);
			if (err)
				break error;
		}

}
		remove_trailing_rmap_items(addr_of(mm_slot, 'rmap_list'));
		mmap_read_unlock(mm);

		spin_lock(addr(ksm_mmlist_lock));
		slot = list_entry(mm_slot.slot.mm_node.next,
				  struct_mm_slot, 'mm_node');
		ksm_scan.mm_slot = mm_slot_entry(slot, ksm_mm_slot, 'slot');
		if (ksm_test_exit(mm)) {
			hash_del(addr(mm_slot.slot.hash));
			list_del(addr(mm_slot.slot.mm_node));
			spin_unlock(addr(ksm_mmlist_lock));

			mm_slot_free(mm_slot_cache, mm_slot);
			mm_flags_clear(MMF_VM_MERGEABLE, mm);
			mm_flags_clear(MMF_VM_MERGE_ANY, mm);
			mmdrop(mm);
		} else
			spin_unlock(addr(ksm_mmlist_lock));
	}

	/* Clean up stable nodes, but don't worry if some are still busy */
	remove_all_stable_nodes();
	ksm_scan.seqnr = 0;
	return 0;

}
	mmap_read_unlock(mm);
	spin_lock(addr(ksm_mmlist_lock));
	ksm_scan.mm_slot = addr(ksm_mm_head);
	spin_unlock(addr(ksm_mmlist_lock));
	return err;
}
c`
#endif /* CONFIG_SYSFS */

`;
function calc_checksum(page: ptr<page>): u32 {
	let checksum: u32;
	let addr: ptr<void> = kmap_local_page(page);
	checksum = xxhash(addr, PAGE_SIZE, 0);
	kunmap_local(addr);
	return checksum;
}
c`

`;
function write_protect_page(vma: ptr<vm_area_struct>, folio: ptr<folio>,
			      orig_pte: out_param<pte_t>): int {
	let mm: ptr<mm_struct> = vma.vm_mm;
	let pvmw: struct_page_vma_mapped_walk = DEFINE_FOLIO_VMA_WALK(folio, vma, 0, 0);
	let swapped: int;
	let err: int = -EFAULT;
	let range: mmu_notifier_range = uninit(mmu_notifier_range);
	let anon_exclusive: bool;
	let entry: pte_t;

	if (WARN_ON_ONCE(folio_test_large(folio)))
		return err;

	pvmw.address = page_address_in_vma(folio, folio_page(folio, 0), vma);
out: {
	if (pvmw.address == -EFAULT)
		break out;

	mmu_notifier_range_init(addr(range), MMU_NOTIFY_CLEAR, 0, mm, pvmw.address,
				pvmw.address + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(addr(range));

out_mn: {
	if (!page_vma_mapped_walk(addr(pvmw)))
		break out_mn;
out_unlock: {
	if (WARN_ONCE(!pvmw.pte, "Unexpected PMD mapping?"))
		break out_unlock;

	entry = ptep_get(pvmw.pte);
	/*
	 * Handle PFN swap PTEs, such as device-exclusive ones, that actually
	 * map pages: give up just like the next folio_walk would.
	 */
	if (unlikely(!pte_present(entry)))
		break out_unlock;

	anon_exclusive = PageAnonExclusive(addr(folio.page));
	if (pte_write(entry) || pte_dirty(entry) ||
	    anon_exclusive || mm_tlb_flush_pending(mm)) {
		swapped = folio_test_swapcache(folio);
		flush_cache_page(vma, pvmw.address, folio_pfn(folio));
		/*
		 * Ok this is tricky, when get_user_pages_fast() run it doesn't
		 * take any lock, therefore the check that we are going to make
		 * with the pagecount against the mapcount is racy and
		 * O_DIRECT can happen right after the check.
		 * So we clear the pte and flush the tlb before the check
		 * this assure us that no O_DIRECT can happen after the check
		 * or in the middle of the check.
		 *
		 * No need to notify as we are downgrading page table to read
		 * only not changing it to point to a new page.
		 *
		 * See Documentation/mm/mmu_notifier.rst
		 */
		entry = ptep_clear_flush(vma, pvmw.address, pvmw.pte);
		/*
		 * Check that no O_DIRECT or similar I/O is in progress on the
		 * page
		 */
		if (folio_mapcount(folio) + 1 + swapped != folio_ref_count(folio)) {
			set_pte_at(mm, pvmw.address, pvmw.pte, entry);
			break out_unlock;
		}

		/* See folio_try_share_anon_rmap_pte(): clear PTE first. */
		if (anon_exclusive &&
		    folio_try_share_anon_rmap_pte(folio, addr(folio.page))) {
			set_pte_at(mm, pvmw.address, pvmw.pte, entry);
			break out_unlock;
		}

		if (pte_dirty(entry))
			folio_mark_dirty(folio);
		entry = pte_mkclean(entry);

		if (pte_write(entry))
			entry = pte_wrprotect(entry);

		set_pte_at(mm, pvmw.address, pvmw.pte, entry);
	}
	orig_pte.deref = entry;
	err = 0;

}
	page_vma_mapped_walk_done(addr(pvmw));
}
	mmu_notifier_invalidate_range_end(addr(range));
}
	return err;
}
c`

/**
 * replace_page - replace page in vma by new ksm page
 * @vma:      vma that holds the pte pointing to page
 * @page:     the page we are replacing by kpage
 * @kpage:    the ksm page we replace page by
 * @orig_pte: the original value of the pte
 *
 * Returns 0 on success, -EFAULT on failure.
 */
`;
function replace_page(vma: ptr<vm_area_struct>, page: ptr<page>,
			kpage: ptr<page>, orig_pte: pte_t): int {
	let kfolio: ptr<folio> = page_folio(kpage);
	let mm: ptr<mm_struct> = vma.vm_mm;
	let folio: ptr<folio> = page_folio(page);
	let pmd: ptr<pmd_t>;
	let pmde: pmd_t;
	let ptep: ptr<pte_t>;
	let newpte: pte_t;
	let ptl!: ptr<spinlock_t>;
	let addr: ulong;
	let err: int = -EFAULT;
	let range: mmu_notifier_range = uninit(mmu_notifier_range);

	addr = page_address_in_vma(folio, page, vma);
out: {
	if (addr == -EFAULT)
		break out;

	pmd = mm_find_pmd(mm, addr);
	if (!pmd)
		break out;
	/*
	 * Some THP functions use the sequence pmdp_huge_clear_flush(), set_pmd_at()
	 * without holding anon_vma lock for write.  So when looking for a
	 * genuine pmde (in which to find pte), test present and !THP together.
	 */
	pmde = pmdp_get_lockless(pmd);
	if (!pmd_present(pmde) || pmd_trans_huge(pmde))
		break out;

	mmu_notifier_range_init(addr_(range), MMU_NOTIFY_CLEAR, 0, mm, addr,
				addr + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(addr_(range));

	ptep = pte_offset_map_lock(mm, pmd, addr, ref(ptl, (v) => ptl = v));
out_mn: {
	if (!ptep)
		break out_mn;
	if (!pte_same(ptep_get(ptep), orig_pte)) {
		pte_unmap_unlock(ptep, ptl);
		break out_mn;
	}
	VM_BUG_ON_PAGE(PageAnonExclusive(page), page);
	VM_BUG_ON_FOLIO(folio_test_anon(kfolio) && PageAnonExclusive(kpage),
			kfolio);

	/*
	 * No need to check ksm_use_zero_pages here: we can only have a
	 * zero_page here if ksm_use_zero_pages was enabled already.
	 */
	if (!is_zero_pfn(page_to_pfn(kpage))) {
		folio_get(kfolio);
		folio_add_anon_rmap_pte(kfolio, kpage, vma, addr, RMAP_NONE);
		newpte = mk_pte(kpage, vma.vm_page_prot);
	} else {
		/*
		 * Use pte_mkdirty to mark the zero page mapped by KSM, and then
		 * we can easily track all KSM-placed zero pages by checking if
		 * the dirty bit in zero page's PTE is set.
		 */
		newpte = pte_mkdirty(pte_mkspecial(pfn_pte(page_to_pfn(kpage), vma.vm_page_prot)));
		ksm_map_zero_page(mm);
		/*
		 * We're replacing an anonymous page with a zero page, which is
		 * not anonymous. We need to do proper accounting otherwise we
		 * will get wrong values in /proc, and a BUG message in dmesg
		 * when tearing down the mm.
		 */
		dec_mm_counter(mm, MM_ANONPAGES);
	}

	flush_cache_page(vma, addr, pte_pfn(ptep_get(ptep)));
	/*
	 * No need to notify as we are replacing a read only page with another
	 * read only page with the same content.
	 *
	 * See Documentation/mm/mmu_notifier.rst
	 */
	ptep_clear_flush(vma, addr, ptep);
	set_pte_at(mm, addr, ptep, newpte);

	folio_remove_rmap_pte(folio, page, vma);
	if (!folio_mapped(folio))
		folio_free_swap(folio);
	folio_put(folio);

	pte_unmap_unlock(ptep, ptl);
	err = 0;
}
	mmu_notifier_invalidate_range_end(addr_(range));
}
	return err;
}
c`

/*
 * try_to_merge_one_page - take two pages and merge them into one
 * @vma: the vma that holds the pte pointing to page
 * @page: the PageAnon page that we want to replace with kpage
 * @kpage: the KSM page that we want to map instead of page,
 *         or NULL the first time when we want to use page as kpage.
 *
 * This function returns 0 if the pages were merged, -EFAULT otherwise.
 */
`;
function try_to_merge_one_page(vma: ptr<vm_area_struct>,
				 page: ptr<page>, kpage: ptr<page>): int {
	let folio: ptr<folio> = page_folio(page);
	let orig_pte: pte_t = __pte(0);
	let err: int = -EFAULT;

	if (page == kpage)			/* ksm page forked */
		return 0;

out: {
	if (!folio_test_anon(folio))
		break out;

	/*
	 * We need the folio lock to read a stable swapcache flag in
	 * write_protect_page().  We trylock because we don't want to wait
	 * here - we prefer to continue scanning and merging different
	 * pages, then come back to this page when it is unlocked.
	 */
	if (!folio_trylock(folio))
		break out;

out_unlock: {
	if (folio_test_large(folio)) {
		if (split_huge_page(page))
			break out_unlock;
		folio = page_folio(page);
	}

	/*
	 * If this anonymous page is mapped only here, its pte may need
	 * to be write-protected.  If it's mapped elsewhere, all of its
	 * ptes are necessarily already write-protected.  But in either
	 * case, we need to lock and check page_count is not raised.
	 */
	if (write_protect_page(vma, folio, ref(orig_pte, (v) => orig_pte = v)) == 0) {
		if (!kpage) {
			/*
			 * While we hold folio lock, upgrade folio from
			 * anon to a NULL stable_node with the KSM flag set:
			 * stable_tree_insert() will update stable_node.
			 */
			folio_set_stable_node(folio, NULL);
			folio_mark_accessed(folio);
			/*
			 * Page reclaim just frees a clean folio with no dirty
			 * ptes: make sure that the ksm page would be swapped.
			 */
			if (!folio_test_dirty(folio))
				folio_mark_dirty(folio);
			err = 0;
		} else if (pages_identical(page, kpage))
			err = replace_page(vma, page, kpage, orig_pte);
	}

}
	folio_unlock(folio);
}
	return err;
}
c`

/*
 * This function returns 0 if the pages were merged or if they are
 * no longer merging candidates (e.g., VMA stale), -EFAULT otherwise.
 */
`;
function try_to_merge_with_zero_page(rmap_item: ptr<ksm_rmap_item>,
				       page: ptr<page>): int {
	let mm: ptr<mm_struct> = rmap_item.mm;
	let err: int = -EFAULT;

	/*
	 * Same checksum as an empty page. We attempt to merge it with the
	 * appropriate zero page if the user enabled this via sysfs.
	 */
	if (ksm_use_zero_pages && (rmap_item.oldchecksum == zero_checksum)) {
		let vma: ptr<vm_area_struct>;

		mmap_read_lock(mm);
		vma = find_mergeable_vma(mm, rmap_item.address);
		if (vma) {
			err = try_to_merge_one_page(vma, page,
					ZERO_PAGE(rmap_item.address));
			trace_ksm_merge_one_page(
				page_to_pfn(ZERO_PAGE(rmap_item.address)),
				rmap_item, mm, err);
		} else {
			/*
			 * If the vma is out of date, we do not need to
			 * continue.
			 */
			err = 0;
		}
		mmap_read_unlock(mm);
	}

	return err;
}
c`

/*
 * try_to_merge_with_ksm_page - like try_to_merge_two_pages,
 * but no new kernel page is allocated: kpage must already be a ksm page.
 *
 * This function returns 0 if the pages were merged, -EFAULT otherwise.
 */
`;
function try_to_merge_with_ksm_page(rmap_item: ptr<ksm_rmap_item>,
				      page: ptr<page>, kpage: ptr<page>): int {
	let mm: ptr<mm_struct> = rmap_item.mm;
	let vma: ptr<vm_area_struct>;
	let err: int = -EFAULT;

	mmap_read_lock(mm);
	vma = find_mergeable_vma(mm, rmap_item.address);
out: {
	if (!vma)
		break out;

	err = try_to_merge_one_page(vma, page, kpage);
	if (err)
		break out;

	/* Unstable nid is in union with stable anon_vma: remove first */
	remove_rmap_item_from_tree(rmap_item);

	/* Must get reference to anon_vma while still holding mmap_lock */
	rmap_item.anon_vma = vma.anon_vma;
	get_anon_vma(vma.anon_vma);
}
	mmap_read_unlock(mm);
	trace_ksm_merge_with_ksm_page(kpage, page_to_pfn(kpage ? kpage : page),
				rmap_item, mm, err);
	return err;
}
c`

/*
 * try_to_merge_two_pages - take two identical pages and prepare them
 * to be merged into one page.
 *
 * This function returns the kpage if we successfully merged two identical
 * pages into one ksm page, NULL otherwise.
 *
 * Note that this function upgrades page to ksm page: if one of the pages
 * is already a ksm page, try_to_merge_with_ksm_page should be used.
 */
`;
function try_to_merge_two_pages(rmap_item: ptr<ksm_rmap_item>,
					   page: ptr<page>,
					   tree_rmap_item: ptr<ksm_rmap_item>,
					   tree_page: ptr<page>): ptr<folio> {
	let err: int;

	err = try_to_merge_with_ksm_page(rmap_item, page, NULL);
	if (!err) {
		err = try_to_merge_with_ksm_page(tree_rmap_item,
							tree_page, page);
		/*
		 * If that fails, we have a ksm page with only one pte
		 * pointing to it: so break it.
		 */
		if (err)
			break_cow(rmap_item);
	}
	return err ? NULL : page_folio(page);
}
c`

`;
function __is_page_sharing_candidate(stable_node: ptr<ksm_stable_node>, offset: int): bool {
	'__always_inline';
	'\n';
	VM_BUG_ON(stable_node.rmap_hlist_len < 0);
	/*
	 * Check that at least one mapping still exists, otherwise
	 * there's no much point to merge and share with this
	 * stable_node, as the underlying tree_page of the other
	 * sharer is going to be freed soon.
	 */
	return stable_node.rmap_hlist_len &&
		stable_node.rmap_hlist_len + offset < ksm_max_page_sharing;
}
c`

`;
function is_page_sharing_candidate(stable_node: ptr<ksm_stable_node>): bool {
	'__always_inline';
	'\n';
	return __is_page_sharing_candidate(stable_node, 0);
}
c`

`;
function stable_node_dup(_stable_node_dup: ptr<ptr<ksm_stable_node>>,
				     _stable_node: ptr<ptr<ksm_stable_node>>,
				     root: ptr<rb_root>,
				     prune_stale_stable_nodes: bool): ptr<folio> {
	let dup: ptr<ksm_stable_node>, found: ptr<ksm_stable_node> = NULL, stable_node: ptr<ksm_stable_node> = _stable_node.deref;
	let hlist_safe: ptr<hlist_node>;
	let folio: ptr<folio>, tree_folio: ptr<folio> = NULL;
	let found_rmap_hlist_len!: int;

	if (!prune_stale_stable_nodes ||
	    time_before(jiffies, stable_node.chain_prune_time +
			msecs_to_jiffies(
				ksm_stable_node_chains_prune_millisecs)))
		prune_stale_stable_nodes = false;
	else
		stable_node.chain_prune_time = jiffies;

	for ([dup, hlist_safe] of hlist_for_each_entry_safe(
				  addr(stable_node.hlist), 'hlist_dup')) {
		cond_resched();
		/*
		 * We must walk all stable_node_dup to prune the stale
		 * stable nodes during lookup.
		 *
		 * ksm_get_folio can drop the nodes from the
		 * stable_node->hlist if they point to freed pages
		 * (that's why we do a _safe walk). The "dup"
		 * stable_node parameter itself will be freed from
		 * under us if it returns NULL.
		 */
		folio = ksm_get_folio(dup, KSM_GET_FOLIO_NOLOCK);
		if (!folio)
			continue;
		/* Pick the best candidate if possible. */
		if (!found || (is_page_sharing_candidate(dup) &&
		    (!is_page_sharing_candidate(found) ||
		     dup.rmap_hlist_len > found_rmap_hlist_len))) {
			if (found)
				folio_put(tree_folio);
			found = dup;
			found_rmap_hlist_len = found.rmap_hlist_len;
			tree_folio = folio;
			/* skip put_page for found candidate */
			if (!prune_stale_stable_nodes &&
			    is_page_sharing_candidate(found))
				break;
			continue;
		}
		folio_put(folio);
	}

	if (found) {
		if (hlist_is_singular_node(addr(found.hlist_dup), addr(stable_node.hlist))) {
			/*
			 * If there's not just one entry it would
			 * corrupt memory, better BUG_ON. In KSM
			 * context with no lock held it's not even
			 * fatal.
			 */
			BUG_ON(stable_node.hlist.first.next);

			/*
			 * There's just one entry and it is below the
			 * deduplication limit so drop the chain.
			 */
			rb_replace_node(addr(stable_node.node), addr(found.node),
					root);
			free_stable_node(stable_node);
			ksm_stable_node_chains--;
			ksm_stable_node_dups--;
			/*
			 * NOTE: the caller depends on the stable_node
			 * to be equal to stable_node_dup if the chain
			 * was collapsed.
			 */
			_stable_node.deref = found;
			/*
			 * Just for robustness, as stable_node is
			 * otherwise left as a stable pointer, the
			 * compiler shall optimize it away at build
			 * time.
			 */
			stable_node = NULL;
		} else if (stable_node.hlist.first != addr(found.hlist_dup) &&
			   __is_page_sharing_candidate(found, 1)) {
			/*
			 * If the found stable_node dup can accept one
			 * more future merge (in addition to the one
			 * that is underway) and is not at the head of
			 * the chain, put it there so next search will
			 * be quicker in the !prune_stale_stable_nodes
			 * case.
			 *
			 * NOTE: it would be inaccurate to use nr > 1
			 * instead of checking the hlist.first pointer
			 * directly, because in the
			 * prune_stale_stable_nodes case "nr" isn't
			 * the position of the found dup in the chain,
			 * but the total number of dups in the chain.
			 */
			hlist_del(addr(found.hlist_dup));
			hlist_add_head(addr(found.hlist_dup),
				       addr(stable_node.hlist));
		}
	} else {
		/* Its hlist must be empty if no one found. */
		free_stable_node_chain(stable_node, root);
	}

	_stable_node_dup.deref = found;
	return tree_folio;
}
c`

/*
 * Like for ksm_get_folio, this function can free the *_stable_node and
 * *_stable_node_dup if the returned tree_page is NULL.
 *
 * It can also free and overwrite *_stable_node with the found
 * stable_node_dup if the chain is collapsed (in which case
 * *_stable_node will be equal to *_stable_node_dup like if the chain
 * never existed). It's up to the caller to verify tree_page is not
 * NULL before dereferencing *_stable_node or *_stable_node_dup.
 *
 * *_stable_node_dup is really a second output parameter of this
 * function and will be overwritten in all cases, the caller doesn't
 * need to initialize it.
 */
`;
function __stable_node_chain(_stable_node_dup: ptr<ptr<ksm_stable_node>>,
					 _stable_node: ptr<ptr<ksm_stable_node>>,
					 root: ptr<rb_root>,
					 prune_stale_stable_nodes: bool): ptr<folio> {
	let stable_node: ptr<ksm_stable_node> = _stable_node.deref;

	if (!is_stable_node_chain(stable_node)) {
		_stable_node_dup.deref = stable_node;
		return ksm_get_folio(stable_node, KSM_GET_FOLIO_NOLOCK);
	}
	return stable_node_dup(_stable_node_dup, _stable_node, root,
			       prune_stale_stable_nodes);
}
c`

`;
function chain_prune(s_n_d: ptr<ptr<ksm_stable_node>>,
						 s_n: ptr<ptr<ksm_stable_node>>,
						 root: ptr<rb_root>): ptr<folio> {
	'__always_inline';
	return __stable_node_chain(s_n_d, s_n, root, true);
}
c`

`;
function chain(s_n_d: ptr<ptr<ksm_stable_node>>,
					   s_n: ptr<ptr<ksm_stable_node>>,
					   root: ptr<rb_root>): ptr<folio> {
	'__always_inline';
	return __stable_node_chain(s_n_d, s_n, root, false);
}
c`

/*
 * stable_tree_search - search for page inside the stable tree
 *
 * This function checks if there is a page inside the stable tree
 * with identical content to the page that we are scanning right now.
 *
 * This function returns the stable tree node of identical content if found,
 * -EBUSY if the stable node's page is being migrated, NULL otherwise.
 */
`;
function stable_tree_search(page: ptr<page>): ptr<folio> {
	let nid: int;
	let root: ptr<rb_root>;
	let new_: ptr<ptr<rb_node>>;
	let parent: ptr<rb_node>;
	let stable_node!: ptr<ksm_stable_node>, stable_node_dup!: ptr<ksm_stable_node>;
	let page_node: ptr<ksm_stable_node>;
	let folio: ptr<folio>;

	folio = page_folio(page);
	page_node = folio_stable_node(folio);
	if (page_node && page_node.head != addr(migrate_nodes)) {
		/* ksm page forked */
		folio_get(folio);
		return folio;
	}

	nid = get_kpfn_nid(folio_pfn(folio));
	root = ptr_add(root_stable_tree, nid);
again: for (let at = 'again';; at = 'again')
out: for (;; at = 'out')
replace: for (;; at = 'replace')
chain_append: for (;; at = 'chain_append')
switch (at) {
case 'again':
	new_ = addr_of(root, 'rb_node');
	parent = NULL;

	while (new_.deref) {
		let tree_folio: ptr<folio>;
		let ret: int;

		cond_resched();
		stable_node = rb_entry(new_.deref, ksm_stable_node, 'node');
		tree_folio = chain_prune(ref(stable_node_dup, (v) => stable_node_dup = v), ref(stable_node, (v) => stable_node = v), root);
		if (!tree_folio) {
			/*
			 * If we walked over a stale stable_node,
			 * ksm_get_folio() will call rb_erase() and it
			 * may rebalance the tree from under us. So
			 * restart the search from scratch. Returning
			 * NULL would be safe too, but we'd generate
			 * false negative insertions just because some
			 * stable_node was stale.
			 */
			continue again;
		}

		ret = memcmp_pages(page, addr(tree_folio.page));
		folio_put(tree_folio);

		parent = new_.deref;
		if (ret < 0)
			new_ = addr_of(parent, 'rb_left');
		else if (ret > 0)
			new_ = addr_of(parent, 'rb_right');
		else {
			if (page_node) {
				VM_BUG_ON(page_node.head != addr(migrate_nodes));
				/*
				 * If the mapcount of our migrated KSM folio is
				 * at most 1, we can merge it with another
				 * KSM folio where we know that we have space
				 * for one more mapping without exceeding the
				 * ksm_max_page_sharing limit: see
				 * chain_prune(). This way, we can avoid adding
				 * this stable node to the chain.
				 */
				if (folio_mapcount(folio) > 1)
					continue chain_append;
			}

			if (!is_page_sharing_candidate(stable_node_dup)) {
				/*
				 * If the stable_node is a chain and
				 * we got a payload match in memcmp
				 * but we cannot merge the scanned
				 * page in any of the existing
				 * stable_node dups because they're
				 * all full, we need to wait the
				 * scanned page to find itself a match
				 * in the unstable tree to create a
				 * brand new KSM page to add later to
				 * the dups of this stable_node.
				 */
				return NULL;
			}

			/*
			 * Lock and unlock the stable_node's page (which
			 * might already have been migrated) so that page
			 * migration is sure to notice its raised count.
			 * It would be more elegant to return stable_node
			 * than kpage, but that involves more changes.
			 */
			tree_folio = ksm_get_folio(stable_node_dup,
						   KSM_GET_FOLIO_TRYLOCK);

			if (PTR_ERR(tree_folio) == -EBUSY)
				return ERR_PTR(-EBUSY);

			if (unlikely(!tree_folio))
				/*
				 * The tree may have been rebalanced,
				 * so re-evaluate parent and new.
				 */
				continue again;
			folio_unlock(tree_folio);

			if (get_kpfn_nid(stable_node_dup.kpfn) !=
			    NUMA(stable_node_dup.nid)) {
				folio_put(tree_folio);
				continue replace;
			}
			return tree_folio;
		}
	}

	if (!page_node)
		return NULL;

	list_del(addr(page_node.list));
	DO_NUMA(page_node.nid = nid);
	rb_link_node(addr(page_node.node), parent, new_);
	rb_insert_color(addr(page_node.node), root);
	continue out;
case 'out':
	if (is_page_sharing_candidate(page_node)) {
		folio_get(folio);
		return folio;
	} else
		return NULL;

case 'replace':
	/*
	 * If stable_node was a chain and chain_prune collapsed it,
	 * stable_node has been updated to be the new regular
	 * stable_node. A collapse of the chain is indistinguishable
	 * from the case there was no chain in the stable
	 * rbtree. Otherwise stable_node is the chain and
	 * stable_node_dup is the dup to replace.
	 */
	if (stable_node_dup == stable_node) {
		VM_BUG_ON(is_stable_node_chain(stable_node_dup));
		VM_BUG_ON(is_stable_node_dup(stable_node_dup));
		/* there is no chain */
		if (page_node) {
			VM_BUG_ON(page_node.head != addr(migrate_nodes));
			list_del(addr(page_node.list));
			DO_NUMA(page_node.nid = nid);
			rb_replace_node(addr(stable_node_dup.node),
					addr(page_node.node),
					root);
			if (is_page_sharing_candidate(page_node))
				folio_get(folio);
			else
				folio = NULL;
		} else {
			rb_erase(addr(stable_node_dup.node), root);
			folio = NULL;
		}
	} else {
		VM_BUG_ON(!is_stable_node_chain(stable_node));
		__stable_node_dup_del(stable_node_dup);
		if (page_node) {
			VM_BUG_ON(page_node.head != addr(migrate_nodes));
			list_del(addr(page_node.list));
			DO_NUMA(page_node.nid = nid);
			stable_node_chain_add_dup(page_node, stable_node);
			if (is_page_sharing_candidate(page_node))
				folio_get(folio);
			else
				folio = NULL;
		} else {
			folio = NULL;
		}
	}
	stable_node_dup.head = addr(migrate_nodes);
	list_add(addr(stable_node_dup.list), stable_node_dup.head);
	return folio;

case 'chain_append':
	/*
	 * If stable_node was a chain and chain_prune collapsed it,
	 * stable_node has been updated to be the new regular
	 * stable_node. A collapse of the chain is indistinguishable
	 * from the case there was no chain in the stable
	 * rbtree. Otherwise stable_node is the chain and
	 * stable_node_dup is the dup to replace.
	 */
	if (stable_node_dup == stable_node) {
		VM_BUG_ON(is_stable_node_dup(stable_node_dup));
		/* chain is missing so create it */
		stable_node = alloc_stable_node_chain(stable_node_dup,
						      root);
		if (!stable_node)
			return NULL;
	}
	/*
	 * Add this stable_node dup that was
	 * migrated to the stable_node chain
	 * of the current nid for this page
	 * content.
	 */
	VM_BUG_ON(!is_stable_node_dup(stable_node_dup));
	VM_BUG_ON(page_node.head != addr(migrate_nodes));
	list_del(addr(page_node.list));
	DO_NUMA(page_node.nid = nid);
	stable_node_chain_add_dup(page_node, stable_node);
	continue out;
}
}
c`

/*
 * stable_tree_insert - insert stable tree node pointing to new ksm page
 * into the stable tree.
 *
 * This function returns the stable tree node just allocated on success,
 * NULL otherwise.
 */
`;
function stable_tree_insert(kfolio: ptr<folio>): ptr<ksm_stable_node> {
	let nid: int;
	let kpfn: ulong;
	let root: ptr<rb_root>;
	let new_: ptr<ptr<rb_node>>;
	let parent: ptr<rb_node>;
	let stable_node!: ptr<ksm_stable_node>, stable_node_dup!: ptr<ksm_stable_node>;
	let need_chain: bool = false;

	kpfn = folio_pfn(kfolio);
	nid = get_kpfn_nid(kpfn);
	root = ptr_add(root_stable_tree, nid);
again: for (;;) {
	parent = NULL;
	new_ = addr_of(root, 'rb_node');

	while (new_.deref) {
		let tree_folio: ptr<folio>;
		let ret: int;

		cond_resched();
		stable_node = rb_entry(new_.deref, ksm_stable_node, 'node');
		tree_folio = chain(ref(stable_node_dup, (v) => stable_node_dup = v), ref(stable_node, (v) => stable_node = v), root);
		if (!tree_folio) {
			/*
			 * If we walked over a stale stable_node,
			 * ksm_get_folio() will call rb_erase() and it
			 * may rebalance the tree from under us. So
			 * restart the search from scratch. Returning
			 * NULL would be safe too, but we'd generate
			 * false negative insertions just because some
			 * stable_node was stale.
			 */
			continue again;
		}

		ret = memcmp_pages(addr(kfolio.page), addr(tree_folio.page));
		folio_put(tree_folio);

		parent = new_.deref;
		if (ret < 0)
			new_ = addr_of(parent, 'rb_left');
		else if (ret > 0)
			new_ = addr_of(parent, 'rb_right');
		else {
			need_chain = true;
			break;
		}
	}

	stable_node_dup = alloc_stable_node();
	if (!stable_node_dup)
		return NULL;

	INIT_HLIST_HEAD(addr(stable_node_dup.hlist));
	stable_node_dup.kpfn = kpfn;
	stable_node_dup.rmap_hlist_len = 0;
	DO_NUMA(stable_node_dup.nid = nid);
	if (!need_chain) {
		rb_link_node(addr(stable_node_dup.node), parent, new_);
		rb_insert_color(addr(stable_node_dup.node), root);
	} else {
		if (!is_stable_node_chain(stable_node)) {
			let orig: ptr<ksm_stable_node> = stable_node;
			/* chain is missing so create it */
			stable_node = alloc_stable_node_chain(orig, root);
			if (!stable_node) {
				free_stable_node(stable_node_dup);
				return NULL;
			}
		}
		stable_node_chain_add_dup(stable_node_dup, stable_node);
	}

	folio_set_stable_node(kfolio, stable_node_dup);

	return stable_node_dup;
}
}
c`

/*
 * unstable_tree_search_insert - search for identical page,
 * else insert rmap_item into the unstable tree.
 *
 * This function searches for a page in the unstable tree identical to the
 * page currently being scanned; and if no identical page is found in the
 * tree, we insert rmap_item as a new object into the unstable tree.
 *
 * This function returns pointer to rmap_item found to be identical
 * to the currently scanned page, NULL otherwise.
 *
 * This function does both searching and inserting, because they share
 * the same walking algorithm in an rbtree.
 */
`;
function unstable_tree_search_insert(rmap_item: ptr<ksm_rmap_item>,
					      page: ptr<page>,
					      tree_pagep: ptr<ptr<page>>): ptr<ksm_rmap_item> {
	'\n';
	let new_: ptr<ptr<rb_node>>;
	let root: ptr<rb_root>;
	let parent: ptr<rb_node> = NULL;
	let nid: int;

	nid = get_kpfn_nid(page_to_pfn(page));
	root = ptr_add(root_unstable_tree, nid);
	new_ = addr_of(root, 'rb_node');

	while (new_.deref) {
		let tree_rmap_item: ptr<ksm_rmap_item>;
		let tree_page: ptr<page>;
		let ret: int;

		cond_resched();
		tree_rmap_item = rb_entry(new_.deref, ksm_rmap_item, 'node');
		tree_page = get_mergeable_page(tree_rmap_item);
		if (!tree_page)
			return NULL;

		/*
		 * Don't substitute a ksm page for a forked page.
		 */
		if (page == tree_page) {
			put_page(tree_page);
			return NULL;
		}

		ret = memcmp_pages(page, tree_page);

		parent = new_.deref;
		if (ret < 0) {
			put_page(tree_page);
			new_ = addr_of(parent, 'rb_left');
		} else if (ret > 0) {
			put_page(tree_page);
			new_ = addr_of(parent, 'rb_right');
		} else if (!ksm_merge_across_nodes &&
			   page_to_nid(tree_page) != nid) {
			/*
			 * If tree_page has been migrated to another NUMA node,
			 * it will be flushed out and put in the right unstable
			 * tree next time: only merge with it when across_nodes.
			 */
			put_page(tree_page);
			return NULL;
		} else {
			tree_pagep.deref = tree_page;
			return tree_rmap_item;
		}
	}

	rmap_item.address |= UNSTABLE_FLAG;
	rmap_item.address |= (ksm_scan.seqnr & SEQNR_MASK);
	DO_NUMA(rmap_item.nid = nid);
	rb_link_node(addr(rmap_item.node), parent, new_);
	rb_insert_color(addr(rmap_item.node), root);

	ksm_pages_unshared++;
	return NULL;
}
c`

/*
 * stable_tree_append - add another rmap_item to the linked list of
 * rmap_items hanging off a given node of the stable tree, all sharing
 * the same ksm page.
 */
`;
function stable_tree_append(rmap_item: ptr<ksm_rmap_item>,
			       stable_node: ptr<ksm_stable_node>,
			       max_page_sharing_bypass: bool): void {
	/*
	 * rmap won't find this mapping if we don't insert the
	 * rmap_item in the right stable_node
	 * duplicate. page_migration could break later if rmap breaks,
	 * so we can as well crash here. We really need to check for
	 * rmap_hlist_len == STABLE_NODE_CHAIN, but we can as well check
	 * for other negative values as an underflow if detected here
	 * for the first time (and not when decreasing rmap_hlist_len)
	 * would be sign of memory corruption in the stable_node.
	 */
	BUG_ON(stable_node.rmap_hlist_len < 0);

	stable_node.rmap_hlist_len++;
	if (!max_page_sharing_bypass)
		/* possibly non fatal but unexpected overflow, only warn */
		WARN_ON_ONCE(stable_node.rmap_hlist_len >
			     ksm_max_page_sharing);

	rmap_item.head = stable_node;
	rmap_item.address |= STABLE_FLAG;
	hlist_add_head(addr(rmap_item.hlist), addr(stable_node.hlist));

	if (rmap_item.hlist.next)
		ksm_pages_sharing++;
	else
		ksm_pages_shared++;

	rmap_item.mm.ksm_merging_pages++;
}
c`

/*
 * cmp_and_merge_page - first see if page can be merged into the stable tree;
 * if not, compare checksum to previous and if it's the same, see if page can
 * be inserted into the unstable tree, or merged with a page already there and
 * both transferred to the stable tree.
 *
 * @page: the page that we are searching identical page to.
 * @rmap_item: the reverse mapping into the virtual address of this page
 */
`;
function cmp_and_merge_page(page: ptr<page>, rmap_item: ptr<ksm_rmap_item>): void {
	let folio: ptr<folio> = page_folio(page);
	let tree_rmap_item: ptr<ksm_rmap_item>;
	let tree_page: ptr<page> = NULL;
	let stable_node: ptr<ksm_stable_node>;
	let kfolio: ptr<folio>;
	let checksum: uint;
	let err: int;
	let max_page_sharing_bypass: bool = false;

	stable_node = folio_stable_node(folio);
	if (stable_node) {
		if (stable_node.head != addr(migrate_nodes) &&
		    get_kpfn_nid(READ_ONCE(stable_node.kpfn)) !=
		    NUMA(stable_node.nid)) {
			stable_node_dup_del(stable_node);
			stable_node.head = addr(migrate_nodes);
			list_add(addr(stable_node.list), stable_node.head);
		}
		if (stable_node.head != addr(migrate_nodes) &&
		    rmap_item.head == stable_node)
			return;
		/*
		 * If it's a KSM fork, allow it to go over the sharing limit
		 * without warnings.
		 */
		if (!is_page_sharing_candidate(stable_node))
			max_page_sharing_bypass = true;
	} else {
		remove_rmap_item_from_tree(rmap_item);

		/*
		 * If the hash value of the page has changed from the last time
		 * we calculated it, this page is changing frequently: therefore we
		 * don't want to insert it in the unstable tree, and we don't want
		 * to waste our time searching for something identical to it there.
		 */
		checksum = calc_checksum(page);
		if (rmap_item.oldchecksum != checksum) {
			rmap_item.oldchecksum = checksum;
			return;
		}

		if (!try_to_merge_with_zero_page(rmap_item, page))
			return;
	}

	/* Start by searching for the folio in the stable tree */
	kfolio = stable_tree_search(page);
	if (kfolio == folio && rmap_item.head == stable_node) {
		folio_put(kfolio);
		return;
	}

	remove_rmap_item_from_tree(rmap_item);

	if (kfolio) {
		if (kfolio == ERR_PTR(-EBUSY))
			return;

		err = try_to_merge_with_ksm_page(rmap_item, page, addr(kfolio.page));
		if (!err) {
			/*
			 * The page was successfully merged:
			 * add its rmap_item to the stable tree.
			 */
			folio_lock(kfolio);
			stable_tree_append(rmap_item, folio_stable_node(kfolio),
					   max_page_sharing_bypass);
			folio_unlock(kfolio);
		}
		folio_put(kfolio);
		return;
	}

	tree_rmap_item =
		unstable_tree_search_insert(rmap_item, page, ref(tree_page, (v) => tree_page = v));
	if (tree_rmap_item) {
		let split: bool;

		kfolio = try_to_merge_two_pages(rmap_item, page,
						tree_rmap_item, tree_page);
		/*
		 * If both pages we tried to merge belong to the same compound
		 * page, then we actually ended up increasing the reference
		 * count of the same compound page twice, and split_huge_page
		 * failed.
		 * Here we set a flag if that happened, and we use it later to
		 * try split_huge_page again. Since we call put_page right
		 * afterwards, the reference count will be correct and
		 * split_huge_page should succeed.
		 */
		split = PageTransCompound(page)
			&& compound_head(page) == compound_head(tree_page);
		put_page(tree_page);
		if (kfolio) {
			/*
			 * The pages were successfully merged: insert new
			 * node in the stable tree and add both rmap_items.
			 */
			folio_lock(kfolio);
			stable_node = stable_tree_insert(kfolio);
			if (stable_node) {
				stable_tree_append(tree_rmap_item, stable_node,
						   false);
				stable_tree_append(rmap_item, stable_node,
						   false);
			}
			folio_unlock(kfolio);

			/*
			 * If we fail to insert the page into the stable tree,
			 * we will have 2 virtual addresses that are pointing
			 * to a ksm page left outside the stable tree,
			 * in which case we need to break_cow on both.
			 */
			if (!stable_node) {
				break_cow(tree_rmap_item);
				break_cow(rmap_item);
			}
		} else if (split) {
			/*
			 * We are here if we tried to merge two pages and
			 * failed because they both belonged to the same
			 * compound page. We will split the page now, but no
			 * merging will take place.
			 * We do not want to add the cost of a full lock; if
			 * the page is locked, it is better to skip it and
			 * perhaps try again later.
			 */
			if (!folio_trylock(folio))
				return;
			split_huge_page(page);
			folio = page_folio(page);
			folio_unlock(folio);
		}
	}
}
c`

`;
function get_next_rmap_item(mm_slot: ptr<ksm_mm_slot>,
					    rmap_list: ptr<ptr<ksm_rmap_item>>,
					    addr: ulong): ptr<ksm_rmap_item> {
	let rmap_item: ptr<ksm_rmap_item>;

	while (rmap_list.deref) {
		rmap_item = rmap_list.deref;
		if ((rmap_item.address & PAGE_MASK) == addr)
			return rmap_item;
		if (rmap_item.address > addr)
			break;
		rmap_list.deref = rmap_item.rmap_list;
		remove_rmap_item_from_tree(rmap_item);
		free_rmap_item(rmap_item);
	}

	rmap_item = alloc_rmap_item();
	if (rmap_item) {
		/* It has already been zeroed */
		rmap_item.mm = mm_slot.slot.mm;
		rmap_item.mm.ksm_rmap_items++;
		rmap_item.address = addr;
		rmap_item.rmap_list = rmap_list.deref;
		rmap_list.deref = rmap_item;
	}
	return rmap_item;
}
c`

/*
 * Calculate skip age for the ksm page age. The age determines how often
 * de-duplicating has already been tried unsuccessfully. If the age is
 * smaller, the scanning of this page is skipped for less scans.
 *
 * @age: rmap_item age of page
 */
`;
function skip_age(age: rmap_age_t): uint {
	if (age <= 3)
		return 1;
	if (age <= 5)
		return 2;
	if (age <= 8)
		return 4;

	return 8;
}
c`

/*
 * Determines if a page should be skipped for the current scan.
 *
 * @folio: folio containing the page to check
 * @rmap_item: associated rmap_item of page
 */
`;
function should_skip_rmap_item(folio: ptr<folio>,
				  rmap_item: ptr<ksm_rmap_item>): bool {
	let age: rmap_age_t;

	if (!ksm_smart_scan)
		return false;

	/*
	 * Never skip pages that are already KSM; pages cmp_and_merge_page()
	 * will essentially ignore them, but we still have to process them
	 * properly.
	 */
	if (folio_test_ksm(folio))
		return false;

	age = rmap_item.age;
	if (age != U8_MAX)
		rmap_item.age++;

	/*
	 * Smaller ages are not skipped, they need to get a chance to go
	 * through the different phases of the KSM merging.
	 */
	if (age < 3)
		return false;

	/*
	 * Are we still allowed to skip? If not, then don't skip it
	 * and determine how much more often we are allowed to skip next.
	 */
	if (!rmap_item.remaining_skips) {
		rmap_item.remaining_skips = skip_age(age);
		return false;
	}

	/* Skip this page */
	ksm_pages_skipped++;
	rmap_item.remaining_skips--;
	remove_rmap_item_from_tree(rmap_item);
	return true;
}
c`

struct ksm_next_page_arg {
	struct folio *folio;
	struct page *page;
	unsigned long addr;
};

`;
function ksm_next_page_pmd_entry(pmdp: ptr<pmd_t>, addr: ulong, end: ulong,
		walk: ptr<mm_walk>): int {
	let private_: ptr<ksm_next_page_arg> = walk.private;
	let vma: ptr<vm_area_struct> = walk.vma;
	let start_ptep: ptr<pte_t> = NULL, ptep: ptr<pte_t>, pte: pte_t;
	let mm: ptr<mm_struct> = walk.mm;
	let folio: ptr<folio>;
	let page: ptr<page>;
	let ptl!: ptr<spinlock_t>;
	let pmd: pmd_t;

	if (ksm_test_exit(mm))
		return 0;

	cond_resched();

	pmd = pmdp_get_lockless(pmdp);
	if (!pmd_present(pmd))
		return 0;

found_unlock: {
not_found_unlock: {
	if (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && pmd_leaf(pmd)) {
		ptl = pmd_lock(mm, pmdp);
		pmd = pmdp_get(pmdp);

		if (!pmd_present(pmd)) {
			break not_found_unlock;
		} else if (pmd_leaf(pmd)) {
			page = vm_normal_page_pmd(vma, addr, pmd);
			if (!page)
				break not_found_unlock;
			folio = page_folio(page);

			if (folio_is_zone_device(folio) || !folio_test_anon(folio))
				break not_found_unlock;

			ptr_add_assign(ref(page, (v) => page = v), ((addr & (PMD_SIZE - 1)) >> PAGE_SHIFT));
			break found_unlock;
		}
		spin_unlock(ptl);
	}

	start_ptep = pte_offset_map_lock(mm, pmdp, addr, ref(ptl, (v) => ptl = v));
	if (!start_ptep)
		return 0;

	for (ptep = start_ptep; addr < end; ptr_inc(ref(ptep, (v) => ptep = v)), addr += PAGE_SIZE) {
		pte = ptep_get(ptep);

		if (!pte_present(pte))
			continue;

		page = vm_normal_page(vma, addr, pte);
		if (!page)
			continue;
		folio = page_folio(page);

		if (folio_is_zone_device(folio) || !folio_test_anon(folio))
			continue;
		break found_unlock;
	}

}
	spin_unlock(ptl);
	if (start_ptep)
		pte_unmap(start_ptep);
	return 0;
}
	folio_get(folio);
	spin_unlock(ptl);
	if (start_ptep)
		pte_unmap(start_ptep);
	private_.page = page;
	private_.folio = folio;
	private_.addr = addr;
	return 1;
}
c`

`;
let ksm_next_page_ops: mm_walk_ops = struct_init(mm_walk_ops, {
	pmd_entry: ksm_next_page_pmd_entry,
	walk_lock: PGWALK_RDLOCK,
});
c`

`;
function scan_get_next_rmap_item(page: ptr<ptr<page>>): ptr<ksm_rmap_item> {
	let mm!: ptr<mm_struct>;
	let mm_slot: ptr<ksm_mm_slot>;
	let slot: ptr<mm_slot>;
	let vma: ptr<vm_area_struct>;
	let rmap_item: ptr<ksm_rmap_item>;
	let vmi: vma_iterator = uninit(vma_iterator);
	let nid: int;

	if (list_empty(addr(ksm_mm_head.slot.mm_node)))
		return NULL;

	mm_slot = ksm_scan.mm_slot;
next_mm: for (let at = '';; at = 'next_mm')
no_vmas: for (;; at = 'no_vmas')
switch (at) {
case '':
case 'next_mm':
	if (at === 'next_mm' || mm_slot == addr(ksm_mm_head)) {
if (at !== 'next_mm') {
		advisor_start_scan();
		trace_ksm_start_scan(ksm_scan.seqnr, ksm_rmap_items);

		/*
		 * A number of pages can hang around indefinitely in per-cpu
		 * LRU cache, raised page count preventing write_protect_page
		 * from merging them.  Though it doesn't really matter much,
		 * it is puzzling to see some stuck in pages_volatile until
		 * other activity jostles them out, and they also prevented
		 * LTP's KSM test from succeeding deterministically; so drain
		 * them here (here rather than on entry to ksm_do_scan(),
		 * so we don't IPI too often when pages_to_scan is set low).
		 */
		lru_add_drain_all();

		/*
		 * Whereas stale stable_nodes on the stable_tree itself
		 * get pruned in the regular course of stable_tree_search(),
		 * those moved out to the migrate_nodes list can accumulate:
		 * so prune them once before each full scan.
		 */
		if (!ksm_merge_across_nodes) {
			let stable_node: ptr<ksm_stable_node>, next: ptr<ksm_stable_node>;
			let folio!: ptr<folio>;

			for ([stable_node, next] of list_for_each_entry_safe(
						 addr(migrate_nodes), 'list')) {
				folio = ksm_get_folio(stable_node,
						      KSM_GET_FOLIO_NOLOCK);
				if (folio)
					folio_put(folio);
				cond_resched();
			}
		}

		for (nid = 0; nid < ksm_nr_node_ids; nid++)
			struct_assign(elem(root_unstable_tree, nid), RB_ROOT);

		spin_lock(addr(ksm_mmlist_lock));
		slot = list_entry(mm_slot.slot.mm_node.next,
				  struct_mm_slot, 'mm_node');
		mm_slot = mm_slot_entry(slot, ksm_mm_slot, 'slot');
		ksm_scan.mm_slot = mm_slot;
		spin_unlock(addr(ksm_mmlist_lock));
		/*
		 * Although we tested list_empty() above, a racing __ksm_exit
		 * of the last mm on the list may have removed it since then.
		 */
		if (mm_slot == addr(ksm_mm_head))
			return NULL;
}
		ksm_scan.address = 0;
		ksm_scan.rmap_list = addr_of(mm_slot, 'rmap_list');
	}

	slot = addr(mm_slot.slot);
	mm = slot.mm;
	vma_iter_init(addr(vmi), mm, ksm_scan.address);

	mmap_read_lock(mm);
	if (ksm_test_exit(mm))
		continue no_vmas;

	for (vma of for_each_vma(vmi)) {
		if (!(vma.vm_flags & VM_MERGEABLE))
			continue;
		if (ksm_scan.address < vma.vm_start)
			ksm_scan.address = vma.vm_start;
		if (!vma.anon_vma)
			ksm_scan.address = vma.vm_end;

		while (ksm_scan.address < vma.vm_end) {
			let ksm_next_page_arg: ksm_next_page_arg = uninit(struct_ksm_next_page_arg);
			let tmp_page: ptr<page> = NULL;
			let folio!: ptr<folio>;

			if (ksm_test_exit(mm))
				break;

			let found: int;

			found = walk_page_range_vma(vma, ksm_scan.address,
						    vma.vm_end,
						    addr(ksm_next_page_ops),
						    addr(ksm_next_page_arg));

			if (found > 0) {
				folio = ksm_next_page_arg.folio;
				tmp_page = ksm_next_page_arg.page;
				ksm_scan.address = ksm_next_page_arg.addr;
			} else {
				VM_WARN_ON_ONCE(found < 0);
				ksm_scan.address = vma.vm_end - PAGE_SIZE;
			}

next_page: {
			if (tmp_page) {
				flush_anon_page(vma, tmp_page, ksm_scan.address);
				flush_dcache_page(tmp_page);
				rmap_item = get_next_rmap_item(mm_slot,
					ksm_scan.rmap_list, ksm_scan.address);
				if (rmap_item) {
					ksm_scan.rmap_list =
							addr_of(rmap_item, 'rmap_list');

					if (should_skip_rmap_item(folio, rmap_item)) {
						folio_put(folio);
						break next_page;
					}

					ksm_scan.address += PAGE_SIZE;
					page.deref = tmp_page;
				} else {
					folio_put(folio);
				}
				mmap_read_unlock(mm);
				return rmap_item;
			}
}
			ksm_scan.address += PAGE_SIZE;
			cond_resched();
		}
	}

case 'no_vmas':
	if (at === 'no_vmas' || ksm_test_exit(mm)) {
if (at !== 'no_vmas') {
}
		ksm_scan.address = 0;
		ksm_scan.rmap_list = addr_of(mm_slot, 'rmap_list');
	}
	/*
	 * Nuke all the rmap_items that are above this current rmap:
	 * because there were no VM_MERGEABLE vmas with such addresses.
	 */
	remove_trailing_rmap_items(ksm_scan.rmap_list);

	spin_lock(addr(ksm_mmlist_lock));
	slot = list_entry(mm_slot.slot.mm_node.next,
			  struct_mm_slot, 'mm_node');
	ksm_scan.mm_slot = mm_slot_entry(slot, ksm_mm_slot, 'slot');
	if (ksm_scan.address == 0) {
		/*
		 * We've completed a full scan of all vmas, holding mmap_lock
		 * throughout, and found no VM_MERGEABLE: so do the same as
		 * __ksm_exit does to remove this mm from all our lists now.
		 * This applies either when cleaning up after __ksm_exit
		 * (but beware: we can reach here even before __ksm_exit),
		 * or when all VM_MERGEABLE areas have been unmapped (and
		 * mmap_lock then protects against race with MADV_MERGEABLE).
		 */
		hash_del(addr(mm_slot.slot.hash));
		list_del(addr(mm_slot.slot.mm_node));
		spin_unlock(addr(ksm_mmlist_lock));

		mm_slot_free(mm_slot_cache, mm_slot);
		/*
		 * Only clear MMF_VM_MERGEABLE. We must not clear
		 * MMF_VM_MERGE_ANY, because for those MMF_VM_MERGE_ANY process,
		 * perhaps their mm_struct has just been added to ksm_mm_slot
		 * list, and its process has not yet officially started running
		 * or has not yet performed mmap/brk to allocate anonymous VMAS.
		 */
		mm_flags_clear(MMF_VM_MERGEABLE, mm);
		mmap_read_unlock(mm);
		mmdrop(mm);
	} else {
		mmap_read_unlock(mm);
		/*
		 * mmap_read_unlock(mm) first because after
		 * spin_unlock(&ksm_mmlist_lock) run, the "mm" may
		 * already have been freed under us by __ksm_exit()
		 * because the "mm_slot" is still hashed and
		 * ksm_scan.mm_slot doesn't point to it anymore.
		 */
		spin_unlock(addr(ksm_mmlist_lock));
	}

	/* Repeat until we've completed scanning the whole list */
	mm_slot = ksm_scan.mm_slot;
	if (mm_slot != addr(ksm_mm_head))
		continue next_mm;

	advisor_stop_scan();

	trace_ksm_stop_scan(ksm_scan.seqnr, ksm_rmap_items);
	ksm_scan.seqnr++;
	return NULL;
}
}
c`

/**
 * ksm_do_scan  - the ksm scanner main worker function.
 * @scan_npages:  number of pages we want to scan before we return.
 */
`;
function ksm_do_scan(scan_npages: uint): void {
	let rmap_item: ptr<ksm_rmap_item>;
	let page!: ptr<page>;

	while (scan_npages-- && likely(!freezing(current))) {
		cond_resched();
		rmap_item = scan_get_next_rmap_item(ref(page, (v) => page = v));
		if (!rmap_item)
			return;
		cmp_and_merge_page(page, rmap_item);
		put_page(page);
		ksm_pages_scanned++;
	}
}
c`

`;
function ksmd_should_run(): int_bool {
	return (ksm_run & KSM_RUN_MERGE) && !list_empty(addr(ksm_mm_head.slot.mm_node));
}
c`

`;
function ksm_scan_thread(nothing: ptr<void>): int {
	let sleep_ms: uint;

	set_freezable();
	set_user_nice(current, 5);

	while (!kthread_should_stop()) {
		mutex_lock(addr(ksm_thread_mutex));
		wait_while_offlining();
		if (ksmd_should_run())
			ksm_do_scan(ksm_thread_pages_to_scan);
		mutex_unlock(addr(ksm_thread_mutex));

		if (ksmd_should_run()) {
			sleep_ms = READ_ONCE(ksm_thread_sleep_millisecs);
			wait_event_freezable_timeout(ksm_iter_wait,
				() => sleep_ms != READ_ONCE(ksm_thread_sleep_millisecs),
				msecs_to_jiffies(sleep_ms));
		} else {
			wait_event_freezable(ksm_thread_wait,
				() => ksmd_should_run() || kthread_should_stop());
		}
	}
	return 0;
}
c`

`;
function __ksm_should_add_vma(file: ptr<const_<file>>, vma_flags: vma_flags_t): bool {
	if (vma_flags_test(addr(vma_flags), VMA_MERGEABLE_BIT))
		return false;

	return ksm_compatible(file, vma_flags);
}
c`

`;
function __ksm_add_vma(vma: ptr<vm_area_struct>): void {
	if (__ksm_should_add_vma(vma.vm_file, vma.flags))
		vm_flags_set(vma, VM_MERGEABLE);
}
c`

`;
function __ksm_del_vma(vma: ptr<vm_area_struct>): int {
	let err: int;

	if (!(vma.vm_flags & VM_MERGEABLE))
		return 0;

	if (vma.anon_vma) {
		err = break_ksm(vma, vma.vm_start, vma.vm_end, true);
		if (err)
			return err;
	}

	vm_flags_clear(vma, VM_MERGEABLE);
	return 0;
}
c`
/**
 * ksm_vma_flags - Update VMA flags to mark as mergeable if compatible
 *
 * @mm:       Proposed VMA's mm_struct
 * @file:     Proposed VMA's file-backed mapping, if any.
 * @vma_flags: Proposed VMA"s flags.
 *
 * Returns: @vma_flags possibly updated to mark mergeable.
 */
`;
export function ksm_vma_flags(mm: ptr<mm_struct>, file: ptr<const_<file>>,
			  vma_flags: vma_flags_t): vma_flags_t {
	if (mm_flags_test(MMF_VM_MERGE_ANY, mm) &&
	    __ksm_should_add_vma(file, vma_flags)) {
		vma_flags_set(addr(vma_flags), VMA_MERGEABLE_BIT);
		/*
		 * Generally, the flags here always include MMF_VM_MERGEABLE.
		 * However, in rare cases, this flag may be cleared by ksmd who
		 * scans a cycle without finding any mergeable vma.
		 */
		if (unlikely(!mm_flags_test(MMF_VM_MERGEABLE, mm)))
			__ksm_enter(mm);
	}

	return vma_flags;
}
c`

`;
function ksm_add_vmas(mm: ptr<mm_struct>): void {
	let vma: ptr<vm_area_struct>;

	let vmi: vma_iterator = VMA_ITERATOR(mm, 0);
	for (vma of for_each_vma(vmi))
		__ksm_add_vma(vma);
}
c`

`;
function ksm_del_vmas(mm: ptr<mm_struct>): int {
	let vma: ptr<vm_area_struct>;
	let err: int;

	let vmi: vma_iterator = VMA_ITERATOR(mm, 0);
	for (vma of for_each_vma(vmi)) {
		err = __ksm_del_vma(vma);
		if (err)
			return err;
	}
	return 0;
}
c`

/**
 * ksm_enable_merge_any - Add mm to mm ksm list and enable merging on all
 *                        compatible VMA's
 *
 * @mm:  Pointer to mm
 *
 * Returns 0 on success, otherwise error code
 */
`;
export function ksm_enable_merge_any(mm: ptr<mm_struct>): int {
	let err: int;

	if (mm_flags_test(MMF_VM_MERGE_ANY, mm))
		return 0;

	if (!mm_flags_test(MMF_VM_MERGEABLE, mm)) {
		err = __ksm_enter(mm);
		if (err)
			return err;
	}

	mm_flags_set(MMF_VM_MERGE_ANY, mm);
	ksm_add_vmas(mm);

	return 0;
}
c`

/**
 * ksm_disable_merge_any - Disable merging on all compatible VMA's of the mm,
 *			   previously enabled via ksm_enable_merge_any().
 *
 * Disabling merging implies unmerging any merged pages, like setting
 * MADV_UNMERGEABLE would. If unmerging fails, the whole operation fails and
 * merging on all compatible VMA's remains enabled.
 *
 * @mm: Pointer to mm
 *
 * Returns 0 on success, otherwise error code
 */
`;
export function ksm_disable_merge_any(mm: ptr<mm_struct>): int {
	let err: int;

	if (!mm_flags_test(MMF_VM_MERGE_ANY, mm))
		return 0;

	err = ksm_del_vmas(mm);
	if (err) {
		ksm_add_vmas(mm);
		return err;
	}

	mm_flags_clear(MMF_VM_MERGE_ANY, mm);
	return 0;
}
c`

`;
export function ksm_disable(mm: ptr<mm_struct>): int {
	mmap_assert_write_locked(mm);

	if (!mm_flags_test(MMF_VM_MERGEABLE, mm))
		return 0;
	if (mm_flags_test(MMF_VM_MERGE_ANY, mm))
		return ksm_disable_merge_any(mm);
	return ksm_del_vmas(mm);
}
c`

`;
export function ksm_madvise(vma: ptr<vm_area_struct>, start: ulong,
		end: ulong, advice: int, vm_flags: ptr<vm_flags_t>): int {
	let mm: ptr<mm_struct> = vma.vm_mm;
	let err: int;

	switch (advice) {
	case MADV_MERGEABLE:
		if (vma.vm_flags & VM_MERGEABLE)
			return 0;
		if (!vma_ksm_compatible(vma))
			return 0;

		if (!mm_flags_test(MMF_VM_MERGEABLE, mm)) {
			err = __ksm_enter(mm);
			if (err)
				return err;
		}

		vm_flags.deref |= VM_MERGEABLE;
		break;

	case MADV_UNMERGEABLE:
		if (!(vm_flags.deref & VM_MERGEABLE))
			return 0;		/* just ignore the advice */

		if (vma.anon_vma) {
			err = break_ksm(vma, start, end, true);
			if (err)
				return err;
		}

		vm_flags.deref &= ~VM_MERGEABLE;
		break;
	}

	return 0;
}
c`
EXPORT_SYMBOL_GPL(ksm_madvise);

`;
export function __ksm_enter(mm: ptr<mm_struct>): int {
	let mm_slot: ptr<ksm_mm_slot>;
	let slot: ptr<mm_slot>;
	let needs_wakeup: int;

	mm_slot = mm_slot_alloc(mm_slot_cache);
	if (!mm_slot)
		return -ENOMEM;

	slot = addr(mm_slot.slot);

	/* Check ksm_run too?  Would need tighter locking */
	needs_wakeup = list_empty(addr(ksm_mm_head.slot.mm_node));

	spin_lock(addr(ksm_mmlist_lock));
	mm_slot_insert(mm_slots_hash, mm, slot);
	/*
	 * When KSM_RUN_MERGE (or KSM_RUN_STOP),
	 * insert just behind the scanning cursor, to let the area settle
	 * down a little; when fork is followed by immediate exec, we don't
	 * want ksmd to waste time setting up and tearing down an rmap_list.
	 *
	 * But when KSM_RUN_UNMERGE, it's important to insert ahead of its
	 * scanning cursor, otherwise KSM pages in newly forked mms will be
	 * missed: then we might as well insert at the end of the list.
	 */
	if (ksm_run & KSM_RUN_UNMERGE)
		list_add_tail(addr(slot.mm_node), addr(ksm_mm_head.slot.mm_node));
	else
		list_add_tail(addr(slot.mm_node), addr(ksm_scan.mm_slot.slot.mm_node));
	spin_unlock(addr(ksm_mmlist_lock));

	mm_flags_set(MMF_VM_MERGEABLE, mm);
	mmgrab(mm);

	if (needs_wakeup)
		wake_up_interruptible(addr(ksm_thread_wait));

	trace_ksm_enter(mm);
	return 0;
}
c`

`;
export function __ksm_exit(mm: ptr<mm_struct>): void {
	let mm_slot: ptr<ksm_mm_slot> = NULL;
	let slot: ptr<mm_slot>;
	let easy_to_free: int = 0;

	/*
	 * This process is exiting: if it's straightforward (as is the
	 * case when ksmd was never running), free mm_slot immediately.
	 * But if it's at the cursor or has rmap_items linked to it, use
	 * mmap_lock to synchronize with any break_cows before pagetables
	 * are freed, and leave the mm_slot on the list for ksmd to free.
	 * Beware: ksm may already have noticed it exiting and freed the slot.
	 */

	spin_lock(addr(ksm_mmlist_lock));
	slot = mm_slot_lookup(mm_slots_hash, mm);
unlock: {
	if (!slot)
		break unlock;
	mm_slot = mm_slot_entry(slot, ksm_mm_slot, 'slot');
	if (ksm_scan.mm_slot == mm_slot)
		break unlock;
	if (!mm_slot.rmap_list) {
		hash_del(addr(slot.hash));
		list_del(addr(slot.mm_node));
		easy_to_free = 1;
	} else {
		list_move(addr(slot.mm_node),
			  addr(ksm_scan.mm_slot.slot.mm_node));
	}
}
	spin_unlock(addr(ksm_mmlist_lock));

	if (easy_to_free) {
		mm_slot_free(mm_slot_cache, mm_slot);
		mm_flags_clear(MMF_VM_MERGE_ANY, mm);
		mm_flags_clear(MMF_VM_MERGEABLE, mm);
		mmdrop(mm);
	} else if (mm_slot) {
		mmap_write_lock(mm);
		mmap_write_unlock(mm);
	}

	trace_ksm_exit(mm);
}
c`

`;
export function ksm_might_need_to_copy(folio: ptr<folio>,
			vma: ptr<vm_area_struct>, addr: ulong): ptr<folio> {
	let page: ptr<page> = folio_page(folio, 0);
	let anon_vma: ptr<anon_vma> = folio_anon_vma(folio);
	let new_folio: ptr<folio>;

	if (folio_test_large(folio))
		return folio;

	if (folio_test_ksm(folio)) {
		if (folio_stable_node(folio) &&
		    !(ksm_run & KSM_RUN_UNMERGE))
			return folio;	/* no need to copy it */
	} else if (!anon_vma) {
		return folio;		/* no need to copy it */
	} else if (folio.index == linear_page_index(vma, addr) &&
			anon_vma.root == vma.anon_vma.root) {
		return folio;		/* still no need to copy it */
	}
	if (PageHWPoison(page))
		return ERR_PTR(-EHWPOISON);
	if (!folio_test_uptodate(folio))
		return folio;		/* let do_swap_page report the error */

	new_folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, vma, addr);
	if (new_folio &&
	    mem_cgroup_charge(new_folio, vma.vm_mm, GFP_KERNEL)) {
		folio_put(new_folio);
		new_folio = NULL;
	}
	if (new_folio) {
		if (copy_mc_user_highpage(folio_page(new_folio, 0), page,
								addr, vma)) {
			folio_put(new_folio);
			return ERR_PTR(-EHWPOISON);
		}
		folio_set_dirty(new_folio);
		__folio_mark_uptodate(new_folio);
		__folio_set_locked(new_folio);
if (ifdef(CONFIG_SWAP)) {
		count_vm_event(KSM_SWPIN_COPY);
}
	}

	return new_folio;
}
c`

`;
export function rmap_walk_ksm(folio: ptr<folio>, rwc: ptr<rmap_walk_control>): void {
	let stable_node: ptr<ksm_stable_node>;
	let rmap_item: ptr<ksm_rmap_item>;
	let search_new_forks: int = 0;

	VM_BUG_ON_FOLIO(!folio_test_ksm(folio), folio);

	/*
	 * Rely on the page lock to protect against concurrent modifications
	 * to that page's node of the stable tree.
	 */
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);

	stable_node = folio_stable_node(folio);
	if (!stable_node)
		return;
again: for (;;) {
	for (rmap_item of hlist_for_each_entry(addr_(stable_node.hlist), 'hlist')) {
		/* Ignore the stable/unstable/sqnr flags */
		const addr: ulong = rmap_item.address & PAGE_MASK;
		let anon_vma: ptr<anon_vma> = rmap_item.anon_vma;
		let vmac: ptr<anon_vma_chain>;
		let vma: ptr<vm_area_struct>;

		cond_resched();
		if (!anon_vma_trylock_read(anon_vma)) {
			if (rwc.try_lock) {
				rwc.contended = true;
				return;
			}
			anon_vma_lock_read(anon_vma);
		}

		for (vmac of anon_vma_interval_tree_foreach(addr_(anon_vma.rb_root),
					       0, ULONG_MAX)) {

			cond_resched();
			vma = vmac.vma;

			if (addr < vma.vm_start || addr >= vma.vm_end)
				continue;
			/*
			 * Initially we examine only the vma which covers this
			 * rmap_item; but later, if there is still work to do,
			 * we examine covering vmas in other mms: in case they
			 * were forked from the original since ksmd passed.
			 */
			if (int_of(rmap_item.mm == vma.vm_mm) == search_new_forks)
				continue;

			if (rwc.invalid_vma && rwc.invalid_vma(vma, rwc.arg))
				continue;

			if (!rwc.rmap_one(folio, vma, addr, rwc.arg)) {
				anon_vma_unlock_read(anon_vma);
				return;
			}
			if (rwc.done && rwc.done(folio)) {
				anon_vma_unlock_read(anon_vma);
				return;
			}
		}
		anon_vma_unlock_read(anon_vma);
	}
	if (!search_new_forks++)
		continue again;
	break again;
}
}
c`

#ifdef CONFIG_MEMORY_FAILURE
/*
 * Collect processes when the error hit an ksm page.
 */
`;
export function collect_procs_ksm(folio: ptr<const_<folio>>, page: ptr<const_<page>>,
		to_kill: ptr<list_head>, force_early: int): void {
	let stable_node: ptr<ksm_stable_node>;
	let rmap_item: ptr<ksm_rmap_item>;
	let vma: ptr<vm_area_struct>;
	let tsk: ptr<task_struct>;

	stable_node = folio_stable_node(folio);
	if (!stable_node)
		return;
	for (rmap_item of hlist_for_each_entry(addr_(stable_node.hlist), 'hlist')) {
		let av: ptr<anon_vma> = rmap_item.anon_vma;

		anon_vma_lock_read(av);
		rcu_read_lock();
		for (tsk of for_each_process()) {
			let vmac: ptr<anon_vma_chain>;
			let addr: ulong;
			let t: ptr<task_struct> =
				task_early_kill(tsk, force_early);
			if (!t)
				continue;
			for (vmac of anon_vma_interval_tree_foreach(addr_(av.rb_root), 0,
						       ULONG_MAX))
			{
				vma = vmac.vma;
				if (vma.vm_mm == t.mm) {
					addr = rmap_item.address & PAGE_MASK;
					add_to_kill_ksm(t, page, vma, to_kill,
							addr);
				}
			}
		}
		rcu_read_unlock();
		anon_vma_unlock_read(av);
	}
}
c`
#endif

#ifdef CONFIG_MIGRATION
`;
export function folio_migrate_ksm(newfolio: ptr<folio>, folio: ptr<folio>): void {
	let stable_node: ptr<ksm_stable_node>;

	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	VM_BUG_ON_FOLIO(!folio_test_locked(newfolio), newfolio);
	VM_BUG_ON_FOLIO(newfolio.mapping != folio.mapping, newfolio);

	stable_node = folio_stable_node(folio);
	if (stable_node) {
		VM_BUG_ON_FOLIO(stable_node.kpfn != folio_pfn(folio), folio);
		stable_node.kpfn = folio_pfn(newfolio);
		/*
		 * newfolio->mapping was set in advance; now we need smp_wmb()
		 * to make sure that the new stable_node->kpfn is visible
		 * to ksm_get_folio() before it can see that folio->mapping
		 * has gone stale (or that the swapcache flag has been cleared).
		 */
		smp_wmb();
		folio_set_stable_node(folio, NULL);
	}
}
c`
#endif /* CONFIG_MIGRATION */

#ifdef CONFIG_MEMORY_HOTREMOVE
`;
function wait_while_offlining$CONFIG_MEMORY_HOTREMOVE(): void {
	while (ksm_run & KSM_RUN_OFFLINE) {
		mutex_unlock(addr(ksm_thread_mutex));
		wait_on_bit(ref(ksm_run, (v) => ksm_run = v), ilog2(KSM_RUN_OFFLINE),
			    TASK_UNINTERRUPTIBLE);
		mutex_lock(addr(ksm_thread_mutex));
	}
}
c`

`;
function stable_node_dup_remove_range(stable_node: ptr<ksm_stable_node>,
					 start_pfn: ulong,
					 end_pfn: ulong): bool {
	if (stable_node.kpfn >= start_pfn &&
	    stable_node.kpfn < end_pfn) {
		/*
		 * Don't ksm_get_folio, page has already gone:
		 * which is why we keep kpfn instead of page*
		 */
		remove_node_from_stable_tree(stable_node);
		return true;
	}
	return false;
}
c`

`;
function stable_node_chain_remove_range(stable_node: ptr<ksm_stable_node>,
					   start_pfn: ulong,
					   end_pfn: ulong,
					   root: ptr<rb_root>): bool {
	let dup: ptr<ksm_stable_node>;
	let hlist_safe: ptr<hlist_node>;

	if (!is_stable_node_chain(stable_node)) {
		VM_BUG_ON(is_stable_node_dup(stable_node));
		return stable_node_dup_remove_range(stable_node, start_pfn,
						    end_pfn);
	}

	for ([dup, hlist_safe] of hlist_for_each_entry_safe(
				  addr(stable_node.hlist), 'hlist_dup')) {
		VM_BUG_ON(!is_stable_node_dup(dup));
		stable_node_dup_remove_range(dup, start_pfn, end_pfn);
	}
	if (hlist_empty(addr(stable_node.hlist))) {
		free_stable_node_chain(stable_node, root);
		return true; /* notify caller that tree was rebalanced */
	} else
		return false;
}
c`

`;
function ksm_check_stable_tree(start_pfn: ulong,
				  end_pfn: ulong): void {
	let stable_node: ptr<ksm_stable_node>, next: ptr<ksm_stable_node>;
	let node: ptr<rb_node>;
	let nid: int;

	for (nid = 0; nid < ksm_nr_node_ids; nid++) {
		node = rb_first(ptr_add(root_stable_tree, nid));
		while (node) {
			stable_node = rb_entry(node, ksm_stable_node, 'node');
			if (stable_node_chain_remove_range(stable_node,
							   start_pfn, end_pfn,
							   ptr_add(root_stable_tree,
							   nid)))
				node = rb_first(ptr_add(root_stable_tree, nid));
			else
				node = rb_next(node);
			cond_resched();
		}
	}
	for ([stable_node, next] of list_for_each_entry_safe(addr(migrate_nodes), 'list')) {
		if (stable_node.kpfn >= start_pfn &&
		    stable_node.kpfn < end_pfn)
			remove_node_from_stable_tree(stable_node);
		cond_resched();
	}
}
c`

`;
function ksm_memory_callback(self: ptr<notifier_block>,
			       action: ulong, arg: ptr<void>): int {
	let mn: ptr<memory_notify> = arg;

	switch (action) {
	case MEM_GOING_OFFLINE:
		/*
		 * Prevent ksm_do_scan(), unmerge_and_remove_all_rmap_items()
		 * and remove_all_stable_nodes() while memory is going offline:
		 * it is unsafe for them to touch the stable tree at this time.
		 * But break_ksm(), rmap lookups and other entry points
		 * which do not need the ksm_thread_mutex are all safe.
		 */
		mutex_lock(addr(ksm_thread_mutex));
		ksm_run |= KSM_RUN_OFFLINE;
		mutex_unlock(addr(ksm_thread_mutex));
		break;

	case MEM_OFFLINE:
		/*
		 * Most of the work is done by page migration; but there might
		 * be a few stable_nodes left over, still pointing to struct
		 * pages which have been offlined: prune those from the tree,
		 * otherwise ksm_get_folio() might later try to access a
		 * non-existent struct page.
		 */
		ksm_check_stable_tree(mn.start_pfn,
				      mn.start_pfn + mn.nr_pages);
		fallthrough;
	case MEM_CANCEL_OFFLINE:
		mutex_lock(addr(ksm_thread_mutex));
		ksm_run &= ~KSM_RUN_OFFLINE;
		mutex_unlock(addr(ksm_thread_mutex));

		smp_mb();	/* wake_up_bit advises this */
		wake_up_bit(ref(ksm_run, (v) => ksm_run = v), ilog2(KSM_RUN_OFFLINE));
		break;
	}
	return NOTIFY_OK;
}
c`
#else
`;
function wait_while_offlining(): void {
}
c`
#endif /* CONFIG_MEMORY_HOTREMOVE */

#ifdef CONFIG_PROC_FS
/*
 * The process is mergeable only if any VMA is currently
 * applicable to KSM.
 *
 * The mmap lock must be held in read mode.
 */
`;
export function ksm_process_mergeable(mm: ptr<mm_struct>): bool {
	let vma: ptr<vm_area_struct>;

	mmap_assert_locked(mm);
	let vmi: vma_iterator = VMA_ITERATOR(mm, 0);
	for (vma of for_each_vma(vmi))
		if (vma.vm_flags & VM_MERGEABLE)
			return true;

	return false;
}
c`

`;
export function ksm_process_profit(mm: ptr<mm_struct>): long {
	return cast<long>(mm.ksm_merging_pages + mm_ksm_zero_pages(mm)) * PAGE_SIZE -
		mm.ksm_rmap_items * sizeof(ksm_rmap_item);
}
c`
#endif /* CONFIG_PROC_FS */

#ifdef CONFIG_SYSFS
/*
 * This all compiles without CONFIG_SYSFS, but is a waste of space.
 */

#define KSM_ATTR_RO(_name) \
	static struct kobj_attribute _name##_attr = __ATTR_RO(_name)
#define KSM_ATTR(_name) \
	static struct kobj_attribute _name##_attr = __ATTR_RW(_name)

`;
function sleep_millisecs_show(kobj: ptr<kobject>,
				    attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%u\n", ksm_thread_sleep_millisecs);
}
c`

`;
function sleep_millisecs_store(kobj: ptr<kobject>,
				     attr: ptr<kobj_attribute>,
				     buf: cstr, count: size_t): ssize_t {
	let msecs!: uint;
	let err: int;

	err = kstrtouint(buf, 10, ref(msecs, (v) => msecs = v));
	if (err)
		return -EINVAL;

	ksm_thread_sleep_millisecs = msecs;
	wake_up_interruptible(addr(ksm_iter_wait));

	return count;
}
c`
KSM_ATTR(sleep_millisecs);

`;
function pages_to_scan_show(kobj: ptr<kobject>,
				  attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%u\n", ksm_thread_pages_to_scan);
}
c`

`;
function pages_to_scan_store(kobj: ptr<kobject>,
				   attr: ptr<kobj_attribute>,
				   buf: cstr, count: size_t): ssize_t {
	let nr_pages!: uint;
	let err: int;

	if (ksm_advisor != KSM_ADVISOR_NONE)
		return -EINVAL;

	err = kstrtouint(buf, 10, ref(nr_pages, (v) => nr_pages = v));
	if (err)
		return -EINVAL;

	ksm_thread_pages_to_scan = nr_pages;

	return count;
}
c`
KSM_ATTR(pages_to_scan);

`;
function run_show(kobj: ptr<kobject>, attr: ptr<kobj_attribute>,
			buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_run);
}
c`

`;
function run_store(kobj: ptr<kobject>, attr: ptr<kobj_attribute>,
			 buf: cstr, count: size_t): ssize_t {
	let flags!: uint;
	let err: int;

	err = kstrtouint(buf, 10, ref(flags, (v) => flags = v));
	if (err)
		return -EINVAL;
	if (flags > KSM_RUN_UNMERGE)
		return -EINVAL;

	/*
	 * KSM_RUN_MERGE sets ksmd running, and 0 stops it running.
	 * KSM_RUN_UNMERGE stops it running and unmerges all rmap_items,
	 * breaking COW to free the pages_shared (but leaves mm_slots
	 * on the list for when ksmd may be set running again).
	 */

	mutex_lock(addr(ksm_thread_mutex));
	wait_while_offlining();
	if (ksm_run != flags) {
		ksm_run = flags;
		if (flags & KSM_RUN_UNMERGE) {
			set_current_oom_origin();
			err = unmerge_and_remove_all_rmap_items();
			clear_current_oom_origin();
			if (err) {
				ksm_run = KSM_RUN_STOP;
				count = err;
			}
		}
	}
	mutex_unlock(addr(ksm_thread_mutex));

	if (flags & KSM_RUN_MERGE)
		wake_up_interruptible(addr(ksm_thread_wait));

	return count;
}
c`
KSM_ATTR(run);

#ifdef CONFIG_NUMA
`;
function merge_across_nodes_show(kobj: ptr<kobject>,
				       attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%u\n", ksm_merge_across_nodes);
}
c`

`;
c`
static ssize_t merge_across_nodes_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	int err;
	unsigned long knob;

	err = kstrtoul(buf, 10, &knob);
	if (err)
		return err;
	if (knob > 1)
		return -EINVAL;

	mutex_lock(&ksm_thread_mutex);
	wait_while_offlining();
	if (ksm_merge_across_nodes != knob) {
		if (ksm_pages_shared || remove_all_stable_nodes())
			err = -EBUSY;
		else if (root_stable_tree == one_stable_tree) {
			struct rb_root *buf;
			/*
			 * This is the first time that we switch away from the
			 * default of merging across nodes: must now allocate
			 * a buffer to hold as many roots as may be needed.
			 * Allocate stable and unstable together:
			 * MAXSMP NODES_SHIFT 10 will use 16kB.
			 */
			buf = kzalloc_objs(*buf, nr_node_ids + nr_node_ids);
			/* Let us assume that RB_ROOT is NULL is zero */
			if (!buf)
				err = -ENOMEM;
			else {
				root_stable_tree = buf;
				root_unstable_tree = buf + nr_node_ids;
				/* Stable tree is empty but not the unstable */
				root_unstable_tree[0] = one_unstable_tree[0];
			}
		}
		if (!err) {
			ksm_merge_across_nodes = knob;
			ksm_nr_node_ids = knob ? 1 : nr_node_ids;
		}
	}
	mutex_unlock(&ksm_thread_mutex);

	return err ? err : count;
}
`;
c`
KSM_ATTR(merge_across_nodes);
#endif

`;
function use_zero_pages_show(kobj: ptr<kobject>,
				   attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%u\n", ksm_use_zero_pages);
}
function use_zero_pages_store(kobj: ptr<kobject>,
				   attr: ptr<kobj_attribute>,
				   buf: cstr, count: size_t): ssize_t {
	let err: int;
	let value!: bool;

	err = kstrtobool(buf, ref(value, (v) => value = v));
	if (err)
		return -EINVAL;

	ksm_use_zero_pages = value;

	return count;
}
c`
KSM_ATTR(use_zero_pages);

`;
function max_page_sharing_show(kobj: ptr<kobject>,
				     attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%u\n", ksm_max_page_sharing);
}
c`

`;
function max_page_sharing_store(kobj: ptr<kobject>,
				      attr: ptr<kobj_attribute>,
				      buf: cstr, count: size_t): ssize_t {
	let err: int;
	let knob!: int;

	err = kstrtoint(buf, 10, ref(knob, (v) => knob = v));
	if (err)
		return err;
	/*
	 * When a KSM page is created it is shared by 2 mappings. This
	 * being a signed comparison, it implicitly verifies it's not
	 * negative.
	 */
	if (knob < 2)
		return -EINVAL;

	if (READ_ONCE(ksm_max_page_sharing) == knob)
		return count;

	mutex_lock(addr(ksm_thread_mutex));
	wait_while_offlining();
	if (ksm_max_page_sharing != knob) {
		if (ksm_pages_shared || remove_all_stable_nodes())
			err = -EBUSY;
		else
			ksm_max_page_sharing = knob;
	}
	mutex_unlock(addr(ksm_thread_mutex));

	return err ? err : count;
}
c`
KSM_ATTR(max_page_sharing);

`;
function pages_scanned_show(kobj: ptr<kobject>,
				  attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_pages_scanned);
}
c`
KSM_ATTR_RO(pages_scanned);

`;
function pages_shared_show(kobj: ptr<kobject>,
				 attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_pages_shared);
}
c`
KSM_ATTR_RO(pages_shared);

`;
function pages_sharing_show(kobj: ptr<kobject>,
				  attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_pages_sharing);
}
c`
KSM_ATTR_RO(pages_sharing);

`;
function pages_unshared_show(kobj: ptr<kobject>,
				   attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_pages_unshared);
}
c`
KSM_ATTR_RO(pages_unshared);

`;
function pages_volatile_show(kobj: ptr<kobject>,
				   attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	let ksm_pages_volatile: long;

	ksm_pages_volatile = ksm_rmap_items - ksm_pages_shared
				- ksm_pages_sharing - ksm_pages_unshared;
	/*
	 * It was not worth any locking to calculate that statistic,
	 * but it might therefore sometimes be negative: conceal that.
	 */
	if (ksm_pages_volatile < 0)
		ksm_pages_volatile = 0;
	return sysfs_emit(buf, "%ld\n", ksm_pages_volatile);
}
c`
KSM_ATTR_RO(pages_volatile);

`;
function pages_skipped_show(kobj: ptr<kobject>,
				  attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_pages_skipped);
}
c`
KSM_ATTR_RO(pages_skipped);

`;
function ksm_zero_pages_show(kobj: ptr<kobject>,
				attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%ld\n", atomic_long_read(addr(ksm_zero_pages)));
}
c`
KSM_ATTR_RO(ksm_zero_pages);

`;
function general_profit_show(kobj: ptr<kobject>,
				   attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	let general_profit: long;

	general_profit = (ksm_pages_sharing + atomic_long_read(addr(ksm_zero_pages))) * PAGE_SIZE -
				ksm_rmap_items * sizeof(ksm_rmap_item);

	return sysfs_emit(buf, "%ld\n", general_profit);
}
c`
KSM_ATTR_RO(general_profit);

`;
function stable_node_dups_show(kobj: ptr<kobject>,
				     attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_stable_node_dups);
}
c`
KSM_ATTR_RO(stable_node_dups);

`;
function stable_node_chains_show(kobj: ptr<kobject>,
				       attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_stable_node_chains);
}
c`
KSM_ATTR_RO(stable_node_chains);

`;
function
stable_node_chains_prune_millisecs_show(kobj: ptr<kobject>,
					attr: ptr<kobj_attribute>,
					buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%u\n", ksm_stable_node_chains_prune_millisecs);
}
c`

`;
function
stable_node_chains_prune_millisecs_store(kobj: ptr<kobject>,
					 attr: ptr<kobj_attribute>,
					 buf: cstr, count: size_t): ssize_t {
	let msecs!: uint;
	let err: int;

	err = kstrtouint(buf, 10, ref(msecs, (v) => msecs = v));
	if (err)
		return -EINVAL;

	ksm_stable_node_chains_prune_millisecs = msecs;

	return count;
}
c`
KSM_ATTR(stable_node_chains_prune_millisecs);

`;
function full_scans_show(kobj: ptr<kobject>,
			       attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_scan.seqnr);
}
c`
KSM_ATTR_RO(full_scans);

`;
function smart_scan_show(kobj: ptr<kobject>,
			       attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%u\n", ksm_smart_scan);
}
c`

`;
function smart_scan_store(kobj: ptr<kobject>,
				attr: ptr<kobj_attribute>,
				buf: cstr, count: size_t): ssize_t {
	let err: int;
	let value!: bool;

	err = kstrtobool(buf, ref(value, (v) => value = v));
	if (err)
		return -EINVAL;

	ksm_smart_scan = value;
	return count;
}
c`
KSM_ATTR(smart_scan);

`;
function advisor_mode_show(kobj: ptr<kobject>,
				 attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	let output: cstr;

	if (ksm_advisor == KSM_ADVISOR_SCAN_TIME)
		output = "none [scan-time]";
	else
		output = "[none] scan-time";

	return sysfs_emit(buf, "%s\n", output);
}
c`

`;
function advisor_mode_store(kobj: ptr<kobject>,
				  attr: ptr<kobj_attribute>, buf: cstr,
				  count: size_t): ssize_t {
	let curr_advisor: ksm_advisor_type = ksm_advisor;

	if (sysfs_streq("scan-time", buf))
		ksm_advisor = KSM_ADVISOR_SCAN_TIME;
	else if (sysfs_streq("none", buf))
		ksm_advisor = KSM_ADVISOR_NONE;
	else
		return -EINVAL;

	/* Set advisor default values */
	if (curr_advisor != ksm_advisor)
		set_advisor_defaults();

	return count;
}
c`
KSM_ATTR(advisor_mode);

`;
function advisor_max_cpu_show(kobj: ptr<kobject>,
				    attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%u\n", ksm_advisor_max_cpu);
}
c`

`;
function advisor_max_cpu_store(kobj: ptr<kobject>,
				     attr: ptr<kobj_attribute>,
				     buf: cstr, count: size_t): ssize_t {
	let err: int;
	let value!: ulong;

	err = kstrtoul(buf, 10, ref(value, (v) => value = v));
	if (err)
		return -EINVAL;

	ksm_advisor_max_cpu = value;
	return count;
}
c`
KSM_ATTR(advisor_max_cpu);

`;
function advisor_min_pages_to_scan_show(kobj: ptr<kobject>,
					attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_advisor_min_pages_to_scan);
}
c`

`;
function advisor_min_pages_to_scan_store(kobj: ptr<kobject>,
					attr: ptr<kobj_attribute>,
					buf: cstr, count: size_t): ssize_t {
	let err: int;
	let value!: ulong;

	err = kstrtoul(buf, 10, ref(value, (v) => value = v));
	if (err)
		return -EINVAL;

	ksm_advisor_min_pages_to_scan = value;
	return count;
}
c`
KSM_ATTR(advisor_min_pages_to_scan);

`;
function advisor_max_pages_to_scan_show(kobj: ptr<kobject>,
					attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_advisor_max_pages_to_scan);
}
c`

`;
function advisor_max_pages_to_scan_store(kobj: ptr<kobject>,
					attr: ptr<kobj_attribute>,
					buf: cstr, count: size_t): ssize_t {
	let err: int;
	let value!: ulong;

	err = kstrtoul(buf, 10, ref(value, (v) => value = v));
	if (err)
		return -EINVAL;

	ksm_advisor_max_pages_to_scan = value;
	return count;
}
c`
KSM_ATTR(advisor_max_pages_to_scan);

`;
function advisor_target_scan_time_show(kobj: ptr<kobject>,
					     attr: ptr<kobj_attribute>, buf: ptr<char>): ssize_t {
	return sysfs_emit(buf, "%lu\n", ksm_advisor_target_scan_time);
}
c`

`;
function advisor_target_scan_time_store(kobj: ptr<kobject>,
					      attr: ptr<kobj_attribute>,
					      buf: cstr, count: size_t): ssize_t {
	let err: int;
	let value!: ulong;

	err = kstrtoul(buf, 10, ref(value, (v) => value = v));
	if (err)
		return -EINVAL;
	if (value < 1)
		return -EINVAL;

	ksm_advisor_target_scan_time = value;
	return count;
}
c`
KSM_ATTR(advisor_target_scan_time);

static struct attribute *ksm_attrs[] = {
	&sleep_millisecs_attr.attr,
	&pages_to_scan_attr.attr,
	&run_attr.attr,
	&pages_scanned_attr.attr,
	&pages_shared_attr.attr,
	&pages_sharing_attr.attr,
	&pages_unshared_attr.attr,
	&pages_volatile_attr.attr,
	&pages_skipped_attr.attr,
	&ksm_zero_pages_attr.attr,
	&full_scans_attr.attr,
#ifdef CONFIG_NUMA
	&merge_across_nodes_attr.attr,
#endif
	&max_page_sharing_attr.attr,
	&stable_node_chains_attr.attr,
	&stable_node_dups_attr.attr,
	&stable_node_chains_prune_millisecs_attr.attr,
	&use_zero_pages_attr.attr,
	&general_profit_attr.attr,
	&smart_scan_attr.attr,
	&advisor_mode_attr.attr,
	&advisor_max_cpu_attr.attr,
	&advisor_min_pages_to_scan_attr.attr,
	&advisor_max_pages_to_scan_attr.attr,
	&advisor_target_scan_time_attr.attr,
	NULL,
};

static const struct attribute_group ksm_attr_group = {
	.attrs = ksm_attrs,
	.name = "ksm",
};
#endif /* CONFIG_SYSFS */

`;
c`
static int __init ksm_init(void)
{
	struct task_struct *ksm_thread;
	int err;

	/* The correct value depends on page size and endianness */
	zero_checksum = calc_checksum(ZERO_PAGE(0));
	/* Default to false for backwards compatibility */
	ksm_use_zero_pages = false;

	err = ksm_slab_init();
	if (err)
		goto out;

	ksm_thread = kthread_run(ksm_scan_thread, NULL, "ksmd");
	if (IS_ERR(ksm_thread)) {
		pr_err("ksm: creating kthread failed\n");
		err = PTR_ERR(ksm_thread);
		goto out_free;
	}

#ifdef CONFIG_SYSFS
	err = sysfs_create_group(mm_kobj, &ksm_attr_group);
	if (err) {
		pr_err("ksm: register sysfs failed\n");
		kthread_stop(ksm_thread);
		goto out_free;
	}
#else
	ksm_run = KSM_RUN_MERGE;	/* no way for user to start it */

#endif /* CONFIG_SYSFS */

#ifdef CONFIG_MEMORY_HOTREMOVE
	/* There is no significance to this priority 100 */
	hotplug_memory_notifier(ksm_memory_callback, KSM_CALLBACK_PRI);
#endif
	return 0;

out_free:
	ksm_slab_free();
out:
	return err;
}
`;
c`
subsys_initcall(ksm_init);
`;

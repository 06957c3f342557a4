/*
 * mm/ksm.c's own structs and constants, as far as the TypeScript functions
 * of ts-src/model/ksm.ts use them.  ksm.c defines them itself (its carried
 * C keeps those definitions and prints them); these are the model's
 * declarations of the same things, the way rmap_types.ts stands for
 * include/linux/rmap.h.
 */
import type { ptr, int, ulong } from './ctypes';
import { NULL } from './ctypes';
import { list_head, hlist_node, hlist_head } from './list';
import { rb_node } from './interval_tree';
import type { mm_struct } from './mm_types';
import { mutex } from './locking';

/** @c struct ksm_stable_node */
export class ksm_stable_node {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_ksm_stable_node: void;
	/* In C, node and head/hlist_dup share a union, as do kpfn and chain_prune_time. */
	node = new rb_node(this);
	head: ptr<list_head> = NULL;
	hlist_dup = new hlist_node();
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
	mm: ptr<mm_struct> = NULL;
	address: ulong = 0;
	oldchecksum: int = 0;
	hlist = new hlist_node();
}

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

/*
 * static unsigned long ksm_run = KSM_RUN_STOP, which ksm.c's carried C
 * defines and its sysfs run_store() changes; the model's functions only
 * read it so far.
 */
export const ksm_run: ulong = KSM_RUN_STOP;

/*
 * static DEFINE_MUTEX(ksm_thread_mutex), which ksm.c's carried C defines:
 * ksmd's scan, the stable tree and the sysfs writers that change KSM's
 * state are serialised by it.
 */
export const ksm_thread_mutex: mutex = new mutex('ksm_thread_mutex');

/*
 * mm/mm_slot.h (and the part of include/linux/hashtable.h it uses): the
 * per-mm slot KSM and khugepaged hash by mm and list for their scans.
 */
import type { ptr, member, struct_type } from './ctypes';
import { NULL, addr } from './ctypes';
import { list_head, hlist_node, hlist_head, hlist_add_head, hlist_del_init } from './list';
import type { mm_struct } from './mm_types';
import { kmem_cache, kmem_cache_zalloc, kmem_cache_free, GFP_KERNEL } from './slab';
import { kernel_bug } from './sched';

/** @c struct mm_slot */
export class mm_slot {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_mm_slot: void;
	hash: hlist_node;
	mm_node: list_head;
	mm: ptr<mm_struct> = NULL;
	/** @model The struct this slot is embedded in (container_of()). */
	container: object | null;
	constructor(container: object | null = null) {
		this.container = container;
		this.hash = new hlist_node(this);
		this.mm_node = new list_head(container ?? this);
	}
}

/*
 * DEFINE_HASHTABLE(name, bits): the model's table is one bucket (the hash
 * only spreads the lookups hash_for_each_possible() walks; which bucket
 * does not change what a lookup finds).
 */
export class hashtable {
	/** @model */
	bucket = new hlist_head();
}

export function mm_slot_alloc(cache: ptr<kmem_cache>): ptr<void> {
	if (!cache)	/* initialization failed */
		return NULL;
	return kmem_cache_zalloc(cache, GFP_KERNEL);
}

export function mm_slot_free(cache: ptr<kmem_cache>, objp: ptr<void>): void {
	kmem_cache_free(cache, objp);
}

export function mm_slot_lookup(table: hashtable, mm: ptr<mm_struct>): ptr<mm_slot> {
	for (let n = table.bucket.first; n; n = n.next) {
		const slot = n.container as mm_slot;
		if (slot.mm === mm)
			return slot as ptr<mm_slot>;
	}
	return NULL;
}

export function mm_slot_insert(table: hashtable, mm: ptr<mm_struct>, slot: ptr<mm_slot>): void {
	slot.mm = mm;
	hlist_add_head(addr(slot.hash), addr(table.bucket));
}

/* struct mm_slot where a local named mm_slot hides the class (scan_get_next_rmap_item()'s list_entry()). */
export const struct_mm_slot = mm_slot;

/**
 * mm_slot_entry(ptr, type, member): container_of().
 * @entry
 */
export function mm_slot_entry<T extends object>(p: ptr<mm_slot>, type: struct_type<T>, _member: member): ptr<T> {
	if (!(p.container instanceof type))
		return kernel_bug('bug', `mm_slot_entry(): the slot is not in a ${type.name}`);
	return p.container as ptr<T>;
}

export function hash_del(node: ptr<hlist_node>): void {
	hlist_del_init(node);
}

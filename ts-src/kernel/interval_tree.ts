/*
 * include/linux/rbtree.h, interval_tree_generic.h and mm/interval_tree.c:
 * the anon_vma tree of anon_vma_chains and the file i_mmap tree of VMAs.
 *
 * Nodes are kept in insertion order; what matters to the model is the key.
 * Like the kernel's augmented rbtree, a node's interval is computed when it
 * is inserted (the kernel caches rb_subtree_last): if a VMA's vm_pgoff or
 * size changes while its node is in a tree, lookups keep using the stale
 * interval until the node is removed and inserted again.  That is exactly
 * why vma_prepare() takes the anon_vma lock and re-inserts around an update.
 */
import { sched_point } from './sched';
import { lockset_update } from './lockset';
import type { ptr, ulong, pgoff_t } from './ctypes';
import type { anon_vma_chain } from './rmap_types';
import type { vm_area_struct } from './mm_types';
import { vma_pages } from './mm_types';

/** @c struct rb_node */
export class rb_node {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_rb_node: void;
	/** @model The interval the node was inserted with: [start, last]. */
	start = 0;
	/** @model */
	last = 0;
	/** @model The struct the node is embedded in (container_of()). */
	container: object | null;
	/* A plain rbtree's links (rbtree.ts); the interval trees keep their nodes in rb_root.nodes. */
	rb_left: ptr<rb_node> = null as never;
	rb_right: ptr<rb_node> = null as never;
	/** @model The parent __rb_parent_color holds in C (NULL at the root). */
	parent: ptr<rb_node> | null = null;
	/** @model In a plain rbtree (between rb_link_node() and rb_erase()). */
	linked = false;
	constructor(container: object | null = null) {
		this.container = container;
	}
}

/** @c struct rb_root */
export class rb_root {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_rb_root: void;
	rb_node: ptr<rb_node> = null as never;
	/** @model All nodes of the tree (the model's stand-in for the rbtree shape). */
	nodes: rb_node[] = [];
}

/* include/linux/rbtree_types.h: (struct rb_root) { NULL, }, the empty tree (a value: struct_assign() copies it). */
export const RB_ROOT: rb_root = Object.freeze(new rb_root()) as rb_root;

/** @c struct rb_root_cached */
export class rb_root_cached {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_rb_root_cached: void;
	rb_root = new rb_root();
	rb_leftmost: ptr<rb_node> | null = null;
}

/** RB_ROOT_CACHED: an empty tree, a fresh value each time it is used. */
export declare const RB_ROOT_CACHED: rb_root_cached;
/* CommonJS's exports object: the getter makes every use a fresh value. */
declare const exports: object;
Object.defineProperty(exports, 'RB_ROOT_CACHED', { get: () => new rb_root_cached(), enumerable: true });

export function RB_EMPTY_ROOT(root: ptr<rb_root>): boolean {
	return root.rb_node === null;
}

function tree_insert(node: rb_node, start: number, last: number, root: rb_root_cached): void {
	sched_point('interval_tree_insert', root);
	lockset_update(root, 'interval tree insert', node.container);
	if (root.rb_root.nodes.includes(node))
		throw new Error('interval tree: node inserted twice');
	node.start = start;
	node.last = last;
	root.rb_root.nodes.push(node);
	root.rb_root.rb_node = root.rb_root.nodes[0] as ptr<rb_node>;
}

function tree_remove(node: rb_node, root: rb_root_cached): void {
	sched_point('interval_tree_remove', root);
	lockset_update(root, 'interval tree remove');
	const i = root.rb_root.nodes.indexOf(node);
	if (i < 0)
		throw new Error('interval tree: removing a node that is not in the tree');
	root.rb_root.nodes.splice(i, 1);
	root.rb_root.rb_node = (root.rb_root.nodes[0] ?? null) as ptr<rb_node>;
}

function* tree_overlapping(root: rb_root_cached, start: number, last: number): Iterable<any> {
	/* Snapshot: like an rbtree walk, a concurrent insert may or may not be seen. */
	for (const n of [...root.rb_root.nodes]) {
		sched_point('interval_tree_iter', root);
		if (n.start <= last && start <= n.last)
			yield n.container;
	}
}

function avc_start_pgoff(avc: ptr<anon_vma_chain>): pgoff_t {
	return avc.vma.vm_pgoff;
}

function avc_last_pgoff(avc: ptr<anon_vma_chain>): pgoff_t {
	return avc.vma.vm_pgoff + vma_pages(avc.vma) - 1;
}

export function anon_vma_interval_tree_insert(node: ptr<anon_vma_chain>, root: ptr<rb_root_cached>): void {
	tree_insert(node.rb, avc_start_pgoff(node), avc_last_pgoff(node), root);
}

export function anon_vma_interval_tree_remove(node: ptr<anon_vma_chain>, root: ptr<rb_root_cached>): void {
	tree_remove(node.rb, root);
}

/** anon_vma_interval_tree_foreach(avc, root, start, last) */
export function anon_vma_interval_tree_foreach(root: ptr<rb_root_cached>, start: pgoff_t, last: pgoff_t): Iterable<any> {
	return tree_overlapping(root, start, last);
}

export function vma_interval_tree_insert(node: ptr<vm_area_struct>, root: ptr<rb_root_cached>): void {
	tree_insert(node.shared.rb, node.vm_pgoff, node.vm_pgoff + vma_pages(node) - 1, root);
}

export function vma_interval_tree_remove(node: ptr<vm_area_struct>, root: ptr<rb_root_cached>): void {
	tree_remove(node.shared.rb, root);
}

/** vma_interval_tree_foreach(vma, root, start, last) */
export function vma_interval_tree_foreach(root: ptr<rb_root_cached>, start: pgoff_t, last: ulong): Iterable<any> {
	return tree_overlapping(root, start, last);
}

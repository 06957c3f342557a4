/*
 * include/linux/rbtree.h and lib/rbtree.c: the plain rbtree KSM's stable
 * and unstable trees are made of.  The model's tree is a real binary
 * search tree (rb_left, rb_right, the parent in __rb_parent_color's
 * place), linked by the caller's own search as in C (rb_link_node() into
 * the link it found); it is not recoloured or rebalanced: rotations change
 * the shape, never the in-order sequence a search or rb_first()/rb_next()
 * walk sees, and nothing in mm/ksm.c reads the colours.
 */
import type { ptr, member, struct_type } from './ctypes';
import { NULL } from './ctypes';
import { rb_node, rb_root } from './interval_tree';
import { kernel_bug } from './sched';

/**
 * rb_entry(ptr, type, member): container_of() of an embedded rb_node.
 * @entry
 */
export function rb_entry<T extends object>(p: ptr<rb_node>, type: struct_type<T>, _member: member): ptr<T> {
	if (!(p.container instanceof type))
		return kernel_bug('bug', `rb_entry(): the node is not in a ${type.name}`);
	return p.container as ptr<T>;
}

/*
 * A struct that overlays its rb_node with other members in a union
 * (ksm_stable_node: head over __rb_parent_color, hlist_dup over rb_right
 * and rb_left) reads those members as the words the tree wrote: once the
 * node is linked, its head is its parent pointer (NULL at the root, where
 * C has only the colour bit), never &migrate_nodes or
 * STABLE_NODE_DUP_HEAD, so a dup that becomes a tree node (a chain
 * collapsed into it: rb_replace_node()) is no longer is_stable_node_dup().
 * The model's struct keeps the members apart; this is the write they share.
 */
function union_parent_word(node: rb_node): void {
	const c = node.container as { node?: unknown; head?: unknown; hlist_dup?: unknown } | null;
	if (c && c.node === node && 'head' in c && 'hlist_dup' in c)
		c.head = node.parent ?? NULL;
}

/** rb_link_node(node, parent, rb_link): node becomes the leaf *rb_link of parent. */
export function rb_link_node(node: ptr<rb_node>, parent: ptr<rb_node>, rb_link: ptr<ptr<rb_node>>): void {
	node.parent = parent;
	node.rb_left = NULL;
	node.rb_right = NULL;
	node.linked = true;
	union_parent_word(node);
	rb_link.deref = node;
}

/* The colours and rotations are the kernel's business (see above): the node is in the tree once linked. */
export function rb_insert_color(node: ptr<rb_node>, root: ptr<rb_root>): void {
	if (!node.linked || (node.parent === null && root.rb_node !== node))
		kernel_bug('bug', 'rb_insert_color of a node rb_link_node() did not link into this tree');
}

/* The link that points to node: its parent's rb_left/rb_right, or the root's rb_node. */
function change_child(old: rb_node, repl: ptr<rb_node> | null, parent: rb_node | null, root: ptr<rb_root>): void {
	if (parent === null) {
		if (root.rb_node !== old)
			kernel_bug('bug', 'rbtree: a node without parent that is not the root of this tree');
		root.rb_node = repl as ptr<rb_node>;
	} else if (parent.rb_left === old)
		parent.rb_left = repl as ptr<rb_node>;
	else if (parent.rb_right === old)
		parent.rb_right = repl as ptr<rb_node>;
	else
		kernel_bug('bug', 'rbtree: a node its parent does not link');
}

export function rb_erase(node: ptr<rb_node>, root: ptr<rb_root>): void {
	if (!node.linked)
		kernel_bug('bug', 'rb_erase of a node that is in no tree');
	const left = node.rb_left, right = node.rb_right, parent = node.parent;
	if (!left || !right) {
		const child = left ?? right;
		change_child(node, child, parent, root);
		if (child)
			child.parent = parent as ptr<rb_node>;
	} else {
		/* Two children: the in-order successor (leftmost of the right subtree) takes node's place. */
		let succ: rb_node = right;
		while (succ.rb_left)
			succ = succ.rb_left;
		if (succ !== right) {
			const sp = succ.parent!;
			sp.rb_left = succ.rb_right;
			if (succ.rb_right)
				succ.rb_right.parent = sp as ptr<rb_node>;
			succ.rb_right = right;
			right.parent = succ as ptr<rb_node>;
		}
		succ.rb_left = left;
		left.parent = succ as ptr<rb_node>;
		change_child(node, succ as ptr<rb_node>, parent, root);
		succ.parent = parent as ptr<rb_node>;
	}
	node.linked = false;
}

/** rb_replace_node(victim, new, root): new takes victim's place, victim leaves the tree. */
export function rb_replace_node(victim: ptr<rb_node>, n: ptr<rb_node>, root: ptr<rb_root>): void {
	if (!victim.linked)
		kernel_bug('bug', 'rb_replace_node of a node that is in no tree');
	n.rb_left = victim.rb_left;
	n.rb_right = victim.rb_right;
	n.parent = victim.parent;
	n.linked = true;
	if (n.rb_left)
		n.rb_left.parent = n;
	if (n.rb_right)
		n.rb_right.parent = n;
	union_parent_word(n);
	change_child(victim, n, victim.parent, root);
	victim.linked = false;
}

export function rb_first(root: ptr<rb_root>): ptr<rb_node> {
	let n = root.rb_node;
	if (!n)
		return NULL;
	while (n.rb_left)
		n = n.rb_left;
	return n;
}

export function rb_next(node: ptr<rb_node>): ptr<rb_node> {
	if (node.rb_right) {
		let n = node.rb_right;
		while (n.rb_left)
			n = n.rb_left;
		return n;
	}
	let n: rb_node = node, p = node.parent;
	while (p && n === p.rb_right) {
		n = p;
		p = p.parent;
	}
	return p as ptr<rb_node>;
}

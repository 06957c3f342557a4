/*
 * KSM's invariants at the quiescent end, beside invariants.ts's anon_vma
 * ones: the stable tree and its chains are consistent, every rmap_item
 * hangs where its flags say, no folio's keyhole (folio->mapping) leads to
 * a freed or stale stable node, every PTE of a KSM folio is one that
 * rmap_walk_ksm() will find, and every slab object of KSM's caches is
 * reachable.  Like the others they read the model's objects directly,
 * liveness first, so reading a freed object is not itself reported.
 */
import type { failure } from './execution';
import { live } from './invariants';

const bug = (message: string): failure => ({ kind: 'bug', message: `KSM: ${message}` });

/* The nodes of a plain rbtree, in order (rbtree.ts links them by rb_left/rb_right). */
function inorder(root: any): any[] {
	const out: any[] = [];
	const walk = (n: any): void => {
		if (!n)
			return;
		walk(n.rb_left);
		out.push(n);
		walk(n.rb_right);
	};
	walk(root.rb_node);
	return out;
}

function hlist(head: any): any[] {
	const out: any[] = [];
	for (let n = head.first; n; n = n.next)
		out.push(n.container);
	return out;
}

export interface ksm_reach {
	stable_nodes: Set<any>;
	rmap_items: Set<any>;
}

/**
 * The stable trees (one per NUMA node): each node live, a chain holding
 * only dups, each dup or plain node counting its rmap_items right, each
 * rmap_item pointing back at the node it hangs on with STABLE_FLAG set.
 */
export function checkStableTree(K: any, reach: ksm_reach): failure | null {
	/* one_stable_tree, or the per-node array merge_across_nodes = 0 made (ksm_numa_trees()). */
	const trees: any[] = K.root_stable_tree ? K.array_place(K.root_stable_tree).items : [];
	const items = (node: any, where: string): failure | null => {
		const list = hlist(node.hlist);
		if (node.rmap_hlist_len !== list.length)
			return bug(`${where}: rmap_hlist_len ${node.rmap_hlist_len}, but ${list.length} rmap_items hang on it`);
		for (const it of list) {
			if (!live(K, it))
				return { kind: 'use-after-free', message: `KSM: ${where} holds a freed rmap_item` };
			if (reach.rmap_items.has(it))
				return bug(`an rmap_item hangs on two stable nodes`);
			reach.rmap_items.add(it);
			if (it.head !== node || !(it.address & K.STABLE_FLAG))
				return bug(`${where}: an rmap_item on its hlist does not point back (head ${it.head === node ? 'ok' : 'wrong'}, STABLE_FLAG ${it.address & K.STABLE_FLAG ? 'set' : 'clear'})`);
		}
		return null;
	};
	for (const root of trees) {
		for (const rb of inorder(root)) {
			const node = rb.container;
			if (!live(K, node))
				return { kind: 'use-after-free', message: 'KSM: the stable tree holds a freed stable node' };
			reach.stable_nodes.add(node);
			if (node.rmap_hlist_len === K.STABLE_NODE_CHAIN) {
				const dups = [];
				for (let n = node.hlist.first; n; n = n.next)
					dups.push(n.container);
				if (!dups.length)
					return bug('an empty stable_node chain is left in the tree');
				for (const dup of dups) {
					if (!live(K, dup))
						return { kind: 'use-after-free', message: 'KSM: a stable_node chain holds a freed dup' };
					if (dup.head !== K.STABLE_NODE_DUP_HEAD)
						return bug('a chain holds a stable node that is not a dup');
					reach.stable_nodes.add(dup);
					const f = items(dup, 'a dup');
					if (f)
						return f;
				}
			} else {
				const f = items(node, 'a stable node');
				if (f)
					return f;
			}
		}
	}
	/* Nodes migration moved off the tree wait on migrate_nodes. */
	if (K.migrate_nodes)
		for (let l = K.migrate_nodes.next; l !== K.migrate_nodes; l = l.next) {
			const node = l.container;
			if (!live(K, node))
				return { kind: 'use-after-free', message: 'KSM: migrate_nodes holds a freed stable node' };
			reach.stable_nodes.add(node);
			const f = items(node, 'a stable node on migrate_nodes');
			if (f)
				return f;
		}
	return null;
}

/**
 * No folio's keyhole leads to a freed stable node: a KSM folio that is
 * still allocated (mapped or not: reclaim, compaction and ksmd all look
 * through it) names a live node or none.
 */
export function checkKeyholes(K: any, folios: any[]): failure | null {
	for (const f of folios) {
		if (f.freed)
			continue;
		const node = keyhole(K, f);
		if (node && !live(K, node))
			return { kind: 'use-after-free', message: 'KSM: a KSM folio\'s keyhole (folio->mapping) leads to a freed stable node' };
	}
	return null;
}

/** The stable node a KSM folio's keyhole names (NULL when it has none). */
export function keyhole(K: any, f: any): any {
	return K.folio_test_ksm(f) ? K.folio_raw_mapping(f) : null;
}

/*
 * The model's rmap_walk_ksm() of folio, run at the quiescent end as a
 * thread of its own (a fresh task: it holds nothing, sees every store):
 * the (VMA, address) pairs it hands rmap_one(), or the finding the walk
 * itself runs into.  KH is check/ksm_harness's exports.
 */
function walkAtEnd(K: any, KH: any, f: any): { visits: { vma: any; address: number }[] } | failure {
	const saved = K.sched.current;
	const task = new K.task_struct('rmap_walk_ksm (invariant)');
	K.sched.current = task;
	K.mo_thread_start(task);
	try {
		const visits = KH.ksm_walk_visits(f);
		if (task.held.length)
			return bug(`rmap_walk_ksm() returns holding ${task.held.map((h: { cls: string }) => h.cls).join(', ')}`);
		return { visits };
	} catch (e) {
		if (!(e instanceof K.KernelBug))
			throw e;
		const kb = e as { kind: string; message: string };
		return { kind: kb.kind === 'enomem' ? 'bug' : kb.kind, message: `rmap_walk_ksm() of a mapped KSM folio at the end: ${kb.message}` } as failure;
	} finally {
		K.sched.current = saved;
	}
}

/*
 * A PTE of a KSM folio at (mm, address) is one the model's rmap_walk_ksm()
 * finds: the walk of its folio (run once per folio, walks caching it)
 * hands rmap_one() a VMA of mm and that address.  Before the walk, what it
 * will touch is tested for liveness, so a freed rmap_item or anon_vma is
 * reported as such rather than as the walk's own access.
 */
export function checkKsmMapping(K: any, KH: any, walks: Map<any, any>, mm: any, address: number, f: any, at: string): failure | null {
	const node = keyhole(K, f);
	if (!node)
		return { kind: 'lost-mapping', message: `the PTE at ${at} maps a KSM folio whose stable node is NULL` };
	if (!live(K, node))
		return { kind: 'use-after-free', message: `KSM: the folio mapped at ${at} leads to a freed stable node through folio->mapping` };
	if (node.kpfn !== K.folio_pfn(f))
		return { kind: 'lost-mapping', message: `the folio mapped at ${at} is not its stable node's kpfn: ksm_get_folio() takes the node for stale` };
	let walk = walks.get(f);
	if (!walk) {
		for (const it of hlist(node.hlist)) {
			if (!live(K, it))
				return { kind: 'use-after-free', message: `KSM: the stable node of the folio mapped at ${at} holds a freed rmap_item, which rmap_walk_ksm() reads` };
			if (!it.anon_vma || !live(K, it.anon_vma))
				return { kind: 'use-after-free', message: `KSM: an rmap_item of the folio mapped at ${at} points to a freed anon_vma, which rmap_walk_ksm() locks` };
		}
		walk = walkAtEnd(K, KH, f);
		walks.set(f, walk);
	}
	if ('kind' in walk)
		return walk;
	if (walk.visits.some((v: { vma: any; address: number }) => v.vma.vm_mm === mm && v.address === address))
		return null;
	return { kind: 'lost-mapping', message: `rmap_walk_ksm() does not find the PTE at ${at}: no rmap_item of its stable node leads to a VMA of ${mm.name} there` };
}

/**
 * ksmd's mm_slots and every rmap_item in exactly one place: each slot on
 * ksm_mm_head's list live and holding a live mm (its mmgrab() reference),
 * each rmap_item on one slot's rmap_list, once, for that slot's mm; an
 * rmap_item on a stable node (checkStableTree(), which fills
 * reach.rmap_items first) is on its mm_slot's rmap_list too.
 */
export function checkRmapLists(K: any, reach: ksm_reach): failure | null {
	const head = K.ksm_mm_head;
	if (!head || !head.slot)
		return null;
	const on = new Map<any, any>();
	for (let l = head.slot.mm_node.next; l !== head.slot.mm_node; l = l.next) {
		const s = l.container;
		if (!live(K, s))
			return { kind: 'use-after-free', message: 'KSM: ksm_mm_head\'s list holds a freed mm_slot' };
		if (s.slot.mm.mm_count.counter <= 0)
			return { kind: 'use-after-free', message: `KSM: the mm_slot of ${s.slot.mm.name} holds a freed mm` };
		for (let it = s.rmap_list; it; it = it.rmap_list) {
			if (!live(K, it))
				return { kind: 'use-after-free', message: `KSM: the rmap_list of ${s.slot.mm.name} holds a freed rmap_item` };
			if (on.has(it))
				return bug(`an rmap_item is on ${on.get(it) === s ? 'its mm_slot\'s rmap_list twice' : 'two mm_slots\' rmap_lists'}`);
			on.set(it, s);
			if (it.mm !== s.slot.mm)
				return bug(`an rmap_item on the rmap_list of ${s.slot.mm.name} is for another mm`);
		}
	}
	for (const it of reach.rmap_items)
		if (!on.has(it))
			return bug(`an rmap_item on a stable node is on no mm_slot's rmap_list`);
	return null;
}

/**
 * Every object of KSM's caches is reachable: stable nodes from the trees
 * (and migrate_nodes), rmap_items from the mm_slots' rmap_lists or, until
 * those are modelled, from the stable nodes they hang on.
 */
export function ksmReachable(K: any, reach: ksm_reach): Record<string, number> {
	const slots: any[] = [];
	const head = K.ksm_mm_head;
	if (head && head.slot)
		for (let l = head.slot.mm_node.next; l !== head.slot.mm_node; l = l.next)
			slots.push(l.container);
	for (const s of slots)
		for (let it = s.rmap_list; it; it = it.rmap_list)
			reach.rmap_items.add(it);
	return {
		ksm_stable_node: reach.stable_nodes.size,
		ksm_rmap_item: reach.rmap_items.size,
		ksm_mm_slot: slots.length,
	};
}

/**
 * ksm.c's statistics against what they count, every rmap_item on the
 * mm_slots' rmap_lists (checkRmapLists() ran first): ksm_pages_unshared
 * the rmap_items in an unstable tree (UNSTABLE_FLAG: set with the ++ in
 * unstable_tree_search_insert(), cleared with the -- in
 * remove_rmap_item_from_tree()); ksm_pages_shared the stable nodes that
 * rmap_items hang on, ksm_pages_sharing the rmap_items beyond the first
 * of each (stable_tree_append(), remove_rmap_item_from_tree()).  A count
 * gone wrong is what /sys/kernel/mm/ksm reports, and the kernel's
 * general_profit and pages_volatile are computed from it.
 */
export function checkKsmCounters(K: any, counters: () => { shared: number; sharing: number; unshared: number }): failure | null {
	const head = K.ksm_mm_head;
	if (!head || !head.slot || head.slot.mm_node.next === head.slot.mm_node)
		return null;
	const c = counters();
	let unstable = 0, stable = 0;
	const heads = new Set<any>();
	for (let l = head.slot.mm_node.next; l !== head.slot.mm_node; l = l.next)
		for (let it = l.container.rmap_list; it; it = it.rmap_list) {
			if (it.address & K.UNSTABLE_FLAG)
				unstable++;
			if (it.address & K.STABLE_FLAG) {
				stable++;
				heads.add(it.head);
			}
		}
	if (c.unshared !== unstable)
		return bug(`ksm_pages_unshared is ${c.unshared}, but ${unstable} rmap_item(s) are in an unstable tree`);
	if (c.shared !== heads.size || c.sharing !== stable - heads.size)
		return bug(`ksm_pages_shared ${c.shared} and ksm_pages_sharing ${c.sharing}, but ${stable} rmap_item(s) hang on ${heads.size} stable node(s)`);
	return null;
}

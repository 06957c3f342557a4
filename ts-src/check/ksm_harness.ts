/*
 * The rest of mm/ as it drives mm/ksm.c, beside harness.ts's anon_vma
 * side: what ksmd's merge leaves behind, ksmd meeting a stable node on a
 * tree walk, and the migration of a KSM folio.  (A write to a merged page
 * is harness.ts's user_write(): its read-only PTE is copied on write.)
 *
 * Model-only and loaded through the checker's transform like harness.ts:
 * every lock, atomic and list operation is a point where another thread
 * may run.  It uses the model's functions (mm/ksm.c's statics by name,
 * as design variants do) wherever the model has them; what it does
 * itself is what mm/memory.c and mm/migrate.c do to page tables.
 */
import {
	ptr, ulong, addr, folio, mm_struct, ksm_stable_node, ksm_rmap_item,
	spin_lock, spin_unlock, mutex_lock, mutex_unlock, kernel_bug,
	folio_lock, folio_unlock, folio_put, folio_ref_count, folio_test_ksm, folio_mapped,
	ksm_thread_mutex, NULL, ref, addr_of, INIT_HLIST_HEAD, folio_pfn, rb_link_node,
	rb_insert_color, root_stable_tree, RMAP_NONE, mm_slot_entry, mm_slot_lookup, mm_slots_hash, ksm_mm_slot,
	vm_area_struct, rmap_walk_control, mm_flags_test, MMF_VM_MERGEABLE, rb_replace_node, jiffies, STABLE_NODE_CHAIN,
} from '../kernel';
import { get_anon_vma } from '../model/rmap_h';
import { folio_migrate_ksm, __ksm_enter, __ksm_exit, rmap_walk_ksm } from '../model/ksm';
import {
	world, find_vma, try_to_migrate, remove_migration_ptes, folio_alloc, pte_try_share, pte_clear, pte_map_anon, exit_mmap,
} from './harness';

declare const __k: { lookup(name: string): Function };

/* mm/ksm.c's static functions, which the harness may call as ksmd does (by name, as design variants do). */
function ksm(name: string): Function {
	return __k.lookup(`model/ksm:${name}`);
}

let slab_ready = false;

/* ksm_init()'s ksm_slab_init(): KSM's slab caches, once per world. */
function ksm_slab_setup(): void {
	if (!slab_ready && ksm('ksm_slab_init')() === 0)
		slab_ready = true;
}

/**
 * The page at address in each of mms, after ksmd merged them: each mm
 * registered with ksmd (__ksm_enter(), as madvise(MADV_MERGEABLE) does),
 * the first process's folio is the KSM folio with a stable node of its own in the
 * (empty) stable tree, each process has an rmap_item on that node
 * (stable_tree_append(), with the anon_vma reference
 * try_to_merge_with_ksm_page() takes), and every PTE maps the KSM folio
 * read-only (what write_protect_page() and replace_page() leave).
 * Setup only: it runs single-threaded, before the threads race.  The node
 * is made as stable_tree_insert() makes one at an empty tree's root
 * (alloc_stable_node(), rb_link_node(), folio_set_stable_node()): the
 * model's stable_tree_insert() is still carried C (its search loop).
 */
export function ksm_merged(mms: ptr<mm_struct>[], address: ulong): { kfolio: ptr<folio>; node: ptr<ksm_stable_node>; items: ptr<ksm_rmap_item>[] } {
	ksm_slab_setup();
	if (root_stable_tree.rb_node)
		kernel_bug('bug', 'ksm_merged: the stable tree is not empty');
	return ksm_stable_node_of(mms, address, false, (node) => {
		rb_link_node(addr(node.node), NULL, addr_of(root_stable_tree, 'rb_node') as never);
		rb_insert_color(addr(node.node), root_stable_tree);
	});
}

/*
 * ksm_merged()'s node for mms' pages at address: the first mm's folio
 * becomes the KSM folio, link() puts its new stable node where it goes
 * (the tree, or a chain), and every mm gets an rmap_item on it and a
 * read-only PTE of the KSM folio.  bypass is stable_tree_append()'s
 * max_page_sharing_bypass.
 */
function ksm_stable_node_of(mms: ptr<mm_struct>[], address: ulong, bypass: boolean,
		link: (node: ptr<ksm_stable_node>) => void): { kfolio: ptr<folio>; node: ptr<ksm_stable_node>; items: ptr<ksm_rmap_item>[] } {
	const first = mms[0].ptes.get(address);
	if (!first)
		kernel_bug('bug', 'ksm_merged: no page to merge');
	const kfolio = first.folio;
	folio_lock(kfolio);
	/* write_protect_page() before the node: the page is no longer exclusive, its PTE read-only. */
	spin_lock(addr(mms[0].page_table_lock));
	if (!pte_try_share(first, { exclusive: false }))
		kernel_bug('bug', 'ksm_merged: folio_try_share_anon_rmap_pte() failed');
	first.write = false;
	spin_unlock(addr(mms[0].page_table_lock));
	const node = ksm('alloc_stable_node')() as ptr<ksm_stable_node>;
	INIT_HLIST_HEAD(addr(node.hlist));
	node.kpfn = folio_pfn(kfolio);
	node.rmap_hlist_len = 0;
	link(node);
	ksm('folio_set_stable_node')(kfolio, node);
	const items: ptr<ksm_rmap_item>[] = [];
	for (const mm of mms) {
		const vma = find_vma(mm, address);
		/* madvise(MADV_MERGEABLE) registered the mm with ksmd: its mm_slot. */
		if (__ksm_enter(mm))
			kernel_bug('bug', 'ksm_merged: __ksm_enter failed');
		const slot = mm_slot_entry(mm_slot_lookup(mm_slots_hash, mm), ksm_mm_slot, 'slot');
		const item = ksm('alloc_rmap_item')() as ptr<ksm_rmap_item>;
		/* get_next_rmap_item(): the item joins its mm_slot's rmap_list. */
		item.rmap_list = slot.rmap_list;
		slot.rmap_list = item;
		item.mm = mm;
		item.address = address;
		/* try_to_merge_with_ksm_page(): must get reference to anon_vma while still holding mmap_lock. */
		item.anon_vma = vma.anon_vma;
		get_anon_vma(vma.anon_vma);
		ksm('stable_tree_append')(item, node, bypass);
		spin_lock(addr(mm.page_table_lock));
		const pte = mm.ptes.get(address)!;
		if (pte.folio !== kfolio) {
			/* replace_page(): the PTE maps the KSM page instead, read-only. */
			const old = pte.folio;
			pte_clear(vma, address);
			pte_map_anon(vma, address, kfolio, false, RMAP_NONE);
			world.folios.splice(world.folios.indexOf(old), 1);
		}
		spin_unlock(addr(mm.page_table_lock));
		items.push(item);
	}
	folio_unlock(kfolio);
	return { kfolio, node, items };
}

/**
 * One page content merged from every mm of groups' pages at address,
 * under a max_page_sharing limit: each group is one KSM page with a
 * stable node of its own (at most max_page_sharing rmap_items each, as
 * stable_tree_append() keeps them).  One group is a plain node at the
 * stable tree's root; more are the dups of a stable_node chain there, the
 * chain made as alloc_stable_node_chain() makes one over the first node
 * (a chain node replacing it in the tree, rmap_hlist_len
 * STABLE_NODE_CHAIN) and every dup added by the model's
 * stable_node_chain_add_dup(), under ksm_thread_mutex as ksmd holds it.
 * max_page_sharing 0 is unlimited: stable_tree_append() is told to bypass
 * the limit.  Returns each group's KSM folio.
 */
export function ksm_merged_shared(groups: ptr<mm_struct>[][], address: ulong, max_page_sharing: number): ptr<folio>[] {
	ksm_slab_setup();
	if (root_stable_tree.rb_node)
		kernel_bug('bug', 'ksm_merged_shared: the stable tree is not empty');
	if (groups.length > 1 && !max_page_sharing)
		kernel_bug('bug', 'ksm_merged_shared: a chain only exists under a max_page_sharing limit');
	if (max_page_sharing && groups.some((g) => g.length > max_page_sharing))
		kernel_bug('bug', 'ksm_merged_shared: a group is larger than max_page_sharing');
	mutex_lock(addr(ksm_thread_mutex));
	let chain: ptr<ksm_stable_node> = NULL;
	const folios: ptr<folio>[] = [];
	for (const g of groups) {
		const r = ksm_stable_node_of(g, address, !max_page_sharing, (node) => {
			if (!root_stable_tree.rb_node) {
				rb_link_node(addr(node.node), NULL, addr_of(root_stable_tree, 'rb_node') as never);
				rb_insert_color(addr(node.node), root_stable_tree);
				return;
			}
			if (!chain) {
				/* alloc_stable_node_chain(): the first node becomes the chain's first dup. */
				const dup = root_stable_tree.rb_node.container as ptr<ksm_stable_node>;
				chain = ksm('alloc_stable_node')() as ptr<ksm_stable_node>;
				INIT_HLIST_HEAD(addr(chain.hlist));
				chain.chain_prune_time = jiffies;
				chain.rmap_hlist_len = STABLE_NODE_CHAIN;
				rb_replace_node(addr(dup.node), addr(chain.node), root_stable_tree);
				ksm('stable_node_chain_add_dup')(dup, chain);
			}
			ksm('stable_node_chain_add_dup')(node, chain);
		});
		folios.push(r.kfolio);
	}
	mutex_unlock(addr(ksm_thread_mutex));
	return folios;
}

/**
 * ksmd meets a stable node on its way down the stable tree
 * (stable_tree_search()/stable_tree_insert() call chain() on each node
 * they pass): chain() looks the node's folio up through its keyhole
 * (ksm_get_folio(KSM_GET_FOLIO_NOLOCK)) and takes a stale node out of
 * the tree; ksmd compares the folio and drops its reference.  Under
 * ksm_thread_mutex, as all of ksmd's work.
 */
export function ksmd_tree_lookup(): void {
	mutex_lock(addr(ksm_thread_mutex));
	let node: ptr<ksm_stable_node> = root_stable_tree.rb_node ? root_stable_tree.rb_node.container as ptr<ksm_stable_node> : NULL;
	let dup: ptr<ksm_stable_node> = NULL;
	if (node) {
		const tree_folio = ksm('chain')(ref(dup, (v) => dup = v), ref(node, (v) => node = v), root_stable_tree) as ptr<folio>;
		if (tree_folio)
			folio_put(tree_folio);
	}
	mutex_unlock(addr(ksm_thread_mutex));
}

/**
 * migrate_pages() of a KSM folio: locked throughout; no anon_vma to pin
 * (migrate_folio_unmap() pins one only for a non-KSM anon folio, and
 * rmap_walk_ksm() takes each rmap_item's); unmapped with migration
 * entries; moved only when no one else holds a reference (the refcount
 * freeze of folio_migrate_mapping(), -EAGAIN otherwise), the stable node
 * following the new folio (folio_migrate_ksm()); then the migration
 * entries become PTEs of whichever folio won, and the old folio's last
 * reference frees it (its mapping reset to NULL).
 */
export function migrate_ksm_folio(src: ptr<folio>): ptr<folio> {
	folio_lock(src);
	if (!folio_test_ksm(src))
		kernel_bug('bug', 'migrate_ksm_folio: not a KSM folio');
	/* migrate_folio_unmap(): only a mapped folio is unmapped, and only its migration entries are removed. */
	const was_mapped = folio_mapped(src);
	if (was_mapped)
		try_to_migrate(src);
	let dst = src;
	/* One reference: the isolation's (the harness's PTEs hold none of their own). */
	if (!folio_mapped(src) && folio_ref_count(src) === 1) {
		dst = folio_alloc();
		folio_lock(dst);
		dst.mapping = src.mapping;
		dst.index = src.index;
		dst.data = src.data;
		/* folio_migrate_flags() */
		folio_migrate_ksm(dst, src);
	}
	if (was_mapped)
		remove_migration_ptes(src, dst);
	if (dst !== src) {
		folio_unlock(dst);
		folio_unlock(src);
		world.folios.splice(world.folios.indexOf(src), 1);
		world.retired.push(src);
		folio_put(src);
	} else {
		folio_unlock(src);
	}
	return dst;
}

/**
 * mmput()'s __mmput() of a process that madvised MADV_MERGEABLE:
 * ksm_exit() before exit_mmap() (kernel/fork.c).  __ksm_exit() leaves an
 * mm_slot that still has rmap_items for ksmd to free, so the process's
 * rmap_items stay on their stable nodes, each pinning its anon_vma, while
 * exit_mmap() zaps the PTEs and unlinks the VMAs: an rmap walk of the KSM
 * folio meanwhile still takes each rmap_item's anon_vma lock.
 */
export function ksm_mmput(mm: ptr<mm_struct>): void {
	if (mm_flags_test(MMF_VM_MERGEABLE, mm))
		__ksm_exit(mm);
	exit_mmap(mm);
}

/** One rmap_one() call of an rmap walk: the VMA and the address it was handed. */
export interface ksm_visit {
	vma: ptr<vm_area_struct>;
	address: ulong;
}

/**
 * The model's rmap_walk_ksm() of a KSM folio with an rmap_one() that
 * only records what it is handed (and a done() that never stops the
 * walk): every (VMA, address) try_to_unmap(), try_to_migrate() or
 * folio_referenced() would act on, in the walk's order.  The folio is
 * locked around it, as rmap_walk() requires.  The invariants and the
 * cost table run it; as a thread it is an rmap walk like any other.
 */
export function ksm_walk_visits(f: ptr<folio>): ksm_visit[] {
	const seen: ksm_visit[] = [];
	const rwc = new rmap_walk_control() as ptr<rmap_walk_control>;
	rwc.rmap_one = (_folio: ptr<folio>, vma: ptr<vm_area_struct>, address: ulong): boolean => {
		seen.push({ vma, address });
		return true;
	};
	folio_lock(f);
	rmap_walk_ksm(f, rwc);
	folio_unlock(f);
	return seen;
}

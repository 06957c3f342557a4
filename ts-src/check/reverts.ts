/*
 * Design variants that are a mainline fix reverted line for line: the
 * model's own source with one statement of one function taken out (a
 * barrier, a re-check), or moved back to where it stood before the fix
 * (a fix that only reordered), the way `git revert` of a one-line fix reads.
 * The world that runs such a variant compiles the edited source instead of
 * the model file (loader.ts); nothing is copied, so the variant follows the
 * model as it changes, and an edit that no longer finds its line is an
 * error, never a silently different variant.  The table is data only:
 * designs.ts, which the model-side type-check reads, imports it, so the
 * edit itself (TypeScript's parser) lives in revert_source.ts.
 */
export interface revert_edit {
	/** The design's name (ktsc check --design NAME). */
	design: string;
	description: string;
	/** Scenario name to what the checker must find there. */
	expect: Record<string, string>;
	/** The model module ("model/ksm") and the function in it. */
	module: string;
	function: string;
	/** The statement taken out, as it stands on its line (trimmed). */
	drop?: string;
	/**
	 * Or the statement moved: `line` (trimmed, its own line in the
	 * function) goes up to just before `above` (trimmed, another line of
	 * the function), each matching exactly one line; or, where the
	 * function holds each text `of` times (an unlock in both branches of
	 * an if), the nth of each.
	 */
	move?: { line: string; above: string; occurrence?: { nth: number; of: number } };
	/**
	 * Or a line rewritten as it stood before the fix: `line` (trimmed,
	 * exactly one line of the function) becomes `with`, in its indentation
	 * (a condition that lost a term: "anon_exclusive) {").
	 */
	replace?: { line: string; with: string };
	/** With replace: a second line of the same function rewritten the same way (a fix that touched two lines). */
	also?: { line: string; with: string };
	/**
	 * A line of another function of the same module taken out with it,
	 * which the code of the reverted era did not have either (an assertion
	 * a later change added that the edit above would now trip).
	 */
	elsewhere?: { function: string; drop: string };
}

export const REVERTS: revert_edit[] = [
	{
		design: 'ksm-2013-migrate-no-smp-wmb',
		description: '"ksm: make KSM page migration possible" (2013) without the smp_wmb() it put in folio_migrate_ksm() (then ksm_migrate_page()): the new stable_node->kpfn and the old folio\'s reset keyhole may be seen in either order, so ksm_get_folio()\'s re-check after smp_rmb() can still load the old kpfn and take a live node for stale',
		expect: { 'ksm-lookup-vs-migrate': 'use-after-free' },
		module: 'model/ksm',
		function: 'folio_migrate_ksm',
		drop: 'smp_wmb();',
	},
	{
		design: 'ksm-2013-get-folio-no-smp-rmb',
		description: '"ksm: make KSM page migration possible" (2013) without the smp_rmb() it put in ksm_get_folio() (then get_ksm_page()) before the second look at stable_node->kpfn: the load of kpfn may be satisfied before the load of folio->mapping that found the keyhole stale, and return the kpfn folio_migrate_ksm() has already replaced',
		expect: { 'ksm-lookup-vs-migrate': 'use-after-free' },
		module: 'model/ksm',
		function: 'ksm_get_folio',
		drop: 'smp_rmb();',
	},
	{
		design: 'ksm-2011-scan-no-head-recheck',
		description: '"ksm: fix NULL pointer dereference in scan_get_next_rmap_item()" (2011) reverted: after stepping the cursor off ksm_mm_head under ksm_mmlist_lock, ksmd does not look again whether it is back at the head, so when __ksm_exit() has freed the last mm_slot since ksmd\'s list_empty() test, ksmd scans the head\'s own slot, whose mm is NULL (the model\'s scan_get_next_rmap_item(), its second "if (mm_slot == &ksm_mm_head) return NULL;" taken out)',
		expect: { 'ksmd-scan-vs-last-exit': 'bug' },
		module: 'model/ksm',
		function: 'scan_get_next_rmap_item',
		drop: 'if (mm_slot == addr(ksm_mm_head))',
	},
	{
		design: 'ksm-2016-scan-unlock-order',
		description: 'before "ksm: fix conflict between mmput and scan_get_next_rmap_item" (2016): scan_get_next_rmap_item() drops ksm_mmlist_lock before mmap_lock when it steps off an mm, so the exiting process\'s __ksm_exit() can free the mm_slot (easy_to_free: off the cursor, no rmap_items) and, with exit_mmap() and the last mmdrop(), the mm, while ksmd is still in mmap_read_unlock() (the model\'s scan_get_next_rmap_item(), the else branch\'s two unlocks: the third of its three spin_unlock(&ksm_mmlist_lock)s moved above the third of its three mmap_read_unlock()s)',
		expect: { 'ksmd-scan-vs-last-exit': 'use-after-free' },
		module: 'model/ksm',
		function: 'scan_get_next_rmap_item',
		move: { line: 'spin_unlock(addr(ksm_mmlist_lock));', above: 'mmap_read_unlock(mm);', occurrence: { nth: 3, of: 3 } },
	},
	{
		design: 'ksm-2024-insert-stable-node-before-chain',
		description: '"mm/ksm: fix possible UAF of stable_node" (2024) reverted: stable_tree_insert() sets the new KSM folio\'s stable node (folio_set_stable_node(kfolio, stable_node_dup)) right after stable_node_dup->kpfn, before the stable_node chain is made; when alloc_stable_node_chain() fails, free_stable_node(stable_node_dup) leaves kfolio->mapping pointing at the freed node, and an rmap walk of the still mapped folio (compaction\'s rmap_walk_ksm()) reads it',
		expect: { 'ksm-insert-chain-enomem-vs-migrate': 'use-after-free' },
		module: 'model/ksm',
		function: 'stable_tree_insert',
		move: { line: 'folio_set_stable_node(kfolio, stable_node_dup);', above: 'stable_node_dup.rmap_hlist_len = 0;' },
	},
	{
		design: 'ksm-2017-numa-chain-collapse',
		description: '"ksm: fix use after free with merge_across_nodes = 0" (2017) reverted: when stable_node_dup() collapses a stable_node chain left with one dup (rb_replace_node() of the chain by the dup, free_stable_node(chain)), it does not hand the dup back through *_stable_node, so stable_tree_search()\'s stable_node still points at the freed chain; with merge_across_nodes = 0 and the dup\'s page migrated to another node, replace: finds stable_node_dup != stable_node and treats stable_node as the chain (the line is the model\'s stable_node_dup(); the stable_tree_search() that trips on it is the model\'s too)',
		expect: { 'ksm-numa-search-vs-migrate': 'use-after-free' },
		module: 'model/ksm',
		function: 'stable_node_dup',
		drop: '_stable_node.deref = found;',
	},
	{
		design: 'ksm-2017-wpp-no-tlb-flush-pending',
		description: '"mm: fix KSM data corruption" (2017) reverted alone: write_protect_page() no longer treats a pending TLB flush (mm_tlb_flush_pending()) as a reason to clear and flush the PTE.  Clean in 7.2: a page P wrote is PageAnonExclusive, so write_protect_page() clears and flushes it anyway (the anon-exclusive handling, "mm/ksm: fix KSM page sharing with R/O pinned pages" era, covers the TLB too)',
		expect: { 'ksm-merge-vs-deferred-flush': 'clean' },
		module: 'model/ksm',
		function: 'write_protect_page',
		replace: { line: 'anon_exclusive || mm_tlb_flush_pending(mm)) {', with: 'anon_exclusive) {' },
	},
	{
		design: 'ksm-2017-wpp-before-anon-exclusive',
		description: 'write_protect_page() as before "mm: fix KSM data corruption" (2017), which also predates the anon-exclusive handling (so replace_page() has no assertion that the page is not exclusive either): a PTE that is already read-only and clean is left alone (no ptep_clear_flush()), so a writable translation another thread of the process still holds in its TLB (a write-protect whose flush is deferred: mm_tlb_flush_pending()) survives the merge, and a store through it after pages_identical() lands in the page replace_page() then unmaps: the store is lost',
		expect: { 'ksm-merge-vs-deferred-flush': 'lost-write' },
		module: 'model/ksm',
		function: 'write_protect_page',
		replace: { line: 'anon_exclusive = PageAnonExclusive(addr(folio.page));', with: 'anon_exclusive = false;' },
		also: { line: 'anon_exclusive || mm_tlb_flush_pending(mm)) {', with: 'anon_exclusive) {' },
		/* The anon-exclusive handling (2022) also made replace_page() assert that the page it replaces is no longer exclusive. */
		elsewhere: { function: 'replace_page', drop: 'VM_BUG_ON_PAGE(PageAnonExclusive(page), page);' },
	},
	{
		design: 'lazyfree-2022-discard-under-gup',
		description: 'try_to_unmap_one() before "mm: fix race between MADV_FREE reclaim and blkdev direct IO read" (2022): a lazyfree folio is discarded whenever it is clean, without comparing its references with its mappings (ref_count != 1 + map_count after smp_mb()), so a page under an O_DIRECT read (a FOLL_PIN the device has not yet written through, so the folio is not yet dirty) is dropped and the process reads zeroes where the I/O wrote (the fix\'s branch made unreachable: the code of the reverted era had only the dirty test)',
		expect: { 'reclaim-lazyfree-vs-gup-pin': 'lost-write', 'reclaim-lazyfree-vs-write': 'clean' },
		module: 'model/rmap',
		function: 'try_to_unmap_one',
		replace: { line: '} else if (ref_count != 1 + map_count) {', with: '} else if (false) {' },
	},
];

export function revertOf(design: string): revert_edit | null {
	return REVERTS.find((r) => r.design === design) ?? null;
}

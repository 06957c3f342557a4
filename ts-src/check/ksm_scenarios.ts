/*
 * KSM scenarios: two processes whose identical pages ksmd has merged into
 * one KSM folio (ksm_harness.ts's ksm_merged()), and the threads that race
 * on it.  Each is the smallest situation in which one of mm/ksm.c's
 * historical races can happen; the invariants are the anon_vma ones plus
 * ksm_invariants.ts's.
 */
import type { scenario } from './scenarios';

const ADDR = 0x10000;

/*
 * Processes named names, one page each at ADDR with the same contents, as
 * ksmd's memcmp_pages() wants; the store is what each process reads back.
 */
function samePages(h: any, names: string[]): any[] {
	return names.map((name) => {
		const mm = h.mm_alloc(name);
		h.do_mmap(mm, ADDR, 1);
		h.do_anonymous_page(mm, ADDR);
		h.user_write(mm, ADDR, 0x5a);
		return mm;
	});
}

/* Processes P and Q, one page each at ADDR with the same contents, merged by ksmd. */
function mergedPair(h: any, w: any): { P: any; Q: any; kfolio: any; node: any; items: any[] } {
	const k = w.load('check/ksm_harness');
	const [P, Q] = samePages(h, ['P', 'Q']);
	return { P, Q, ...k.ksm_merged([P, Q], ADDR) };
}

/*
 * Processes P and Q, one page each at ADDR with the same contents, both
 * registered with ksmd (madvise(MADV_MERGEABLE)), after ksmd's last full
 * scan: P's and Q's checksums taken, then the end of the scan.  Not merged:
 * the next scan finds them in the unstable tree.
 */
function scannedPair(h: any, w: any): { k: any; P: any; Q: any } {
	const k = w.load('check/ksm_harness');
	const [P, Q] = samePages(h, ['P', 'Q']);
	k.ksm_madvise_mergeable(P, ADDR);
	k.ksm_madvise_mergeable(Q, ADDR);
	k.ksmd_scan(3);
	return { k, P, Q };
}

export const ksm_scenarios: scenario[] = [
	{
		name: 'ksm-lookup-vs-migrate',
		description: 'P and Q wrote to their merged page (COW), so the KSM folio is unmapped but still in the stable tree; ksmd passes its node on a tree walk (chain(): ksm_get_folio(KSM_GET_FOLIO_NOLOCK), which takes a node whose folio lost its keyhole for stale) while compaction migrates the folio (folio_migrate_ksm() moves stable_node->kpfn, smp_wmb(), then resets the old folio\'s keyhole)',
		/*
		 * Without folio_migrate_ksm()'s smp_wmb() ksmd must load kpfn before
		 * the migration, the stale keyhole between its reset and the old
		 * folio's free (whose atomic orders everything), and the old kpfn
		 * after smp_rmb(): two switches and one reordered load.
		 */
		bound: 3,
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const { P, Q, kfolio } = mergedPair(h, w);
			h.user_write(P, ADDR, 0x11);
			h.user_write(Q, ADDR, 0x22);
			return [
				{ name: 'ksmd', fn: k.ksmd_tree_lookup, args: [] },
				{ name: 'migrate', fn: k.migrate_ksm_folio, args: [kfolio] },
			];
		},
	},
	{
		name: 'ksm-walk-vs-exit',
		description: 'P and Q still map their merged page: compaction migrates the KSM folio, two rmap walks through the model\'s rmap_walk_ksm() (try_to_migrate() puts migration entries in, remove_migration_ptes() takes them out, each rmap_item\'s anon_vma read-locked in turn), while Q exits (mmput(): __ksm_exit() leaves its rmap_item on the stable node, pinning the anon_vma, and exit_mmap() zaps the PTE, a migration entry or not, and unlinks the VMA: the walk then finds Q\'s anon_vma empty)',
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const { P, Q, kfolio } = mergedPair(h, w);
			return [
				{ name: 'migrate', fn: k.migrate_ksm_folio, args: [kfolio] },
				{ name: 'exit', fn: k.mmput, args: [Q] },
			];
		},
	},
	{
		name: 'ksmd-scan-vs-exit',
		description: 'ksmd scans three pages (scan_get_next_rmap_item() over the mm_slots of P and Q and back to the head, under ksm_mmlist_lock and each mm\'s mmap_lock) while P exits: mmput() runs __ksm_exit() (P\'s slot has rmap_items: it is moved behind the cursor for ksmd to free, or found at the cursor, and mmap_write_lock()/unlock() waits out ksmd\'s scan of P), exit_mmap() and the last mmdrop()',
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const { P } = mergedPair(h, w);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan, args: [3] },
				{ name: 'exit', fn: k.mmput, args: [P] },
			];
		},
	},
	{
		name: 'ksm-referenced-vs-cow',
		description: 'P and Q still map their merged page: reclaim ages the KSM folio, folio_referenced() with try_lock through the model\'s rmap_walk_ksm() (which gives up, contended, on an anon_vma lock it cannot take), while P writes to its page (do_wp_page(): the COW copies the KSM page and unmaps it from P, folio_remove_rmap_pte() under the PTE lock)',
		build(h, w) {
			const { P, kfolio } = mergedPair(h, w);
			return [
				{ name: 'reclaim', fn: h.folio_check_references, args: [kfolio] },
				{ name: 'cow', fn: h.user_write, args: [P, ADDR, 0x11] },
			];
		},
	},
	{
		name: 'ksmd-scan-vs-exit-at-cursor',
		description: 'as ksmd-scan-vs-exit, but ksmd has already scanned P\'s page, so the cursor is on P\'s mm_slot when P exits: __ksm_exit() leaves the slot to ksmd (its mmap_lock handshake), and ksmd\'s next step finds P exiting (ksm_test_exit()), removes its rmap_items, frees the slot and drops the mm',
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const { P } = mergedPair(h, w);
			k.ksmd_scan(1);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan, args: [2] },
				{ name: 'exit', fn: k.mmput, args: [P] },
			];
		},
	},
	{
		name: 'ksmd-scan-vs-last-exit',
		description: 'P alone is registered with ksmd (madvise(MADV_MERGEABLE) of a VMA never faulted: no rmap_items) and exits while ksmd starts a scan from the head: __ksm_exit() frees the last mm_slot at once (easy_to_free) between ksmd\'s list_empty() and its step of the cursor, or after ksmd\'s scan of P found nothing, between its step off P and its unlocks',
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const P = h.mm_alloc('P');
			h.do_mmap(P, ADDR, 1);
			k.ksm_madvise_mergeable(P, ADDR);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan, args: [1] },
				{ name: 'exit', fn: k.mmput, args: [P] },
			];
		},
	},
	{
		name: 'ksm-insert-chain-enomem-vs-migrate',
		description: 'P and Q\'s pages are merged and in the stable tree; R and S, with the same contents, have just been merged by ksmd (try_to_merge_two_pages(): R\'s folio is a KSM folio with no stable node yet, S\'s PTE maps it too), and ksmd inserts it (cmp_and_merge_page(): the folio locked, stable_tree_insert() finds P and Q\'s page identical, so alloc_stable_node_chain() must make a chain; on failure break_cow() of R and S) while compaction migrates the new KSM folio (rmap_walk_ksm() through its keyhole); every allocation failing in turn',
		enomem: true,
		/*
		 * The race is on the failure path, whose points are searched at
		 * bound 1 (index.ts): the run with every allocation succeeding is
		 * searched to 1 too (clean at 2 as well: 673 executions).
		 */
		bound: 1,
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const K = w.load('kernel');
			mergedPair(h, w);
			const [R, S] = samePages(h, ['R', 'S']);
			const { kfolio, items } = k.ksm_merge_pages([R, S], ADDR);
			/* ksmd's reference from its scan (cmp_and_merge_page() puts it). */
			K.folio_get(kfolio);
			return [
				{ name: 'ksmd', fn: k.ksmd_insert, args: [kfolio, items] },
				{ name: 'migrate', fn: k.migrate_ksm_folio, args: [kfolio] },
			];
		},
	},
	{
		name: 'ksm-numa-search-vs-migrate',
		description: 'merge_across_nodes = 0 (a stable tree per NUMA node), all pages on node 0: P and Q\'s page and R and S\'s, the same contents, are two KSM folios under max_page_sharing 2, so node 0\'s tree holds a stable_node chain of two dups; R and S wrote to theirs (COW) and it was freed, so its dup is stale; ksmd compares T\'s page with the stable tree (stable_tree_search(): chain_prune() prunes the stale dup, which leaves one and collapses the chain into it, freeing the chain) while compaction migrates P and Q\'s KSM folio to node 1, so ksmd finds the dup\'s kpfn on another node than its tree and moves the node to migrate_nodes (replace:, which reads stable_node)',
		/* The race needs no switch: a migration done before the search already takes it to replace:. */
		bound: 1,
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const K = w.load('kernel');
			k.ksm_no_merge_across_nodes();
			const [P, Q, R, S, T] = samePages(h, ['P', 'Q', 'R', 'S', 'T']);
			const [kfolio, stale] = k.ksm_merged_shared([[P, Q], [R, S]], ADDR, 2);
			h.user_write(R, ADDR, 0x11);
			h.user_write(S, ADDR, 0x22);
			k.ksm_folio_free(stale);
			/* ksmd's reference from its scan of T's page (ksmd_stable_search() puts it). */
			const tfolio = T.ptes.get(ADDR).folio;
			K.folio_get(tfolio);
			return [
				{ name: 'ksmd', fn: k.ksmd_stable_search, args: [tfolio] },
				{ name: 'migrate', fn: k.migrate_ksm_folio, args: [kfolio, 1] },
			];
		},
	},
	{
		name: 'ksmd-oom-vs-exit',
		description: 'ksmd breaks COW under ksm_thread_mutex with memory exhausted: its allocation waits for the OOM victim, P, to exit; P exits (mmput(): __ksm_exit(), exit_mmap())',
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const { P } = mergedPair(h, w);
			return [
				{ name: 'ksmd', fn: k.ksmd_break_cow_oom, args: [P] },
				{ name: 'exit', fn: k.mmput, args: [P] },
			];
		},
	},
	{
		name: 'ksm-merge-vs-deferred-flush',
		description: 'Q and R\'s pages are merged into a KSM folio in the stable tree; ksmd merges P\'s identical page into it (the model\'s try_to_merge_with_ksm_page() and try_to_merge_one_page(): write_protect_page(), pages_identical(), replace_page()) while one thread of P has cleaned the page\'s PTE with MADV_FREE (madvise_free_pte_range(): pte_mkclean(), still writable) and then write-protected it (clear_refs_write(CLEAR_REFS_SOFT_DIRTY)), both with their TLB flushes deferred (inc_tlb_flush_pending(), the PTE changed under the page-table lock; it now flushes: flush_tlb_range(), dec_tlb_flush_pending()), so the PTE is read-only and clean and another thread of P, which wrote the page before (a writable translation in its TLB), stores to it again, through the TLB until a flush: no store may be lost ("mm: fix KSM data corruption", 2017)',
		bound: 1,
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const [P, Q, R] = samePages(h, ['P', 'Q', 'R']);
			const { kfolio } = k.ksm_merged([Q, R], ADDR);
			/* madvise(MADV_MERGEABLE): P registered with ksmd (its mm_slot). */
			k.ksm_madvise_mergeable(P, ADDR);
			/* ksmd's last full scan (ksmd-merge-vs-write): Q's and R's pages, P's checksum, the end. */
			k.ksmd_scan(4);
			h.tlb_on();
			h.tlb_wrote_before('writer', P, ADDR);
			/*
			 * MADV_FREE has cleaned P's PTE and clear_refs has write-protected
			 * it; their TLB flushes are still to come.  (The writer's store set
			 * the dirty bit: a read-only PTE that is also clean, which the
			 * 2017 write_protect_page() took as needing no flush, takes both.)
			 */
			h.madvise_free_clean(P, ADDR);
			k.clear_refs_soft_dirty_wrprotect(P, ADDR);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan_merging, args: [P, ADDR, 3] },
				{ name: 'flushes', fn: k.madvise_free_and_clear_refs_flush, args: [P, ADDR] },
				{ name: 'writer', fn: h.user_write, args: [P, ADDR, 0x77] },
			];
		},
	},
	{
		name: 'ksmd-merge-vs-write',
		description: 'Q and R\'s pages are merged into a KSM folio in the stable tree; P, with the same contents, registered with ksmd, whose last scan took its page\'s checksum; ksmd scans again (scan_get_next_rmap_item(), then the model\'s cmp_and_merge_page(): the checksum unchanged, stable_tree_search() finds the KSM folio, try_to_merge_with_ksm_page(): write_protect_page(), pages_identical(), replace_page(), stable_tree_append()) while P writes to its page: the write lands before the write-protect (the contents then differ and the merge is refused) or faults after it and copies the page (COW), never into a page P no longer maps',
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const [P, Q, R] = samePages(h, ['P', 'Q', 'R']);
			k.ksm_merged([Q, R], ADDR);
			k.ksm_madvise_mergeable(P, ADDR);
			/*
			 * ksmd's last full scan: Q's and R's pages (in the stable tree
			 * already), P's checksum, and the end of the scan (a NULL
			 * rmap_item: ksm_do_scan() returns).
			 */
			k.ksmd_scan(4);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan_merging, args: [P, ADDR, 3] },
				{ name: 'writer', fn: h.user_write, args: [P, ADDR, 0x77] },
			];
		},
	},
	{
		name: 'ksmd-unstable-merge-vs-write',
		description: 'P and Q, the same contents, registered with ksmd, whose last scan took both checksums; ksmd scans again (after lru_add_drain_all(): the model\'s cmp_and_merge_page() of P\'s page puts it in the unstable tree, unstable_tree_search_insert(); Q\'s finds it there, get_mergeable_page() and memcmp_pages(), and try_to_merge_two_pages() makes Q\'s page a KSM page and replaces P\'s by it, stable_tree_insert() and two stable_tree_append()s) while P writes its page: the write lands before P\'s page is write-protected (the compare refuses, break_cow() undoes Q\'s half) or faults after it (COW)',
		build(h, w) {
			const { k, P, Q } = scannedPair(h, w);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan_merging, args: [Q, ADDR, 2] },
				{ name: 'writer', fn: h.user_write, args: [P, ADDR, 0x77] },
			];
		},
	},
	{
		name: 'ksmd-unstable-merge-vs-exit',
		description: 'as ksmd-unstable-merge-vs-write, but P exits (mmput(): __ksm_exit() leaves P\'s slot to ksmd or frees it, exit_mmap() zaps the page): ksmd\'s merge of P\'s page finds P exiting (find_mergeable_vma(): ksm_test_exit()) after Q\'s page was made a KSM page, and break_cow() of Q\'s rmap_item undoes it (break_ksm(): the page walk finds the KSM page, the unshare fault copies it back)',
		build(h, w) {
			const { k, P, Q } = scannedPair(h, w);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan_merging, args: [Q, ADDR, 2] },
				{ name: 'exit', fn: k.mmput, args: [P] },
			];
		},
	},
	{
		name: 'ksmd-merge-vs-unmergeable',
		description: 'as ksmd-unstable-merge-vs-write, but P does madvise(MADV_UNMERGEABLE) of its VMA (the model\'s ksm_madvise() under mmap_lock for write: break_ksm() of the range, then VM_MERGEABLE cleared) while ksmd merges P\'s page with Q\'s: ksmd\'s merge takes P\'s mmap_lock for read and finds the VMA no longer mergeable (find_mergeable_vma()), or its KSM page is broken by the unmerge; no KSM page may stay in a VMA without VM_MERGEABLE',
		build(h, w) {
			const { k, P, Q } = scannedPair(h, w);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan_merging, args: [Q, ADDR, 2] },
				{ name: 'unmerge', fn: k.ksm_madvise_unmergeable, args: [P, ADDR] },
			];
		},
	},
	{
		name: 'ksm-unmergeable-vs-ksmd-scan',
		description: 'P and Q\'s pages are merged and in the stable tree; P does madvise(MADV_UNMERGEABLE) (break_ksm(): the unshare fault copies P\'s page back, its rmap_item stays until ksmd\'s next pass) while ksmd scans on: P\'s page must end up P\'s own with its contents, Q still mapping the KSM page',
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const { P } = mergedPair(h, w);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan, args: [2] },
				{ name: 'unmerge', fn: k.ksm_madvise_unmergeable, args: [P, ADDR] },
			];
		},
	},
	{
		name: 'ksmd-unstable-merge-enomem-vs-write',
		description: 'as ksmd-unstable-merge-vs-write, with every allocation of ksmd\'s failing in turn: stable_tree_insert()\'s alloc_stable_node() failing leaves the merged pair outside the stable tree, and cmp_and_merge_page() breaks COW on both (break_cow() of each rmap_item: the unshare fault copies each page back)',
		enomem: true,
		bound: 1,
		build(h, w) {
			const { k, P, Q } = scannedPair(h, w);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan_merging, args: [Q, ADDR, 2] },
				{ name: 'writer', fn: h.user_write, args: [P, ADDR, 0x77] },
			];
		},
	},
	{
		name: 'ksm-merge-vs-gup-pin',
		description: 'Q and R\'s pages are merged into a KSM folio in the stable tree; ksmd merges P\'s identical page into it (the model\'s try_to_merge_with_ksm_page(): write_protect_page() clears the PTE, then counts the page\'s references against its mappings; replace_page()) while P starts an O_DIRECT read into the page (pin_user_pages_fast(FOLL_PIN | FOLL_WRITE): the lockless PTE read, the pin, the PTE read again; then the device writes the page and it is unpinned): a page under DMA must not be merged, or the device\'s data lands in a page P no longer maps',
		bound: 2,
		build(h, w) {
			const k = w.load('check/ksm_harness');
			const [P, Q, R] = samePages(h, ['P', 'Q', 'R']);
			const { kfolio } = k.ksm_merged([Q, R], ADDR);
			k.ksm_madvise_mergeable(P, ADDR);
			/* ksmd's last full scan (ksmd-merge-vs-write): Q's and R's pages, P's checksum, the end. */
			k.ksmd_scan(4);
			return [
				{ name: 'ksmd', fn: k.ksmd_scan_merging, args: [P, ADDR, 3] },
				{ name: 'dio', fn: h.gup_pin_write, args: [P, ADDR, 0x77] },
			];
		},
	},
];

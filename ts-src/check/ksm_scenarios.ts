/*
 * KSM scenarios: two processes whose identical pages ksmd has merged into
 * one KSM folio (ksm_harness.ts's ksm_merged()), and the threads that race
 * on it.  Each is the smallest situation in which one of mm/ksm.c's
 * historical races can happen; the invariants are the anon_vma ones plus
 * ksm_invariants.ts's.
 */
import type { scenario } from './scenarios';

const ADDR = 0x10000;

/* Processes P and Q, one page each at ADDR with the same contents, merged by ksmd. */
function mergedPair(h: any, w: any): { P: any; Q: any; kfolio: any; node: any; items: any[] } {
	const k = w.load('check/ksm_harness');
	const P = h.mm_alloc('P');
	const Q = h.mm_alloc('Q');
	for (const mm of [P, Q]) {
		h.do_mmap(mm, ADDR, 1);
		h.do_anonymous_page(mm, ADDR);
		/* The same contents in both, as ksmd's memcmp_pages() wants; the store is what each process reads back. */
		h.user_write(mm, ADDR, 0x5a);
	}
	return { P, Q, ...k.ksm_merged([P, Q], ADDR) };
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
				{ name: 'exit', fn: k.ksm_mmput, args: [Q] },
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
];

/*
 * Design variants that are a mainline fix reverted line for line: the
 * model's own source with one statement of one function taken out (a
 * barrier, a re-check), the way `git revert` of a one-line fix reads.
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
	drop: string;
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
		description: '"ksm: fix NULL pointer dereference in scan_get_next_rmap_item()" (2011) reverted: after stepping the cursor off ksm_mm_head under ksm_mmlist_lock, ksmd does not look again whether it is back at the head, so when __ksm_exit() has freed the last mm_slot since ksmd\'s list_empty() test, ksmd scans the head\'s own slot, whose mm is NULL (the line is the harness\'s stand-in for the carried C: check/ksm_harness.ts)',
		expect: { 'ksmd-scan-vs-last-exit': 'bug' },
		module: 'check/ksm_harness',
		function: 'scan_get_next_rmap_item',
		drop: 'if (mm_slot === ksm_mm_head) return NULL;',
	},
];

export function revertOf(design: string): revert_edit | null {
	return REVERTS.find((r) => r.design === design) ?? null;
}

/*
 * KSM design variants: mm/ksm.c with one of mainline's KSM fixes reverted,
 * each with the finding it must give on its scenario while the model
 * stays clean there (see designs.ts for how a variant replaces a
 * function).  Replacements are the model's function with the fix taken
 * out, nothing else changed.
 */
import {
	ptr, ulong, cast, folio, ksm_stable_node, ksm_get_folio_flags, KSM_GET_FOLIO_LOCK, KSM_GET_FOLIO_NOLOCK,
	KSM_GET_FOLIO_TRYLOCK, FOLIO_MAPPING_KSM, READ_ONCE, pfn_folio, folio_try_get, folio_test_swapcache,
	cpu_relax, folio_put, folio_trylock, folio_lock, folio_unlock, ERR_PTR, EBUSY, NULL,
} from '../kernel';
import type { design, override_fn, model_fn } from './designs';

let remove_node_from_stable_tree: (stable_node: ptr<ksm_stable_node>) => void;

/*
 * ---- before "ksm: make KSM page migration possible" (2013) ----
 *
 * ksm_get_folio() as it was while KSM pages could not migrate: a folio
 * whose keyhole no longer matches means the node is stale, with no
 * smp_rmb() and no second look at stable_node->kpfn.  Once
 * folio_migrate_ksm() can move kpfn to the new folio and then reset the
 * old folio's keyhole, a reader that loaded the old kpfn takes a live
 * node for stale and removes it from the tree: the new folio's mapping
 * then leads to a freed stable node.
 */
function ksm_get_folio_no_kpfn_recheck(stable_node: ptr<ksm_stable_node>, flags: ksm_get_folio_flags): ptr<folio> {
	let folio: ptr<folio>;
	let kpfn: ulong;
	const expected_mapping = cast<ptr<void>>(cast<ulong>(stable_node) | FOLIO_MAPPING_KSM);

	kpfn = READ_ONCE(stable_node.kpfn);
	folio = pfn_folio(kpfn);
	stale: {
		if (READ_ONCE(folio.mapping) != expected_mapping)
			break stale;
		while (!folio_try_get(folio)) {
			if (!folio_test_swapcache(folio))
				break stale;
			cpu_relax();
		}
		if (READ_ONCE(folio.mapping) != expected_mapping) {
			folio_put(folio);
			break stale;
		}
		if (flags == KSM_GET_FOLIO_TRYLOCK) {
			if (!folio_trylock(folio)) {
				folio_put(folio);
				return ERR_PTR(-EBUSY);
			}
		} else if (flags == KSM_GET_FOLIO_LOCK)
			folio_lock(folio);
		if (flags != KSM_GET_FOLIO_NOLOCK) {
			if (READ_ONCE(folio.mapping) != expected_mapping) {
				folio_unlock(folio);
				folio_put(folio);
				break stale;
			}
		}
		return folio;
	}
	remove_node_from_stable_tree(stable_node);
	return NULL;
}

export const ksm_designs: design[] = [
	{
		name: 'ksm-2013-get-folio-no-kpfn-recheck',
		description: 'before "ksm: make KSM page migration possible" (2013): ksm_get_folio() takes a node whose folio\'s keyhole no longer matches for stale, without smp_rmb() and a second look at stable_node->kpfn, which folio_migrate_ksm() has moved to the new folio',
		expect: { 'ksm-lookup-vs-migrate': 'use-after-free' },
		patch(override: override_fn, model: model_fn): void {
			remove_node_from_stable_tree = model('model/ksm:remove_node_from_stable_tree') as typeof remove_node_from_stable_tree;
			override('model/ksm:ksm_get_folio', ksm_get_folio_no_kpfn_recheck);
		},
	},
];

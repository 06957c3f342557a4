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
	ksm_mm_slot, mm_struct, mm_slot, spin_lock, spin_unlock, addr, ksm_mmlist_lock, ksm_scan,
	mm_slot_entry, hash_del, list_del, mm_slot_free, mm_flags_clear, MMF_VM_MERGEABLE,
	mmdrop, kmem_cache, slab_caches, mm_slot_lookup, mm_slots_hash, list_move, MMF_VM_MERGE_ANY,
	trace_ksm_exit, int, mutex_lock, mutex_unlock, ksm_thread_mutex, mmap_write_lock, mmap_write_unlock,
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

/*
 * ---- before "ksm: fix oom deadlock" (2009) ----
 *
 * __ksm_exit() excluding ksmd with ksm_thread_mutex, as it did before
 * that fix (then: mutex_lock(); remove_mm_from_lists(); mutex_unlock();
 * here around 7.2's body, nothing else changed).  ksmd or
 * KSM_RUN_UNMERGE holds the mutex while it allocates to break COW; when
 * the OOM killer picks the exiting process, the allocation waits for it
 * to exit, and the exit waits for the mutex.
 */
function __ksm_exit_under_ksm_thread_mutex(mm: ptr<mm_struct>): void {
	let mm_slot: ptr<ksm_mm_slot> = NULL;
	let slot: ptr<mm_slot>;
	let easy_to_free: int = 0;

	mutex_lock(addr(ksm_thread_mutex));
	spin_lock(addr(ksm_mmlist_lock));
	slot = mm_slot_lookup(mm_slots_hash, mm);
unlock: {
	if (!slot)
		break unlock;
	mm_slot = mm_slot_entry(slot, ksm_mm_slot, 'slot');
	if (ksm_scan.mm_slot == mm_slot)
		break unlock;
	if (!mm_slot.rmap_list) {
		hash_del(addr(slot.hash));
		list_del(addr(slot.mm_node));
		easy_to_free = 1;
	} else {
		list_move(addr(slot.mm_node),
			  addr(ksm_scan.mm_slot.slot.mm_node));
	}
}
	spin_unlock(addr(ksm_mmlist_lock));

	if (easy_to_free) {
		mm_slot_free(slab_caches.find((c) => c.name === 'ksm_mm_slot') as ptr<kmem_cache>, mm_slot);
		mm_flags_clear(MMF_VM_MERGE_ANY, mm);
		mm_flags_clear(MMF_VM_MERGEABLE, mm);
		mmdrop(mm);
	} else if (mm_slot) {
		mmap_write_lock(mm);
		mmap_write_unlock(mm);
	}
	mutex_unlock(addr(ksm_thread_mutex));

	trace_ksm_exit(mm);
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
	{
		name: 'ksm-2009-exit-takes-ksm-thread-mutex',
		description: 'before "ksm: fix oom deadlock" (2009): __ksm_exit() takes ksm_thread_mutex, which ksmd holds while its allocation waits for the OOM victim, the exiting process, to free its memory',
		expect: { 'ksmd-oom-vs-exit': 'deadlock' },
		patch(override: override_fn, model: model_fn): void {
			model('model/ksm:__ksm_exit');	/* loads mm/ksm.c, so its function can be replaced */
			override('model/ksm:__ksm_exit', __ksm_exit_under_ksm_thread_mutex);
		},
	},
];

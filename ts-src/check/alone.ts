/*
 * What a racing operation must achieve when it runs alone.
 *
 * The invariants say what must never be broken; an operation that does
 * nothing breaks none of them.  A model whose walk finds no mapping, whose
 * migration leaves the folio where it was or whose merge gives up is clean
 * by every invariant, and so is each mutant that makes an operation a
 * silent no-op.  But a thread that runs first and to its end, before any
 * other thread has started and with no allocation failure injected, runs
 * on exactly the world its scenario's setup built, where the kernel's
 * operation does its job: migration migrates, reclaim unmaps, ksmd merges
 * the identical page.  That run is checked here.
 *
 * Keyed by the harness function a thread runs (its name); a function not
 * listed has no such check (exit, munmap, fork: their effects are the
 * invariants' already).  Each check gets the thread's return value, its
 * arguments and the world's prelude (K), reads the state without yielding
 * (the threads are all parked or not started) and returns what went wrong,
 * or null.
 */
type alone_check = (ret: any, args: any[], K: any) => string | null;

export const ALONE: Record<string, alone_check> = {
	/* migrate_pages(src): every mapping found, so src is unmapped and the new folio mapped. */
	migrate_pages: (dst, [src], K) =>
		dst !== src && K.folio_mapcount(src) === 0 && K.folio_mapcount(dst) > 0 ? null :
			`the folio was not migrated (mapcount ${K.folio_mapcount(src)} left on it)`,
	/*
	 * migrate_ksm_folio(src): a KSM folio that has its stable node is found
	 * through it (rmap_walk_ksm()) and moved, mapped or not; one merged but
	 * not yet in the stable tree has no node to walk, and stays.
	 */
	migrate_ksm_folio: (dst, [src], K) =>
		dst !== src || !K.folio_raw_mapping(src) ? null :
			`the KSM folio was not migrated (mapcount ${K.folio_mapcount(src)} left on it)`,
	/* shrink_folio(f): try_to_unmap() of an unpinned anonymous folio unmaps every PTE. */
	shrink_folio: (_r, [f], K) =>
		K.folio_mapcount(f) === 0 ? null : `try_to_unmap() left ${K.folio_mapcount(f)} mapping(s) of the folio`,
	/* ksmd_scan_merging(mm, address, n): ksmd's scan reaches the page a second time, finds it in the stable tree and merges it. */
	ksmd_scan_merging: (merged) => (merged ? null : 'the scan did not merge the identical page'),
};

/** The alone-check of a thread's harness function, if it has one. */
export function aloneCheck(fn: Function): alone_check | null {
	return Object.prototype.hasOwnProperty.call(ALONE, fn.name) ? ALONE[fn.name] : null;
}

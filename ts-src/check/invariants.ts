/*
 * The invariants checked when every thread has finished (the "quiescent
 * end"): the anon_vma forest, the page tables against the rmap, and the
 * slab leak count; and the deadlock report.  (Use-after-free, data races,
 * sleeping in atomic context, lockdep order and WARNs are checked at the
 * access, at every step.)  They read the model's objects directly,
 * without locks or scheduling points, and test liveness through the slab
 * bookkeeping first so that reading a freed object is not itself reported
 * as a use-after-free.
 */
import type { failure, thread_state } from './execution';
import { checkStableTree, checkKeyholes, checkKsmMapping, checkRmapLists, ksmReachable, ksm_reach } from './ksm_invariants';

/* ---- deadlock: who waits for what, held by whom ---- */

function holders(lock: any, ts: thread_state[]): string[] {
	const who = (task: unknown): string => {
		const t = ts.find((x) => x.task === task);
		return t ? t.spec.name : String((task as { comm?: string })?.comm ?? task);
	};
	if (!lock)
		return [];
	if ('writer' in lock || 'readers' in lock) {
		const out: string[] = [];
		if (lock.writer)
			out.push(`${who(lock.writer)} (write)`);
		for (const r of lock.readers ?? [])
			out.push(`${who(r)} (read)`);
		return out;
	}
	if ('owner' in lock && lock.owner)
		return [who(lock.owner)];
	return [];
}

/** All threads blocked: print the wait-for chain, lock by lock. */
export function describeDeadlock(ts: thread_state[], K: any): string {
	const name = (lock: any): string => `${lock.cls}@${K.address_of(lock).toString(16)}`;
	const lines: string[] = [];
	for (const t of ts) {
		if (t.done || !t.parked)
			continue;
		/* The lock is the object of the sched_point() just before the wait (a wait on no lock names itself). */
		const lock = t.lastObj && 'cls' in (t.lastObj as object) ? t.lastObj as any : null;
		/* lockdep records an acquisition before it contends: drop the one waited for. */
		const held = (t.task.held as { lock: object; mode: string }[])
			.filter((h) => h.lock !== lock)
			.map((h) => `${name(h.lock)}(${h.mode})`).join(', ') || 'nothing';
		const by = holders(lock, ts);
		lines.push(`${t.spec.name} holds ${held} and waits for ${lock ? name(lock) : t.parked.what}` +
			`${by.length ? ` held by ${by.join(', ')}` : ''}`);
	}
	return `all threads blocked: ${lines.join('; ')}`;
}

/* ---- the anon_vma forest ---- */

export function live(K: any, o: object | null): boolean {
	if (!o)
		return false;
	const m = K.slab_meta_of(o);
	return !m || m.live;
}

export function checkForest(K: any, H: any): failure | null {
	const bad = (message: string): failure => ({ kind: 'bug', message: `anon_vma forest: ${message}` });
	const mms: any[] = H.world.mms;
	const vmas: any[] = mms.flatMap((mm) => mm.vmas);
	const avs = new Set<any>();
	const visit = (av: any, from: string): failure | null => {
		if (!av || avs.has(av))
			return null;
		if (!live(K, av))
			return { kind: 'use-after-free', message: `${from} points to a freed anon_vma` };
		avs.add(av);
		return visit(av.root, 'anon_vma->root') ?? visit(av.parent, 'anon_vma->parent');
	};
	/* KSM's stable rmap_items pin their anon_vma (get_anon_vma() when merged). */
	const reach: ksm_reach = { stable_nodes: new Set(), rmap_items: new Set() };
	const t = checkStableTree(K, reach) ?? checkRmapLists(K, reach) ?? checkKeyholes(K, H.world.folios);
	if (t)
		return t;
	const ksmPins = new Map<any, number>();
	for (const it of reach.rmap_items) {
		const f = visit(it.anon_vma, 'rmap_item->anon_vma');
		if (f)
			return f;
		ksmPins.set(it.anon_vma, (ksmPins.get(it.anon_vma) ?? 0) + 1);
	}
	for (const vma of vmas) {
		const f = visit(vma.anon_vma, 'vma->anon_vma');
		if (f)
			return f;
		for (let n = vma.anon_vma_chain.next; n !== vma.anon_vma_chain; n = n.next) {
			const avc = n.container;
			if (!live(K, avc))
				return { kind: 'use-after-free', message: 'a VMA chains a freed anon_vma_chain' };
			const g = visit(avc.anon_vma, 'avc->anon_vma');
			if (g)
				return g;
			if (!avc.anon_vma.rb_root.rb_root.nodes.includes(avc.rb))
				return { kind: 'lost-mapping', message: `an avc of ${vma.vm_mm.name}'s VMA is missing from its anon_vma's interval tree` };
		}
	}
	for (const av of avs) {
		const nodes: any[] = av.rb_root.rb_root.nodes;
		if (av.root.root !== av.root)
			return bad('root->root is not the root');
		if ((av.rb_root.rb_root.rb_node ?? null) !== (nodes[0] ?? null))
			return bad('rb_root out of step with its nodes');
		for (const n of nodes) {
			const avc = n.container;
			if (!live(K, avc) || avc.anon_vma !== av || !vmas.includes(avc.vma))
				return bad('interval tree holds an avc of another anon_vma or of a dead VMA');
			const v = avc.vma;
			if (n.start !== v.vm_pgoff || n.last !== v.vm_pgoff + K.vma_pages(v) - 1)
				return { kind: 'lost-mapping', message: `interval tree key of ${v.vm_mm.name}'s VMA is stale ([${n.start}, ${n.last}] vs pgoff ${v.vm_pgoff})` };
		}
		const active = vmas.filter((v) => v.anon_vma === av).length;
		if (av.num_active_vmas !== active)
			return bad(`num_active_vmas ${av.num_active_vmas}, but ${active} VMAs use it`);
		const selfLink = av.parent === av && nodes.length > 0 ? 1 : 0;
		const children = [...avs].filter((x) => x !== av && x.parent === av).length + selfLink;
		if (av.num_children !== children)
			return bad(`num_children ${av.num_children}, counted ${children}`);
		const pins = [...avs].filter((x) => x !== av && x.root === av).length;
		const items = ksmPins.get(av) ?? 0;
		const want = (nodes.length > 0 ? 1 : 0) + pins + items;
		if (av.refcount.counter !== want)
			return bad(`refcount ${av.refcount.counter}, expected ${want} (tree ${nodes.length ? 'in use' : 'empty'}, ${pins} children pin it${items ? `, ${items} KSM rmap_items` : ''})`);
	}
	return checkLeaks(K, avs, vmas, reach);
}

/*
 * At the end every slab object is accounted for: each live anon_vma is
 * reachable from a VMA (directly, through a chain, or as a root or parent
 * of one), each live anon_vma_chain hangs off a VMA, and nothing else of
 * any cache is still allocated.  Counted per cache from the slab's own
 * figures, so it holds when every process has exited too (nothing
 * reachable, nothing may be left).
 */
export function checkLeaks(K: any, avs: Set<any>, vmas: any[], reach: ksm_reach): failure | null {
	let avcs = 0;
	for (const vma of vmas)
		for (let n = vma.anon_vma_chain.next; n !== vma.anon_vma_chain; n = n.next)
			avcs++;
	const reachable: Record<string, number> = { anon_vma: avs.size, anon_vma_chain: avcs, ...ksmReachable(K, reach) };
	for (const c of K.slab_caches as any[]) {
		const live = c.allocated - c.freed;
		const want = reachable[c.name] ?? 0;
		if (live !== want)
			return { kind: 'leak', message: `${live} ${c.name}${live === 1 ? '' : 's'} allocated, ${want} reachable from the VMAs left` };
	}
	return null;
}

/* ---- every process reads what it wrote last, or inherited ---- */

export function checkData(H: any): failure | null {
	for (const [mm, pages] of H.data_expected() as Map<any, Map<number, number>>) {
		for (const [address, want] of pages) {
			const at = `${mm.name}:0x${address.toString(16)}`;
			const got = H.user_data(mm, address);
			/* A MADV_FREE'd page reclaim discarded: the process reads a zero page, as it may. */
			const lazy = got === null ? H.data_lazyfree(mm, address) : null;
			if (lazy === 'free')
				continue;
			if (lazy === 'written')
				return { kind: 'lost-write', message: `${at} was MADV_FREE'd, then written (0x${want.toString(16)}), and is gone: reclaim discarded the page after the store, the process reads zeroes` };
			if (got === null)
				return { kind: 'lost-mapping', message: `${at} lost its page (no PTE, no swap entry)` };
			if (got !== want)
				return { kind: 'lost-write', message: `${at} reads 0x${got.toString(16)}, but the process wrote (or inherited) 0x${want.toString(16)} last` };
		}
	}
	return null;
}

/*
 * ---- no folio reference leaked ----
 * A folio's own reference is the harness's (folio_alloc()): the harness
 * models no page cache, swap cache or LRU pins.  Each present PTE of the
 * folio holds one more, as in the kernel (a migration entry holds none:
 * try_to_migrate_one() puts the PTE's, remove_migration_pte() takes one
 * for the PTE it restores).  Every other folio_get()/folio_try_get() a
 * thread makes (an rmap walk's, ksm_get_folio()'s, migration's) is
 * dropped before the thread returns, so at the end a live folio holds
 * exactly 1 + its present PTEs (its present PTEs alone once ksmd's
 * lru_add_drain_all() has put the harness's own: harness.ts's own_refs()):
 * more is a reference leaked on some path,
 * and the folio can never be freed; fewer, a put too many.  A folio
 * whose reference the harness has put (world.retired: the source of a
 * KSM migration) must have been freed.
 */
export function checkFolioRefs(K: any, H: any): failure | null {
	const ptes = new Map<object, number>();
	for (const mm of H.world.mms as any[])
		for (const pte of mm.ptes.values() as Iterable<any>)
			if (K.pte_present(pte))
				ptes.set(pte.folio, (ptes.get(pte.folio) ?? 0) + 1);
	for (const f of H.world.folios as any[]) {
		if (f.freed)
			continue;
		const mapped = ptes.get(f) ?? 0;
		const n = K.folio_ref_count(f);
		const own = H.own_refs(f);
		if (n !== own + mapped)
			return { kind: 'leak', message: `a folio holds ${n} references at the end, expected ${own + mapped} (${own ? 'its own and ' : ''}its ${mapped} present PTE(s); every thread has finished)${n > own + mapped ? ': a folio_get() never put' : ': a folio_put() too many'}` };
	}
	/* A folio the harness let go of (migrated away) had only its reference left: it must be gone. */
	for (const f of H.world.retired as any[])
		if (!f.freed)
			return { kind: 'leak', message: `a migrated-away folio still holds ${K.folio_ref_count(f)} reference(s) at the end: a folio_get() never put` };
	return null;
}

/**
 * Every folio_lock()/folio_trylock() a thread takes is dropped before it
 * returns: rmap walks, migration, reclaim and KSM all unlock on every exit
 * path.  A folio still locked when every thread has finished is an unlock
 * missed on some path, and the next folio_lock() of it (the next fault,
 * reclaim or migration) sleeps for ever.  Freed or not: freeing a locked
 * folio is the kernel's "Bad page state" (PG_locked in
 * PAGE_FLAGS_CHECK_AT_FREE).
 */
export function checkFolioLocks(H: any): failure | null {
	for (const f of [...H.world.folios, ...H.world.retired] as any[])
		if (f.locked)
			return { kind: 'deadlock', message: `a folio is still locked at the end (every thread has finished)${f.freed ? ', and it was freed locked (Bad page state: PG_locked)' : ''}: a folio_unlock() missed on some path` };
	return null;
}

/**
 * kernel/fork.c check_mm(): "BUG: Bad rss-counter state".  Each mm's
 * MM_ANONPAGES counts its present PTEs and migration entries of anonymous
 * folios, MM_SWAPENTS its swap entries; an mm that has exited counts
 * nothing.  The harness's page-table changes keep the counters as
 * mm/memory.c does; a model path that changes a PTE's kind (a page
 * swapped out, a lazyfree page discarded) without its add_mm_counter()
 * leaves one wrong for good.
 */
export function checkRss(K: any, H: any): failure | null {
	const names = ['MM_FILEPAGES', 'MM_ANONPAGES', 'MM_SWAPENTS', 'MM_SHMEMPAGES'];
	for (const mm of [...H.world.mms, ...H.world.exited] as any[]) {
		const want = [0, 0, 0, 0];
		if (!H.world.exited.includes(mm))
			for (const pte of mm.ptes.values() as Iterable<any>)
				if (pte.folio)
					want[pte.swap ? K.MM_SWAPENTS : K.MM_ANONPAGES]++;
		for (let i = 0; i < want.length; i++)
			if (K.get_mm_counter(mm, i) !== want[i])
				return { kind: 'bug', message: `Bad rss-counter state mm:${mm.name} type:${names[i]} val:${K.get_mm_counter(mm, i)} (its page tables hold ${want[i]}${H.world.exited.includes(mm) ? '; the mm has exited' : ''})` };
	}
	return null;
}

/* ---- every PTE of an anon folio is where an rmap walk will find it ---- */

export function checkMappings(K: any, H: any, KH: () => any = () => null): failure | null {
	const lost = (message: string): failure => ({ kind: 'lost-mapping', message });
	const count = new Map<any, number>();
	/* Per folio: the PTEs mapping each of its pages, and which MMs map it (a large folio's MM_ID slots). */
	const pageCount = new Map<any, number[]>();
	const mmCount = new Map<any, Map<number, number>>();
	/* rmap_walk_ksm() of each mapped KSM folio, run once. */
	const ksmWalks = new Map<any, any>();
	for (const mm of H.world.mms as any[]) {
		for (const [address, pte] of mm.ptes as Map<number, any>) {
			const at = `${mm.name}:0x${address.toString(16)}`;
			if (pte.migration)
				return lost(`migration entry left behind at ${at}`);
			/* A swap entry maps no page: the swap cache's folio is found by the fault, not by an rmap walk. */
			if (pte.swap) {
				if (!pte.folio.swapcache || pte.folio.freed)
					return lost(`swap entry at ${at} names a folio that is not in the swap cache`);
				continue;
			}
			const f = pte.folio;
			const nr: number = pte.nr ?? 0;
			count.set(f, (count.get(f) ?? 0) + 1);
			if (nr >= f.nr_pages)
				return lost(`PTE at ${at} maps page ${nr} of a ${f.nr_pages}-page folio`);
			if (!pageCount.has(f))
				pageCount.set(f, new Array(f.nr_pages).fill(0));
			pageCount.get(f)![nr]++;
			if (!mmCount.has(f))
				mmCount.set(f, new Map());
			mmCount.get(f)!.set(mm.mm_id, (mmCount.get(f)!.get(mm.mm_id) ?? 0) + 1);
			const vma = mm.vmas.find((v: any) => v.vm_start <= address && address < v.vm_end);
			if (!vma)
				return lost(`PTE at ${at} outside any VMA`);
			if (K.folio_test_ksm(f)) {
				/* ksm_madvise(MADV_UNMERGEABLE) clears VM_MERGEABLE only after break_ksm() left no KSM page in the range. */
				if (!(vma.vm_flags & K.VM_MERGEABLE))
					return { kind: 'lost-mapping', message: `the PTE at ${at} maps a KSM page in a VMA without VM_MERGEABLE: MADV_UNMERGEABLE (break_ksm()) leaves none, and ksmd merges only in VM_MERGEABLE VMAs` };
				const k = checkKsmMapping(K, KH(), ksmWalks, mm, address, f, at);
				if (k)
					return k;
				continue;
			}
			/* A writable anon PTE maps an exclusive page: COW relies on it (do_wp_page() reuses only those). */
			if (pte.write && !K.PageAnonExclusive(K.folio_page(f, nr)))
				return lost(`a writable PTE at ${at} maps a page not marked PageAnonExclusive`);
			const av = H.folio_anon(f);
			if (!av || !live(K, av))
				return lost(`PTE at ${at} maps a folio whose anon_vma is gone`);
			/* The page's index: a large folio's page nr is at folio->index + nr (page_pgoff()). */
			const index = f.index + nr;
			const found = av.rb_root.rb_root.nodes.some((n: any) => n.container.vma === vma &&
				n.start <= index && index <= n.last);
			if (!found)
				return lost(`rmap cannot find the PTE at ${at}: its VMA is not in the folio's anon_vma tree`);
			if (K.vma_address(vma, index, 1) !== address)
				return lost(`rmap computes a different address for the PTE at ${at}`);
		}
	}
	for (const f of H.world.folios as any[]) {
		const n = count.get(f) ?? 0;
		if (K.folio_mapcount(f) !== n)
			return lost(`folio_mapcount() ${K.folio_mapcount(f)} but ${n} PTEs map the folio`);
		if (f.nr_pages > 1) {
			const l = checkLargeMapcounts(K, f, pageCount.get(f) ?? new Array(f.nr_pages).fill(0), mmCount.get(f) ?? new Map());
			if (l)
				return lost(l);
			continue;
		}
		/* An exclusive anon page has one mapping (rmap.h: PageAnonExclusive) */
		if (K.PageAnonExclusive(K.folio_page(f, 0)) && n > 1)
			return lost(`an exclusive (PageAnonExclusive) page is mapped by ${n} PTEs`);
	}
	return checkMappedStats(K, H);
}

/*
 * A large (mTHP) folio, PTE-mapped only (the model has no PMD mappings),
 * under the model's CONFIG_PAGE_MAPCOUNT and CONFIG_MM_ID: each page's
 * _mapcount counts the PTEs mapping that page, _nr_pages_mapped the pages
 * mapped at least once, _entire_mapcount stays unused; an exclusive page
 * has at most one mapping; each MM slot counts its MM's PTEs, and a folio
 * not marked maybe-shared is mapped by one MM at most
 * (folio_maybe_mapped_shared()); a folio some of whose pages are mapped
 * and some not was queued for the deferred split, PG_partially_mapped
 * set (orders above 1, not in the swap cache: deferred_split_folio()).
 * Returns what is wrong.
 */
function checkLargeMapcounts(K: any, f: any, pages: number[], mms: Map<number, number>): string | null {
	let mapped = 0;

	for (let i = 0; i < f.nr_pages; i++) {
		const p = K.folio_page(f, i);
		if (p._mapcount.counter + 1 !== pages[i])
			return `page ${i} of a ${f.nr_pages}-page folio: _mapcount + 1 is ${p._mapcount.counter + 1} but ${pages[i]} PTEs map it`;
		if (K.PageAnonExclusive(p) && pages[i] > 1)
			return `an exclusive (PageAnonExclusive) page ${i} of a large folio is mapped by ${pages[i]} PTEs`;
		if (pages[i])
			mapped++;
	}
	if (K.CONFIG_PAGE_MAPCOUNT && f._nr_pages_mapped.counter !== mapped)
		return `a ${f.nr_pages}-page folio's _nr_pages_mapped is ${f._nr_pages_mapped.counter} but ${mapped} of its pages are mapped`;
	if (K.folio_entire_mapcount(f) !== 0)
		return `a PTE-mapped large folio's entire mapcount is ${K.folio_entire_mapcount(f)}`;
	for (let i = 0; i < 2; i++) {
		const id = f._mm_id[i];
		const want = id === K.MM_ID_DUMMY ? -1 : (mms.get(id) ?? 0) - 1;
		if (f._mm_id_mapcount[i] !== want)
			return `a large folio's MM slot ${i} (mm_id ${id}) counts ${f._mm_id_mapcount[i] + 1} mappings, but that MM has ${want + 1} PTEs of it`;
	}
	if (!f._mm_ids_shared && mms.size > 1)
		return `a large folio mapped by ${mms.size} MMs is not marked maybe-shared (folio_maybe_mapped_shared() false)`;
	if (mapped > 0 && mapped < f.nr_pages && K.folio_order(f) > 1 && !K.folio_test_swapcache(f) &&
	    !(f.partially_mapped && f.deferred_split))
		return `a ${f.nr_pages}-page anon folio with ${mapped} pages mapped is not queued for the deferred split (partially mapped)`;
	return null;
}

/*
 * __folio_mod_stat()'s counters: NR_ANON_MAPPED counts the pages of anon
 * folios (KSM's included) mapped at least once, NR_FILE_MAPPED those of
 * the others, which the model has none of.
 */
function checkMappedStats(K: any, H: any): failure | null {
	const pages = new Set<any>();
	for (const mm of H.world.mms as any[])
		for (const pte of (mm.ptes as Map<number, any>).values())
			if (K.pte_present(pte))
				pages.add(K.folio_page(pte.folio, pte.nr ?? 0));
	let anon = 0, file = 0;
	for (const p of pages)
		if (K.folio_test_anon(p.owner))
			anon++;
		else
			file++;
	const got = [K.global_node_page_state(K.NR_ANON_MAPPED), K.global_node_page_state(K.NR_FILE_MAPPED)];
	if (got[0] !== anon || got[1] !== file)
		return { kind: 'bug', message: `vmstat: NR_ANON_MAPPED ${got[0]} and NR_FILE_MAPPED ${got[1]}, but the page tables map ${anon} anon and ${file} file pages` };
	return null;
}

/*
 * Scenarios: a world built single-threaded (setup), then the threads that
 * race in it.  Each is the smallest situation in which one of the seed
 * documents' races can happen; the invariants are the same for all.
 */
import { world_modules } from './loader';
import type { instance, thread_spec, failure } from './execution';
import { checkForest, checkMappings, checkData, checkFolioRefs, checkFolioLocks, checkRss } from './invariants';
import { checkKsmCounters } from './ksm_invariants';
import { ksm_scenarios } from './ksm_scenarios';

const PAGE = 0x1000;

export interface scenario {
	name: string;
	description: string;
	/** Build the world and return the racing threads (h: the harness). */
	build(h: any, w: world_modules): thread_spec[];
	/** Explore every allocation failure of the threads too (the -ENOMEM paths). */
	enomem?: boolean;
	/** Preemption bound when none is asked for (default 2): a small scenario is searched deeper. */
	bound?: number;
}

/** How an injected allocation failure behaves: one failure, or an OOM that lasts. */
export type alloc_failure = 'once' | 'from';

/**
 * The scenario with the k-th allocation its threads make failing ('once'),
 * or that one and every later one ('from': GFP_NOWAIT and the GFP_KERNEL
 * retry both fail).  Named "scenario:once=3" so a trace replays it.
 */
export function withAllocFailure(base: scenario, mode: alloc_failure, k: number): scenario {
	return {
		name: `${base.name}:${mode}=${k}`,
		description: `${base.description}; allocation ${k}${mode === 'from' ? ' and all after it' : ''} fail`,
		build(h, w) {
			const threads = base.build(h, w);
			const K = w.load('kernel');
			let n = 0;
			K.sched.failAlloc = (): boolean => (++n, mode === 'once' ? n === k : n >= k);
			return threads;
		},
	};
}

/* Parent with a two-page VMA at 0x10000, its first page faulted in, and a forked child. */
function parentAndChild(h: any): { P: any; C: any; vma: any; F: any } {
	const P = h.mm_alloc('parent');
	const vma = h.do_mmap(P, 0x10000, 2);
	const F = h.do_anonymous_page(P, 0x10000);
	const C = h.dup_mmap(P, 'child');
	return { P, C, vma, F };
}

/* A process with one one-page VMA at 0x10000, faulted in. */
function onePage(h: any, name: string): { P: any; F: any } {
	const P = h.mm_alloc(name);
	h.do_mmap(P, 0x10000, 1);
	return { P, F: h.do_anonymous_page(P, 0x10000) };
}

/* A walk (reclaim's or migration's) of the page of onePage()'s process while the process exits. */
function walkVsLastExit(name: string, description: string, walker: string, fn: string, bound?: number): scenario {
	return {
		name, description, ...(bound ? { bound } : {}),
		build(h) {
			const { P, F } = onePage(h, 'proc');
			return [
				{ name: walker, fn: h[fn], args: [F] },
				{ name: 'exit', fn: h.exit_mmap, args: [P] },
			];
		},
	};
}

/*
 * A walk (migration's or reclaim's) of onePage()'s page, which the process
 * has written 0x11 to (and then MADV_FREE'd, with lazyfree), against a
 * store of v to it (the process's own, or a device's under a GUP pin).
 */
function writtenPageVs(name: string, description: string, walker: string, walk: string,
		writer: string, write: string, v: number, lazyfree = false): scenario {
	return {
		name, description,
		build(h) {
			const { P } = onePage(h, 'proc');
			h.user_write(P, 0x10000, 0x11);
			if (lazyfree)
				h.madvise_free(P, 0x10000);
			/* The page the process maps now (its store may have faulted a new one in). */
			const F = P.ptes.get(0x10000).folio;
			return [
				{ name: walker, fn: h[walk], args: [F] },
				{ name: writer, fn: h[write], args: [P, 0x10000, v] },
			];
		},
	};
}

/*
 * mTHP: an order-2 anonymous folio (4 pages, PTE-mapped) at 0x10000, in a
 * 4-page VMA, faulted at once (do_anonymous_page() with an mTHP order),
 * with a forked child mapping it too when fork is set.  Order 2 is the
 * smallest a deferred split queues (deferred_split_folio()).
 */
function mthp(h: any, fork: boolean): { P: any; C: any; F: any } {
	const P = h.mm_alloc('parent');
	h.do_mmap(P, 0x10000, 4);
	const F = h.do_anonymous_page_mthp(P, 0x10000, 2);
	return { P, F, C: fork ? h.dup_mmap(P, 'child') : null };
}

/* The large-folio paths of the rmap's add/remove (the per-page loops, the large mapcount, the deferred split). */
function mthp_scenarios(): scenario[] {
	return [
		{
			name: 'mthp-fork-vs-partial-unmap',
			description: 'an mTHP: fork (folio_try_dup_anon_rmap_ptes() over the batch) while the parent zaps its middle two pages (MADV_DONTNEED: folio_remove_rmap_ptes(), deferred split)',
			build(h) {
				const { P } = mthp(h, false);
				return [
					{ name: 'fork', fn: h.dup_mmap, args: [P, 'child'] },
					{ name: 'dontneed', fn: h.madvise_dontneed, args: [P, 0x10000 + PAGE, 2] },
				];
			},
		},
		{
			name: 'mthp-partial-unmaps',
			description: 'an mTHP shared by parent and child: each zaps an overlapping part of it at once (per-page mapcounts, _nr_pages_mapped, the MM slots, who queues the deferred split)',
			build(h) {
				const { P, C } = mthp(h, true);
				return [
					{ name: 'dontneed-parent', fn: h.madvise_dontneed, args: [P, 0x10000, 2] },
					{ name: 'dontneed-child', fn: h.madvise_dontneed, args: [C, 0x10000 + PAGE, 3] },
				];
			},
		},
		{
			name: 'mthp-cow-subpage-vs-exit',
			description: 'an mTHP shared by parent and child: the child COWs one page of it (folio_remove_rmap_pte() of a subpage) while the parent exits (the batch of all four)',
			build(h) {
				const { P, C } = mthp(h, true);
				return [
					{ name: 'cow', fn: h.do_wp_page, args: [C, 0x10000 + 2 * PAGE] },
					{ name: 'exit', fn: h.exit_mmap, args: [P] },
				];
			},
		},
		{
			name: 'mthp-swapin-vs-swapin',
			description: 'an mTHP shared by parent and child, swapped out (try_to_unmap_one() per PTE), the child\'s first page zapped: the parent swaps it in whole (folio_add_anon_rmap_ptes() of four pages) while the child swaps in one page (folio_add_anon_rmap_pte())',
			build(h) {
				const { P, C, F } = mthp(h, true);
				h.shrink_folio(F);
				h.madvise_dontneed(C, 0x10000, 1);
				return [
					{ name: 'swapin-parent', fn: h.do_swap_page_mthp, args: [P, 0x10000 + PAGE] },
					{ name: 'swapin-child', fn: h.do_swap_page_mthp, args: [C, 0x10000 + 2 * PAGE] },
				];
			},
		},
		{
			name: 'mthp-exit-parent-and-child',
			description: 'an mTHP shared by parent and child, its first page zapped in the parent: both exit at once (the last unmaps, the MM slots freed)',
			/* Two exits' anon_vma teardown is exit-parent-and-child's (bound 2); the folio's part needs one preemption. */
			bound: 1,
			build(h) {
				const { P, C } = mthp(h, true);
				h.madvise_dontneed(P, 0x10000, 1);
				return [
					{ name: 'exit-parent', fn: h.exit_mmap, args: [P] },
					{ name: 'exit-child', fn: h.exit_mmap, args: [C] },
				];
			},
		},
	];
}

export const scenarios: scenario[] = [
	{
		name: 'migrate-vs-adjust',
		description: 'seed 001: migration of a page shared by parent and child while the parent\'s VMA grows down (vma_adjust)',
		build(h) {
			const { P, vma, F } = parentAndChild(h);
			return [
				{ name: 'migrate', fn: h.migrate_pages, args: [F] },
				{ name: 'expand', fn: h.vma_adjust, args: [P, vma, 0x10000 - PAGE, 0x12000] },
			];
		},
	},
	walkVsLastExit('reclaim-vs-exit',
		'comment over anon_vma_free(): reclaim finds the anon_vma through folio->mapping while the process exits (bound 3: a reader that trylocks the rwsem between the exit\'s unlink and its put needs three preemptions)',
		'reclaim', 'shrink_folio', 3),
	{
		name: 'exit-parent-and-child',
		description: 'seed 001 (Kamezawa): parent and child exit; the root anon_vma must be freed last',
		build(h) {
			const { P, C } = parentAndChild(h);
			return [
				{ name: 'exit-parent', fn: h.exit_mmap, args: [P] },
				{ name: 'exit-child', fn: h.exit_mmap, args: [C] },
			];
		},
	},
	{
		name: 'walk-vs-take-all-locks',
		description: 'seeds 000/001: migration of the child\'s COWed page (nested anon_vma) vs mmu_notifier_register -> mm_take_all_locks in the child',
		build(h) {
			const { C } = parentAndChild(h);
			const F2 = h.do_wp_page(C, 0x10000);
			return [
				{ name: 'migrate', fn: h.migrate_pages, args: [F2] },
				{ name: 'take-all-locks', fn: h.mmu_notifier_register, args: [C] },
			];
		},
	},
	{
		name: 'migrate-with-sleeping-notifier',
		description: 'seed 004: migration\'s rmap walk calls a secondary-MMU invalidate that sleeps, while the parent forks again',
		build(h) {
			const { P, F } = parentAndChild(h);
			return [
				{ name: 'migrate', fn: h.migrate_pages, args: [F] },
				{ name: 'fork', fn: h.dup_mmap, args: [P, 'child2'] },
			];
		},
	},
	{
		name: 'split-merge-vs-migrate',
		description: 'mm/vma.c: split a VMA and merge it back (anon_vma_clone, vma_prepare/complete, anon_vma_merge) while its page migrates',
		build(h) {
			const P = h.mm_alloc('proc');
			h.do_mmap(P, 0x10000, 2);
			h.do_anonymous_page(P, 0x10000);
			const F = h.do_anonymous_page(P, 0x11000);
			return [
				{ name: 'migrate', fn: h.migrate_pages, args: [F] },
				{ name: 'split+merge', fn: h.split_and_merge, args: [P, 0x11000] },
			];
		},
	},
	{
		name: 'fork-cow-exit-vs-reclaim',
		description: 'seed 003: fork, COW in the child and child exit, while reclaim unmaps the parent\'s page',
		build(h) {
			const { C, F } = parentAndChild(h);
			return [
				{ name: 'reclaim', fn: h.shrink_folio, args: [F] },
				{ name: 'cow+exit', fn: h.cow_and_exit, args: [C, 0x10000] },
			];
		},
	},
	{
		name: 'referenced-vs-exit',
		description: 'reclaim ages the page with a try_lock walk (folio_referenced()) while the child exits: a contended anon_vma lock ends the walk as contended and never sleeps, an anon_vma on its way out is not touched; the child madvised MADV_RANDOM, so the walk skips its VMA (invalid_vma)',
		build(h) {
			const { C, F } = parentAndChild(h);
			h.madvise_random(C, 0x10000);
			return [
				{ name: 'referenced', fn: h.folio_check_references, args: [F] },
				{ name: 'exit-child', fn: h.exit_mmap, args: [C] },
			];
		},
	},
	{
		name: 'fork-enomem',
		description: 'fork under memory pressure, every allocation failure point in turn (anon_vma_clone()/anon_vma_fork() unwinding, with anon_vma reuse for two VMAs and anon_vma_fork()\'s own anon_vma for a third), while migration walks the tree the fork extends',
		enomem: true,
		build(h) {
			/* P forks C, C forks G, C exits: G's chain holds C's anon_vma, now without VMAs and with one child: reusable. */
			const P = h.mm_alloc('parent');
			h.do_mmap(P, 0x10000, 2);
			h.do_mmap(P, 0x20000, 1);
			const F = h.do_anonymous_page(P, 0x10000);
			h.do_anonymous_page(P, 0x20000);
			const C = h.dup_mmap(P, 'child');
			const G = h.dup_mmap(C, 'grandchild');
			h.exit_mmap(C);
			/* A VMA only G has faulted: its root has a VMA, so the fork must make and link its own anon_vma. */
			h.do_mmap(G, 0x30000, 1);
			h.do_anonymous_page(G, 0x30000);
			return [
				{ name: 'fork', fn: h.dup_mmap, args: [G, 'great-grandchild'] },
				{ name: 'migrate', fn: h.migrate_pages, args: [F] },
			];
		},
	},
	{
		name: 'clone-enomem-vs-walk',
		description: 'anon_vma_clone() of a two-entry chain (a VMA split in a forked child) failing after some AVCs are allocated: cleanup_partial_anon_vmas(), while migration walks the tree; then the child exits',
		enomem: true,
		build(h) {
			const { C, F } = parentAndChild(h);
			h.do_wp_page(C, 0x10000);
			return [
				{ name: 'split+exit', fn: h.split_and_exit, args: [C, 0x11000] },
				{ name: 'migrate', fn: h.migrate_pages, args: [F] },
			];
		},
	},
	{
		name: 'merge-unfaulted-vs-walk',
		description: 'an unfaulted VMA merged with its faulted neighbour (anon_vma_clone(VMA_OP_MERGE_UNFAULTED), every allocation failing in turn), then unmapped, while the neighbour\'s page migrates',
		enomem: true,
		build(h) {
			const P = h.mm_alloc('proc');
			const prev = h.do_mmap(P, 0x10000, 1);
			const next = h.do_mmap(P, 0x11000, 1);
			const F = h.do_anonymous_page(P, 0x11000);
			return [
				{ name: 'merge+unmap', fn: h.merge_unfaulted_and_unmap, args: [P, prev, next] },
				{ name: 'migrate', fn: h.migrate_pages, args: [F] },
			];
		},
	},
	{
		name: 'fork-reuse-vs-exit-and-walk',
		description: 'maybe_reuse_anon_vma(): a fork reuses an exited child\'s anon_vma while the root\'s process exits and reclaim walks the tree',
		build(h) {
			/* P forks C, C forks G, C exits: C's anon_vma has no VMAs and one child, so G's next fork reuses it. */
			const P = h.mm_alloc('parent');
			h.do_mmap(P, 0x10000, 1);
			const F = h.do_anonymous_page(P, 0x10000);
			const C = h.dup_mmap(P, 'child');
			const G = h.dup_mmap(C, 'grandchild');
			h.exit_mmap(C);
			return [
				{ name: 'fork', fn: h.dup_mmap, args: [G, 'great-grandchild'] },
				{ name: 'exit-root', fn: h.exit_mmap, args: [P] },
				{ name: 'reclaim', fn: h.shrink_folio, args: [F] },
			];
		},
	},
];

/* ---- the races 7.2 has and the scenarios above do not reach ---- */

/* One process with two adjacent one-page VMAs at 0x10000 and 0x11000 (anon_vma-compatible), both unfaulted, split from one. */
function adjacentVmas(h: any): any {
	const P = h.mm_alloc('proc');
	/* One mapping split in two, as mprotect() of half of it does: anon_vma_clone() of an unfaulted VMA (nothing to clone). */
	const vma = h.do_mmap(P, 0x10000, 2);
	h.split_vma(P, vma, 0x11000);
	return P;
}

scenarios.push(
	{
		name: 'fault-vs-fault',
		description: 'two threads of one process take the first write fault of one unfaulted VMA: __anon_vma_prepare() races itself (page_table_lock decides who publishes), every allocation failing in turn (its out_enomem unwinding, VM_FAULT_OOM)',
		enomem: true,
		build(h) {
			const P = h.mm_alloc('proc');
			h.do_mmap(P, 0x10000, 2);
			return [
				{ name: 'fault-1', fn: h.do_anonymous_page, args: [P, 0x10000] },
				{ name: 'fault-2', fn: h.do_anonymous_page, args: [P, 0x11000] },
			];
		},
	},
	{
		name: 'fault-adjacent-vs-fault',
		description: 'first faults of two adjacent mergeable VMAs: each __anon_vma_prepare() may find the other\'s anon_vma (find_mergeable_anon_vma()) while it is being published',
		build(h) {
			const P = adjacentVmas(h);
			return [
				{ name: 'fault-lo', fn: h.do_anonymous_page, args: [P, 0x10000] },
				{ name: 'fault-hi', fn: h.do_anonymous_page, args: [P, 0x11000] },
			];
		},
	},
	{
		name: 'fault-vs-walk',
		description: 'the first fault of a VMA reuses its faulted neighbour\'s anon_vma (interval tree insert, num_active_vmas) while migration walks that tree',
		build(h) {
			const P = adjacentVmas(h);
			const F = h.do_anonymous_page(P, 0x10000);
			return [
				{ name: 'fault', fn: h.do_anonymous_page, args: [P, 0x11000] },
				{ name: 'migrate', fn: h.migrate_pages, args: [F] },
			];
		},
	},
	{
		name: 'fault-vs-fork',
		description: 'the first fault of one VMA while the process forks (anon_vma_fork() of the faulted neighbour, then the new anon_vma)',
		build(h) {
			const P = h.mm_alloc('parent');
			h.do_mmap(P, 0x10000, 1);
			h.do_mmap(P, 0x20000, 1);
			h.do_anonymous_page(P, 0x10000);
			return [
				{ name: 'fault', fn: h.do_anonymous_page, args: [P, 0x20000] },
				{ name: 'fork', fn: h.dup_mmap, args: [P, 'child'] },
			];
		},
	},
	{
		name: 'migrate-vs-exit',
		description: 'migration of a page shared by parent and child (folio_get_anon_vma(), migration entries, remove_migration_ptes()) while both processes exit',
		build(h) {
			const { P, C, F } = parentAndChild(h);
			return [
				{ name: 'migrate', fn: h.migrate_pages, args: [F] },
				{ name: 'exit-parent', fn: h.exit_mmap, args: [P] },
				{ name: 'exit-child', fn: h.exit_mmap, args: [C] },
			];
		},
	},
	walkVsLastExit('referenced-vs-last-exit',
		'reclaim\'s aging (the model\'s folio_referenced(), a try_lock walk) of a page while its only process exits: once the last mmput() has dropped mm_users to 0, folio_referenced_one() skips the exiting mm\'s unshared swap-backed folio (-1: keep it, no swap-out of a page about to be freed), and the walk must still leave no lock or reference behind',
		'referenced', 'folio_check_references'),
	walkVsLastExit('migrate-vs-last-exit',
		'migration of a page (folio_get_anon_vma(): RCU, atomic_inc_not_zero(), folio_mapped() again) while its only process exits: the anon_vma can reach refcount zero, or the page be unmapped, between the lookup\'s steps (bound 3: the lookup that pins the anon_vma before the exit\'s put but sees the page unmapped by its zap, and then drops the last reference, needs three preemptions)',
		'migrate', 'migrate_pages', 3),
	{
		name: 'reclaim-vs-exit-and-take-all-locks',
		description: 'reclaim of the child\'s COWed page (folio_lock_anon_vma_read(), no reference) while the child exits and the parent takes all its anon_vma locks (mm_take_all_locks(): the root\'s rwsem for write): the reader\'s trylock can fail while the child\'s anon_vma is already at refcount zero, so its atomic_inc_not_zero() fails',
		build(h) {
			/* One page: the fewest steps for the three threads. */
			const { P } = onePage(h, 'parent');
			const C = h.dup_mmap(P, 'child');
			const F2 = h.do_wp_page(C, 0x10000);
			return [
				{ name: 'reclaim', fn: h.shrink_folio, args: [F2] },
				{ name: 'exit-child', fn: h.exit_mmap, args: [C] },
				{ name: 'take-all-locks', fn: h.mmu_notifier_register, args: [P] },
			];
		},
	},
	{
		name: 'cow-reuse-vs-migrate',
		description: 'the parent has exited, so the child\'s write fault on the page they shared reuses it (wp_can_reuse_anon_folio(): no other user) and the model\'s folio_move_anon_rmap() moves folio->mapping from the root anon_vma to the child\'s own, with one WRITE_ONCE(), while migration walks the folio: folio_get_anon_vma() and the walk must find the child\'s mapping through either anon_vma, and the store must land in the page the child keeps',
		build(h) {
			const { P, C, F } = parentAndChild(h);
			h.exit_mmap(P);
			return [
				{ name: 'write', fn: h.user_write, args: [C, 0x10000, 0x77] },
				{ name: 'migrate', fn: h.migrate_pages, args: [F] },
			];
		},
	},
	writtenPageVs('migrate-vs-write',
		'migration of a process\'s page while the process writes to it: a store before the unmap must be in the copy, a store after it waits on the migration entry (migration_entry_wait()) and lands in the new folio',
		'migrate', 'migrate_pages', 'write', 'user_write', 0x33),
	writtenPageVs('reclaim-vs-gup-pin',
		'reclaim of a process\'s page while an O_DIRECT read into it holds a FOLL_PIN (gup_pin_write()): try_to_unmap_one() must not unmap a pinned exclusive page (folio_try_share_anon_rmap_pte() fails on folio_maybe_dma_pinned(), the PTE is put back), so the device\'s write reaches the page the process reads; the fast GUP path\'s re-read of the PTE stops a pin taken as reclaim clears it',
		'reclaim', 'shrink_folio', 'dio', 'gup_pin_write', 0x77),
	writtenPageVs('migrate-vs-gup-pin',
		'migration of a process\'s page while an O_DIRECT read into it holds a FOLL_PIN: try_to_migrate_one() must put the PTE back for a pinned exclusive page, and migration of a page whose references it cannot account for gives up and restores its migration entries (remove_migration_ptes()), so the pinned folio stays mapped and the device\'s write is what the process reads',
		'migrate', 'migrate_pages', 'dio', 'gup_pin_write', 0x77),
	writtenPageVs('reclaim-lazyfree-vs-write',
		'reclaim of a page the process has MADV_FREE\'d while the process writes to it again: try_to_unmap_one() may discard a lazyfree folio only while it is clean, so a store that set the PTE\'s dirty bit before reclaim cleared the PTE (folio_mark_dirty() from pte_dirty()) puts the page back swap-backed, and a store after it faults in a new page; either way the write survives',
		'reclaim', 'shrink_folio', 'write', 'user_write', 0x77, true),
	writtenPageVs('reclaim-lazyfree-vs-gup-pin',
		'reclaim of a MADV_FREE\'d page while an O_DIRECT read into it holds a FOLL_PIN (the race of "mm: fix race between MADV_FREE reclaim and blkdev direct IO read", 2022): the folio is still clean while the device writes it, so try_to_unmap_one() must also see the pin in the folio\'s references (ref_count != 1 + map_count after smp_mb(), against GUP-fast\'s pin-then-recheck) and put the PTE back; discarded, the process reads zeroes where the I/O wrote',
		'reclaim', 'shrink_folio', 'dio', 'gup_pin_write', 0x77, true),
	...mthp_scenarios(),
	...ksm_scenarios,
);

export function findScenario(name: string): scenario {
	const inj = name.match(/^(.*):(once|from)=(\d+)$/);
	if (inj)
		return withAllocFailure(findScenario(inj[1]), inj[2] as alloc_failure, Number(inj[3]));
	const s = scenarios.find((x) => x.name === name);
	if (!s)
		throw new Error(`ktsc check: no scenario "${name}" (have: ${scenarios.map((x) => x.name).join(', ')})`);
	return s;
}

/** A fresh world with the design applied and the scenario set up. */
export function instantiate(sc: scenario, designName: string): instance {
	const w = world_modules.forDesign(designName);
	const K = w.load('kernel');
	const H = w.load('check/harness');
	w.applyDesign(designName);
	w.k.blockedForever = (what: string): never => {
		throw new K.KernelBug('deadlock', `blocks forever in ${what}`);
	};
	/* DEBUG_VM: a WARN (VM_WARN_ON_ONCE and friends) is a finding, with the model line that fired it. */
	K.sched.onWarn = (msg: string): void => K.kernel_bug('warning', `${msg} at ${w.k.line}`);
	K.sched.current = new K.task_struct('setup');
	H.harness_init();
	const threads = sc.build(H, w);
	return {
		w, K, threads,
		check(): failure | null {
			/* The invariants read freed objects on purpose (after testing liveness): no checks on their reads. */
			K.lockset.off++;
			try {
				const KH = (): any => w.load('check/ksm_harness');
				return checkMappings(K, H, KH) ?? checkData(H) ?? checkForest(K, H) ?? checkFolioRefs(K, H) ?? checkFolioLocks(H) ?? checkRss(K, H) ??
					checkKsmCounters(K, () => KH().ksm_counters());
			} finally {
				K.lockset.off--;
			}
		},
	};
}

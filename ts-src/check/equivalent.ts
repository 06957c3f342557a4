/*
 * Mutants of the model that survive ktsc mutate because they cannot be
 * told apart from the model: no checker could kill them.  Keyed by
 * operator, function and the mutant's description (its statements' text,
 * which does not move when lines do), each with the reason a reviewer can
 * check.  A survivor that is a real gap in the checker does not belong
 * here: it wants a scenario or an invariant.
 */
export interface equivalent_mutant {
	operator: string;
	function: string;
	description: string;
	reason: string;
}

/* A statement swap (the operator most entries are for). */
function swap(fn: string, description: string, reason: string): equivalent_mutant {
	return { operator: 'swap-statements', function: fn, description, reason };
}

/*
 * A swap that moves, or moves something across, an `if (IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT))`
 * block of the rmap add/remove paths, or reorders statements inside one.
 */
const NO_PAGE_MAPCOUNT = 'CONFIG_NO_PAGE_MAPCOUNT is n in the configuration the model runs and the kernel harness ' +
	'builds (kernel/kconfig.ts, scripts/kernel/ktsc.config: PAGE_MAPCOUNT=y), so IS_ENABLED() is a compile-time 0 and the ' +
	'block is dead code the compiler drops: the swap leaves the same program (under NO_PAGE_MAPCOUNT=y these would have to ' +
	'be run, with the per-page mapcounts gone)';

function noPageMapcount(fn: string, description: string): equivalent_mutant {
	return swap(fn, description, NO_PAGE_MAPCOUNT);
}

export const equivalent: equivalent_mutant[] = [
	/* The rmap add/remove paths' CONFIG_NO_PAGE_MAPCOUNT blocks (dead in this configuration). */
	noPageMapcount('__folio_remove_rmap', 'swap if (!folio_test_large(folio)) { nr = atomic_add_negative(-1, addr(f... with if (IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT)) { nr = folio_sub_return_la...'),
	noPageMapcount('__folio_remove_rmap', 'swap if (IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT)) { nr = folio_sub_return_la... with folio_sub_large_mapcount(folio, nr_pages, vma)'),
	noPageMapcount('__folio_remove_rmap', 'swap nr = folio_sub_return_large_mapcount(folio, nr_pages, vma) with if (!nr) { nr = folio_large_nr_pages(folio); } else { partially_map...'),
	noPageMapcount('__folio_remove_rmap', 'swap if (!nr) { nr = folio_large_nr_pages(folio); } else { partially_map... with break'),
	noPageMapcount('__folio_remove_rmap', 'swap partially_mapped = nr < folio_large_nr_pages(folio) && !folio_entir... with nr = 0'),
	noPageMapcount('__folio_remove_rmap', 'swap if (IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT)) { last = atomic_add_negati... with folio_dec_large_mapcount(folio, vma)'),
	noPageMapcount('__folio_remove_rmap', 'swap last = atomic_add_negative(-1, addr(folio._entire_mapcount)) with if (level == PGTABLE_LEVEL_PMD && last) nr_pmdmapped = folio_large_...'),
	noPageMapcount('__folio_remove_rmap', 'swap if (level == PGTABLE_LEVEL_PMD && last) nr_pmdmapped = folio_large_... with nr = folio_dec_return_large_mapcount(folio, vma)'),
	noPageMapcount('__folio_remove_rmap', 'swap nr = folio_dec_return_large_mapcount(folio, vma) with if (!nr) { nr = folio_large_nr_pages(folio); } else { partially_map...'),
	noPageMapcount('__folio_remove_rmap', 'swap if (!nr) { nr = folio_large_nr_pages(folio); } else { partially_map... with break #2'),
	noPageMapcount('__folio_remove_rmap', 'swap partially_mapped = last && nr < folio_large_nr_pages(folio) with nr = 0'),
	noPageMapcount('__folio_add_rmap', 'swap if (!folio_test_large(folio)) { nr = atomic_inc_and_test(addr(folio... with if (IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT)) { nr = folio_add_return_la...'),
	noPageMapcount('__folio_add_rmap', 'swap if (IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT)) { nr = folio_add_return_la... with do { first += atomic_inc_and_test(addr(page._mapcount)); } while (p...'),
	noPageMapcount('__folio_add_rmap', 'swap nr = folio_add_return_large_mapcount(folio, orig_nr_pages, vma) with if (nr == orig_nr_pages) nr = folio_large_nr_pages(folio); else nr = 0'),
	noPageMapcount('__folio_add_rmap', 'swap if (nr == orig_nr_pages) nr = folio_large_nr_pages(folio); else nr = 0 with break'),
	noPageMapcount('__folio_add_rmap', 'swap first = atomic_inc_and_test(addr(folio._entire_mapcount)) with if (IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT)) { if (level == PGTABLE_LEV...'),
	noPageMapcount('__folio_add_rmap', 'swap if (IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT)) { if (level == PGTABLE_LEV... with if (first) { nr = atomic_add_return_relaxed(ENTIRELY_MAPPED, mapped...'),
	noPageMapcount('__folio_add_rmap', 'swap if (level == PGTABLE_LEVEL_PMD && first) nr_pmdmapped = folio_large... with nr = folio_inc_return_large_mapcount(folio, vma)'),
	noPageMapcount('__folio_add_rmap', 'swap nr = folio_inc_return_large_mapcount(folio, vma) with if (nr == 1) nr = folio_large_nr_pages(folio); else nr = 0'),
	noPageMapcount('__folio_add_rmap', 'swap if (nr == 1) nr = folio_large_nr_pages(folio); else nr = 0 with break'),

	{
		operator: 'publish-before-init', function: 'anon_vma_fork',
		description: 'move vma.anon_vma = anon_vma above anon_vma.num_active_vmas = 1',
		reason: 'mm/rmap.c has no barrier between these stores (get_anon_vma() is an atomic_inc(), which orders nothing), ' +
			'so the compiler and the CPU may already make them in this order: the child\'s vma->anon_vma is not read ' +
			'concurrently (its mm is not visible yet; rmap walks reach the VMA through the parent\'s trees and do not read it)',
	},
	swap('__anon_vma_prepare', 'swap if (!avc) break out_enomem with anon_vma = find_mergeable_anon_vma(vma)',
		'find_mergeable_anon_vma() only reads (the VMA\'s neighbours and their anon_vma, under the mmap_lock the caller ' +
			'holds) and anon_vma is a local: when the chain allocation failed the mutant looks a neighbour up and leaves by the ' +
			'same out_enomem path, the result unused; otherwise the lookup is made at the same point of the path'),
	swap('__anon_vma_prepare', 'swap if (unlikely(allocated)) put_anon_vma(allocated) with if (unlikely(avc)) anon_vma_chain_free(avc)',
		'the losing fault\'s two clean-ups release unrelated objects only this thread holds (its anon_vma, never ' +
			'published, and its anon_vma_chain, never linked): nothing another thread can reach depends on which goes back ' +
			'to its slab first'),
	swap('__anon_vma_prepare', 'swap smp_store_release(addr_of(vma, \'anon_vma\'), anon_vma) with anon_vma_chain_assign(vma, avc, anon_vma)',
		'the publication of vma->anon_vma moves later inside the same critical section (anon_vma lock and page_table_lock ' +
			'held, both stores under them): the release still orders the anon_vma\'s set-up before it, and the chain link it ' +
			'now follows is read only under the mmap_lock for write or these locks, so a lockless reader (anon_vma_prepare()\'s ' +
			'fast path) only sees the same anon_vma a little later, as when it runs a little later'),
	swap('anon_vma_clone', 'swap for (avc of list_for_each_entry_reverse(addr(dst.anon_vma_chain), \'... with if (operation != VMA_OP_FORK) dst.anon_vma.num_active_vmas++',
		'both run under the root\'s rwsem held for write (every anon_vma of the chain shares the root): the loop ' +
			'inserts the new chain into the interval trees, the other counts dst in num_active_vmas; every reader of either ' +
			'(rmap walks, maybe_reuse_anon_vma(), unlink_anon_vmas()) takes that rwsem, so none sees the order, and neither ' +
			'reads what the other writes (the loop\'s maybe_reuse_anon_vma() runs only for a fork, the increment only for ' +
			'anything else)'),
	swap('anon_vma_clone', 'swap anon_vma_interval_tree_insert(avc, addr(anon_vma.rb_root)) with if (operation == VMA_OP_FORK) maybe_reuse_anon_vma(dst, anon_vma)',
		'both under the root\'s rwsem held for write: maybe_reuse_anon_vma() reads anon_vma\'s counters and dst, ' +
			'which the insert does not touch, and the insert reads avc and dst\'s range, which the reuse does not change; ' +
			'every reader of the tree or the counters takes that rwsem'),
	swap('anon_vma_fork', 'swap if (!pvma.anon_vma) return 0 with vma.anon_vma = NULL',
		'the store is made also when pvma has no anon_vma, and then vma->anon_vma is NULL already: the child\'s VMA is ' +
			'the parent\'s copied by dup_mmap() (vm_area_dup()), not yet in the child\'s mm, so no other thread reads it'),
	swap('anon_vma_fork', 'swap vma.anon_vma = NULL with anon_vma = anon_vma_alloc()',
		'the child\'s VMA is private to the fork (not yet in its mm) and anon_vma_alloc() does not read it; if the ' +
			'allocation fails the VMA keeps the parent\'s pointer for a moment, and dup_mmap() frees it unlinked, whatever it points to'),
	swap('anon_vma_fork', 'swap if (rc || vma.anon_vma) { put_anon_vma(anon_vma); anon_vma_chain_fr... with anon_vma.num_active_vmas = 1',
		'a store into the new anon_vma, which no other thread can find yet (never published; a stale RCU reader of ' +
			'its slab object reads only refcount, root and rwsem): when the clone failed or reused another anon_vma, this one ' +
			'is put and freed, and anon_vma_alloc() sets num_active_vmas again for its next user'),
	swap('anon_vma_fork', 'swap anon_vma.parent = pvma.anon_vma with get_anon_vma(anon_vma.root)',
		'get_anon_vma() is an atomic_inc() of the root\'s refcount (unordered in the kernel memory model), reading ' +
			'anon_vma->root, which the store to anon_vma->parent does not write; the new anon_vma is not published yet, so ' +
			'no other thread can see its parent before or after the increment'),
	swap('anon_vma_fork', 'swap get_anon_vma(anon_vma.root) with vma.anon_vma = anon_vma',
		'the store goes into the child\'s VMA, not yet in the child\'s mm (no other thread reads it), and the ' +
			'increment of the root\'s refcount neither reads nor depends on it; the kernel memory model already lets the two ' +
			'happen in either order (an atomic_inc() orders nothing)'),
	swap('anon_vma_fork', 'swap vma.anon_vma = anon_vma with anon_vma_chain_assign(vma, avc, anon_vma)',
		'both write only objects private to the fork: the child\'s VMA (not yet in its mm), the new anon_vma_chain ' +
			'and the new anon_vma\'s pointer in it; nothing is published until the interval tree insert under the lock below'),
	swap('anon_vma_fork', 'swap anon_vma_chain_assign(vma, avc, anon_vma) with anon_vma_lock_write(anon_vma)',
		'anon_vma_chain_assign() writes only the child\'s private VMA and the new anon_vma_chain, which no other thread ' +
			'can reach yet; doing it after taking the root\'s rwsem only holds the lock a little longer over private stores'),
	swap('anon_vma_fork', 'swap put_anon_vma(anon_vma) with anon_vma_chain_free(avc)',
		'the clean-up after a failed or reusing clone releases two unrelated objects only this thread holds (the ' +
			'unpublished anon_vma and the unlinked anon_vma_chain): no other thread can depend on which goes back to its slab first'),
	swap('cleanup_partial_anon_vmas', 'swap for ([avc, next] of list_for_each_entry_safe(addr(vma.anon_vma_chai... with vma.anon_vma = NULL',
		'anon_vma_clone() failed while allocating, before taking the lock: the chain it unwinds was never inserted ' +
			'into an interval tree, so no rmap walk can reach those anon_vma_chains, and the caller holds the mmap_lock for ' +
			'write, so no fault reads vma->anon_vma or the chain; which of the two is reset first is seen by no one'),
	swap('unlink_anon_vmas', 'swap for ([avc, next] of list_for_each_entry_safe(addr(vma.anon_vma_chai... with active_anon_vma.num_active_vmas--',
		'both under the root\'s rwsem held for write: the loop removes the VMA\'s chain from the interval trees, ' +
			'the other uncounts the VMA in num_active_vmas; neither reads what the other writes, and every reader of either ' +
			'(rmap walks, maybe_reuse_anon_vma(), anon_vma_clone()) takes that rwsem'),
	swap('unlink_anon_vmas', 'swap vma.anon_vma = NULL with anon_vma_unlock_write(active_anon_vma)',
		'the VMA is being unmapped or its mm torn down under the mmap_lock (for write on exit; on munmap it is already ' +
			'detached from the mm\'s tree), so no fault reads vma->anon_vma, and rmap walks, which the rwsem serialises, never ' +
			'read it: clearing it just after the unlock instead of just before is seen by no one'),
	swap('unlink_anon_vmas', 'swap put_anon_vma(anon_vma) with list_del(addr(avc.same_vma))',
		'list_del() unlinks the anon_vma_chain from the VMA\'s own chain (the chain, its neighbours: no anon_vma field), ' +
			'which only this thread walks (mmap_lock held); the put may free the anon_vma, which list_del() does not touch, and ' +
			'the chain is freed after both either way'),
	swap('anon_vma_ctor', 'swap init_rwsem(addr(anon_vma.rwsem)) with atomic_set(addr(anon_vma.refcount), 0)',
		'the slab constructor of an object no one has yet (kmem_cache_alloc() runs it before returning the object): ' +
			'two initialising stores to different members, which no other thread can see in either order'),
	swap('anon_vma_init', 'swap anon_vma_cachep = kmem_cache_create("anon_vma", sizeof(anon_vma), 0... with anon_vma_chain_cachep = KMEM_CACHE(anon_vma_chain, SLAB_PANIC|SLAB_...',
		'boot-time creation of two independent slab caches, before any other thread exists (an __init function): ' +
			'neither reads the other\'s cache'),
	swap('folio_get_anon_vma', 'swap if ((anon_mapping & FOLIO_MAPPING_FLAGS) != FOLIO_MAPPING_ANON) bre... with if (!folio_mapped(folio)) break out',
		'two guards that only read (a local value; the folio\'s mapcount) and leave by the same break out with ' +
			'anon_vma still NULL: the lookup goes on only when both pass, in either order; reading the mapcount a step ' +
			'earlier is a read the kernel memory model may already make earlier'),
	swap('folio_lock_anon_vma_read', 'swap if ((anon_mapping & FOLIO_MAPPING_FLAGS) != FOLIO_MAPPING_ANON) bre... with if (!folio_mapped(folio)) break out',
		'the same two read-only guards as folio_get_anon_vma()\'s (a local value; the folio\'s mapcount), leaving by ' +
			'the same break out with anon_vma still NULL: the lookup goes on only when both pass, in either order; reading the ' +
			'mapcount a step earlier is a read the kernel memory model may already make earlier'),
	/*
	 * rmap_walk_anon_lock()'s try_lock branch: in 7.2 only folio_referenced()
	 * sets rwc->try_lock, and it sets rwc->anon_lock too, so it returns at the
	 * top; every walk that reaches the branch has try_lock false.  (mm/ksm.c's
	 * rmap_walk_ksm() has its own.)  A future caller setting try_lock without
	 * anon_lock would tell these three apart from the model.
	 */
	swap('rmap_walk_anon_lock', 'swap if (anon_vma_trylock_read(anon_vma)) break out with if (rwc.try_lock) { anon_vma = NULL; rwc.contended = true; break ou...',
		'every walk reaching this branch has try_lock false in 7.2 (folio_referenced(), the one caller setting it, ' +
			'also sets anon_lock and returns above): the moved guard falls through wherever it stands, and the trylock is ' +
			'followed by the same anon_vma_lock_read() as before'),
	swap('rmap_walk_anon_lock', 'swap if (rwc.try_lock) { anon_vma = NULL; rwc.contended = true; break ou... with anon_vma_lock_read(anon_vma)',
		'every walk reaching this branch has try_lock false in 7.2 (folio_referenced(), the one caller setting it, ' +
			'also sets anon_lock and returns above): the guard falls through before or after the sleeping lock alike'),
	swap('rmap_walk_anon_lock', 'swap rwc.contended = true with break out',
		'inside the try_lock branch, which no walk reaches in 7.2 (folio_referenced(), the one caller setting ' +
			'try_lock, also sets anon_lock and returns above): dead code in either order'),
	swap('rmap_walk_anon_lock', 'swap if (rwc.anon_lock) return rwc.anon_lock(folio, rwc) with anon_vma = folio_anon_vma(folio)',
		'folio_anon_vma() only reads folio->mapping (the folio is locked by the caller, which keeps the mapping ' +
			'from changing) and computes a pointer into a local without dereferencing it: where the anon_lock branch ' +
			'returns, the local is unused; otherwise it holds the same value'),
	swap('rmap_walk_anon_lock', 'swap if (!anon_vma) return NULL with out: { if (anon_vma_trylock_read(anon_vma)) break out; if (rwc.try_...',
		'a dead guard: rmap_walk() and rmap_walk_locked() call rmap_walk_anon() only for a folio that is anonymous and ' +
			'not KSM, whose folio->mapping is its anon_vma (never NULL: __folio_set_anon() BUGs on a NULL one) plus ' +
			'FOLIO_MAPPING_ANON, and the folio lock the caller holds keeps it so: folio_anon_vma() never returns NULL here'),
	/* rmap_walk_anon(): the walk's caller holds the folio lock for the whole walk. */
	swap('rmap_walk_anon', 'swap VM_WARN_ON_FOLIO(!folio_test_locked(folio), folio) with if (locked) { anon_vma = folio_anon_vma(folio); VM_BUG_ON_FOLIO(!an...',
		'the check reads the folio\'s lock bit, which only the thread holding the folio lock sets and clears: where the ' +
			'caller holds it (every walk in the model and the kernel), no other thread can change it while this one takes ' +
			'the anon_vma lock, and the check holds in both places; where it does not, the check fails in both'),
	swap('rmap_walk_anon', 'swap if (!anon_vma) return with pgoff_start = folio_pgoff(folio)',
		'folio_pgoff() reads folio->index of the locked folio (it does not change while the folio is mapped and ' +
			'locked) into a local: where the guard returns, the local is unused; otherwise it holds the same value'),
	swap('rmap_walk_anon', 'swap cond_resched() with if (rwc.invalid_vma && rwc.invalid_vma(vma, rwc.arg)) continue',
		'cond_resched() only offers the CPU (no memory effect; the checker can preempt at every scheduling point ' +
			'anyway) and checks that the walk may sleep, which holds at both places (the anon_vma rwsem, a sleeping lock, ' +
			'is the one lock held); moved after the skip test it is only left out for the VMAs the walk skips'),
	swap('rmap_walk_anon', 'swap if (!rwc.rmap_one(folio, vma, address, rwc.arg)) break with if (rwc.done && rwc.done(folio)) break',
		'the only done() in 7.2 is folio_not_mapped() (try_to_unmap(), try_to_migrate()): the mutant tests it before ' +
			'each visit instead of after; where it is true the visit the model makes would find no PTE mapping the folio ' +
			'(a folio mapped nowhere gains no mapping while it is locked: fork copies only PTEs that exist, a swap-in fault locks the folio) and change nothing, and after the last visit the loop ends either way'),
	/* invalid_folio_referenced_vma(): folio_referenced()'s rwc.invalid_vma, two side-effect-free guards. */
	swap('invalid_folio_referenced_vma', 'swap let memcg: ptr<mem_cgroup> = pra.memcg with if (!vma_has_recency(vma)) return true',
		'pra is folio_referenced()\'s own stack struct, written only before the walk: the load of its memcg into a ' +
			'local gives the same value after the recency guard, and where the guard returns the local is unused'),
	swap('invalid_folio_referenced_vma', 'swap if (!vma_has_recency(vma)) return true with if (memcg && !mm_match_cgroup(vma.vm_mm, memcg)) return true',
		'two guards that only read (the VMA\'s flags; the mm\'s cgroup) and return the same value: the function ' +
			'returns true when either holds and goes on only when neither does, in either order'),
	/* folio_referenced(): its locals, read-only guards and the caller's out-parameter. */
	swap('folio_referenced', 'swap let we_locked: bool = false with let pra: folio_referenced_arg = struct_init(folio_referenced_arg, {...',
		'two initialised declarations of locals, neither reading the other: no other thread can see a local'),
	swap('folio_referenced', 'swap if (!pra.mapcount) return 0 with if (!folio_raw_mapping(folio)) return 0',
		'two guards that only read (a local; folio->mapping, which the locked or referenced folio keeps) and return ' +
			'the same 0: the function goes on only when both pass, in either order'),
	swap('folio_referenced', 'swap vm_flags.deref = pra.vm_flags with if (we_locked) folio_unlock(folio)',
		'*vm_flags is the caller\'s variable (reclaim\'s stack), which no other thread reads, and folio_unlock() ' +
			'neither reads it nor pra: the store lands before or after the unlock alike'),
	/*
	 * try_to_unmap_one()'s MADV_FREE check: "Synchronize with
	 * gup_pte_range(): clear PTE; barrier; read refcount" and "Order reads
	 * for page refcount and dirty flag".  The model is x86-64's.
	 */
	{
		operator: 'drop-error-cleanup', function: 'try_to_unmap_one', description: 'drop smp_mb()',
		reason: 'on x86-64 the PTE was cleared by ptep_get_and_clear(), an xchg (a locked instruction: a full barrier), and ' +
			'GUP-fast pins with a locked add before it reads the PTE again, so the store-load order smp_mb() asks for is ' +
			'already there; the checker runs these accesses sequentially consistent, as x86 gives them here (on an ' +
			'architecture whose PTE clear is no barrier the mutant is a real bug the model cannot show)',
	},
	{
		operator: 'drop-error-cleanup', function: 'try_to_unmap_one', description: 'drop smp_rmb()',
		reason: 'x86-64 (TSO) does not reorder a load with an earlier load, so smp_rmb() is only a compiler barrier there, ' +
			'and the model\'s refcount, mapcount and dirty-flag reads are plain loads in program order',
	},
];

export function isEquivalent(m: { operator: string; function: string; description: string }): equivalent_mutant | undefined {
	return equivalent.find((e) => e.operator === m.operator && e.function === m.function && e.description === m.description);
}

/*
 * The model's intended departures from the base tree, one patch each, in
 * series order: the subject, the commit message body (what changed and
 * why) and what the change touches.  A change may touch several files and
 * several top-level items of each (functions, structs, file-scope
 * variables, macros), changed, added or removed, so a new helper and its
 * caller are one patch that builds.  Everything the model changes must be
 * touched by exactly one change, and every item a change names must
 * differ: a model edit without an entry here fails the series (no patch
 * without a reason), and so does an entry the model does not carry out.
 */
export interface Change {
	subject: string;
	body: string;
	/**
	 * file -> the names of the top-level items the change adds, alters or
	 * removes there, as ts-src/csource/functions.ts's findItems() names
	 * them: a function's name (its prototypes and #ifdef variants too),
	 * `struct NAME` for a struct/union/enum definition, a file-scope
	 * variable's name, a macro's name, or a macro invocation such as
	 * `EXPORT_SYMBOL(foo)`.
	 */
	touches: { [file: string]: string[] };
}

/*
 * What the series as a whole is for: the cover letter's subject and the
 * paragraph that states the rule its patches check.  It sits here, beside
 * the changes, so that a new change and the letter's account of it are
 * edited together.
 */
export const SERIES = {
	subject: 'mm: check the rmap and KSM lock discipline',
	rationale: `The model requires the root anon_vma rwsem for every update of an
anon_vma's interval tree and of a published anon_vma's counters, and
ksm_thread_mutex (or memory offlining, which keeps ksmd out) for every
update of the KSM stable tree.  These patches make the kernel check
that discipline under PROVE_LOCKING.`,
};

export const CHANGES: Change[] = [
	{
		subject: 'mm/rmap: assert the root anon_vma lock in anon_vma_clone()',
		body: `anon_vma_clone() allocates all the new anon_vma_chains first and then
takes a single lock, anon_vma_lock_write(src->anon_vma), for inserting
each of them into the interval tree of its anon_vma.  That one lock
covers every insertion only because all the anon_vmas on src's chain
share src->anon_vma's root, as the comment above the loop notes.
Nothing checks it: an anon_vma with another root would have its tree
modified under a lock that does not serialise it.

Assert with lockdep_assert_held_write() that anon_vma->root->rwsem is
held before each insertion, so that PROVE_LOCKING kernels catch a chain
whose anon_vmas do not share the locked root.  No functional change
intended.`,
		touches: { 'mm/rmap.c': ['anon_vma_clone'] },
	},
	{
		subject: 'mm/rmap: assert the root anon_vma lock before counting a child',
		body: `anon_vma_fork() increments anon_vma->parent->num_children while holding
anon_vma_lock_write(anon_vma), which is the lock of the new anon_vma's
root.  That serialises the parent's counter against unlink_anon_vmas()
only because parent and child share the root, which the assignments
of anon_vma->root and anon_vma->parent a few lines above establish.

Assert that the parent's root rwsem is held for write before the
increment, so that PROVE_LOCKING kernels catch a parent whose root
differs instead of letting num_children race.  No functional change
intended.`,
		touches: { 'mm/rmap.c': ['anon_vma_fork'] },
	},
	{
		subject: 'mm/rmap: assert the root anon_vma lock in unlink_anon_vmas()',
		body: `unlink_anon_vmas() takes anon_vma_lock_write(active_anon_vma) once and
then, for every anon_vma_chain of the VMA, removes it from its
anon_vma's interval tree and may decrement anon_vma->parent's
num_children.  It relies on every anon_vma on the VMA's chain sharing
the root of the VMA's active anon_vma.

Assert that anon_vma->root->rwsem is held for write before each
removal, so that PROVE_LOCKING kernels check that assumption on every
unlink.  No functional change intended.`,
		touches: { 'mm/rmap.c': ['unlink_anon_vmas'] },
	},
	{
		subject: 'mm/ksm: assert ksm_thread_mutex where the stable tree changes',
		body: `The stable tree, its stable_node chains and the counters that go with
them are changed by ksmd, which holds ksm_thread_mutex across
ksm_do_scan(), and by the sysfs writers that unmerge or remove stable
nodes, which take the mutex too.  Memory hotremove is the one exception:
ksm_memory_callback() sets KSM_RUN_OFFLINE under the mutex, which keeps
ksmd and those writers out, and ksm_check_stable_tree() then prunes the
tree without holding it.  Nothing checks that rule, although every
caller of stable_node_chain_add_dup(), __stable_node_dup_del() and
free_stable_node() depends on it.

Add ksm_assert_stable_tree_locked(), a lockdep_assert() of the rule, and
call it where a dup joins or leaves its chain and where a stable node is
freed, so that PROVE_LOCKING kernels catch an update of the tree from
outside that serialisation.  No functional change intended.`,
		touches: { 'mm/ksm.c': ['ksm_assert_stable_tree_locked', 'stable_node_chain_add_dup', '__stable_node_dup_del', 'free_stable_node'] },
	},
];

/** Every item the series touches, as "file:name". */
export function touched(changes: Change[] = CHANGES): Set<string> {
	return new Set(changes.flatMap((c) => Object.entries(c.touches).flatMap(([file, names]) => names.map((n) => `${file}:${n}`))));
}

/*
 * The model's intended departures from the base tree, one patch each: the
 * function it changes, the subject and the commit message body (what
 * changed and why).  Fidelity reports these functions as "differs";
 * everything else must stay token-identical to mainline.  A model edit
 * without an entry here fails the series (no patch without a reason).
 */
export interface Change {
	file: string;
	fn: string;
	subject: string;
	body: string;
}

export const CHANGES: Change[] = [
	{
		file: 'mm/rmap.c',
		fn: 'anon_vma_clone',
		subject: 'mm/rmap: assert the root anon_vma lock in anon_vma_clone()',
		body: `anon_vma_clone() inserts the new anon_vma_chain into each source
anon_vma's interval tree under the root lock that lock_anon_vma_root()
keeps across the walk of the source chain, relying on every anon_vma of
the chain sharing one root.  Nothing checks that the lock held is the one
that serialises this anon_vma's tree.

Assert it with lockdep_assert_held_write() on anon_vma->root->rwsem
before the insert, so that PROVE_LOCKING catches a chain whose anon_vmas
do not share the locked root.  The ktsc model of mm/rmap.c requires this
discipline for every interval tree update; no functional change.`,
	},
	{
		file: 'mm/rmap.c',
		fn: 'anon_vma_fork',
		subject: 'mm/rmap: assert the root anon_vma lock before counting a child',
		body: `anon_vma_fork() increments anon_vma->parent->num_children while
holding the new anon_vma's lock, which is the lock of its root.  That
protects the parent's counter only because parent and child share the
root, which the assignments a few lines above establish.

Assert that the parent's root rwsem is held for write before the
increment, so that PROVE_LOCKING catches a parent/root mismatch instead
of letting num_children race with unlink_anon_vmas().  No functional
change.`,
	},
	{
		file: 'mm/rmap.c',
		fn: 'unlink_anon_vmas',
		subject: 'mm/rmap: assert the root anon_vma lock in unlink_anon_vmas()',
		body: `unlink_anon_vmas() removes each anon_vma_chain from its anon_vma's
interval tree and decrements the parent's num_children under the root
lock taken by lock_anon_vma_root() for the chain, assuming every
anon_vma on the VMA's chain has the same root.

Assert that anon_vma->root->rwsem is held for write before the removal,
so that PROVE_LOCKING checks the assumption on every unlink.  No
functional change.`,
	},
];

export const CHANGED_FUNCTIONS = new Set(CHANGES.map((c) => c.fn));

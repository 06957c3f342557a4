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

export const equivalent: equivalent_mutant[] = [
	{
		operator: 'publish-before-init', function: 'anon_vma_fork',
		description: 'move vma.anon_vma = anon_vma above anon_vma.num_active_vmas = 1',
		reason: 'mm/rmap.c has no barrier between these stores (get_anon_vma() is an atomic_inc(), which orders nothing), ' +
			'so the compiler and the CPU may already make them in this order: the child\'s vma->anon_vma is not read ' +
			'concurrently (its mm is not visible yet; rmap walks reach the VMA through the parent\'s trees and do not read it)',
	},
];

export function isEquivalent(m: { operator: string; function: string; description: string }): equivalent_mutant | undefined {
	return equivalent.find((e) => e.operator === m.operator && e.function === m.function && e.description === m.description);
}

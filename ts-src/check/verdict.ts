/*
 * What a check run can conclude (the checker's vocabulary and the JSON's):
 * "warning" is a WARN or VM_WARN that fired (a finding, as in a DEBUG_VM
 * kernel); "data-race" a store to a field outside the lock the prelude's
 * lockset table names for it; "leak" a slab object still allocated when
 * nothing reaches it; "lost-write" a process whose page does not hold what
 * it wrote last (or inherited); "no-effect" an operation that, run alone on
 * its scenario's setup, did not do its job (check/alone.ts); "bug" covers a BUG_ON, a broken anon_vma forest or a
 * harness failure that is none of them, so it is never silently called
 * clean.
 */
export type finding = 'deadlock' | 'use-after-free' | 'lost-mapping' | 'lost-write' | 'sleep-in-atomic' | 'warning' | 'data-race' | 'leak' |
	'no-effect' | 'clean' | 'bug';

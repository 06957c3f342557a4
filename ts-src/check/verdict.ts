/*
 * What a check run can conclude.  The first six are the checker's
 * vocabulary (and the JSON's): "warning" is a WARN or VM_WARN that fired
 * (a finding, as in a DEBUG_VM kernel); "bug" covers a BUG_ON or a harness
 * failure that is none of them, so it is never silently called clean.
 */
export type finding = 'deadlock' | 'use-after-free' | 'lost-mapping' | 'sleep-in-atomic' | 'warning' | 'clean' | 'bug';

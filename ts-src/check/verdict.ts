/*
 * What a check run can conclude.  The first five are the checker's
 * vocabulary (and the JSON's); "bug" covers a BUG_ON/WARN or a harness
 * failure that is none of them, so it is never silently called clean.
 */
export type finding = 'deadlock' | 'use-after-free' | 'lost-mapping' | 'sleep-in-atomic' | 'clean' | 'bug';

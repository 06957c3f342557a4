/*
 * include/linux/jiffies.h: the tick counter.  The model's clock stands
 * still unless a scenario advances it (jiffies_advance()), so time-based
 * decisions (stable_node_dup()'s chain pruning) are reproducible.
 */
import type { ulong, uint, bool } from './ctypes';

export const HZ = 250;

/** The tick count; read as a variable, as in C. */
export let jiffies: ulong = 0;

/** @model Scenarios move the clock forward. */
export function jiffies_advance(ticks: ulong): void {
	jiffies += ticks;
}

/* time_before(a, b): a is earlier than b, across wrap-around ((long)((a) - (b)) < 0). */
export function time_before(a: ulong, b: ulong): bool {
	return a - b < 0;
}

export function msecs_to_jiffies(m: uint): ulong {
	return Math.ceil(m * HZ / 1000);
}

/*
 * include/linux/jiffies.h: the tick counter.  The model's clock stands
 * still unless a scenario advances it (jiffies_advance()), so time-based
 * decisions (stable_node_dup()'s chain pruning) are reproducible.
 */
import type { ptr, ulong, uint, bool, s64, u64, int } from './ctypes';
import type { task_struct } from './sched';
import { not_modelled } from './bug';

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

/*
 * include/linux/ktime.h, math64.h, time64.h and sched/cputime.h: wall and
 * CPU clocks, which only ksm.c's scan-time advisor reads.  The model has
 * no clock but jiffies: a run that reaches them stops with "not modelled".
 */
/** @c ktime_t */
export type ktime_t = s64;
export const MSEC_PER_SEC: int = 1000;

export function ktime_get(): ktime_t {
	return not_modelled('ktime_get');
}

export function ktime_ms_delta(later: ktime_t, earlier: ktime_t): s64 {
	return Math.trunc((later - earlier) / 1000000);
}

export function div_s64(dividend: s64, divisor: int): s64 {
	return Math.trunc(dividend / divisor);
}

export function task_sched_runtime(_p: ptr<task_struct>): u64 {
	return not_modelled('task_sched_runtime');
}

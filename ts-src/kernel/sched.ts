/*
 * The execution context the prelude runs in: which thread is current, what
 * it holds, and the two places where a concurrent run may switch threads.
 *
 * Run directly (tests, the execution scenario) there is one thread:
 * sched_point() does nothing and sched_wait() on a condition that is false
 * can never be satisfied, so it is reported as a deadlock.  The checker
 * (ts-src/check/) runs the same code with several threads: it rewrites every
 * sched_point()/sched_wait() call into a yield to its scheduler.  Those two
 * functions are the whole contract between the prelude and the checker;
 * nothing else in the prelude may block or switch.
 */

/** What the kernel would print: a splat, not a JavaScript bug. */
export type bug_kind =
	| 'deadlock'
	| 'use-after-free'
	| 'sleep-in-atomic'
	| 'lost-mapping'
	| 'lost-write'
	| 'bug'
	| 'warning'
	| 'data-race'
	| 'leak'
	| 'enomem';

export class KernelBug extends Error {
	constructor(public kind: bug_kind, message: string) {
		super(`${kind}: ${message}`);
	}
}

/** A lock a thread holds, in acquisition order (lockdep's held_locks). */
export interface held_lock {
	lock: object;
	cls: string;
	mode: 'r' | 'w';
}

export class task_struct {
	/** spinlocks held and explicit preempt_disable(): no sleeping. */
	preempt_count = 0;
	/** rcu_read_lock() nesting: no sleeping either. */
	rcu_read_lock_nesting = 0;
	held: held_lock[] = [];
	/** mmu_notifier_invalidate_range_start()s not yet ended: a secondary MMU (KVM) holds off its faults until each ends. */
	mmu_invalidations = 0;
	constructor(public comm: string) {}
}

export const sched = {
	current: new task_struct('init'),
	/** Warnings (WARN_ON and friends) seen so far; they do not stop a run. */
	warnings: [] as string[],
	/** When set, called on every warning; the checker turns them into failures. */
	onWarn: null as ((msg: string) => void) | null,
	/** Allocation failure injection: asked before every allocation. */
	failAlloc: (_what: string, _gfp: number): boolean => false,
	/**
	 * Which of n values a load returns (memory_order.ts): 0 the newest,
	 * k the k-th older one.  Run directly, always the newest.
	 */
	chooseValue: (_n: number, _what: string): number => 0,
};

/** The task running now. */
export function current(): task_struct {
	return sched.current;
}

/**
 * A point where another thread may run.  what names the operation for the
 * trace; obj is the shared object touched (a lock, an atomic, a field's owner).
 */
export function sched_point(_what: string, _obj?: object): void {
	/* single-threaded: nothing else can run */
}

/**
 * Block until ready() holds.  A single thread that would block forever is
 * a deadlock: nobody else can release what it waits for.
 */
export function sched_wait(what: string, ready: () => boolean): void {
	if (!ready())
		throw new KernelBug('deadlock', `${sched.current.comm} blocks forever in ${what}`);
}

/** Raise a splat. */
export function kernel_bug(kind: bug_kind, message: string): never {
	throw new KernelBug(kind, message);
}

/** A WARN: recorded, and fatal only when the checker asks for it. */
export function kernel_warn(message: string): void {
	sched.warnings.push(message);
	if (sched.onWarn)
		sched.onWarn(message);
}

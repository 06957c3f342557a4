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

import type { ptr, bool } from './ctypes';
import type { mm_struct } from './mm_types';

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

/*
 * include/linux/mm_types_task.h: reclaim's batch of deferred TLB flushes
 * (try_to_unmap() with TTU_BATCH_FLUSH).  The model's reclaim does not
 * batch (should_defer_flush() is not modelled), so nothing fills it.
 */
/** @c struct arch_tlbflush_unmap_batch */
export class arch_tlbflush_unmap_batch {
	declare private readonly __struct_arch_tlbflush_unmap_batch: void;
}

/** @c struct tlbflush_unmap_batch */
export class tlbflush_unmap_batch {
	declare private readonly __struct_tlbflush_unmap_batch: void;
	arch = new arch_tlbflush_unmap_batch();
	flush_required: bool = false;
	writable: bool = false;
}

/** @c struct task_struct */
export class task_struct {
	declare private readonly __struct_task_struct: void;
	/** @model spinlocks held and explicit preempt_disable(): no sleeping. */
	preempt_count = 0;
	/** @model rcu_read_lock() nesting: no sleeping either. */
	rcu_read_lock_nesting = 0;
	/** @model */
	held: held_lock[] = [];
	/** @model mmu_notifier_invalidate_range_start()s not yet ended: a secondary MMU (KVM) holds off its faults until each ends. */
	mmu_invalidations = 0;
	tlb_ubc = new tlbflush_unmap_batch();
	/** The task's mm; NULL for a kernel thread. */
	mm: ptr<mm_struct> = null as never;
	constructor(public comm: string) {}
}

let running = new task_struct('init');

/**
 * @c current
 * The task running now, as the kernel's `current` (get_current()): the
 * model reads current->tlb_ubc and passes current as a task pointer.
 * A live binding: setting sched.current switches it.
 */
export let current: ptr<task_struct> = running as ptr<task_struct>;

export const sched = {
	/** The running thread's task: the checker's scheduler sets it on every switch. */
	get current(): task_struct {
		return running;
	},
	set current(t: task_struct) {
		running = t;
		current = t as ptr<task_struct>;
	},
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

/* include/asm-generic/current.h */
export function get_current(): ptr<task_struct> {
	return running as ptr<task_struct>;
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

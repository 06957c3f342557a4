/*
 * include/linux/wait.h: wait queues.  A sleeper in the model waits with
 * sched_wait() on its own condition, which the scheduler re-tests whenever
 * it picks a thread; so a wake-up changes no state, it is the scheduling
 * point at which the waker lets a sleeper run.
 */
import type { ptr } from './ctypes';
import { sched_point } from './sched';

/** @c wait_queue_head_t */
export class wait_queue_head_t {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_wait_queue_head: void;
}

export function wake_up_interruptible(wq: ptr<wait_queue_head_t>): void {
	sched_point('wake_up_interruptible', wq);
}

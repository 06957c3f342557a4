/*
 * include/linux/wait.h: wait queues.  A sleeper in the model waits with
 * sched_wait() on its own condition, which the scheduler re-tests whenever
 * it picks a thread; so a wake-up changes no state, it is the scheduling
 * point at which the waker lets a sleeper run.
 */
import type { cond, int, long, ptr } from './ctypes';
import { sched_point, sched_wait } from './sched';

/** @c wait_queue_head_t */
export class wait_queue_head_t {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_wait_queue_head: void;
}

export function wake_up_interruptible(wq: ptr<wait_queue_head_t>): void {
	sched_point('wake_up_interruptible', wq);
}

/*
 * wait_event_freezable(wq, condition): sleep until condition holds; 0, or
 * -ERESTARTSYS when a signal comes first (none does in the model).  The
 * model's sleeper waits on the condition itself, re-tested whenever the
 * scheduler picks it, as the kernel re-tests it after each wake-up.
 */
export function wait_event_freezable(_wq: wait_queue_head_t, condition: cond): int {
	sched_wait('wait_event_freezable', () => !!condition());
	return 0;
}

/*
 * wait_event_freezable_timeout(wq, condition, timeout): the jiffies left
 * (at least 1) when condition came true, 0 when the timeout ran out.  The
 * model's clock stands still (jiffies.ts), so a sleep is a scheduling
 * point after which the condition is tested once: true, the wait ended
 * by a wake-up; false, by its timeout.
 */
export function wait_event_freezable_timeout(_wq: wait_queue_head_t, condition: cond, timeout: long): long {
	if (condition())
		return timeout || 1;
	sched_point('wait_event_freezable_timeout', _wq);
	return condition() ? timeout || 1 : 0;
}

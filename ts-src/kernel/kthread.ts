/*
 * include/linux/kthread.h, freezer.h and sched.h: what ksmd's thread
 * function (ksm_scan_thread()) and ksm_init() call.  The checker's
 * threads are the harness's, so creating one (kthread_run()) is not
 * modelled, nor is stopping one.
 */
import type { ptr, bool, int, long } from './ctypes';
import type { task_struct } from './sched';
import { not_modelled } from './bug';

/* kthread_should_stop(): kthread_stop() has asked the current kthread to stop; nothing does in the model (kthread_stop() is not modelled). */
export function kthread_should_stop(): bool {
	return false;
}

/* kthread_run(fn, data, name): creates and wakes a kernel thread; the checker's threads are made by its harness. */
export function kthread_run(_fn: (data: ptr<void>) => int, _data: ptr<void>, _name: string): ptr<task_struct> {
	return not_modelled('kthread_run');
}

/* kthread_stop(k): sets k's should-stop and waits for its exit, which the model does not track. */
export function kthread_stop(_k: ptr<task_struct>): int {
	return not_modelled('kthread_stop');
}

/* set_freezable(): the model never freezes tasks (freezing() is false), so there is nothing to opt into. */
export function set_freezable(): void {
}

/* set_user_nice(p, nice): the checker explores every interleaving, whatever the priorities. */
export function set_user_nice(_p: ptr<task_struct>, _nice: long): void {
}

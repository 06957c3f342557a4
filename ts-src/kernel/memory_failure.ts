/*
 * mm/memory-failure.c and include/linux/sched/signal.h: what
 * collect_procs_ksm() calls to find the processes mapping a poisoned KSM
 * page.  The model has neither a process list nor hardware memory errors,
 * so a run that reaches them stops with "not modelled".
 */
import type { ptr, int, ulong, const_ } from './ctypes';
import type { task_struct } from './sched';
import type { page, vm_area_struct } from './mm_types';
import type { list_head } from './list';
import { not_modelled } from './bug';

/* for_each_process(p): every thread group leader, under rcu_read_lock() or tasklist_lock. */
export function* for_each_process(): Iterable<ptr<task_struct>> {
	yield not_modelled('for_each_process');
}

/* task_early_kill(tsk, force_early): the task to signal early (tsk or one of its threads), or NULL. */
export function task_early_kill(_tsk: ptr<task_struct>, _force_early: int): ptr<task_struct> {
	return not_modelled('task_early_kill');
}

/* add_to_kill_ksm(tsk, p, vma, to_kill, addr): queue tsk to be signalled for the poisoned page p mapped at addr. */
export function add_to_kill_ksm(_tsk: ptr<task_struct>, _p: ptr<const_<page>>, _vma: ptr<vm_area_struct>,
				_to_kill: ptr<list_head>, _addr: ulong): void {
	not_modelled('add_to_kill_ksm');
}

/*
 * include/linux/mmu_notifier.h: the invalidation an rmap_one brackets its
 * PTE changes with.  The model's mm has one secondary MMU (KVM, say)
 * whose invalidate_range_start sleeps, as the kernel's may: might_sleep()
 * is what a caller under a spinlock trips over (the spinlock-anon-vma
 * design).  The cost table (check/cost.ts) runs without it, to count
 * walks under designs that would trip it.
 */
import type { ptr, ulong, uint } from './ctypes';
import { NULL } from './ctypes';
import { not_modelled } from './bug';
import { might_sleep } from './locking';
import { sched, sched_point, kernel_bug } from './sched';
import type { mm_struct } from './mm_types';
import { mm_touch } from './mm_types';

/** @c enum mmu_notifier_event */
export enum mmu_notifier_event {
	MMU_NOTIFY_UNMAP = 0,
	MMU_NOTIFY_CLEAR,
	MMU_NOTIFY_PROTECTION_VMA,
	MMU_NOTIFY_PROTECTION_PAGE,
	MMU_NOTIFY_SOFT_DIRTY,
	MMU_NOTIFY_RELEASE,
	MMU_NOTIFY_MIGRATE,
	MMU_NOTIFY_EXCLUSIVE,
}
export const MMU_NOTIFY_CLEAR = mmu_notifier_event.MMU_NOTIFY_CLEAR;
export const MMU_NOTIFY_PROTECTION_PAGE = mmu_notifier_event.MMU_NOTIFY_PROTECTION_PAGE;
export const MMU_NOTIFY_EXCLUSIVE = mmu_notifier_event.MMU_NOTIFY_EXCLUSIVE;

/** @c struct mmu_notifier_range */
export class mmu_notifier_range {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_mmu_notifier_range: void;
	mm: ptr<mm_struct> = NULL;
	start: ulong = 0;
	end: ulong = 0;
	flags: uint = 0;
	event: mmu_notifier_event = mmu_notifier_event.MMU_NOTIFY_UNMAP;
}

/** @model Whether the secondary MMU's invalidate_range_start sleeps (off only for the cost table). */
export const mmu_notifier_model = { sleeps: true };

export function mmu_notifier_range_init(range: ptr<mmu_notifier_range>,
		event: mmu_notifier_event, flags: uint, mm: ptr<mm_struct>,
		start: ulong, end: ulong): void {
	range.event = event;
	range.mm = mm;
	range.start = start;
	range.end = end;
	range.flags = flags;
}

/* The range a driver started itself (owner): make_device_exclusive(); the model has no device. */
export function mmu_notifier_range_init_owner(_range: ptr<mmu_notifier_range>,
		_event: mmu_notifier_event, _flags: uint, _mm: ptr<mm_struct>,
		_start: ulong, _end: ulong, _owner: ptr<void>): void {
	return not_modelled('mmu_notifier_range_init_owner');
}

/* Synchronous invalidation of the secondary MMU: waits for its IPIs. */
export function mmu_notifier_invalidate_range_start(range: ptr<mmu_notifier_range>): void {
	if (mmu_notifier_model.sleeps)
		might_sleep();
	sched_point('mmu_notifier_invalidate_range_start', range.mm);
	/* mm_has_notifiers(range->mm): a range not yet mmu_notifier_range_init()ed has no mm. */
	mm_touch(range.mm, 'mmu_notifier_invalidate_range_start()');
	sched.current.mmu_invalidations++;
}

/*
 * Each start has its end, in the same thread: KVM's invalidate_range_start
 * raises mmu_invalidate_in_progress and only the end drops it, so a start
 * never ended leaves the guest's faults on that mm retrying forever (the
 * checker reports a thread that returns with one open), and an end without
 * a start drops another invalidation's count.
 */
export function mmu_notifier_invalidate_range_end(range: ptr<mmu_notifier_range>): void {
	sched_point('mmu_notifier_invalidate_range_end', range.mm);
	mm_touch(range.mm, 'mmu_notifier_invalidate_range_end()');
	if (sched.current.mmu_invalidations === 0)
		kernel_bug('bug', `${sched.current.comm}: mmu_notifier_invalidate_range_end() without its invalidate_range_start()`);
	sched.current.mmu_invalidations--;
}

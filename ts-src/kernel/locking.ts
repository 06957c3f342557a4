/*
 * Locks, RCU and the atomic-context rules: include/linux/spinlock.h,
 * rwsem.h, mutex.h, rcupdate.h, kernel/sched/core.c's might_sleep(), and a
 * small lockdep.
 *
 * Every acquisition is a sched_point() (another thread may get there first)
 * and every blocking acquisition a sched_wait().  Lockdep keeps the order in
 * which lock classes have been taken, across threads and runs of one
 * checker exploration, and reports the cycle an acquisition would close.
 */
import { sched, sched_point, sched_wait, kernel_bug, held_lock } from './sched';
import type { ptr, int, bool } from './ctypes';
import { lock_taken_for } from './lockset';
import { mo_sync } from './memory_order';

/*
 * Lock classes: lockdep's "&anon_vma->rwsem".  A lock's class is set when
 * it is initialised; locks of one class share an order.
 */
export const lockdep = {
	/** after[a] = classes taken while a class-a lock was held. */
	after: new Map<string, Set<string>>(),
	reset(): void {
		this.after.clear();
	},
};

function lockdep_path(from: string, to: string, seen = new Set<string>()): string[] | null {
	if (from === to)
		return [from];
	seen.add(from);
	for (const n of lockdep.after.get(from) ?? []) {
		if (seen.has(n))
			continue;
		const p = lockdep_path(n, to, seen);
		if (p)
			return [from, ...p];
	}
	return null;
}

/** Record "cls taken after every held class"; report a cycle. */
function lockdep_acquire(lock: object, cls: string, mode: 'r' | 'w', subclass: number): void {
	const t = sched.current;
	for (const h of t.held) {
		if (h.lock === lock && mode === 'w')
			kernel_bug('deadlock', `recursive locking of ${cls} by ${t.comm}`);
		if (h.cls === cls && subclass === 0)
			kernel_bug('deadlock', `possible recursive locking of ${cls} by ${t.comm} (nested without subclass)`);
		const cycle = lockdep_path(cls, h.cls);
		if (cycle && h.cls !== cls)
			kernel_bug('deadlock',
				`possible circular locking: ${t.comm} takes ${cls} while holding ${h.cls}; ` +
				`existing order ${cycle.join(' -> ')}`);
		let s = lockdep.after.get(h.cls);
		if (!s)
			lockdep.after.set(h.cls, (s = new Set()));
		if (h.cls !== cls)
			s.add(cls);
	}
	t.held.push({ lock, cls, mode });
}

function lockdep_release(lock: object): void {
	const t = sched.current;
	const i = t.held.map((h) => h.lock).lastIndexOf(lock);
	if (i < 0)
		kernel_bug('bug', `${t.comm} releases a lock it does not hold`);
	t.held.splice(i, 1);
	mo_sync();
}

function held_by_current(lock: object, mode?: 'r' | 'w'): held_lock | undefined {
	return sched.current.held.find((h) => h.lock === lock && (!mode || h.mode === mode));
}

/** might_sleep(): sleeping in atomic context is a bug. */
export function might_sleep(): void {
	const t = sched.current;
	if (t.preempt_count > 0)
		kernel_bug('sleep-in-atomic', `${t.comm} may sleep while holding a spinlock (preempt_count ${t.preempt_count})`);
	if (t.rcu_read_lock_nesting > 0)
		kernel_bug('sleep-in-atomic', `${t.comm} may sleep inside an RCU read-side critical section`);
}

/** cond_resched(): a voluntary sleep point. */
export function cond_resched(): void {
	might_sleep();
	sched_point('cond_resched');
}

/** @c spinlock_t */
export class spinlock_t {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_spinlock_t: void;
	/** @model */
	owner: object | null = null;
	constructor(/** @model */ public cls = 'spinlock') {}
}

export function spin_lock_init(lock: ptr<spinlock_t>): void {
	lock.owner = null;
}

export function spin_lock(lock: ptr<spinlock_t>): void {
	sched_point('spin_lock', lock);
	lockdep_acquire(lock, lock.cls, 'w', 0);
	sched.current.preempt_count++;
	sched_wait(`spin_lock(${lock.cls})`, () => lock.owner === null);
	lock.owner = sched.current;
	mo_sync();
}

export function spin_unlock(lock: ptr<spinlock_t>): void {
	if (lock.owner !== sched.current)
		kernel_bug('bug', `spin_unlock of ${lock.cls} not held by ${sched.current.comm}`);
	lock.owner = null;
	lockdep_release(lock);
	sched.current.preempt_count--;
	sched_point('spin_unlock', lock);
}

/** @c struct rw_semaphore */
export class rw_semaphore {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_rw_semaphore: void;
	/** @model */
	writer: object | null = null;
	/** @model */
	readers: object[] = [];
	constructor(/** @model */ public cls = 'rwsem') {}
}

export function init_rwsem(sem: ptr<rw_semaphore>): void {
	sem.writer = null;
	sem.readers = [];
}

export function down_write(sem: ptr<rw_semaphore>): void {
	down_write_nested(sem, 0);
}

/** down_write_nested(): lockdep's annotation for a second lock of one class. */
export function down_write_nested(sem: ptr<rw_semaphore>, subclass: int): void {
	might_sleep();
	sched_point('down_write', sem);
	lockdep_acquire(sem, sem.cls, 'w', subclass);
	sched_wait(`down_write(${sem.cls})`, () => sem.writer === null && sem.readers.length === 0);
	sem.writer = sched.current;
	mo_sync();
}

export function down_write_trylock(sem: ptr<rw_semaphore>): int {
	sched_point('down_write_trylock', sem);
	if (sem.writer !== null || sem.readers.length > 0)
		return 0;
	lockdep_acquire(sem, sem.cls, 'w', 1);
	sem.writer = sched.current;
	mo_sync();
	return 1;
}

export function up_write(sem: ptr<rw_semaphore>): void {
	if (sem.writer !== sched.current)
		kernel_bug('bug', `up_write of ${sem.cls} not held for write by ${sched.current.comm}`);
	sem.writer = null;
	lockdep_release(sem);
	sched_point('up_write', sem);
}

export function down_read(sem: ptr<rw_semaphore>): void {
	might_sleep();
	sched_point('down_read', sem);
	lockdep_acquire(sem, sem.cls, 'r', 0);
	sched_wait(`down_read(${sem.cls})`, () => sem.writer === null);
	sem.readers.push(sched.current);
	mo_sync();
}

/** down_read_nested(): lockdep's annotation for a second lock of one class. */
export function down_read_nested(sem: ptr<rw_semaphore>, subclass: int): void {
	might_sleep();
	sched_point('down_read', sem);
	lockdep_acquire(sem, sem.cls, 'r', subclass);
	sched_wait(`down_read(${sem.cls})`, () => sem.writer === null);
	sem.readers.push(sched.current);
	mo_sync();
}

export function down_read_trylock(sem: ptr<rw_semaphore>): int {
	sched_point('down_read_trylock', sem);
	if (sem.writer !== null)
		return 0;
	lockdep_acquire(sem, sem.cls, 'r', 1);
	sem.readers.push(sched.current);
	mo_sync();
	return 1;
}

export function up_read(sem: ptr<rw_semaphore>): void {
	const i = sem.readers.indexOf(sched.current);
	if (i < 0)
		kernel_bug('bug', `up_read of ${sem.cls} not held for read by ${sched.current.comm}`);
	sem.readers.splice(i, 1);
	lockdep_release(sem);
	sched_point('up_read', sem);
}

export function rwsem_is_locked(sem: ptr<rw_semaphore>): int {
	sched_point('rwsem_is_locked', sem);
	return sem.writer !== null || sem.readers.length > 0 ? 1 : 0;
}

/** lockdep_is_held(): does the current thread hold lock (either mode)? */
export function lockdep_is_held(lock: object): boolean {
	return !!held_by_current(lock_taken_for(lock));
}

/** lockdep_is_held_type(lock, 0): held for write; (lock, 1): held for read. */
export function lockdep_is_held_type(lock: object, read: int): boolean {
	return !!held_by_current(lock_taken_for(lock), read ? 'r' : 'w');
}

export function lockdep_assert_held_write(sem: ptr<rw_semaphore>): void {
	if (!held_by_current(sem, 'w'))
		kernel_bug('bug', `lockdep_assert_held_write: ${sched.current.comm} does not hold ${sem.cls} for write`);
}

export function lockdep_assert_held(lock: object & { cls: string }): void {
	if (!held_by_current(lock))
		kernel_bug('bug', `lockdep_assert_held: ${sched.current.comm} does not hold ${lock.cls}`);
}

/**
 * lockdep_assert(cond): a lock rule lockdep_assert_held() cannot say, e.g.
 * "this lock, or that state" (WARN_ON under PROVE_LOCKING, nothing else).
 */
export function lockdep_assert(cond: bool | int): void {
	if (!cond)
		kernel_bug('bug', `lockdep_assert: the condition is false in ${sched.current.comm}`);
}

/** @c struct mutex */
export class mutex {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_mutex: void;
	/** @model */
	owner: object | null = null;
	constructor(/** @model */ public cls = 'mutex') {}
}

export function mutex_lock(m: ptr<mutex>): void {
	might_sleep();
	sched_point('mutex_lock', m);
	lockdep_acquire(m, m.cls, 'w', 0);
	sched_wait(`mutex_lock(${m.cls})`, () => m.owner === null);
	m.owner = sched.current;
	mo_sync();
}

export function mutex_unlock(m: ptr<mutex>): void {
	if (m.owner !== sched.current)
		kernel_bug('bug', `mutex_unlock of ${m.cls} not owned by ${sched.current.comm}`);
	m.owner = null;
	lockdep_release(m);
	sched_point('mutex_unlock', m);
}

/*
 * RCU.  A grace period waits until every thread that was inside a read-side
 * critical section when it started has left it.
 */
export const rcu = {
	/** Per thread: how many read sections it has completed; odd = inside. */
	readers: new Map<object, number>(),
};

export function rcu_read_lock(): void {
	const t = sched.current;
	if (t.rcu_read_lock_nesting++ === 0)
		rcu.readers.set(t, (rcu.readers.get(t) ?? 0) + 1);
	sched_point('rcu_read_lock');
}

export function rcu_read_unlock(): void {
	const t = sched.current;
	if (t.rcu_read_lock_nesting <= 0)
		kernel_bug('bug', `rcu_read_unlock without rcu_read_lock in ${t.comm}`);
	if (--t.rcu_read_lock_nesting === 0)
		rcu.readers.set(t, (rcu.readers.get(t) ?? 0) + 1);
	sched_point('rcu_read_unlock');
}

export function synchronize_rcu(): void {
	might_sleep();
	const snap = new Map(rcu.readers);
	sched_wait('synchronize_rcu', () => {
		for (const [t, n] of snap)
			if (n % 2 === 1 && rcu.readers.get(t) === n)
				return false;
		return true;
	});
}

/** Is the current thread inside an RCU read-side critical section? */
export function rcu_read_lock_held(): boolean {
	return sched.current.rcu_read_lock_nesting > 0;
}

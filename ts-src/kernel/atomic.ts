/*
 * include/linux/atomic.h and asm-generic/barrier.h.  Each operation is one
 * indivisible step: a sched_point() before it, none inside it.
 */
import { sched_point } from './sched';
import { mo_atomic, mo_mb, mo_rmb, mo_wmb } from './memory_order';
import type { ptr, int, long, bool, lvalue } from './ctypes';

/** @c atomic_t */
export class atomic_t {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_atomic_t: void;
	counter = 0;
}

export function atomic_set(v: ptr<atomic_t>, i: int): void {
	sched_point('atomic_set', v);
	mo_atomic(v, 'set');
	v.counter = i;
}

export function atomic_read(v: ptr<atomic_t>): int {
	sched_point('atomic_read', v);
	mo_atomic(v, 'read');
	return v.counter;
}

export function atomic_inc(v: ptr<atomic_t>): void {
	sched_point('atomic_inc', v);
	mo_atomic(v, 'rmw');
	v.counter++;
}

export function atomic_dec(v: ptr<atomic_t>): void {
	sched_point('atomic_dec', v);
	mo_atomic(v, 'rmw');
	v.counter--;
}

/* Value-returning atomics are full barriers (memory_order.ts: mo_atomic(v, 'full')). */
export function atomic_dec_and_test(v: ptr<atomic_t>): bool {
	sched_point('atomic_dec_and_test', v);
	mo_atomic(v, 'full');
	return --v.counter === 0;
}

export function atomic_inc_not_zero(v: ptr<atomic_t>): bool {
	sched_point('atomic_inc_not_zero', v);
	if (v.counter === 0) {
		/* A failed atomic_add_unless() orders nothing, but it did read v. */
		mo_atomic(v, 'read');
		return false;
	}
	mo_atomic(v, 'full');
	v.counter++;
	return true;
}

/* A full barrier when it swaps; a failed cmpxchg only reads v.  Returns the old value. */
export function atomic_cmpxchg(v: ptr<atomic_t>, old: int, new_: int): int {
	sched_point('atomic_cmpxchg', v);
	const was = v.counter;
	mo_atomic(v, was === old ? 'full' : 'read');
	if (was === old)
		v.counter = new_;
	return was;
}

/* *old the value seen; true, and v set to new, when it was *old (a full barrier then). */
export function atomic_try_cmpxchg(v: ptr<atomic_t>, old: lvalue<int>, new_: int): bool {
	const was = atomic_cmpxchg(v, old.deref, new_);
	if (was === old.deref)
		return true;
	old.deref = was;
	return false;
}

/** @c atomic_long_t */
export class atomic_long_t {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_atomic_long_t: void;
	counter = 0;
}

export function atomic_long_read(v: ptr<atomic_long_t>): long {
	sched_point('atomic_long_read', v);
	mo_atomic(v, 'read');
	return v.counter;
}

/** READ_ONCE(x): a single load another thread may race with. */
export function READ_ONCE<T>(x: T): T {
	sched_point('READ_ONCE');
	return x;
}

/**
 * WRITE_ONCE(x, v) for a scalar or pointer place: the model passes the
 * place as addr_of(obj, 'field'), the C names it (obj->field).
 * @place
 */
export function WRITE_ONCE<T>(p: lvalue<T>, v: T): void {
	sched_point('WRITE_ONCE');
	p.set(v);
}

/** smp_store_release(&x, v): publishes everything written before it. */
export function smp_store_release<T>(p: lvalue<T>, v: T): void {
	sched_point('smp_store_release');
	mo_wmb();
	p.set(v);
}

/*
 * The barriers order the fields of memory_order.ts's table (the model is
 * sequentially consistent everywhere else); they stay scheduling points,
 * where the kernel's comments put the window another CPU may see.
 */
export function smp_mb(): void {
	sched_point('smp_mb');
	mo_mb();
}

/* A compiler barrier: it orders the CPU's own accesses as written, nothing for other CPUs (the model's accesses are in program order). */
export function barrier(): void {
}

export function smp_wmb(): void {
	sched_point('smp_wmb');
	mo_wmb();
}

export function smp_rmb(): void {
	sched_point('smp_rmb');
	mo_rmb();
}

/* A spin-wait's pause: another thread must run for the wait to end. */
export function cpu_relax(): void {
	sched_point('cpu_relax');
}

/*
 * bool in C, an int 0 or 1 here: the rmap paths add them up
 * (first += atomic_inc_and_test(...)), as C converts a bool to int.
 */
export function atomic_inc_and_test(v: ptr<atomic_t>): int {
	sched_point('atomic_inc_and_test', v);
	mo_atomic(v, 'full');
	return ++v.counter === 0 ? 1 : 0;
}

/* Unordered read-modify-writes that return nothing (GUP's pin bias). */
export function atomic_add(i: int, v: ptr<atomic_t>): void {
	sched_point('atomic_add', v);
	mo_atomic(v, 'rmw');
	v.counter += i;
}

export function atomic_sub(i: int, v: ptr<atomic_t>): void {
	sched_point('atomic_sub', v);
	mo_atomic(v, 'rmw');
	v.counter -= i;
}

export function atomic_add_negative(i: int, v: ptr<atomic_t>): int {
	sched_point('atomic_add_negative', v);
	mo_atomic(v, 'full');
	v.counter += i;
	return v.counter < 0 ? 1 : 0;
}

export function atomic_add_return_relaxed(i: int, v: ptr<atomic_t>): int {
	sched_point('atomic_add_return_relaxed', v);
	mo_atomic(v, 'rmw');
	v.counter += i;
	return v.counter;
}

export function atomic_sub_return_relaxed(i: int, v: ptr<atomic_t>): int {
	sched_point('atomic_sub_return_relaxed', v);
	mo_atomic(v, 'rmw');
	v.counter -= i;
	return v.counter;
}

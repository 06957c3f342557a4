/*
 * The inline functions of include/linux/rmap.h that mm/rmap.c calls.
 * Modelled so the model runs; not emitted (rmap.h is not in the series yet).
 */
import {
	ptr, int, vm_area_struct, anon_vma,
	atomic_inc, atomic_dec_and_test, addr, likely,
	down_write, down_write_trylock, up_write, down_read, down_read_trylock, up_read,
} from '../kernel';
import { __anon_vma_prepare, __put_anon_vma } from './rmap';

export function get_anon_vma(anon_vma: ptr<anon_vma>): void {
	atomic_inc(addr(anon_vma.refcount));
}

export function put_anon_vma(anon_vma: ptr<anon_vma>): void {
	if (atomic_dec_and_test(addr(anon_vma.refcount)))
		__put_anon_vma(anon_vma);
}

export function anon_vma_lock_write(anon_vma: ptr<anon_vma>): void {
	down_write(addr(anon_vma.root.rwsem));
}

export function anon_vma_trylock_write(anon_vma: ptr<anon_vma>): int {
	return down_write_trylock(addr(anon_vma.root.rwsem));
}

export function anon_vma_unlock_write(anon_vma: ptr<anon_vma>): void {
	up_write(addr(anon_vma.root.rwsem));
}

export function anon_vma_lock_read(anon_vma: ptr<anon_vma>): void {
	down_read(addr(anon_vma.root.rwsem));
}

export function anon_vma_trylock_read(anon_vma: ptr<anon_vma>): int {
	return down_read_trylock(addr(anon_vma.root.rwsem));
}

export function anon_vma_unlock_read(anon_vma: ptr<anon_vma>): void {
	up_read(addr(anon_vma.root.rwsem));
}

export function anon_vma_prepare(vma: ptr<vm_area_struct>): int {
	if (likely(vma.anon_vma))
		return 0;

	return __anon_vma_prepare(vma);
}

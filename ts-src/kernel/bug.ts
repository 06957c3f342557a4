/*
 * include/asm-generic/bug.h, include/linux/mmdebug.h, include/linux/compiler.h:
 * assertions and branch hints.
 */
import { kernel_bug, kernel_warn } from './sched';
import type { ptr, const_ } from './ctypes';
import type { folio, vm_area_struct } from './mm_types';

/** @c likely */
export function likely(x: unknown): boolean {
	return !!x;
}

/** @c unlikely */
export function unlikely(x: unknown): boolean {
	return !!x;
}

export function BUG_ON(cond: unknown): void {
	if (cond)
		kernel_bug('bug', 'BUG_ON');
}

export function VM_BUG_ON(cond: unknown): void {
	if (cond)
		kernel_bug('bug', 'VM_BUG_ON');
}

export function VM_BUG_ON_FOLIO(cond: unknown, _folio: ptr<const_<folio>>): void {
	if (cond)
		kernel_bug('bug', 'VM_BUG_ON_FOLIO');
}

export function VM_BUG_ON_VMA(cond: unknown, _vma: ptr<vm_area_struct>): void {
	if (cond)
		kernel_bug('bug', 'VM_BUG_ON_VMA');
}

export function VM_WARN_ON(cond: unknown): boolean {
	if (cond)
		kernel_warn('VM_WARN_ON');
	return !!cond;
}

/* DEBUG_VM: every VM_WARN is a WARN, and the checker reports each one. */
export function VM_WARN_ON_ONCE(cond: unknown): boolean {
	if (cond)
		kernel_warn('VM_WARN_ON_ONCE');
	return !!cond;
}

export function VM_WARN_ON_FOLIO(cond: unknown, _folio: ptr<const_<folio>>): boolean {
	if (cond)
		kernel_warn('VM_WARN_ON_FOLIO');
	return !!cond;
}

export function WARN_ON(cond: unknown): boolean {
	if (cond)
		kernel_warn('WARN_ON');
	return !!cond;
}

/* Every hit is reported: "once" is per boot, and a checker run is many boots. */
export function WARN_ON_ONCE(cond: unknown): boolean {
	if (cond)
		kernel_warn('WARN_ON_ONCE');
	return !!cond;
}

/* WARN_ONCE(cond, fmt): the message is the format (no arguments in the model's uses). */
export function WARN_ONCE(cond: unknown, fmt: string): boolean {
	if (cond)
		kernel_warn(`WARN_ONCE: ${fmt}`);
	return !!cond;
}

/**
 * The body of a prelude function that is declared (so the model's
 * TypeScript type-checks and compiles to the kernel's call) but has no
 * Node implementation yet: a run that reaches it stops, naming it.
 */
export function not_modelled(name: string): never {
	return kernel_bug('bug', `not modelled: ${name}`);
}

/* A compile-time assertion: the kernel's compiler checks it, a run has nothing to check. */
export function BUILD_BUG_ON(_cond: unknown): void {}

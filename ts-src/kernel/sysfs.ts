/*
 * include/linux/sysfs.h and kobject.h, as far as mm/ksm.c's attribute
 * handlers use them.  The checker runs no sysfs handler: what they call is
 * declared, and a run that reaches it stops with "not modelled: NAME".
 */
import type { ptr, const_, char, int, uint, ulong } from './ctypes';
import { not_modelled } from './bug';

/** @c struct kobject */
export class kobject {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_kobject: void;
}

/** @c struct kobj_attribute */
export class kobj_attribute {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_kobj_attribute: void;
}

/** sysfs_emit(buf, fmt, ...): the format is a C string literal in the model. */
export function sysfs_emit(_buf: ptr<char>, _fmt: string, ..._args: (int | uint | ulong | long_ | ptr<const_<char>>)[]): int {
	return not_modelled('sysfs_emit');
}
type long_ = number;

export function sysfs_streq(_s1: ptr<const_<char>>, _s2: string): boolean {
	return not_modelled('sysfs_streq');
}


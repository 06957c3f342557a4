/*
 * include/linux/sysfs.h and kobject.h, as far as mm/ksm.c's attribute
 * handlers use them.  The checker runs no sysfs handler: what they call is
 * declared, and a run that reaches it stops with "not modelled: NAME".
 */
import type { ptr, char, bool, int, uint, ulong, cstr } from './ctypes';
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
export function sysfs_emit(_buf: ptr<char>, _fmt: string, ..._args: (bool | int | uint | ulong | long_ | cstr)[]): int {
	return not_modelled('sysfs_emit');
}
type long_ = number;

export function sysfs_streq(_s1: cstr, _s2: string): boolean {
	return not_modelled('sysfs_streq');
}


/*
 * include/linux/kstrtox.h: parse a user's string into *res; 0 or -EINVAL,
 * -ERANGE.  The attribute handlers are not run by the checker.
 */
export function kstrtouint(_s: cstr, _base: uint, _res: ptr<uint>): int {
	return not_modelled('kstrtouint');
}

export function kstrtoint(_s: cstr, _base: uint, _res: ptr<int>): int {
	return not_modelled('kstrtoint');
}

export function kstrtoul(_s: cstr, _base: uint, _res: ptr<ulong>): int {
	return not_modelled('kstrtoul');
}

export function kstrtobool(_s: cstr, _res: ptr<bool>): int {
	return not_modelled('kstrtobool');
}

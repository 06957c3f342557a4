/*
 * include/linux/err.h and include/uapi/asm-generic/errno-base.h: error
 * pointers.  ERR_PTR(-e) is an object of its own (a pointer no struct
 * lives at), so IS_ERR() tells it from every real pointer and NULL.
 */
import type { ptr, long, bool } from './ctypes';

export const EBUSY = 16;
export const EINVAL = 22;
/* include/linux/errno.h */
export const EOPNOTSUPP = 95;

/** @model */
class err_ptr {
	constructor(readonly err: long) {}
}

const errPtrs = new Map<long, err_ptr>();

export function ERR_PTR(error: long): ptr<void> {
	let p = errPtrs.get(error);
	if (!p) {
		p = new err_ptr(error);
		errPtrs.set(error, p);
	}
	return p;
}

export function IS_ERR(p: unknown): bool {
	return p instanceof err_ptr;
}

export function IS_ERR_OR_NULL(p: unknown): bool {
	return !p || p instanceof err_ptr;
}

export function PTR_ERR(p: unknown): long {
	return p instanceof err_ptr ? p.err : 0;
}

/*
 * The structs of include/linux/rmap.h.  Field comments are the kernel's.
 */
import type { ptr, const_, ulong, bool, int, int_bool, pgoff_t } from './ctypes';
import { cast } from './ctypes';
import { rw_semaphore, lockdep_is_held_type } from './locking';
import { guarded_by, guard_rule, is_shared } from './lockset';
import { vma_guard } from './mm_types';
import { atomic_t } from './atomic';
import { list_head } from './list';
import { rb_node, rb_root_cached } from './interval_tree';
import type { vm_area_struct, folio } from './mm_types';

/** @c struct anon_vma */
export class anon_vma {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_anon_vma: void;
	root: ptr<anon_vma> = null as never;		/* Root of this anon_vma tree */
	rwsem = new rw_semaphore('&anon_vma->rwsem');	/* W: modification, R: walking the list */
	refcount = new atomic_t();
	num_children: ulong = 0;
	num_active_vmas: ulong = 0;
	parent: ptr<anon_vma> = null as never;	/* Parent of this anon_vma */
	/* Interval tree of private "related" vmas */
	rb_root = new rb_root_cached();
}

/*
 * The anon_vma's interval tree and counters: its root's rwsem, for write
 * ("W: modification").  anon_vma_fork() and __anon_vma_prepare() set up a
 * new anon_vma's counters without it while nobody else can see the
 * anon_vma; its tree they update under the lock.
 */
const root_rwsem_write: guard_rule = {
	lock: 'anon_vma->root->rwsem held for write',
	held: (av) => lockdep_is_held_type(av.root.rwsem, 0),
};
/* The tree is only ever updated under the lock, even a new anon_vma's ("Now let rmap see it"). */
guarded_by(anon_vma, 'rb_root', { ...root_rwsem_write, updates_always_locked: true });
guarded_by(anon_vma, 'num_children', root_rwsem_write);
guarded_by(anon_vma, 'num_active_vmas', root_rwsem_write);
guarded_by(anon_vma, 'root', root_rwsem_write);
guarded_by(anon_vma, 'parent', root_rwsem_write);

/** @c struct anon_vma_chain */
export class anon_vma_chain {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_anon_vma_chain: void;
	vma: ptr<vm_area_struct> = null as never;
	anon_vma: ptr<anon_vma> = null as never;
	same_vma = new list_head(this);	/* locked by mmap_lock & page_table_lock */
	rb = new rb_node(this);		/* locked by anon_vma->rwsem */
	rb_subtree_last: ulong = 0;
}

/** @c struct rmap_walk_control */
export class rmap_walk_control {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_rmap_walk_control: void;
	/**
	 * void *arg.  A struct's address cast to `void *` ((void *)&pra) is
	 * the object's fake address at run time (cast() cannot tell a
	 * `void *` from an `unsigned long`), so the field turns it back into
	 * the object, which the rmap_one it is passed to reads through.
	 */
	get arg(): any {
		return this.arg_;
	}
	set arg(v: any) {
		this.arg_ = typeof v === 'number' ? cast(v) : v;
	}
	/** @model arg's value */
	arg_: any = null;
	try_lock: bool = false;
	contended: bool = false;
	/*
	 * Return false if page table scanning in rmap_walk should be stopped.
	 * Otherwise, return true.
	 */
	rmap_one: (folio: ptr<folio>, vma: ptr<vm_area_struct>, addr: ulong, arg: any) => bool =
		() => true;
	done: ((folio: ptr<folio>) => int_bool) = null as never;
	anon_lock: ((folio: ptr<const_<folio>>, rwc: ptr<rmap_walk_control>) => ptr<anon_vma>) = null as never;
	invalid_vma: ((vma: ptr<vm_area_struct>, arg: any) => bool) = null as never;
}

/* same_vma: "locked by mmap_lock & page_table_lock", as the VMA's anon_vma_chain list. */
guarded_by(anon_vma_chain, 'same_vma', {
	lock: vma_guard.lock,
	held: (avc) => !avc.vma || vma_guard.held(avc.vma),
	private: (avc) => !is_shared(avc) || !avc.vma || vma_guard.private!(avc.vma),
});

/** @c enum ttu_flags */
export enum ttu_flags {
	TTU_USE_SHARED_ZEROPAGE	= 0x2,	/* for unused pages of large folios */
	TTU_SPLIT_HUGE_PMD	= 0x4,	/* split huge PMD if any */
	TTU_IGNORE_MLOCK	= 0x8,	/* ignore mlock */
	TTU_SYNC		= 0x10,	/* avoid racy checks with PVMW_SYNC */
	TTU_HWPOISON		= 0x20,	/* do convert pte to hwpoison entry */
	TTU_BATCH_FLUSH		= 0x40,	/* Batch TLB flushes where possible */
	TTU_RMAP_LOCKED		= 0x80,	/* do not grab rmap lock: caller holds it */
}
/* C enumerators are plain identifiers: the model names them as C does. */
export const TTU_USE_SHARED_ZEROPAGE = ttu_flags.TTU_USE_SHARED_ZEROPAGE;
export const TTU_SPLIT_HUGE_PMD = ttu_flags.TTU_SPLIT_HUGE_PMD;
export const TTU_IGNORE_MLOCK = ttu_flags.TTU_IGNORE_MLOCK;
export const TTU_SYNC = ttu_flags.TTU_SYNC;
export const TTU_HWPOISON = ttu_flags.TTU_HWPOISON;
export const TTU_BATCH_FLUSH = ttu_flags.TTU_BATCH_FLUSH;
export const TTU_RMAP_LOCKED = ttu_flags.TTU_RMAP_LOCKED;

/** @c rmap_t */
export type rmap_t = number;
/* ((__force rmap_t)0), ((__force rmap_t)BIT(0)) */
export const RMAP_NONE: rmap_t = 0;
export const RMAP_EXCLUSIVE: rmap_t = 1 << 0;

/* mm/rmap.c's own struct (its carried C defines and prints it): mapping_wrprotect_range()'s walk state. */
/** @c struct wrprotect_file_state */
export class wrprotect_file_state {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_wrprotect_file_state: void;
	cleaned: int = 0;
	pgoff: pgoff_t = 0;
	pfn: ulong = 0;
	nr_pages: ulong = 0;
}

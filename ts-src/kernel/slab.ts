/*
 * include/linux/slab.h and gfp_types.h: caches that hand out objects of one
 * struct type, with the lifetime rules the checker needs.
 *
 * Every object a cache hands out is a Proxy that checks, on each access,
 * that the object is live.  A freed object of a SLAB_TYPESAFE_BY_RCU cache
 * may still be read inside an RCU read-side critical section (that is the
 * point of the flag: the memory stays an object of this type) and may be
 * handed out again at once; any other access to a freed object is a
 * use-after-free.
 */
import { sched, sched_point, kernel_bug } from './sched';
import { might_sleep, rcu_read_lock_held } from './locking';
import { struct_of_size, struct_type } from './ctypes';
import { not_modelled } from './bug';
import { share_meta, share_init, share_touch, publish, lockset, lockset_write, member_at, SHARE, RAW } from './lockset';
import type { ptr, gfp_t, slab_flags_t, size_t, int } from './ctypes';

export const __GFP_DIRECT_RECLAIM = 0x400;
export const __GFP_KSWAPD_RECLAIM = 0x800;
export const __GFP_IO = 0x40;
export const __GFP_FS = 0x80;
export const __GFP_NOWARN = 0x2000;
export const __GFP_HIGH = 0x20;
export const __GFP_NORETRY = 0x10000;
export const GFP_KERNEL = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | __GFP_IO | __GFP_FS;
export const GFP_NOWAIT = __GFP_KSWAPD_RECLAIM;
export const GFP_ATOMIC = 0x20 | __GFP_KSWAPD_RECLAIM;

export const SLAB_PANIC = 0x00040000;
export const SLAB_TYPESAFE_BY_RCU = 0x00080000;
export const SLAB_ACCOUNT = 0x04000000;

export const ENOMEM = 12;
export const EFAULT = 14;

/** Per object: its cache, whether it is live, how often it was reused, who shares it. */
export interface slab_meta {
	cache: kmem_cache;
	live: boolean;
	gen: number;
	share: share_meta;
}

const META = Symbol('slab');

/** @c struct kmem_cache */
export class kmem_cache {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_kmem_cache: void;
	name = '';
	type: struct_type<object> | null = null;
	flags: slab_flags_t = 0;
	ctor: ((obj: any) => void) | null = null;
	free: object[] = [];
	allocated = 0;
	freed = 0;
}

/** Every cache made so far: the end-of-run leak check counts their live objects. */
export const slab_caches: kmem_cache[] = [];

/** The slab bookkeeping of a cache object (or of a member embedded in one), or undefined. */
export function slab_meta_of(o: object): slab_meta | undefined {
	return (o as Record<symbol, slab_meta>)[META];
}

/** An embedded member: a struct instance made with its container (not a pointer, not model data). */
function embedded(v: unknown, container: object): v is object {
	return !!v && typeof v === 'object' && v !== container && !Array.isArray(v) && !(v instanceof Map) &&
		Object.getPrototypeOf(v) !== Object.prototype;
}

/*
 * Each access checks that the object is live: through the object, and
 * through an embedded member reached earlier (&anon_vma->rwsem,
 * &avc->same_vma), whose proxy checks its container.
 */
function checked(obj: object, meta: slab_meta): object {
	const check = (key: string | symbol, what: string): void => {
		if (key === META || key === SHARE || key === RAW || lockset.off)
			return;
		const speculative = meta.cache.flags & SLAB_TYPESAFE_BY_RCU && rcu_read_lock_held();
		if (!meta.live && !speculative)
			kernel_bug('use-after-free',
				`${sched.current.comm} touches ${what}${String(key)} of a freed ${meta.cache.name}`);
		if (!speculative)
			share_touch(meta.share);
	};
	const member = (m: object, field: string): object => {
		const p = new Proxy(m, {
			get(target, key, receiver) {
				if (key === META)
					return meta;
				if (key === RAW)
					return target;
				check(key, `${field}.`);
				return Reflect.get(target, key, receiver);
			},
			set(target, key, value, receiver) {
				check(key, `${field}.`);
				return Reflect.set(target, key, value, receiver);
			},
		});
		member_at(p, proxy, field);
		return p;
	};
	const proxy: object = new Proxy(obj, {
		get(target, key, receiver) {
			if (key === META)
				return meta;
			if (key === SHARE)
				return meta.share;
			if (key === RAW)
				return target;
			check(key, '');
			return Reflect.get(target, key, receiver);
		},
		set(target, key, value, receiver) {
			check(key, '');
			lockset_write(proxy, key);
			if (meta.share.shared)
				publish(value);
			if (typeof key === 'string' && members.has(key) && embedded(value, target))
				value = member(value, key);
			return Reflect.set(target, key, value, receiver);
		},
	});
	const members = new Set<string>();
	for (const [k, v] of Object.entries(obj)) {
		if (!embedded(v, obj))
			continue;
		members.add(k);
		/* Embedded list_heads and rb_nodes point back at their container. */
		if ((v as { container?: object }).container === obj)
			(v as { container: object }).container = proxy;
		/*
		 * A list head of an embedded struct that points back at this one
		 * (struct mm_slot's mm_node in a ksm_mm_slot: list_entry() of it is
		 * the ksm_mm_slot): a member "slot.mm_node", checked and guarded as
		 * this struct's own.
		 */
		for (const [k2, w] of Object.entries(v))
			if (embedded(w, v) && (w as { container?: object }).container === obj) {
				(w as { container: object }).container = proxy;
				(v as Record<string, unknown>)[k2] = member(w, `${k}.${k2}`);
			}
		(obj as Record<string, unknown>)[k] = member(v, k);
	}
	return proxy;
}

export function kmem_cache_create(name: string, size: size_t, _align: int,
		flags: slab_flags_t, ctor: ((obj: any) => void) | null): ptr<kmem_cache> {
	const c = new kmem_cache();
	c.name = name;
	c.type = struct_of_size(size);
	c.flags = flags;
	c.ctor = ctor;
	slab_caches.push(c);
	return c as ptr<kmem_cache>;
}

/** KMEM_CACHE(struct, flags): a cache named after its struct. */
export function KMEM_CACHE<T extends object>(type: struct_type<T>, flags: slab_flags_t): ptr<kmem_cache> {
	const c = new kmem_cache();
	c.name = type.name;
	c.type = type;
	c.flags = flags;
	slab_caches.push(c);
	return c as ptr<kmem_cache>;
}

export function kmem_cache_alloc(c: ptr<kmem_cache>, gfp: gfp_t): any {
	if (gfp & __GFP_DIRECT_RECLAIM)
		might_sleep();
	sched_point('kmem_cache_alloc', c);
	if (sched.failAlloc(c.name, gfp))
		return null;
	let obj = c.free.pop();
	if (obj) {
		/* Reused: the constructor ran once, when the object was made. */
		const meta = slab_meta_of(obj)!;
		meta.live = true;
		meta.gen++;
		meta.share = share_init();
	} else {
		if (!c.type)
			kernel_bug('bug', `cache ${c.name} has no type`);
		const meta: slab_meta = { cache: c, live: true, gen: 0, share: share_init() };
		obj = checked(new c.type(), meta);
		if (c.ctor)
			c.ctor(obj);
	}
	c.allocated++;
	return obj;
}

/*
 * A lock embedded in the object that some thread holds: "rwsem held by
 * reclaim", or null.  (A lock is a member with a class and a writer,
 * readers or an owner.)
 */
function heldMember(obj: object): string | null {
	const raw = (obj as Record<symbol, object>)[RAW] ?? obj;
	for (const [field, m] of Object.entries(raw)) {
		const lock = (m && typeof m === 'object' ? (m as Record<symbol, object>)[RAW] ?? m : null) as
			{ cls?: string; writer?: { comm: string } | null; readers?: { comm: string }[]; owner?: { comm: string } | null } | null;
		if (!lock || typeof lock.cls !== 'string')
			continue;
		const who = [...(lock.writer ? [lock.writer] : []), ...(Array.isArray(lock.readers) ? lock.readers : []),
			...(lock.owner ? [lock.owner] : [])];
		if (who.length)
			return `${field} ${who.map((t) => t.comm).join(', ')} holds`;
	}
	return null;
}

export function kmem_cache_free(c: ptr<kmem_cache>, obj: object): void {
	const meta = slab_meta_of(obj);
	if (!meta || meta.cache !== c)
		kernel_bug('bug', `kmem_cache_free of an object not from ${c.name}`);
	if (!meta.live)
		kernel_bug('use-after-free', `double free of a ${c.name}`);
	/*
	 * Freed under a lock holder's feet: the holder goes on to use (and
	 * unlock) memory that is no longer its object.  anon_vma_free() waits
	 * for a holder for this reason; a reader that takes the lock after
	 * the free (SLAB_TYPESAFE_BY_RCU) sees the folio unmapped and backs off.
	 */
	const held = heldMember(obj);
	if (held)
		kernel_bug('use-after-free', `${sched.current.comm} frees a ${c.name} whose ${held}`);
	meta.live = false;
	c.freed++;
	c.free.push(obj);
	sched_point('kmem_cache_free', c);
}

/* A zeroed object (KSM's rmap_items); not modelled until a KSM scenario allocates one. */
/*
 * A zeroed object: a new one every time (a fresh object is the model's
 * zeroed memory; a freed one is never handed out again, so a stale
 * reference to it stays a use-after-free).  A cache with a constructor
 * has no zeroed objects in the kernel either.
 */
export function kmem_cache_zalloc(c: ptr<kmem_cache>, gfp: gfp_t): any {
	if (c.ctor)
		kernel_bug('bug', `kmem_cache_zalloc from ${c.name}, a cache with a constructor`);
	if (gfp & __GFP_DIRECT_RECLAIM)
		might_sleep();
	sched_point('kmem_cache_alloc', c);
	if (sched.failAlloc(c.name, gfp))
		return null;
	if (!c.type)
		kernel_bug('bug', `cache ${c.name} has no type`);
	const obj = checked(new c.type(), { cache: c, live: true, gen: 0, share: share_init() });
	c.allocated++;
	return obj;
}

/* KSM's slab teardown (ksm_slab_free()); the model never destroys a cache. */
export function kmem_cache_destroy(_c: ptr<kmem_cache>): void {
	not_modelled('kmem_cache_destroy');
}

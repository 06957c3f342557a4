/*
 * The lock discipline the model's structs document, checked at every store:
 * lockdep_assert_held() at each write, in the spirit of Eraser (Savage et
 * al.) and of KCSAN's reports.  include/linux/lockdep.h has no table of
 * "which lock protects which field"; the kernel writes it in comments
 * ("W: modification, R: walking the list", "locked by mmap_lock &
 * page_table_lock").  Here those comments are data: guarded_by(struct,
 * field, rule) next to the struct, and every store to a guarded field, and
 * every tree or list update of a guarded member, outside its lock is a
 * `data-race` finding.
 *
 * An object still private to the thread that made it needs no lock (a
 * freshly allocated anon_vma, a VMA not yet in its mm's tree): a slab
 * object is private until another thread touches it (outside an RCU
 * lookup of a SLAB_TYPESAFE_BY_RCU object, which is speculative) or it is
 * published (stored into a shared object, a VMA in its mm, a tree or list
 * another thread can walk); a VMA is private while it is detached.
 *
 * A read-modify-write of a field (x->f++, x->f -= n) is a load and a store
 * with a scheduling point between them when the field is guarded (the
 * checker's transform rewrites it to the runtime's rmw()), so a lost update can
 * happen when the lock is missing, as on a real CPU.  Integer fields
 * declared with a C integer type wrap like x86-64 C (int 32-bit, unsigned
 * long 64-bit): an underflow of an unsigned long counter is 2^64 - 1, not -1.
 *
 * KSM's trees (ksm_thread_mutex) are added the same way: a rule whose lock
 * is a global, guarded_by(ksm_stable_node, 'hlist', mutex_held(ksm_thread_mutex)).
 */
import { sched, kernel_bug } from './sched';

/** What guards a field: the lock held, or null and the lock that should be. */
export interface guard_rule {
	/** The lock as the kernel's comment names it: "anon_vma->root->rwsem (write)". */
	lock: string;
	/** Is the rule satisfied for obj by the current thread? */
	held(obj: any): boolean;
	/** Is obj still private to its creator (no lock needed)? Default: slab exclusivity. */
	private?(obj: any): boolean;
	/** A tree/list update of this member needs the lock even while obj is private (the member's own store does not). */
	updates_always_locked?: boolean;
}

/** Per struct, per field: a rule or a C type. */
type field_table<V> = Map<Function, Map<string, V>>;

function put_field<V>(table: field_table<V>, struct: Function, field: string, v: V): void {
	let m = table.get(struct);
	if (!m)
		table.set(struct, (m = new Map()));
	m.set(field, v);
}

const RULES: field_table<guard_rule> = new Map();

/** Register: writes to struct's field need rule (the prelude's table). */
export function guarded_by(struct: Function, field: string, rule: guard_rule): void {
	put_field(RULES, struct, field, rule);
}

export function rule_of(obj: object, field: string | symbol): guard_rule | undefined {
	if (typeof field !== 'string')
		return undefined;
	return RULES.get(raw_of(obj).constructor)?.get(field);
}

/** Every rule, for the README's table and the tests. */
export function lockset_table(): { struct: string; field: string; lock: string }[] {
	const out: { struct: string; field: string; lock: string }[] = [];
	for (const [s, m] of RULES)
		for (const [f, r] of m)
			out.push({ struct: s.name, field: f, lock: r.lock });
	return out;
}

/*
 * A design variant that replaces a lock (2.6.33's anon_vma spinlock for
 * the rwsem) says which lock its own stands for; lockdep_is_held() of the
 * replaced lock then asks about the one held.
 */
const STANDS_FOR = new WeakMap<object, object>();

export function lock_stands_for(lock: object, replaced: object): void {
	STANDS_FOR.set(replaced, lock);
}

/** The lock actually taken for lock (itself, unless a design replaced it). */
export function lock_taken_for(lock: object): object {
	return STANDS_FOR.get(lock) ?? lock;
}

/* ---- sharing: which objects another thread can see ---- */

/** Per shared-able object: its creator and whether it has been shared. */
export interface share_meta {
	owner: object | null;
	shared: boolean;
}

const SHARE = Symbol('share');
const RAW = Symbol('raw');

export function share_of(o: any): share_meta | undefined {
	return o && typeof o === 'object' ? o[SHARE] : undefined;
}

/** The object behind a proxy (for constructor lookups). */
export function raw_of(o: any): any {
	return (o && o[RAW]) ?? o;
}

/** obj is now reachable by other threads. */
export function publish(o: unknown): void {
	const s = share_of(o);
	if (s)
		s.shared = true;
}

/** Is o shared, or did a thread other than its creator ever touch it? */
export function is_shared(o: unknown): boolean {
	const s = share_of(o);
	return !s || s.shared || s.owner !== sched.current;
}

/** Is the checker itself reading (invariants, deadlock report)? Then nothing is checked. */
export const lockset = { off: 0 };

/** The check at a store to obj.field (or a tree/list update of that member). */
export function lockset_write(obj: object, field: string | symbol, what = 'write', update = false): void {
	if (lockset.off)
		return;
	const rule = rule_of(obj, field);
	if (!rule)
		return;
	if (!(update && rule.updates_always_locked) && (rule.private ? rule.private(obj) : !is_shared(obj)))
		return;
	if (rule.held(obj))
		return;
	kernel_bug('data-race',
		`${sched.current.comm}: ${what} of ${raw_of(obj).constructor.name}.${String(field)} without ${rule.lock}`);
}

/** The share bookkeeping of a new object, created by the current thread. */
export function share_init(): share_meta {
	return { owner: sched.current, shared: false };
}

/** A touch of obj by the current thread (not a speculative one). */
export function share_touch(s: share_meta): void {
	if (!s.shared && s.owner !== sched.current)
		s.shared = true;
}

/**
 * A proxy that checks the lockset at every store to obj (VMAs: no slab
 * liveness, just the discipline).  Storing a slab object into a field of
 * a shared object publishes it.
 */
export function lockset_proxy<T extends object>(obj: T, shared: (o: T) => boolean): T {
	const proxy: T = new Proxy(obj, {
		get(target, key, receiver) {
			if (key === RAW)
				return target;
			return Reflect.get(target, key, receiver);
		},
		set(target, key, value, receiver) {
			lockset_write(proxy, key);
			if (shared(proxy))
				publish(value);
			return Reflect.set(target, key, value, receiver);
		},
	});
	for (const [k, v] of Object.entries(obj))
		if (v && typeof v === 'object' && (v as { container?: object }).container === obj) {
			(v as { container: object }).container = proxy;
			member_at(v, proxy, k);
		}
	return proxy;
}

export { SHARE, RAW };

/* ---- embedded members: a tree root or list head knows its struct and field ---- */

const MEMBERS = new WeakMap<object, { container: object; field: string }>();

export function member_at(m: object, container: object, field: string): void {
	MEMBERS.set(m, { container, field });
}

/** The struct and field an embedded member (a tree root, a list head) lives in. */
export function member_of(m: object): { container: object; field: string } | undefined {
	return MEMBERS.get(m);
}

/**
 * An update of a tree or list that is an embedded member (interval tree
 * insert into &anon_vma->rb_root, list_add to &vma->anon_vma_chain): the
 * member's rule applies.  Whatever is linked into a shared structure is
 * published with it.
 */
export function lockset_update(m: object, what: string, linked?: object | null): void {
	const at = MEMBERS.get(m);
	if (!at)
		return;
	lockset_write(at.container, at.field, what, true);
	const rule = rule_of(at.container, at.field);
	if (linked && !(rule?.private ? rule.private(at.container) : is_private(at.container)))
		publish(linked);
}

function is_private(o: object): boolean {
	const s = share_of(o);
	return !!s && !s.shared && s.owner === sched.current;
}

/* ---- C integer semantics for fields (x86-64) ---- */

const FIELD_TYPES: field_table<string> = new Map();

/** Called by the checker's transform for each field declared with a C integer type. */
export function field_type(struct: Function, field: string, type: string): void {
	put_field(FIELD_TYPES, struct, field, type);
}

/** Wrap a number to a C integer type as x86-64 stores it. */
export function c_wrap(type: string | undefined, v: number): number {
	switch (type) {
	case 'int':
		return v | 0;
	case 'uint':
		return v >>> 0;
	case 'long':
		return Number.isSafeInteger(v) ? v : Number(BigInt.asIntN(64, BigInt(Math.trunc(v))));
	case 'ulong':
	case 'pgoff_t':
	case 'size_t':
	case 'gfp_t':
		return v >= 0 && Number.isSafeInteger(v) ? v : Number(BigInt.asUintN(64, BigInt(Math.trunc(v))));
	default:
		return v;
	}
}

export function type_of_field(obj: object, field: string): string | undefined {
	return FIELD_TYPES.get(raw_of(obj).constructor)?.get(field);
}

/** The value a read-modify-write stores: old op v, wrapped to the field's C type. */
export function rmw_value(obj: object, field: string, op: string, old: number, v: number): number {
	return c_rmw(type_of_field(obj, field), op, old, v);
}

/** old op v, wrapped to the C integer type type (a field's, or a file-scope variable's). */
export function c_rmw(type: string | undefined, op: string, old: number, v: number): number {
	let r: number;
	switch (op) {
	case '+': r = old + v; break;
	case '-': r = old - v; break;
	case '*': r = old * v; break;
	case '|': r = old | v; break;
	case '&': r = old & v; break;
	case '^': r = old ^ v; break;
	case '<<': r = old << v; break;
	case '>>': r = old >> v; break;
	default: throw new Error(`read-modify-write: operator ${op}`);
	}
	return c_wrap(type, r);
}

/*
 * Weak memory for the fields the kernel reads without a lock and orders
 * with barriers (tools/memory-model/, Documentation/memory-barriers.txt),
 * modelled just far enough for message passing:
 *
 *	writer				reader
 *	node->kpfn = new;		if (READ_ONCE(folio->mapping) != expected) {
 *	smp_wmb();				smp_rmb();
 *	folio->mapping = stale;			if (READ_ONCE(node->kpfn) != kpfn) ...
 *
 * Without either barrier the reader may see the new mapping and still the
 * old kpfn; with both it may not.  Everything else in the model stays
 * sequentially consistent.
 *
 * Every store to a field of ORDERED_FIELDS is stamped with a global clock
 * and with "rel": the clock at its writer's last write barrier, release or
 * full barrier, i.e. what the writer ordered before this store.  Each
 * thread has a view: "seen", the largest rel of the stores it has read,
 * and "floor", below which it can no longer read a superseded value.  A
 * read barrier lifts floor to seen.  READ_ONCE() of a weak field returns
 * any store that was still current at the reader's floor or later (and no
 * older than what the reader already read there: coherence); the checker
 * chooses which (sched.chooseValue), the newest by default, an older one
 * at the cost of one preemption of its bound.  A thread's view starts at
 * the clock when the thread starts (mo_thread_start()), or, run directly,
 * when it first touches an ordered field.  Fields that only carry the
 * order (folio->mapping) always return their newest value.
 *
 * An atomic_t carries order as a message field does: reading it (even in
 * a failed atomic_inc_not_zero()) folds into "seen" what its last writer
 * had ordered before its write, and read-modify-writes continue that
 * (release sequences).  Locks and value-returning atomics are treated as
 * full barriers that
 * synchronise with everything before them, which is stronger than the
 * kernel guarantees: the model can miss a reordering across them, never
 * invent one.  A store the model makes without the checker's
 * transform (a WRITE_ONCE() through addr_of(), a constructor) resets that
 * field's history to its current value: again stronger, never weaker.
 */
import { sched, task_struct } from './sched';
import { raw_of } from './lockset';

export interface ordered_field {
	struct: string;
	field: string;
	/** Loads may return a value superseded after the reader's floor. */
	weak: boolean;
}

/*
 * KSM's keyhole (mm/ksm.c, ksm_get_folio() against folio_migrate_ksm()):
 * stable_node->kpfn is read locklessly and may be stale; folio->mapping
 * carries the order its writer gave it.  The checker's transform reads
 * this table to instrument stores to these fields and READ_ONCE() loads
 * of them.
 */
export const ORDERED_FIELDS: readonly ordered_field[] = [
	{ struct: 'ksm_stable_node', field: 'kpfn', weak: true },
	{ struct: 'folio', field: 'mapping', weak: false },
];

interface store {
	v: unknown;
	ts: number;
	rel: number;
}

interface view {
	floor: number;
	seen: number;
	rel: number;
	/** Coherence: the stamp of the last store this thread read or wrote, per object and field. */
	coh: WeakMap<object, Map<string, number>>;
}

/* Older stores than this are dropped: far more than any scenario reorders. */
const HISTORY = 8;

const state = {
	clock: 0,
	/** Per atomic_t: what its writers had ordered before their writes. */
	atomics: new WeakMap<object, number>(),
	hist: new WeakMap<object, Map<string, store[]>>(),
	views: new WeakMap<task_struct, view>(),
};

function spec_of(obj: object, field: string): ordered_field | undefined {
	const name = raw_of(obj)?.constructor?.name;
	return ORDERED_FIELDS.find((o) => o.field === field && o.struct === name);
}

/** A thread starts: it sees everything stored so far (its creator's stores), nothing later. */
export function mo_thread_start(t: task_struct): void {
	view_of(t);
}

function view_of(t: task_struct): view {
	let v = state.views.get(t);
	if (!v)
		state.views.set(t, (v = { floor: state.clock, seen: state.clock, rel: state.clock, coh: new WeakMap() }));
	return v;
}

/* The field's stores, oldest first, the last one being its current value. */
function history(raw: object, field: string, current: unknown): store[] {
	let m = state.hist.get(raw);
	if (!m)
		state.hist.set(raw, (m = new Map()));
	let h = m.get(field);
	if (!h || h[h.length - 1].v !== current) {
		/* First touch, or a store the transform did not see: only the current value. */
		h = [{ v: current, ts: state.clock, rel: state.clock }];
		m.set(field, h);
	}
	return h;
}

function set_coh(v: view, raw: object, field: string, ts: number): void {
	let m = v.coh.get(raw);
	if (!m)
		v.coh.set(raw, (m = new Map()));
	m.set(field, ts);
}

/** obj.field = value, for a field of ORDERED_FIELDS (or any other: then a plain store). */
export function mo_store<T>(obj: Record<string, unknown>, field: string, value: T): T {
	if (!spec_of(obj, field)) {
		obj[field] = value;
		return value;
	}
	const raw = raw_of(obj);
	const h = history(raw, field, obj[field]);
	obj[field] = value;
	const v = view_of(sched.current);
	const s = { v: value, ts: ++state.clock, rel: v.rel };
	h.push(s);
	if (h.length > HISTORY)
		h.shift();
	set_coh(v, raw, field, s.ts);
	return value;
}

/** The value READ_ONCE(obj->field) loads. */
export function mo_load(obj: Record<string, unknown>, field: string): unknown {
	const spec = spec_of(obj, field);
	const current = obj[field];
	if (!spec)
		return current;
	const raw = raw_of(obj);
	const h = history(raw, field, current);
	const v = view_of(sched.current);
	/* The oldest store this thread may still read: current at its floor, and coherent. */
	let lo = 0;
	for (let i = 0; i < h.length; i++)
		if (h[i].ts <= v.floor)
			lo = i;
	const coh = v.coh.get(raw)?.get(field);
	if (coh !== undefined) {
		const i = h.findIndex((s) => s.ts >= coh);
		lo = Math.max(lo, i < 0 ? h.length - 1 : i);
	}
	const n = spec.weak ? h.length - lo : 1;
	const k = n > 1 ? sched.chooseValue(n, `READ_ONCE(${spec.struct}.${field})`) : 0;
	const s = h[h.length - 1 - k];
	v.seen = Math.max(v.seen, s.rel);
	set_coh(v, raw, field, s.ts);
	return s.v;
}

/** smp_rmb(): loads after it see at least what the stores already read were ordered after. */
export function mo_rmb(): void {
	const v = view_of(sched.current);
	v.floor = Math.max(v.floor, v.seen);
}

/** smp_wmb(): stores after it are ordered after every store before it. */
export function mo_wmb(): void {
	view_of(sched.current).rel = state.clock;
}

export function mo_mb(): void {
	mo_rmb();
	mo_wmb();
}

/* A lock taken or released, a value-returning atomic: everything so far is ordered. */
export function mo_sync(): void {
	const v = view_of(sched.current);
	v.floor = v.seen = v.rel = state.clock;
}

/**
 * An atomic_t operation on a: 'read' only loads it, 'set' stores a new
 * value, 'rmw' loads and stores (relaxed), 'full' is a value-returning
 * read-modify-write: a full barrier on both sides.
 */
export function mo_atomic(a: object, how: 'read' | 'set' | 'rmw' | 'full'): void {
	const raw = raw_of(a);
	const v = view_of(sched.current);
	const stamp = state.atomics.get(raw) ?? 0;
	if (how !== 'set')
		v.seen = Math.max(v.seen, stamp);
	if (how === 'full')
		mo_sync();
	if (how === 'read')
		return;
	state.atomics.set(raw, how === 'set' ? v.rel : Math.max(stamp, v.rel));
}

/** The memory-order state of these threads, for the checker's state fingerprint. */
export function mo_fingerprint(tasks: task_struct[]): string {
	return [state.clock, ...tasks.map((t) => {
		const v = state.views.get(t);
		return v ? `${v.floor}/${v.seen}/${v.rel}` : '-';
	})].join(',');
}

/*
 * include/linux/list.h.  A list_head knows the struct it is embedded in
 * (its container), which is what container_of() computes in C.
 */
import { sched_point } from './sched';
import { lockset_update } from './lockset';
import type { ptr, const_, member, int, struct_type } from './ctypes';
import { NULL } from './ctypes';
import { kernel_bug } from './sched';

/** @c struct list_head */
export class list_head {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_list_head: void;
	next: ptr<list_head>;
	prev: ptr<list_head>;
	/** @model The struct this list_head is embedded in (null for a bare head). */
	container: object | null;
	constructor(container: object | null = null) {
		this.next = this as unknown as ptr<list_head>;
		this.prev = this as unknown as ptr<list_head>;
		this.container = container;
	}
}

export function INIT_LIST_HEAD(list: ptr<list_head>): void {
	list.next = list;
	list.prev = list;
}

function __list_add(n: ptr<list_head>, prev: ptr<list_head>, next: ptr<list_head>): void {
	next.prev = n;
	n.next = next;
	n.prev = prev;
	prev.next = n;
}

export function list_add(n: ptr<list_head>, head: ptr<list_head>): void {
	sched_point('list_add', head);
	lockset_update(head, 'list_add', n.container);
	__list_add(n, head, head.next);
}

export function list_add_tail(n: ptr<list_head>, head: ptr<list_head>): void {
	sched_point('list_add_tail', head);
	lockset_update(head, 'list_add_tail', n.container);
	__list_add(n, head.prev, head);
}

export function list_del(entry: ptr<list_head>): void {
	sched_point('list_del', entry);
	lockset_update(entry, 'list_del');
	entry.next.prev = entry.prev;
	entry.prev.next = entry.next;
	/* LIST_POISON: a later use of the entry is a bug, not a quiet no-op. */
	entry.next = null as never;
	entry.prev = null as never;
}

/* int in C, as callers store it (__ksm_enter()'s needs_wakeup). */
export function list_empty(head: ptr<list_head>): int {
	return head.next === head ? 1 : 0;
}

/* list_move(entry, head): off its list, onto head's. */
export function list_move(entry: ptr<list_head>, head: ptr<list_head>): void {
	sched_point('list_move', head);
	lockset_update(entry, 'list_move');
	entry.next.prev = entry.prev;
	entry.prev.next = entry.next;
	__list_add(entry, head, head.next);
}

export function hlist_del_init(n: ptr<hlist_node>): void {
	if (!hlist_unhashed(n))
		hlist_del(n);
}

export function list_is_singular(head: ptr<list_head>): boolean {
	return !list_empty(head) && head.next === head.prev;
}

function entry_of(node: ptr<list_head>): any {
	if (!node.container)
		throw new Error('list entry without a container');
	return node.container;
}

/**
 * list_entry(ptr, type, member): container_of() of an embedded list_head.
 * @entry
 */
export function list_entry<T extends object>(p: ptr<list_head>, type: struct_type<T>, member: member): ptr<T> {
	const c = p.container as Record<string, unknown> | null;
	if (c instanceof type)
		return c as ptr<T>;
	/* The struct of that type embedded in the container whose member p is (struct mm_slot in a ksm_mm_slot). */
	const inner = c ? Object.values(c).find((v) => v instanceof type && (v as Record<string, unknown>)[member as string] === p) : undefined;
	if (!inner)
		return kernel_bug('bug', `list_entry(): the list_head is not the ${member as string} of a ${type.name}`);
	return inner as ptr<T>;
}

/** list_for_each_entry(pos, head, member) */
export function* list_for_each_entry(head: ptr<list_head>, _member: member): Iterable<any> {
	for (let n = head.next; n !== head; n = n.next)
		yield entry_of(n);
}

/** list_for_each_entry_reverse(pos, head, member) */
export function* list_for_each_entry_reverse(head: ptr<list_head>, _member: member): Iterable<any> {
	for (let n = head.prev; n !== head; n = n.prev)
		yield entry_of(n);
}

/**
 * list_for_each_entry_safe(pos, n, head, member): the next entry is read
 * before the body runs, so the body may delete pos.
 */
export function* list_for_each_entry_safe(head: ptr<list_head>, _member: member): Iterable<[any, any]> {
	let n = head.next;
	while (n !== head) {
		const next = n.next;
		yield [entry_of(n), next === head ? null : entry_of(next)];
		n = next;
	}
}

/** @c struct hlist_node */
export class hlist_node {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_hlist_node: void;
	next: ptr<hlist_node> = NULL;
	/** @model pprev: the head or node whose first/next points here (NULL: unhashed). */
	pprev: hlist_head | hlist_node | null = null;
	/** @model The struct this node is embedded in (container_of()). */
	container: object | null;
	constructor(container: object | null = null) {
		this.container = container;
	}
}

/** @c struct hlist_head */
export class hlist_head {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_hlist_head: void;
	first: ptr<hlist_node> = NULL;
}

export function INIT_HLIST_HEAD(h: ptr<hlist_head>): void {
	h.first = NULL;
}

export function hlist_unhashed(n: ptr<const_<hlist_node>>): boolean {
	return !n.pprev;
}

export function hlist_add_head(n: ptr<hlist_node>, h: ptr<hlist_head>): void {
	sched_point('hlist_add_head', h);
	const first = h.first;
	n.next = first;
	if (first)
		first.pprev = n;
	h.first = n;
	n.pprev = h;
}

/* The kernel poisons next and pprev: a second hlist_del() or a walk from the node oopses, here a bug. */
export function hlist_del(n: ptr<hlist_node>): void {
	sched_point('hlist_del', n);
	const next = n.next, pprev = n.pprev;
	if (!pprev)
		return kernel_bug('bug', 'hlist_del of an unhashed node (LIST_POISON2)');
	if (pprev instanceof hlist_head)
		pprev.first = next;
	else
		pprev.next = next;
	if (next)
		next.pprev = pprev;
	n.next = NULL;
	n.pprev = null;
}

export function hlist_empty(h: ptr<const_<hlist_head>>): boolean {
	return !h.first;
}

/* Is n the only node on h? */
export function hlist_is_singular_node(n: ptr<hlist_node>, h: ptr<hlist_head>): boolean {
	return !n.next && n.pprev === h;
}

/** hlist_for_each_entry(pos, head, member): the next node is read after the body, as in C. */
export function* hlist_for_each_entry(head: ptr<hlist_head>, _member: member): Iterable<any> {
	for (let n = head.first; n; n = n.next) {
		sched_point('hlist_for_each_entry', head);
		yield n.container;
	}
}

/** hlist_for_each_entry_safe(pos, n, head, member): the next node is read before the body. */
export function* hlist_for_each_entry_safe(head: ptr<hlist_head>, _member: member): Iterable<[any, any]> {
	for (let n = head.first; n;) {
		sched_point('hlist_for_each_entry_safe', head);
		const next = n.next;
		yield [n.container, next?.container ?? null];
		n = next;
	}
}

/*
 * include/linux/list.h.  A list_head knows the struct it is embedded in
 * (its container), which is what container_of() computes in C.
 */
import { sched_point } from './sched';
import { lockset_update } from './lockset';
import type { ptr, const_, member } from './ctypes';
import { not_modelled } from './bug';

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

export function list_empty(head: ptr<list_head>): boolean {
	return head.next === head;
}

export function list_is_singular(head: ptr<list_head>): boolean {
	return !list_empty(head) && head.next === head.prev;
}

function entry_of(node: ptr<list_head>): any {
	if (!node.container)
		throw new Error('list entry without a container');
	return node.container;
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
	next: ptr<hlist_node> | null = null;
}

/** @c struct hlist_head */
export class hlist_head {
	/** C structs are nominal: a mutex is no spinlock_t even where the fields match. */
	declare private readonly __struct_hlist_head: void;
	first: ptr<hlist_node> | null = null;
}

/* KSM's stable tree chains are hlists; nothing the model runs uses them yet. */
export function hlist_add_head(_n: ptr<hlist_node>, _h: ptr<hlist_head>): void {
	not_modelled('hlist_add_head');
}

export function hlist_del(_n: ptr<hlist_node>): void {
	not_modelled('hlist_del');
}

export function hlist_empty(h: ptr<const_<hlist_head>>): boolean {
	return !h.first;
}

/** hlist_for_each_entry(pos, head, member) */
export function* hlist_for_each_entry(_head: ptr<hlist_head>, _member: member): Iterable<any> {
	not_modelled('hlist_for_each_entry');
}

/** hlist_for_each_entry_safe(pos, n, head, member) */
export function* hlist_for_each_entry_safe(_head: ptr<hlist_head>, _member: member): Iterable<[any, any]> {
	not_modelled('hlist_for_each_entry_safe');
}

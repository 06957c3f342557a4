/*
 * C's type vocabulary for the model.
 *
 * Every declaration here says which C it stands for (the @c tag, read by the
 * compiler) and carries a Node implementation, so the model both compiles to
 * kernel C and runs.
 *
 * Pointers and embedded structs are different TypeScript types: a field
 * declared ptr<anon_vma> is "struct anon_vma *", a field declared
 * rw_semaphore is an embedded "struct rw_semaphore".  The compiler prints
 * "->" for a member of a ptr<T> and "." for a member of an embedded T, and
 * addr(x) is the only way to get a ptr<T> from an embedded T (C's "&").
 */

/** Brand that makes ptr<T> distinct from an embedded T. */
export interface Ptr<T> {
	readonly __ptr: T;
}

/**
 * A pointer to T.  ptr<void> is C's "void *": like C, it converts to and
 * from any pointer without a cast.  The structs are nominal classes (a
 * private brand each), so a ptr<mutex> is no ptr<spinlock_t>, a
 * ptr<const_<T>> no ptr<T> (the other way is fine, as in C), and a
 * ptr<ptr<T>> no ptr<T>.  A pointer to a scalar or to a pointer
 * (ptr<int>, ptr<ptr<folio>>) is a reference cell, lvalue<T>: addr_of()
 * makes one for a member, ref() for a local, p.deref reads and writes it.
 * @c *
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ptr<T> = [T] extends [void] ? any : [T] extends [Ptr<unknown> | Ref_<unknown> | number | boolean] ? lvalue<T> : T & Ptr<T>;

/**
 * A const-qualified T: ptr<const_<folio>> is "const struct folio *".
 * TypeScript's Readonly<T> refuses a store through it, as C does, and
 * drops the struct's private brand, so it does not pass as a T.
 * @c const
 */
export type const_<T> = Readonly<T>;

/** @c int */
export type int = number;
/** @c unsigned int */
export type uint = number;
/** @c long */
export type long = number;
/** @c unsigned long */
export type ulong = number;
/**
 * C's bool.  An int converts to it implicitly, as in C
 * (const bool exclusive = flags & RMAP_EXCLUSIVE;): the model then keeps
 * the int, whose truth is the same; only comparing such a bool with == to
 * true or 1 would differ from C, and the kernel does not.
 * @c bool
 */
export type bool = boolean | number;
/**
 * An int holding a truth value, as C's `!`, `==` and `&&` give one
 * (`static int folio_not_mapped(…) { return !folio_mapped(folio); }`):
 * TypeScript's are booleans, C's are ints; its truth is the same.
 * @c int
 */
export type int_bool = boolean | number;
/**
 * `__maybe_unused T`: a local only some configurations use
 * (`let pfn: __maybe_unused<ulong>;` prints `__maybe_unused unsigned long pfn;`).
 */
export type __maybe_unused<T> = T;
/**
 * `T x __read_mostly`: a file-scope variable in the read-mostly data
 * section (`let zero_checksum!: __read_mostly<uint>;` prints
 * `static unsigned int zero_checksum __read_mostly;`).  Only at file scope.
 */
export type __read_mostly<T> = T;
/**
 * A macro's condition, which C re-evaluates each time the macro tests it
 * (wait_event()'s): the model passes it as `() => expr`, which prints as
 * expr.  Only as an argument to a prelude macro with a parameter of this type.
 */
export type cond = () => bool;
/** @c pgoff_t */
export type pgoff_t = number;
/** @c gfp_t */
export type gfp_t = number;
/** @c slab_flags_t */
export type slab_flags_t = number;
/** @c size_t */
export type size_t = number;
/** @c ssize_t */
export type ssize_t = number;
/** @c char */
export type char = number;
/** @c const char * */
export type cstr = string;
/**
 * C's unsigned char, 0..255.  TypeScript's number does not wrap, so a value
 * is narrowed where C converts: to_uchar(x) is (unsigned char)x.
 * @c unsigned char
 */
export type uchar = number;
/** @c u32 */
export type u32 = number;
/** @c u64 */
export type u64 = number;
/** @c s64 */
export type s64 = number;

/**
 * A struct member name passed to a macro such as list_for_each_entry():
 * written as a string in the model, printed as a bare identifier in C.
 */
export type member = string;

/** C's NULL: assignable to every pointer, like the C macro. */
export const NULL: never = null as never;

/** &x for an embedded struct x (a struct member or a local struct). */
export function addr<T extends object>(x: T): ptr<T> {
	return x as ptr<T>;
}

/** Brand of a reference cell. */
export interface Ref_<T> {
	readonly __ref: T;
}

/**
 * A place that holds a scalar or a pointer: what &vma->anon_vma or &nr is
 * in C, ptr<T> of a scalar or pointer T.  Node cannot take the address of a
 * property or a local, so the model names them: addr_of(vma, 'anon_vma'),
 * ref(nr, (v) => nr = v).  p.deref is C's *p, read and written.  T appears
 * in both directions, so a ptr<ptr<folio>> is no ptr<ptr<anon_vma>>; the
 * integer aliases are all number, so a ptr<int> passes as a ptr<ulong>
 * (C would warn).
 */
export interface lvalue<T> extends Ref_<T> {
	get(): T;
	set(v: T): void;
	/** *p */
	deref: T;
}

/**
 * A pointer to a struct value the callee stores whole through, C's
 * "*orig_pte = entry" of a "pte_t *orig_pte" out-parameter: the model's
 * pte_t is a value (an interface copied on store), so its pointer is a
 * reference cell like ptr<int>'s, made by ref() at the call.  Printed as
 * ptr<T> is: "T *".
 * @c *
 */
export type out_param<T> = lvalue<T>;

class Cell<T> implements lvalue<T> {
	declare readonly __ref: T;
	constructor(readonly get: () => T, readonly set: (v: T) => void) {}
	get deref(): T {
		return this.get();
	}
	set deref(v: T) {
		this.set(v);
	}
}

/** &obj->name for a scalar or pointer member. */
export function addr_of<O extends object, K extends keyof O & string>(obj: O, name: K): lvalue<O[K]> {
	return new Cell(() => obj[name], (v: O[K]) => {
		obj[name] = v;
	});
}

/**
 * &x for a scalar or pointer local x: ref(x, (v) => x = v), only as a call
 * argument (an out-parameter).  The cell holds x's value from the call on
 * and writes through to x; the caller is suspended while the callee uses
 * it, so nothing else writes x meanwhile.  Of a value-struct local (a
 * pte_t: try_to_merge_one_page()'s &orig_pte) the cell is an
 * out_param<T>, which is what ptr<T> of a scalar or pointer is too.
 */
export function ref<T>(x: T, store: (v: T) => void): lvalue<T> {
	let cur = x;
	return new Cell(() => cur, (v: T) => {
		cur = v;
		store(v);
	});
}

/*
 * Pointer <-> unsigned long.  Objects get stable fake addresses, aligned so
 * that the low bits are free for tags (FOLIO_MAPPING_ANON lives there).
 */
const ADDR_BASE = 0x10000000;
const ADDR_STEP = 0x100;
let nextAddr = ADDR_BASE;
const addrOf = new WeakMap<object, number>();
const objAt = new Map<number, object>();

/** The fake address of an object, allocated on first use. */
export function address_of(o: object): number {
	let a = addrOf.get(o);
	if (a === undefined) {
		a = nextAddr;
		nextAddr += ADDR_STEP;
		addrOf.set(o, a);
		objAt.set(a, o);
	}
	return a;
}

/**
 * (T)x.  Pointer to integer gives the object's address; integer to pointer
 * gives the object at that address, or the integer itself when it is not an
 * object's address (a tagged pointer such as folio->mapping of an anon folio).
 */
export function cast<T>(x: unknown): T {
	if (x === null || x === undefined)
		return 0 as T;
	if (typeof x === 'object' || typeof x === 'function')
		return address_of(x as object) as T;
	if (typeof x === 'number') {
		if (x === 0)
			return null as T;
		const o = objAt.get(x);
		return (o ?? x) as T;
	}
	return x as T;
}

/**
 * (unsigned char)x: C's conversion, modulo 256.  cast<T>() cannot do it,
 * since its T is gone at run time; the compiler prints it as the cast.
 * x & 0xff takes x's low 8 bits as two's complement does, for every integer
 * a JavaScript number holds exactly (a negative difference of unsigned
 * longs included, which C would have wrapped).
 */
export function to_uchar(x: number): uchar {
	return x & 0xff;
}

/**
 * A comparison as C's int, 1 or 0: (a == b) == c is
 * int_of(a === b) === c.  The compiler prints the parentheses alone.
 */
export function int_of(cond: boolean): int {
	return cond ? 1 : 0;
}

/*
 * Arrays of structs C does pointer arithmetic over (ksm.c's
 * one_stable_tree[]): each element knows its array and index, for ptr_add().
 */
const arrayOf = new WeakMap<object, { items: object[]; i: number }>();

/** @model Register items as one C array. */
export function model_array<T extends object>(items: T[]): T[] {
	items.forEach((o, i) => arrayOf.set(o, { items, i }));
	return items;
}

/** The array an object is an element of, and its index; a lone object is an array of one. */
export function array_place(o: object): { items: object[]; i: number } {
	return arrayOf.get(o) ?? { items: [o], i: 0 };
}

/** A struct type as a value: sizeof(anon_vma) and KMEM_CACHE(anon_vma_chain, ...). */
export type struct_type<T> = new () => T;

const sizeTokens: struct_type<object>[] = [];

/**
 * sizeof(struct T).  At run time the "size" is a token that names the
 * struct type, so that kmem_cache_create() knows what to construct.
 */
export function sizeof<T extends object>(t: struct_type<T>): size_t {
	let i = sizeTokens.indexOf(t);
	if (i < 0) {
		sizeTokens.push(t);
		i = sizeTokens.length - 1;
	}
	return i;
}

/** The struct type a sizeof() token names. */
export function struct_of_size(size: size_t): struct_type<object> {
	const t = sizeTokens[size];
	if (!t)
		throw new Error(`sizeof token ${size} names no struct`);
	return t;
}

/**
 * A struct with designated initialisers: in a declaration,
 * `let rwc: rmap_walk_control = struct_init(rmap_walk_control, { rmap_one: f, });`
 * prints `struct rmap_walk_control rwc = { .rmap_one = f, };`.  The fields
 * it does not name keep the class's defaults (C: zero).
 */
export function struct_init<T extends object>(t: struct_type<T>, fields: Partial<T>): T {
	return Object.assign(new t(), fields);
}

/**
 * C's `{ 0 }`, a struct with every member zero: as a declaration's
 * initialiser (`struct T x = { 0 };`) or as the operand of a cast to its
 * struct type, which makes C's compound literal: `struct_assign(ctx,
 * cast<const_<T>>(zero_init(T)));` prints `ctx = (const struct T){ 0 };`.
 * The model's object has the class's defaults, its zeroes.
 */
export function zero_init<T extends object>(t: struct_type<T>): T {
	return new t();
}

/**
 * A struct local without an initialiser: in a declaration,
 * `let range: mmu_notifier_range = uninit(mmu_notifier_range);` prints
 * `struct mmu_notifier_range range;`.  C gives the variable storage and
 * no value; the model gives it the class's defaults, which the code
 * stores over before it reads them, as the kernel's does.
 */
export function uninit<T extends object>(t: struct_type<T>): T {
	return new t();
}

/**
 * A file-scope prototype of a function defined further down:
 * prototype(f) prints "static void f(struct vm_area_struct *vma);".
 * It does nothing at run time (JavaScript hoists function declarations).
 */
export function prototype(_fn: Function): void {}

/** A Kconfig symbol (include/generated/autoconf.h): y or not set. */
export type kconfig = boolean;

/**
 * #ifdef: a block "if (ifdef(CONFIG_X)) {" ... "}" written at column 0
 * prints "#ifdef CONFIG_X" ... "#endif" (and !ifdef(), "#ifndef");
 * at run time the block runs when the option is set.
 */
export function ifdef(option: kconfig): boolean {
	return option;
}

/**
 * #if: a block "if (defined(CONFIG_X) && defined(CONFIG_Y)) {" ... "}"
 * written at column 0 prints "#if" and the condition as written (defined()
 * of CONFIG_ symbols, &&, ||, !, parentheses only); at run time the block
 * runs when the condition holds.  defined() anywhere else is an error.
 */
export function defined(option: kconfig): boolean {
	return option;
}

/**
 * Carried C: a file-scope block
 *
 *     c`
 *     #include <linux/mm.h>
 *     `;
 *
 * ("c`" and "`;" each at column 0 on a line of their own) prints the lines
 * between them byte for byte (with "\`" and "\${" unescaped): includes,
 * macros, struct definitions and functions the model does not (yet)
 * express in TypeScript.  The checker never sees C inside it: at run time
 * it does nothing.
 */
export function c(_text: TemplateStringsArray): void {}

/*
 * The helpers under a second name, for a function with a local of the
 * helper's name (rmap_walk_ksm()'s "addr"), which would shadow it: the
 * compiler knows them by their declaration, so addr_(x) is &x as addr(x).
 */
export { addr as addr_, addr_of as addr_of_, ref as ref_, cast as cast_, to_uchar as to_uchar_, int_of as int_of_ };

/*
 * ULONG_MAX (~0UL).  The model's unsigned longs are JavaScript numbers;
 * the largest exact one stands for it (every address and pgoff the model
 * uses is below it, so comparisons with it are C's).
 */
export const ULONG_MAX: ulong = Number.MAX_SAFE_INTEGER;

/*
 * The kernel's fallthrough pseudo-keyword: a switch case that goes on
 * into the next ends in "fallthrough;" (-Wimplicit-fallthrough); the
 * compiler accepts it there and prints it as it stands.
 */
export const fallthrough: void = undefined;

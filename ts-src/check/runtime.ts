/*
 * The helpers transformed code calls (the "__k" object every checker module
 * gets).  ts-src/check/transform.ts rewrites the prelude, the model and the
 * harness so that every function is a generator and every sched_point() or
 * sched_wait() is a yield; these helpers glue the two worlds together:
 *
 *  - a transformed function is a pair: a plain wrapper (for callers that
 *    are not transformed: Proxy traps, getters, callbacks from Node) that
 *    runs the generator to completion, and the generator itself, which
 *    transformed callers run with yield* so that a scheduling request
 *    travels up to the thread's scheduler;
 *  - a call site does not know statically whether its callee is
 *    transformed, so c()/m() decide at run time and g()/v() hand the result
 *    back (one slot is enough: nothing runs between c() and g()/v());
 *  - for-of over a prelude iterator (list_for_each_entry...) must let
 *    scheduling requests through: the iterator yields either a value
 *    wrapped by val() or a request, and next() separates them.
 */

/** What a thread hands its scheduler at a sched_point() or sched_wait(). */
export interface sched_req {
	kind: 'point' | 'wait';
	what: string;
	obj?: object;
	ready?: () => boolean;
}

class kval {
	constructor(public v: unknown) {}
}

type genfn = (...args: unknown[]) => Generator<unknown, unknown, unknown>;

export class runtime {
	/*
	 * Coverage probe (ktsc mutate): told of every call a transformed
	 * function makes, with the callee before any design override.
	 */
	static onCall: ((k: runtime, f: Function) => void) | null = null;
	private gens = new WeakMap<Function, genfn>();
	/** Design variants: a function replaced by another, for every caller. */
	overrides = new Map<Function, Function>();
	/** Every file-scope function by "module:name" ("model/rmap:anon_vma_chain_alloc"), static ones too. */
	named = new Map<string, Function>();
	private slot: unknown = undefined;
	/** Last model/harness call site executed: the trace's "source line". */
	line = '';
	/** This world's ts-src/kernel/lockset.ts (set by the loader): guarded fields and C integer types. */
	lockset: any = null;
	private pendingTypes: [Function, string, string][] = [];
	/** Called by the sync wrapper when a sched_wait() can never return. */
	blockedForever: (what: string) => never = (what) => {
		throw new Error(`blocks forever in ${what}`);
	};

	/** Register a function declaration's generator body (and its name, at file scope). */
	reg(wrapper: Function, gen: genfn, name?: string): void {
		this.gens.set(wrapper, gen);
		if (name)
			this.named.set(name, wrapper);
	}

	/**
	 * A design variant's override: original is a function value or a
	 * "module:name" (a static function, which no other module can import).
	 */
	override(original: Function | string, replacement: Function): void {
		this.overrides.set(typeof original === 'string' ? this.lookup(original) : original, replacement);
	}

	/** The function registered as "module:name". */
	lookup(name: string): Function {
		const fn = this.named.get(name);
		if (!fn)
			throw new Error(`ktsc check: no function ${name}`);
		return fn;
	}

	/** Every file-scope `let` of a module by "module:name" (transform.ts's letAccessors()). */
	vars = new Map<string, { get(): unknown; set(v: unknown): void }>();

	vreg(name: string, get: () => unknown, set: (v: unknown) => void): void {
		this.vars.set(name, { get, set });
	}

	/** The file-scope `let` registered as "module:name": a scenario sets a static (ksm_merge_across_nodes). */
	variable(name: string): { get(): unknown; set(v: unknown): void } {
		const v = this.vars.get(name);
		if (!v)
			throw new Error(`ktsc check: no file-scope let ${name}`);
		return v;
	}

	/** A function expression: returns its plain wrapper. */
	fn(gen: genfn): Function {
		// eslint-disable-next-line @typescript-eslint/no-this-alias
		const k = this;
		const wrapper = function (this: unknown, ...args: unknown[]): unknown {
			return k.sync(gen, this, args);
		};
		this.gens.set(wrapper, gen);
		return wrapper;
	}

	/** Run a generator body outside any scheduler: one thread, no switches. */
	sync(gen: genfn, self: unknown, args: unknown[]): unknown {
		const it = gen.apply(self, args);
		let r = it.next();
		while (!r.done) {
			const req = r.value as sched_req;
			if (req && req.kind === 'wait' && !req.ready!())
				this.blockedForever(req.what);
			r = it.next();
		}
		return r.value;
	}

	private resolve(f: Function): Function {
		return this.overrides.get(f) ?? f;
	}

	/** f(args): true when the result is a generator to run with yield* g(). */
	c(f: Function, self: unknown, args: unknown[], line?: string): boolean {
		if (line)
			this.line = line;
		if (runtime.onCall)
			runtime.onCall(this, f);
		f = this.resolve(f);
		const gen = this.gens.get(f);
		if (gen) {
			this.slot = gen.apply(self, args);
			return true;
		}
		this.slot = f.apply(self, args);
		return false;
	}

	/** obj[key](args) */
	m(obj: Record<string | symbol, unknown>, key: string | symbol, args: unknown[], line?: string): boolean {
		return this.c(obj[key] as Function, obj, args, line);
	}

	g(): Generator<unknown, unknown, unknown> {
		return this.slot as Generator<unknown, unknown, unknown>;
	}

	v(): unknown {
		const v = this.slot;
		this.slot = undefined;
		return v;
	}

	/** A scheduling request. */
	req(kind: 'point' | 'wait', what: string, arg?: unknown): sched_req {
		return kind === 'point' ? { kind, what, obj: arg as object }
			: { kind, what, ready: arg as () => boolean };
	}

	/** yield x inside a prelude iterator. */
	val(x: unknown): kval {
		return new kval(x);
	}

	iter(x: Iterable<unknown>): Iterator<unknown> {
		return x[Symbol.iterator]();
	}

	/** One step of a for-of: forwards scheduling requests, returns the value. */
	*next(it: Iterator<unknown>): Generator<unknown, IteratorResult<unknown>, unknown> {
		for (;;) {
			const r = it.next();
			if (r.done)
				return r;
			if (r.value instanceof kval)
				return { done: false, value: r.value.v };
			if (r.value && typeof r.value === 'object' && 'kind' in r.value &&
			    ((r.value as sched_req).kind === 'point' || (r.value as sched_req).kind === 'wait')) {
				yield r.value;
				continue;
			}
			return r;
		}
	}

	/** A prelude struct's field declared with a C integer type (registered with the lockset module). */
	ftype(struct: Function, field: string, type: string): void {
		if (this.lockset)
			this.lockset.field_type(struct, field, type);
		else
			this.pendingTypes.push([struct, field, type]);
	}

	setLockset(L: any): void {
		this.lockset = L;
		for (const [s, f, t] of this.pendingTypes)
			L.field_type(s, f, t);
		this.pendingTypes = [];
	}

	/**
	 * obj.field op= v (or ++/--, post: the old value is the result): a load
	 * and a store; a field the lockset table guards gets a scheduling point
	 * between them, so an unlocked update can be lost as on a real CPU.
	 */
	*rmw(obj: any, field: string, op: string, v: number, post: boolean): Generator<unknown, number, unknown> {
		const L = this.lockset;
		const old = obj[field];
		if (L && L.rule_of(obj, field))
			yield this.req('point', `load ${L.raw_of(obj).constructor.name}.${field}`, obj);
		const nv = L ? L.rmw_value(obj, field, op, old, v) : old + (op === '-' ? -v : v);
		obj[field] = nv;
		return post ? old : nv;
	}

	/*
	 * A struct passed by value: a copy of a class instance (vma_flags_t),
	 * its Sets and Maps copied too.  Scalars, functions and the plain
	 * objects the prelude uses as immutable values (pte_t, pmd_t) pass
	 * as they are.
	 */
	byval<T>(x: T): T {
		if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) === Object.prototype)
			return x;
		const c = Object.create(Object.getPrototypeOf(x));
		for (const [k, v] of Object.entries(x as object))
			c[k] = v instanceof Set ? new Set(v) : v instanceof Map ? new Map(v) : v;
		return c;
	}

	/*
	 * x op= v (or ++/--) of a file-scope integer variable of C type type:
	 * the stored value wrapped as x86-64 stores it (an unsigned long below
	 * zero is 2^64 - 1).  No scheduling point: the model's file-scope
	 * counters have no lockset rule.
	 */
	*rmwv(get: () => number, set: (v: number) => void, type: string, op: string, v: number, post: boolean): Generator<unknown, number, unknown> {
		const old = get();
		const nv = this.lockset ? this.lockset.c_rmw(type, op, old, v) : old + (op === '-' ? -v : v);
		set(nv);
		return post ? old : nv;
	}

	/** This world's kernel/ctypes module (set by the loader): cast(), the fake addresses. */
	ctypes: { cast<T>(x: unknown): T } | null = null;

	/** A void * read into an object pointer (C's implicit conversion): the object at the address, else the value as it is. */
	vp(x: unknown): unknown {
		return typeof x === 'number' && x !== 0 && this.ctypes ? this.ctypes.cast(x) : x;
	}

	/** A ptr<void> operand of C arithmetic: an object is its address (cast()), a number (a tagged pointer) itself. */
	va(x: unknown): unknown {
		if (x && typeof x === 'object') {
			if (!this.ctypes)
				throw new Error('void pointer arithmetic before kernel/ctypes is loaded');
			return this.ctypes.cast<number>(x);
		}
		return x;
	}

	/** The world's kernel/memory_order module, once loaded. */
	memory: { mo_load(o: object, f: string): unknown; mo_store(o: object, f: string, v: unknown): unknown } | null = null;

	/** READ_ONCE(o.f) of a field memory_order.ts orders: the load it makes. */
	ld(obj: any, field: string): unknown {
		return this.memory ? this.memory.mo_load(obj, field) : obj[field];
	}

	/** o.f = v for such a field: the store, stamped. */
	st(obj: any, field: string, v: unknown): unknown {
		if (this.memory)
			return this.memory.mo_store(obj, field, v);
		obj[field] = v;
		return v;
	}

	/** The generator body of a transformed function, or undefined. */
	generatorOf(f: Function): genfn | undefined {
		return this.gens.get(this.resolve(f));
	}
}

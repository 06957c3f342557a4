/*
 * One execution of a scenario under the deterministic scheduler.
 *
 * A thread is a generator (a transformed harness function); a step runs the
 * chosen thread from the scheduling request it is parked at to its next one.
 * Which thread runs is decided by a chooser, so the same choices always give
 * the same execution: that is what makes exploration and replay work.
 */
import { world_modules } from './loader';
import type { sched_req } from './runtime';
import type { finding } from './verdict';
import { describeDeadlock } from './invariants';
import { aloneCheck } from './alone';

export interface thread_spec {
	name: string;
	/** An exported harness function and its arguments. */
	fn: Function;
	args: unknown[];
}

/** A scenario's world, as the scheduler needs it. */
export interface instance {
	w: world_modules;
	/** kernel prelude exports of this world */
	K: any;
	threads: thread_spec[];
	/** Invariants at the quiescent end: a finding or null. */
	check(): failure | null;
}

export interface failure {
	kind: finding;
	message: string;
}

export interface step {
	thread: number;
	name: string;
	/** The operation the thread was parked at (sched_point's "what"). */
	what: string;
	/** Last model/harness call site before that operation. */
	line: string;
}

export interface thread_state {
	spec: thread_spec;
	task: any;
	it: Generator<unknown, unknown, unknown> | null;
	parked: sched_req | null;
	line: string;
	done: boolean;
	steps: number;
	/** Object of the last sched_point(): the lock a following wait is for. */
	lastObj: object | null;
}

/**
 * Picks the next thread among the enabled ones.  The same chooser decides
 * which value a weak load returns (kernel/memory_order.ts): then enabled
 * is [-1, -2, ... -n], -1 the newest store and -1-k the k-th older one,
 * and current is -1, so that "keep going" means the newest.  stepNo is the
 * index of the choice among all choices, thread and value ones alike.
 */
export type chooser = (enabled: number[], current: number, stepNo: number, threads: thread_state[]) => number;

/** A value choice's entry in choices: -1 newest, -1-k the k-th older store. */
export function isValueChoice(c: number): boolean {
	return c < 0;
}

export interface execution_result {
	choices: number[];
	/** Enabled threads at each step (for backtracking). */
	enabled: number[][];
	steps: step[];
	failure: failure | null;
}

export const MAX_STEPS = 20000;

/*
 * The scheduler's own look at a wait condition (is the lock free?) is not
 * an access by the waiting thread: no use-after-free or lockset checks
 * (the thread touches the lock itself when it gets it).
 */
export function enabledThreads(ts: thread_state[], K?: any): number[] {
	const out: number[] = [];
	if (K)
		K.lockset.off++;
	try {
		ts.forEach((t, i) => {
			if (t.done)
				return;
			if (t.parked && t.parked.kind === 'wait' && !t.parked.ready!())
				return;
			out.push(i);
		});
	} finally {
		if (K)
			K.lockset.off--;
	}
	return out;
}

/** Classify an exception thrown by model code (K: the world's prelude, when there is one yet). */
export function toFailure(e: unknown, K?: any): failure {
	if (K ? e instanceof K.KernelBug : e instanceof Error && e.constructor.name === 'KernelBug' && 'kind' in e) {
		const kb = e as { kind: string; message: string };
		const kind = (kb.kind === 'enomem' ? 'bug' : kb.kind) as finding;
		/* KernelBug's message starts with its kind: say it once. */
		const message = kb.message.startsWith(`${kb.kind}: `) ? kb.message.slice(kb.kind.length + 2) : kb.message;
		return { kind, message };
	}
	const err = e as Error;
	return { kind: 'bug', message: `harness/model exception: ${err && err.stack ? err.stack.split('\n').slice(0, 4).join(' | ') : String(e)}` };
}

/**
 * A scenario's world, or the finding its setup ran into: setup runs the
 * model single-threaded, and a bug there (a data race, a BUG_ON) is a
 * finding like any other, with an empty schedule.
 */
export function setUp(make: () => instance): instance | execution_result {
	try {
		return make();
	} catch (e) {
		const f = toFailure(e);
		return { choices: [], enabled: [], steps: [], failure: { kind: f.kind, message: `during setup: ${f.message}` } };
	}
}

/*
 * A thread is a system call or a kernel work item: returning with a lock or
 * inside an RCU read-side section is lockdep's "lock held when returning
 * to user space" and RCU's nesting check on the way out; returning with
 * an mmu_notifier invalidation open leaves KVM's faults retrying forever.
 */
function heldAtExit(task: any): string | null {
	if (task.rcu_read_lock_nesting)
		return `inside an RCU read-side critical section (rcu_read_lock nesting ${task.rcu_read_lock_nesting})`;
	if (task.held.length)
		return `holding ${task.held.map((h: { cls: string }) => h.cls).join(', ')}`;
	if (task.mmu_invalidations)
		return `with ${task.mmu_invalidations} mmu_notifier invalidation(s) started and never ended (a secondary MMU's faults on the mm would retry forever)`;
	return null;
}

export function execute(inst: instance, choose: chooser, keepSteps = true): execution_result {
	const { K, w } = inst;
	const res: execution_result = { choices: [], enabled: [], steps: [], failure: null };
	const ts: thread_state[] = inst.threads.map((spec) => ({
		spec, task: new K.task_struct(spec.name), it: null, parked: null, line: '', done: false, steps: 0, lastObj: null,
	}));
	for (const t of ts)
		K.mo_thread_start(t.task);
	let current = -1;
	/* The harness's view of the schedule (harness.ts world.sched_view): a try_lock walk's contention must be real. */
	const view = { switches: 0, others_hold_locks: (): boolean => ts.some((o) => o.task !== K.sched.current && o.task.held.length > 0) };
	/* Allocation failures injected so far (withAllocFailure()): a thread that met one did not run on its setup's world. */
	let injected = 0;
	const failAlloc = K.sched.failAlloc;
	K.sched.failAlloc = (what: string, gfp: number): boolean => {
		const f = failAlloc(what, gfp);
		if (f)
			injected++;
		return f;
	};
	const hw = w.load('check/harness').world;
	if (hw)
		hw.sched_view = view;
	K.sched.chooseValue = (k: number, what: string): number => {
		const en = Array.from({ length: k }, (_, i) => -1 - i);
		const c = choose(en, -1, res.choices.length, ts);
		if (!en.includes(c))
			throw new Error(`chooser picked ${c} for a load with ${k} possible values`);
		res.choices.push(c);
		res.enabled.push(en);
		if (keepSteps && current >= 0)
			res.steps.push({ thread: current, name: ts[current].spec.name,
				what: `${what} loads ${c === -1 ? 'the newest value' : `a value ${-1 - c} store(s) old`}`, line: w.k.line });
		return -1 - c;
	};

	for (let n = 0; ; n++) {
		const en = enabledThreads(ts, K);
		if (en.length === 0) {
			if (ts.every((t) => t.done))
				break;
			K.lockset.off++;
			try {
				res.failure = { kind: 'deadlock', message: describeDeadlock(ts, K) };
			} finally {
				K.lockset.off--;
			}
			return res;
		}
		if (n >= MAX_STEPS) {
			res.failure = { kind: 'bug', message: `no progress after ${MAX_STEPS} steps (livelock?)` };
			return res;
		}
		const t = choose(en, current, res.choices.length, ts);
		res.choices.push(t);
		res.enabled.push(en);
		const th = ts[t];
		if (keepSteps)
			res.steps.push({ thread: t, name: th.spec.name, what: th.parked ? th.parked.what : 'start', line: th.line });
		if (t !== current)
			view.switches++;
		current = t;
		K.sched.current = th.task;
		try {
			if (!th.it) {
				const gen = w.k.generatorOf(th.spec.fn);
				if (!gen)
					throw new Error(`thread ${th.spec.name}: not a transformed function`);
				th.it = gen(...th.spec.args);
			}
			const r = th.it.next();
			th.steps++;
			if (r.done) {
				th.done = true;
				th.parked = null;
				const leaked = heldAtExit(th.task);
				if (leaked) {
					res.failure = { kind: 'bug', message: `${th.spec.name} returns ${leaked} (last model call: ${w.k.line})` };
					return res;
				}
				/* It ran first, to its end, alone: on its setup's world it must have done its job (alone.ts). */
				const alone = aloneCheck(th.spec.fn);
				if (alone && injected === 0 && ts.every((o) => o === th || o.steps === 0)) {
					K.lockset.off++;
					try {
						const wrong = alone(r.value, th.spec.args, K);
						if (wrong) {
							res.failure = { kind: 'no-effect', message: `${th.spec.name}, run alone: ${wrong}` };
							return res;
						}
					} finally {
						K.lockset.off--;
					}
				}
			} else {
				th.parked = r.value as sched_req;
				th.line = w.k.line;
				if (th.parked.kind === 'point' && th.parked.obj)
					th.lastObj = th.parked.obj;
			}
		} catch (e) {
			res.failure = toFailure(e, K);
			if (w.k.line)
				res.failure.message += ` (last model call: ${w.k.line})`;
			return res;
		}
	}
	try {
		res.failure = inst.check();
	} catch (e) {
		res.failure = toFailure(e, K);
	}
	return res;
}

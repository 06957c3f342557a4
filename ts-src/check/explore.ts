/*
 * Which schedules to run.
 *
 * Systematic mode is stateless depth-first search with a preemption bound
 * (Musuvathi and Qadeer's CHESS idea): switching away from a thread that
 * could go on costs one preemption, switching when it blocked or finished
 * is free.  Most concurrency bugs need very few preemptions, and raising
 * the bound 0, 1, 2... finds a failing schedule with as few preemptions as
 * possible: that is what keeps traces short.
 *
 * Each execution starts from a fresh world and replays a prefix of forced
 * choices; beyond the prefix the current thread keeps running.  Every
 * step beyond the prefix where another enabled thread could have run is a
 * new prefix to try, if the bound allows; so every schedule is run once.
 *
 * Pruning: after each step a cheap fingerprint of the state (every
 * thread's position, what it is parked at, the lock owners, the page
 * tables with each PTE's bits, each folio's counts, contents and flags)
 * is recorded; a new prefix is not spawned from a state already seen
 * with no more preemptions spent.  Thread positions
 * stand in for thread-local state, which is exact only while threads'
 * control flow depends on what they read solely through the fingerprinted
 * state: a heuristic, hence optional (--no-prune).
 *
 * Random mode runs seeded random schedules instead.
 */
import { execute, execution_result, instance, failure, thread_state, MAX_STEPS, setUp, isValueChoice } from './execution';

export interface explore_options {
	bound: number;
	/** Stop after this many executions (the state space can be large). */
	maxExecutions: number;
	seconds: number;
	prune: boolean;
	random?: { seed: number; runs: number };
}

export interface explore_result {
	failure: failure | null;
	/** The failing schedule: thread index per step. */
	schedule: number[] | null;
	executions: number;
	states: number;
	pruned: number;
	complete: boolean;
	seconds: number;
}

/** mulberry32: small, seedable, good enough for picking threads. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/*
 * A weak load that returns an older value than the newest costs one
 * preemption too: reorderings are bounded like switches, and the newest
 * value is what "run on" means.
 */
function preemptionCost(prevThread: number, enabled: number[], next: number): number {
	if (isValueChoice(next))
		return next === -1 ? 0 : 1;
	return prevThread >= 0 && next !== prevThread && enabled.includes(prevThread) ? 1 : 0;
}

/* The thread chosen last before choice i (value choices skipped), -1 at the start. */
function threadsBefore(choices: number[]): number[] {
	const out: number[] = [];
	let last = -1;
	for (const c of choices) {
		out.push(last);
		if (!isValueChoice(c))
			last = c;
	}
	return out;
}

export function explore(make: () => instance, opts: explore_options): explore_result {
	const t0 = Date.now();
	const res: explore_result = { failure: null, schedule: null, executions: 0, states: 0, pruned: 0, complete: true, seconds: 0 };
	const first = setUp(make);
	if (!('w' in first)) {
		res.executions = 1;
		res.failure = first.failure;
		res.schedule = [];
		return res;
	}
	const outOfBudget = (): boolean =>
		res.executions >= opts.maxExecutions || (Date.now() - t0) / 1000 > opts.seconds;
	const finish = (r: execution_result | null): explore_result => {
		if (r && r.failure) {
			res.failure = r.failure;
			res.schedule = r.choices;
		}
		res.seconds = (Date.now() - t0) / 1000;
		return res;
	};

	if (opts.random) {
		const rand = rng(opts.random.seed);
		for (let i = 0; i < opts.random.runs; i++) {
			if (outOfBudget()) {
				res.complete = false;
				break;
			}
			const r = execute(make(), (en, cur) => {
				/* Mostly run on; switch often enough to interleave. */
				if (en.includes(cur) && rand() < 0.8)
					return cur;
				return en[Math.floor(rand() * en.length)];
			}, false);
			res.executions++;
			res.states += r.choices.length;
			if (r.failure)
				return finish(r);
		}
		return finish(null);
	}

	for (let bound = 0; bound <= opts.bound; bound++) {
		const seen = new Map<string, number>();
		const stack: { prefix: number[]; preemptions: number }[] = [{ prefix: [], preemptions: 0 }];
		while (stack.length) {
			if (outOfBudget()) {
				res.complete = false;
				return finish(null);
			}
			const { prefix } = stack.pop()!;
			const inst = make();
			const fp: string[] = [];
			const r = execute(inst, (en, cur, n, threads) => {
				if (n < prefix.length)
					return prefix[n];
				if (opts.prune && !isValueChoice(en[0]))
					fp[n] = fingerprint(inst, threads);
				return en.includes(cur) ? cur : en[0];
			}, false);
			res.executions++;
			res.states += r.choices.length;
			if (r.failure)
				return finish(r);
			/* Spawn alternatives after the forced prefix, deepest last so DFS goes deep first. */
			let pre = 0;
			const spent: number[] = [];
			const prev = threadsBefore(r.choices);
			for (let i = 0; i < r.choices.length; i++) {
				spent.push(pre);
				pre += preemptionCost(prev[i], r.enabled[i], r.choices[i]);
			}
			for (let i = prefix.length; i < r.choices.length; i++) {
				if (opts.prune && fp[i] !== undefined) {
					const key = fp[i];
					const before = seen.get(key);
					if (before !== undefined && before <= spent[i]) {
						res.pruned++;
						break;	/* the rest of this execution was explored from there */
					}
					seen.set(key, spent[i]);
				}
				for (const alt of r.enabled[i]) {
					if (alt === r.choices[i])
						continue;
					const cost = spent[i] + preemptionCost(prev[i], r.enabled[i], alt);
					if (cost > bound)
						continue;
					stack.push({ prefix: [...r.choices.slice(0, i), alt], preemptions: cost });
				}
			}
			if (r.choices.length >= MAX_STEPS)
				res.complete = false;
		}
	}
	return finish(null);
}

/* ---- the state fingerprint used for pruning ---- */

function fingerprint(inst: instance, threads: thread_state[]): string {
	const K = inst.K;
	const H = inst.w.load('check/harness');
	const ids = new Map<object, number>();
	const id = (o: unknown): number => {
		if (!o || typeof o !== 'object')
			return 0;
		let n = ids.get(o);
		if (n === undefined)
			ids.set(o, (n = ids.size + 1));
		return n;
	};
	const parts: string[] = [];
	for (const t of threads)
		parts.push(`${t.steps}:${t.parked ? t.parked.what : '-'}:${t.task.held.length}`);
	for (const mm of H.world.mms) {
		parts.push(`mm${id(mm)}`);
		for (const [a, p] of mm.ptes)
			parts.push(`${a}>${id(p.folio)}${p.nr ? `.${p.nr}` : ''}${p.migration ? 'm' : ''}${p.swap ? 's' : ''}${p.write ? 'w' : ''}${p.exclusive ? 'x' : ''}${p.dirty ? 'd' : ''}`);
		for (const v of mm.vmas)
			parts.push(`v${v.vm_start},${v.vm_end},${v.vm_pgoff},${id(v.anon_vma)}`);
	}
	/* Each folio's mapcount, references (a GUP pin), contents, dirty and lazyfree state, lock. */
	for (const f of H.world.folios)
		parts.push(`f${K.folio_mapcount(f)}${K.PageAnonExclusive(K.folio_page(f, 0)) ? 'x' : ''}r${f._refcount.counter}=${f.data}` +
			`${f.dirty ? 'D' : ''}${f.swapbacked ? '' : 'L'}${f.locked ? 'K' : ''}${f.freed ? 'F' : ''}`);
	/* A large folio's per-page and per-MM state. */
	for (const f of H.world.folios)
		if (f.nr_pages > 1)
			parts.push(`L${f._nr_pages_mapped.counter},${f._mm_id},${f._mm_id_mapcount},${f._mm_ids_shared ? 's' : ''}${f.partially_mapped ? 'p' : ''}` +
				K.folio_pages(f).map((p: any) => `${p._mapcount.counter}${p.anon_exclusive ? 'x' : ''}`).join(','));
	parts.push(K.mo_fingerprint(threads.map((t) => t.task)));
	return parts.join('|');
}

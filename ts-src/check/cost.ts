/*
 * The cost table (--cost): seed 003's AIM7 story.  A parent faults a
 * region, forks N children, and every child writes the whole region (COW),
 * so the parent's folios stay in the root anon_vma and each child's copies
 * in its own.  Then every folio gets an rmap walk, and we count the VMAs
 * the walk visits (rmap_one calls) and the lock operations it makes.
 *
 * Children are symmetric, so only a few children's folios are walked and
 * the result is weighted by N: the numbers are exact averages all the same.
 *
 * No scheduler here: one thread, the plain wrappers, the design overrides.
 */
import { world_modules } from './loader';

export interface cost_row {
	design: string;
	n: number;
	walks: number;
	avgVmas: number;
	maxVmas: number;
	avgLocks: number;
	maxLocks: number;
	seconds: number;
}

export const COST_DESIGNS = ['pre-2.6.34-single-anon-vma', '6.12', '7.2', 'root-walk-nested'];
const REGION_PAGES = 2;
const SAMPLE_CHILDREN = 4;

/* One thread, the design applied, the mmu notifier not sleeping. */
function costWorld(design: string, comm: string): { w: world_modules; K: any; R: any; H: any } {
	const w = world_modules.forDesign(design);
	const K = w.load('kernel');
	const R = w.load('model/rmap');
	const H = w.load('check/harness');
	w.applyDesign(design);
	K.sched.current = new K.task_struct(comm);
	H.world.notifier_sleeps = false;
	H.harness_init();
	return { w, K, R, H };
}

/* Run count(args) before every call of orig, whatever the design made of it. */
function countCalls(w: world_modules, orig: Function, count: (...a: unknown[]) => void): void {
	const inner = w.k.overrides.get(orig) ?? orig;
	w.k.overrides.set(orig, (...a: unknown[]) => {
		count(...a);
		return inner(...a);
	});
}

export function measureCost(design: string, n: number): cost_row {
	const t0 = Date.now();
	const { w, K, R, H } = costWorld(design, 'aim7');

	const P = H.mm_alloc('parent');
	const base = 0x100000;
	H.do_mmap(P, base, REGION_PAGES);
	const parentFolios: any[] = [];
	for (let p = 0; p < REGION_PAGES; p++)
		parentFolios.push(H.do_anonymous_page(P, base + p * 0x1000));
	const sampled: any[][] = [];
	for (let c = 0; c < n; c++) {
		const C = H.dup_mmap(P, `child${c}`);
		const mine: any[] = [];
		for (let p = 0; p < REGION_PAGES; p++)
			mine.push(H.do_wp_page(C, base + p * 0x1000));
		if (c < SAMPLE_CHILDREN)
			sampled.push(mine);
	}

	/* Count lock operations: wrap every lock entry point, whoever calls it. */
	let locks = 0;
	/* down_write() is down_write_nested(sem, 0): count it once. */
	for (const name of ['down_read', 'down_read_trylock', 'down_read_nested', 'down_write_nested', 'spin_lock'])
		countCalls(w, K[name], () => locks++);
	const walk = w.k.generatorOf(R.rmap_walk)!;
	const one = (f: any): { vmas: number; locks: number } => {
		let vmas = 0;
		const rwc = new K.rmap_walk_control();
		rwc.rmap_one = (): boolean => {
			vmas++;
			return true;
		};
		locks = 0;
		f.locked = true;	/* rmap_walk() callers hold the folio lock */
		w.k.sync(walk, undefined, [f, rwc]);
		f.locked = false;
		return { vmas, locks };
	};

	let walks = 0, vmas = 0, lockOps = 0, maxVmas = 0, maxLocks = 0;
	const add = (c: { vmas: number; locks: number }, weight: number): void => {
		walks += weight;
		vmas += c.vmas * weight;
		lockOps += c.locks * weight;
		maxVmas = Math.max(maxVmas, c.vmas);
		maxLocks = Math.max(maxLocks, c.locks);
	};
	for (const f of parentFolios)
		add(one(f), 1);
	for (const mine of sampled)
		for (const f of mine)
			add(one(f), n / sampled.length);
	return {
		design, n, walks,
		avgVmas: vmas / walks, maxVmas,
		avgLocks: lockOps / walks, maxLocks,
		seconds: (Date.now() - t0) / 1000,
	};
}

export function costTable(ns = [1, 10, 100, 1000], designs = COST_DESIGNS): cost_row[] {
	const rows: cost_row[] = [];
	for (const d of designs)
		for (const n of ns)
			rows.push(measureCost(d, n));
	return rows;
}

export function formatCost(rows: cost_row[]): string {
	const out = [
		`AIM7-style fork: N children COW a ${REGION_PAGES}-page region; one rmap walk per folio`,
		`${'design'.padEnd(28)} ${'N'.padStart(5)} ${'walks'.padStart(6)} ${'VMAs/walk'.padStart(10)} ${'max'.padStart(5)} ${'locks/walk'.padStart(11)} ${'max'.padStart(5)}`,
	];
	for (const r of rows)
		out.push(`${r.design.padEnd(28)} ${String(r.n).padStart(5)} ${String(r.walks).padStart(6)} ` +
			`${r.avgVmas.toFixed(2).padStart(10)} ${String(r.maxVmas).padStart(5)} ` +
			`${r.avgLocks.toFixed(2).padStart(11)} ${String(r.maxLocks).padStart(5)}`);
	return out.join('\n');
}

/*
 * The anon_vma lock cost of the VMA side: a VMA at fork depth N (a chain
 * of N + 1 anon_vmas, every generation alive and COWed, so nothing is
 * reused) is split, anon_vma_clone(VMA_OP_SPLIT), and the new part is
 * unmapped, unlink_anon_vmas().  Counted while each call runs: anon_vma
 * lock acquisitions, and AVC allocations made while holding one (6.12
 * allocates under the root lock with GFP_NOWAIT; 7.2 allocates first).
 */
export interface clone_cost_row {
	design: string;
	n: number;
	chain: number;
	cloneLocks: number;
	cloneAllocsLocked: number;
	unlinkLocks: number;
	seconds: number;
}

export const CLONE_COST_DESIGNS = ['6.12', '7.2'];

export function measureCloneCost(design: string, n: number): clone_cost_row {
	const t0 = Date.now();
	const { w, K, R, H } = costWorld(design, 'forker');

	const base = 0x100000;
	let mm = H.mm_alloc('gen0');
	H.do_mmap(mm, base, 2);
	H.do_anonymous_page(mm, base);
	for (let g = 1; g <= n; g++) {
		mm = H.dup_mmap(mm, `gen${g}`);
		H.do_wp_page(mm, base);
	}
	const vma = H.find_vma(mm, base);
	let chain = 0;
	for (let e = vma.anon_vma_chain.next; e !== vma.anon_vma_chain; e = e.next)
		chain++;

	/* Count while one of the measured calls runs: wrap whatever the design made of them. */
	let measuring = false, locks = 0, allocsLocked = 0;
	const holdsAnonVmaLock = (): boolean => K.current().held.some((h: { cls: string }) => h.cls === '&anon_vma->rwsem');
	/* down_write() is down_write_nested(sem, 0): count it once. */
	for (const name of ['down_write_nested', 'down_write_trylock', 'down_read', 'down_read_nested', 'down_read_trylock'])
		countCalls(w, K[name], (sem: unknown) => {
			if (measuring && (sem as { cls: string }).cls === '&anon_vma->rwsem')
				locks++;
		});
	countCalls(w, K.kmem_cache_alloc, () => {
		if (measuring && holdsAnonVmaLock())
			allocsLocked++;
	});
	const measured = (orig: Function): Function => {
		const inner = w.k.overrides.get(orig) ?? orig;
		w.k.overrides.set(orig, (...a: unknown[]) => {
			measuring = true;
			try {
				return inner(...a);
			} finally {
				measuring = false;
			}
		});
		return orig;
	};
	measured(R.anon_vma_clone);
	measured(R.unlink_anon_vmas);

	const below = H.split_vma(mm, vma, base + 0x1000);
	const cloneLocks = locks, cloneAllocsLocked = allocsLocked;
	locks = 0;
	H.do_munmap(mm, below);
	return { design, n, chain, cloneLocks, cloneAllocsLocked, unlinkLocks: locks, seconds: (Date.now() - t0) / 1000 };
}

export function cloneCostTable(ns = [1, 10, 100, 1000], designs = CLONE_COST_DESIGNS): clone_cost_row[] {
	const rows: clone_cost_row[] = [];
	for (const d of designs)
		for (const n of ns)
			rows.push(measureCloneCost(d, n));
	return rows;
}

export function formatCloneCost(rows: clone_cost_row[]): string {
	const out = [
		'VMA at fork depth N split (anon_vma_clone) and the new part unmapped (unlink_anon_vmas)',
		`${'design'.padEnd(28)} ${'N'.padStart(5)} ${'chain'.padStart(6)} ${'clone locks'.padStart(12)} ${'allocs locked'.padStart(14)} ${'unlink locks'.padStart(13)}`,
	];
	for (const r of rows)
		out.push(`${r.design.padEnd(28)} ${String(r.n).padStart(5)} ${String(r.chain).padStart(6)} ` +
			`${String(r.cloneLocks).padStart(12)} ${String(r.cloneAllocsLocked).padStart(14)} ${String(r.unlinkLocks).padStart(13)}`);
	return out.join('\n');
}

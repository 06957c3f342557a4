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
	K.mmu_notifier_model.sleeps = false;
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
	const holdsAnonVmaLock = (): boolean => K.get_current().held.some((h: { cls: string }) => h.cls === '&anon_vma->rwsem');
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

/*
 * rmap_walk_ksm()'s cost curve (issue 11): one page content shared by N
 * mappings (N processes, one page each, merged by ksmd), with
 * max_page_sharing = 256 (a stable_node chain of dups, each one KSM page
 * with at most 256 rmap_items) against unlimited (one stable node, one
 * KSM page, N rmap_items).  Each KSM page gets one walk, the model's
 * rmap_walk_ksm() (check/ksm_harness.ts ksm_walk_visits()), and its
 * rmap_one() calls are counted: each is one PTE to unmap, and so one TLB
 * flush, when reclaim or migration walks.
 *
 * Up to KSM_LITERAL mappings are built literally.  Above that the sharing
 * is built once per distinct page and weighted: a walk visits only its
 * own KSM page's stable node (folio_stable_node()), so a chain of full
 * 256-dups walks like one full dup, counted N / 256 times, plus the
 * partial one; and an unlimited node's walk is a sum over its rmap_items,
 * each leading to its own process's one VMA, so a node of KSM_LITERAL
 * items is walked and its count weighted by N / KSM_LITERAL.
 */
export interface ksm_cost_row {
	/** max_page_sharing, 0 for unlimited */
	limit: number;
	n: number;
	/** KSM pages (stable nodes, or dups of the chain) holding the N mappings: one walk each */
	walks: number;
	avgRmapOne: number;
	maxRmapOne: number;
	/** mappings the model built (N, or the sample) */
	built: number;
	seconds: number;
}

export const KSM_COST_NS = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
export const KSM_COST_LIMITS = [256, 0];
export const KSM_LITERAL = 1000;
/* Mainline's figure for one rmap entry (the TLB-flush IPIs), when it capped max_page_sharing: an assumption, not measured here. */
export const KSM_US_PER_RMAP_ENTRY = 10;

export function measureKsmCost(n: number, limit: number, literal = KSM_LITERAL): ksm_cost_row {
	const t0 = Date.now();
	const { w, H } = costWorld('7.2', 'ksmd');
	const KH = w.load('check/ksm_harness');
	const ADDR = 0x10000;
	/* Group sizes: the KSM pages the N mappings are spread over, with how many pages of that size there are. */
	const sizes: { size: number; pages: number; weight: number }[] = [];
	if (!limit) {
		const size = Math.min(n, literal);
		sizes.push({ size, pages: 1, weight: n / size });
	} else if (n <= literal) {
		for (let left = n; left > 0; left -= limit)
			sizes.push({ size: Math.min(left, limit), pages: 1, weight: 1 });
	} else {
		if (Math.floor(n / limit))
			sizes.push({ size: limit, pages: Math.floor(n / limit), weight: 1 });
		if (n % limit)
			sizes.push({ size: n % limit, pages: 1, weight: 1 });
	}
	let proc = 0;
	const groups = sizes.map((s) => Array.from({ length: s.size }, () => {
		const mm = H.mm_alloc(`p${proc++}`);
		H.do_mmap(mm, ADDR, 1);
		H.do_anonymous_page(mm, ADDR);
		return mm;
	}));
	const folios: any[] = KH.ksm_merged_shared(groups, ADDR, limit);
	let walks = 0, calls = 0, maxCalls = 0;
	folios.forEach((f, i) => {
		const c = KH.ksm_walk_visits(f).length * sizes[i].weight;
		walks += sizes[i].pages;
		calls += c * sizes[i].pages;
		maxCalls = Math.max(maxCalls, c);
	});
	return { limit, n, walks, avgRmapOne: calls / walks, maxRmapOne: maxCalls, built: proc, seconds: (Date.now() - t0) / 1000 };
}

export function ksmCostTable(ns = KSM_COST_NS, limits = KSM_COST_LIMITS): ksm_cost_row[] {
	const rows: ksm_cost_row[] = [];
	for (const l of limits)
		for (const n of ns)
			rows.push(measureKsmCost(n, l));
	return rows;
}

function walkTime(calls: number): string {
	const us = calls * KSM_US_PER_RMAP_ENTRY;
	return us >= 1e6 ? `${(us / 1e6).toFixed(2)} s` : us >= 1e3 ? `${(us / 1e3).toFixed(2)} ms` : `${us.toFixed(0)} us`;
}

export function formatKsmCost(rows: ksm_cost_row[]): string {
	const out = [
		'rmap_walk_ksm() of a KSM page whose content N mappings share: rmap_one() calls per walk (one walk per KSM page)',
		`(estimated walk time at ${KSM_US_PER_RMAP_ENTRY} us per rmap entry, mainline's TLB-flush IPI figure: an assumption;`,
		` N above ${KSM_LITERAL} built as one full dup and the partial one (256), or a ${KSM_LITERAL}-item sample (unlimited), weighted exactly)`,
		`${'max_page_sharing'.padEnd(17)} ${'N'.padStart(8)} ${'KSM pages'.padStart(10)} ${'rmap_one/walk'.padStart(14)} ${'max'.padStart(8)} ${'avg walk'.padStart(10)} ${'max walk'.padStart(10)} ${'built'.padStart(6)}`,
	];
	for (const r of rows)
		out.push(`${(r.limit ? String(r.limit) : 'unlimited').padEnd(17)} ${String(r.n).padStart(8)} ${String(r.walks).padStart(10)} ` +
			`${r.avgRmapOne.toFixed(2).padStart(14)} ${String(r.maxRmapOne).padStart(8)} ${walkTime(r.avgRmapOne).padStart(10)} ` +
			`${walkTime(r.maxRmapOne).padStart(10)} ${String(r.built).padStart(6)}`);
	return out.join('\n');
}

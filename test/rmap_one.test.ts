/*
 * The rmap_one paths run from the model itself: folio_referenced() and its
 * callbacks are the model's TypeScript (not carried C), the harness's
 * reclaim aging runs through them, and page_vma_mapped_walk() (the
 * prelude's mm/page_vma_mapped.c) walks the model's page tables.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fidelity } from '../ts-src/fidelity';
import { world_modules } from '../ts-src/check/loader';
import { checkOne } from '../ts-src/check/index';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const PORTED = ['folio_referenced_one', 'invalid_folio_referenced_vma', 'folio_referenced',
	'invalid_migration_vma', 'folio_not_mapped', 'try_to_migrate_one', 'try_to_migrate'];

test('folio_referenced(), try_to_migrate() and their callbacks are TypeScript, identical to the base', () => {
	const r = fidelity();
	for (const name of PORTED) {
		const f = r.functions.find((x) => x.file === 'mm/rmap.c' && x.name === name);
		assert.ok(f, `${name} is not one of the model's TypeScript functions`);
		assert.equal(f.status, 'identical', name);
		assert.ok(f.bytes_identical, name);
		assert.ok(!r.carried.some((x) => x.file === 'mm/rmap.c' && x.name === name), `${name} is still carried`);
	}
});

/* A parent and a forked child sharing one page at 0x10000; the child madvised MADV_RANDOM. */
function world(): { w: world_modules; K: any; H: any; P: any; C: any; F: any } {
	const w = new world_modules();
	const K = w.load('kernel') as any;
	const H = w.load('check/harness') as any;
	K.sched.current = new K.task_struct('t');
	H.harness_init();
	const P = H.mm_alloc('p');
	H.do_mmap(P, 0x10000, 1);
	const F = H.do_anonymous_page(P, 0x10000);
	const C = H.dup_mmap(P, 'c');
	H.madvise_random(C, 0x10000);
	return { w, K, H, P, C, F };
}

test('reclaim aging runs the model\'s folio_referenced(), its rmap_one and invalid_vma, over page_vma_mapped_walk()', () => {
	const { w, K, H, P, F } = world();
	const calls = new Map<string, number>();
	for (const name of ['model/rmap:folio_referenced', 'model/rmap:folio_referenced_one',
		'model/rmap:invalid_folio_referenced_vma', 'model/rmap:rmap_walk', 'kernel/pagewalk:page_vma_mapped_walk']) {
		const orig = w.k.lookup(name);
		w.k.override(name, (...a: unknown[]) => {
			calls.set(name, (calls.get(name) ?? 0) + 1);
			return orig(...a);
		});
	}
	/* The parent's mapping is referenced; the child's VMA has no recency and is skipped. */
	assert.equal(H.folio_check_references(F), 1);
	assert.deepEqual(Object.fromEntries(calls), {
		'model/rmap:folio_referenced': 1,
		'model/rmap:rmap_walk': 1,
		'model/rmap:invalid_folio_referenced_vma': 2,
		'model/rmap:folio_referenced_one': 1,
		/* One PTE: folio_referenced_one() stops the walk once it has the folio's nr_pages PTEs. */
		'kernel/pagewalk:page_vma_mapped_walk': 1,
	});
	/* The walk unmapped its page table (an RCU section) and dropped the PTE lock. */
	assert.equal(K.sched.current.rcu_read_lock_nesting, 0);
	assert.equal(K.lockdep_is_held(P.page_table_lock), false);
});

test('page_vma_mapped_walk(): a present PTE, a migration entry with PVMW_MIGRATION, none, and what it cannot walk', () => {
	const { w, K, H, P, C, F } = world();
	const vma = P.vmas[0];
	const walk = (flags: number, f = F, v = vma): boolean => {
		const pvmw = K.DEFINE_FOLIO_VMA_WALK(f, v, 0x10000, flags);
		const found = K.page_vma_mapped_walk(pvmw);
		if (found) {
			/* Found: the PTE lock is held and pvmw.pte is the slot at the address. */
			assert.equal(K.lockdep_is_held(P.page_table_lock), true);
			assert.equal(K.ptep_get(pvmw.pte).folio, f);
			assert.equal(K.page_vma_mapped_walk(pvmw), false, 'a small folio has one PTE per VMA');
		}
		assert.equal(K.lockdep_is_held(P.page_table_lock), false);
		assert.equal(K.sched.current.rcu_read_lock_nesting, 0);
		return found;
	};
	assert.equal(walk(0), true);
	assert.equal(walk(K.PVMW_MIGRATION), false, 'a present PTE is no migration entry');
	assert.equal(walk(0, H.folio_alloc()), false, 'another folio is not mapped there');
	K.folio_lock(F);
	w.load('model/rmap').try_to_migrate(F, 0);
	K.folio_unlock(F);
	assert.equal(P.ptes.get(0x10000).migration, true);
	assert.equal(walk(0), false, 'a migration entry is not present');
	assert.equal(walk(K.PVMW_MIGRATION), true);
	/* An empty slot: the child's page table after its exit. */
	H.exit_mmap(C);
	const cvma = { ...vma, vm_mm: C, vm_flags: vma.vm_flags };
	assert.equal(walk(0, F, cvma), false);
	/* A hugetlb VMA: the walk has no model of it, and says so. */
	vma.vm_flags |= K.VM_HUGETLB;
	assert.throws(() => K.page_vma_mapped_walk(K.DEFINE_FOLIO_VMA_WALK(F, vma, 0x10000, 0)), /not modelled: page_vma_mapped_walk of a hugetlb VMA/);
});

test('referenced-vs-exit stays clean through the model\'s folio_referenced()', () => {
	const traceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-rmap-one-'));
	const r = checkOne('7.2', 'referenced-vs-exit', 'clean', { traceDir, seconds: 1e9, bound: 1 });
	assert.equal(r.found, 'clean', r.message);
	assert.ok(r.complete);
	fs.rmSync(traceDir, { recursive: true, force: true });
});

/*
 * try_to_migrate() (the model's) and remove_migration_ptes() (model/migrate.ts):
 * the entry a PTE becomes says what the restored PTE is.  A writable PTE of
 * an exclusive page comes back writable and exclusive; a read-only one of
 * an exclusive page (as after mprotect(PROT_READ)) readable-exclusive, so
 * exclusive again; a COW-shared one readable, shared.  A present PTE holds
 * a folio reference, a migration entry none.
 */
test('try_to_migrate() and remove_migration_ptes(): writable, readable-exclusive and readable entries, and the references', () => {
	for (const kind of ['writable', 'readable-exclusive', 'readable'] as const) {
		const w = new world_modules();
		const K = w.load('kernel') as any;
		const H = w.load('check/harness') as any;
		const R = w.load('model/rmap') as any;
		const M = w.load('model/migrate') as any;
		K.sched.current = new K.task_struct('t');
		H.harness_init();
		const P = H.mm_alloc('p');
		H.do_mmap(P, 0x10000, 1);
		const F = H.do_anonymous_page(P, 0x10000);
		const C = kind === 'readable' ? H.dup_mmap(P, 'c') : null;
		if (kind === 'readable-exclusive')
			P.ptes.get(0x10000).write = false;	/* mprotect(PROT_READ): still exclusive */
		assert.equal(K.folio_ref_count(F), kind === 'readable' ? 3 : 2, 'its own and one per present PTE');
		K.folio_lock(F);
		R.try_to_migrate(F, 0);
		const e = P.ptes.get(0x10000);
		assert.equal(e.migration, true);
		assert.equal(e.write, kind === 'writable');
		assert.equal(!!e.exclusive, kind === 'readable-exclusive');
		assert.equal(K.folio_mapped(F), false);
		assert.equal(K.folio_ref_count(F), 1, 'a migration entry holds no reference');
		assert.equal(K.PageAnonExclusive(K.folio_page(F, 0)), false, 'folio_try_share_anon_rmap_pte() cleared it');
		const G = H.folio_alloc();
		G.mapping = F.mapping;
		G.index = F.index;
		K.folio_lock(G);
		M.remove_migration_ptes(F, G, 0);
		for (const mm of C ? [P, C] : [P]) {
			const pte = mm.ptes.get(0x10000);
			assert.equal(pte.folio, G);
			assert.equal(pte.migration, false);
			assert.equal(pte.write, kind === 'writable');
		}
		assert.equal(!!K.PageAnonExclusive(K.folio_page(G, 0)), kind !== 'readable');
		assert.equal(K.folio_mapcount(G), C ? 2 : 1);
		assert.equal(K.folio_ref_count(G), 1 + (C ? 2 : 1));
		assert.equal(K.lockdep_is_held(P.page_table_lock), false);
		K.folio_unlock(G);
		K.folio_unlock(F);
	}
});

test('mk_pte() of a large folio\'s subpage maps that page, not the first', () => {
	const { K, H } = world();
	const L = H.folio_alloc(2);
	for (let i = 0; i < 4; i++) {
		const pte = K.mk_pte(K.folio_page(L, i), 0);
		assert.equal(pte.folio, L);
		assert.equal(K.folio_page(L, pte.nr ?? 0), K.folio_page(L, i), `page ${i}`);
	}
	assert.equal(K.mk_pte(K.folio_page(H.folio_alloc(), 0), 0).nr ?? 0, 0, 'a small folio\'s page is page 0');
});

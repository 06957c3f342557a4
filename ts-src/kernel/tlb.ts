/*
 * The TLB: what a CPU may still use after its PTE changed, until a flush.
 *
 * Each thread of a checker run is a CPU with a TLB of writable
 * translations: a store through a present, writable PTE (the harness's
 * user_write()) fills the thread's entry for (mm, address) with the folio
 * the PTE maps, and a later store by that thread goes through the entry
 * without looking at the PTE, so without a fault, even after the PTE was
 * write-protected or cleared, until a flush of that address
 * (flush_tlb_range(), flush_tlb_page(), ptep_clear_flush()) drops every
 * thread's entry.  Read-only translations are not kept: a load sees what
 * a store left in the folio either way.
 *
 * Entries are filled only in a world that asks for them (tlb_model.on,
 * set by a scenario's setup): the harness's other page-table changes
 * (fork's write-protect, zap, do_wp_page()) do not flush yet, so a TLB
 * everywhere would find stale stores the kernel's own flushes prevent.
 *
 * mm->tlb_flush_pending counts the PTE changes whose flush is deferred
 * (a batched flush after the page-table lock is dropped:
 * inc_tlb_flush_pending() before, dec_tlb_flush_pending() after the
 * flush); mm_tlb_flush_pending() tells a reader of a PTE that a TLB may
 * still hold more than the PTE says (write_protect_page()).
 */
import { addr } from './ctypes';
import type { ptr, ulong, bool, int } from './ctypes';
import { atomic_inc, atomic_dec, atomic_read } from './atomic';
import { get_current, sched_point } from './sched';
import type { arch_tlbflush_unmap_batch } from './sched';
import { not_modelled } from './bug';
import { PAGE_SIZE } from './mm_types';
import type { folio, mm_struct, vm_area_struct } from './mm_types';

/** @model The TLBs of the world's threads, when the world models them. */
export const tlb_model = {
	on: false,
	/** Each thread's by its name (task->comm: a scenario's threads are named apart). */
	tlbs: new Map<string, Map<ptr<mm_struct>, Map<ulong, ptr<folio>>>>(),
};

/** @model The folio the current thread's TLB writes at address of mm through, or null (a page-table walk). */
export function tlb_lookup_write(mm: ptr<mm_struct>, address: ulong): ptr<folio> | null {
	const t = tlb_model.tlbs.get(get_current().comm);
	const m = t ? t.get(mm) : undefined;
	const f = m ? m.get(address) : undefined;
	return f ? f : null;
}

/** @model A store through a writable PTE leaves its translation in the current thread's TLB. */
export function tlb_fill_write(mm: ptr<mm_struct>, address: ulong, f: ptr<folio>, comm: string = get_current().comm): void {
	if (!tlb_model.on)
		return;
	let t = tlb_model.tlbs.get(comm);
	if (!t)
		tlb_model.tlbs.set(comm, t = new Map());
	let m = t.get(mm);
	if (!m)
		t.set(mm, m = new Map());
	m.set(address, f);
}

/* x86's flush: every CPU's entries of the range (an IPI to each CPU of mm_cpumask()). */
export function flush_tlb_range(vma: ptr<vm_area_struct>, start: ulong, end: ulong): void {
	/* A point where another thread may run only where TLBs are modelled: elsewhere nothing is flushed (and no scenario's figures move). */
	if (!tlb_model.on)
		return;
	sched_point('flush_tlb_range', vma.vm_mm);
	for (const t of tlb_model.tlbs.values()) {
		const m = t.get(vma.vm_mm);
		if (!m)
			continue;
		for (const a of [...m.keys()])
			if (a >= start && a < end)
				m.delete(a);
	}
}

/* Every CPU's entries of the mm (rmap.c's flush_tlb_batched_pending()). */
export function flush_tlb_mm(mm: ptr<mm_struct>): void {
	if (!tlb_model.on)
		return;
	sched_point('flush_tlb_mm', mm);
	for (const t of tlb_model.tlbs.values())
		t.delete(mm);
}

/*
 * arch/x86/include/asm/tlbflush.h: reclaim's batched flushes
 * (TTU_BATCH_FLUSH); the model's reclaim and migration flush at once,
 * so should_defer_flush() of a batch stops here as not modelled.
 */
export function arch_tlbbatch_should_defer(_mm: ptr<mm_struct>): bool {
	return not_modelled('arch_tlbbatch_should_defer (TTU_BATCH_FLUSH)');
}

export function arch_tlbbatch_add_pending(_batch: ptr<arch_tlbflush_unmap_batch>, _mm: ptr<mm_struct>, _start: ulong, _end: ulong): void {
	return not_modelled('arch_tlbbatch_add_pending');
}

/* arch/x86/mm/tlb.c: flush a reclaim batch; never reached, nothing sets flush_required (sched.ts). */
export function arch_tlbbatch_flush(_batch: ptr<arch_tlbflush_unmap_batch>): void {
	return not_modelled('arch_tlbbatch_flush');
}

/*
 * mm/rmap.c's #defines (its carried C defines and prints them): bits 0-14
 * of mm->tlb_flush_batched count pending generations, bits 16-30 flushed.
 */
export const TLB_FLUSH_BATCH_FLUSHED_SHIFT: int = 16;
export const TLB_FLUSH_BATCH_PENDING_MASK: int = (1 << (TLB_FLUSH_BATCH_FLUSHED_SHIFT - 1)) - 1;
export const TLB_FLUSH_BATCH_PENDING_LARGE: int = TLB_FLUSH_BATCH_PENDING_MASK >> 1;

export function flush_tlb_page(vma: ptr<vm_area_struct>, address: ulong): void {
	flush_tlb_range(vma, address, address + PAGE_SIZE);
}

/* include/linux/mm_types.h: the deferred-flush count. */
export function inc_tlb_flush_pending(mm: ptr<mm_struct>): void {
	atomic_inc(addr(mm.tlb_flush_pending));
}

export function dec_tlb_flush_pending(mm: ptr<mm_struct>): void {
	atomic_dec(addr(mm.tlb_flush_pending));
}

export function mm_tlb_flush_pending(mm: ptr<mm_struct>): bool {
	return atomic_read(addr(mm.tlb_flush_pending)) > 0;
}

/*
 * include/trace/events/ksm.h: KSM's tracepoints.  Tracing is not state
 * the model checks: like the vmstat counters, they do nothing.
 */
import type { ptr, ulong, uint, int } from './ctypes';
import type { mm_struct } from './mm_types';

export function trace_ksm_remove_rmap_item(pfn: ulong, rmap_item: object, mm: ptr<mm_struct>): void {}
export function trace_ksm_remove_ksm_page(pfn: ulong): void {}
export function trace_ksm_merge_one_page(pfn: ulong, rmap_item: object, mm: ptr<mm_struct>, err: int): void {}
export function trace_ksm_merge_with_ksm_page(ksm_page: object, pfn: ulong, rmap_item: object, mm: ptr<mm_struct>, err: int): void {}
export function trace_ksm_start_scan(seq: int, rmap_entries: uint): void {}
export function trace_ksm_stop_scan(seq: int, rmap_entries: uint): void {}
export function trace_ksm_enter(mm: ptr<mm_struct>): void {}
export function trace_ksm_exit(mm: ptr<mm_struct>): void {}
export function trace_ksm_advisor(scan_time: ulong, pages_to_scan: ulong, cpu_percent: uint): void {}

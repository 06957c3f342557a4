/*
 * include/generated/autoconf.h: the configuration the model runs with, an
 * x86_64 SMP kernel with DEBUG_VM (every VM_WARN/VM_BUG is live) as the
 * kernel harness builds it (scripts/kernel/ktsc.config).
 */
import type { kconfig } from './ctypes';

export const CONFIG_PER_VMA_LOCK: kconfig = true;
export const CONFIG_DEBUG_VM: kconfig = true;
export const CONFIG_NUMA: kconfig = true;
export const CONFIG_TRANSPARENT_HUGEPAGE: kconfig = true;
export const CONFIG_HUGETLB_PAGE: kconfig = true;
export const CONFIG_ARCH_ENABLE_THP_MIGRATION: kconfig = true;
export const CONFIG_PAGE_MAPCOUNT: kconfig = true;
export const CONFIG_NO_PAGE_MAPCOUNT: kconfig = false;
/* x86-64 selects it (PUD-sized THP for DAX); the model maps no PUD. */
export const CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: kconfig = true;
/* x86 selects it: reclaim may batch its TLB flushes (rmap.c's set_tlb_ubc_flush_pending() is the #ifdef variant). */
export const CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH: kconfig = true;
/* The model has no memory hotplug: ksm.c's wait_while_offlining() is the #else variant (offlining never waited for). */
export const CONFIG_MEMORY_HOTREMOVE: kconfig = false;
/* The model swaps anonymous pages out (kernel/swap.ts). */
export const CONFIG_SWAP: kconfig = true;

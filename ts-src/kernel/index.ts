/*
 * The kernel prelude: every kernel type and API the model uses, each with
 * the C it maps to (read by ts-src/compiler/) and a Node implementation
 * (run by tests and by ts-src/check/).
 */
export * from './ctypes';
export * from './kconfig';
export * from './sched';
export * from './bug';
export * from './locking';
export * from './lockset';
export * from './atomic';
export * from './memory_order';
export * from './slab';
export * from './list';
export * from './interval_tree';
export * from './rbtree';
export * from './mm_types';
export * from './rmap_types';
export * from './ksm_types';
export * from './sysfs';
export * from './pagewalk';
export * from './rmap_one';
export * from './mmu_notifier';
export * from './unmap';
export * from './swap';
export * from './tlb';
export * from './folio_rmap';
export * from './err';
export * from './jiffies';
export * from './trace_ksm';
export * from './mm_slot';
export * from './sched_wait';
export * from './kthread';
export * from './memory_failure';
export * from './memory';

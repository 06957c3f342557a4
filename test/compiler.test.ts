/*
 * The compiler, construct by construct (chibicc's way): each supported
 * construct as TypeScript in and kernel C out, and each rejected construct
 * with the file:line:col of its diagnostic.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compileSnippets, importLine } from './compile_helper';

const NAMES = 'ptr, mm_struct, vma_iterator, VMA_ITERATOR, for_each_vma, VM_MERGEABLE, vma_flags_t, vma_flags_test, VM_SAO, VMA_SAO_BIT, int, ulong, uchar, to_uchar, int_of, bool, gfp_t, NULL, addr, addr_of, cast, sizeof, anon_vma, anon_vma_chain, ' +
	'vm_area_struct, list_add, list_for_each_entry, list_for_each_entry_safe, atomic_set, smp_store_release, ' +
	'kmem_cache, kmem_cache_create, KMEM_CACHE, SLAB_PANIC, ENOMEM, likely, unlikely, FOLIO_MAPPING_ANON, folio, ' +
	'const_, vma_operation, VMA_OP_FORK, prototype, ifdef, CONFIG_PER_VMA_LOCK, VM_WARN_ON_ONCE, mutex, spinlock_t, spin_lock, ' +
	'folio_mapped, VMA_OP_MERGE_UNFAULTED, rmap_walk_control, struct_init, ' +
	'page_vma_mapped_walk, struct_page_vma_mapped_walk, DEFINE_FOLIO_VMA_WALK, page_vma_mapped_walk_done, ref, WRITE_ONCE, ptr_add, ptr_inc, page, ptr_add_assign, uint, ' +
	'mm_slot, mm_slot_entry, ksm_mm_slot, defined, CONFIG_NUMA, rb_node, rb_entry, ksm_stable_node, mmu_notifier_range, mmu_notifier_range_init, MMU_NOTIFY_CLEAR, uninit, __maybe_unused, ' +
	'pmd_t, int_bool, ttu_flags, long, __read_mostly, mm_walk_ops, PGWALK_RDLOCK, mm_walk, elem, struct_assign, rb_root, RB_ROOT, fallthrough, cstr, sysfs_emit, char, ' +
	'wait_event_freezable, wait_queue_head_t, kthread_should_stop, zero_init, task_struct, for_each_process';

/*
 * A goto dispatch (stable_tree_search()'s shape): a backward goto from a
 * loop, a forward goto out of it past a label, and a goto back up to that
 * label from below.
 */
const DISPATCH_TS = 'export function f(a: int): int {\n\ta++;\nagain: for (let at = \'again\';; at = \'again\')\nout: for (;; at = \'out\')\n' +
	'found: for (;; at = \'found\')\nswitch (at) {\ncase \'again\':\n\twhile (a) {\n\t\tif (a > 10)\n\t\t\tcontinue found;\n' +
	'\t\tif (a-- === 5)\n\t\t\tcontinue again;\n\t}\n\ta = 2;\n\tcontinue out;\ncase \'out\':\n\treturn a;\ncase \'found\':\n\ta = 1;\n\tcontinue out;\n}\n}\n';

/* [construct, TypeScript, expected C] -- the C of the whole snippet after the import line. */
const SUPPORTED: [string, string, string][] = [
	['exported function, no params -> (void)',
		'export function f(): int {\n\treturn 0;\n}\n',
		'int f(void)\n{\n\treturn 0;\n}\n'],
	['file-local function -> static',
		'function f(x: int): void {\n\tx++;\n}\n',
		'static void f(int x)\n{\n\tx++;\n}\n'],
	["'inline' directive -> static inline",
		"function f(): int {\n\t'inline';\n\treturn 1;\n}\n",
		'static inline int f(void)\n{\n\treturn 1;\n}\n'],
	["'__init' directive goes after the type",
		"export function f(): void {\n\t'__init';\n\treturn;\n}\n",
		'void __init f(void)\n{\n\treturn;\n}\n'],
	['pointer parameter and return; -> for a pointer',
		'export function f(av: ptr<anon_vma>): ptr<anon_vma> {\n\treturn av.root;\n}\n',
		'struct anon_vma *f(struct anon_vma *av)\n{\n\treturn av->root;\n}\n'],
	['embedded member uses "."',
		'export function f(av: ptr<anon_vma>): int {\n\treturn av.refcount.counter;\n}\n',
		'int f(struct anon_vma *av)\n{\n\treturn av->refcount.counter;\n}\n'],
	['addr() of an embedded struct -> &',
		'export function f(av: ptr<anon_vma>): void {\n\tatomic_set(addr(av.refcount), 1);\n}\n',
		'void f(struct anon_vma *av)\n{\n\tatomic_set(&av->refcount, 1);\n}\n'],
	['addr_of() of a pointer member -> &p->m',
		'export function f(vma: ptr<vm_area_struct>, av: ptr<anon_vma>): void {\n\tsmp_store_release(addr_of(vma, \'anon_vma\'), av);\n}\n',
		'void f(struct vm_area_struct *vma, struct anon_vma *av)\n{\n\tsmp_store_release(&vma->anon_vma, av);\n}\n'],
	['declarations sharing a base type; NULL',
		'export function f(): void {\n\tlet a: ptr<anon_vma> = NULL, b: ptr<anon_vma>;\n\tlet n: ulong;\n\n\tb = a;\n}\n',
		'void f(void)\n{\n\tstruct anon_vma *a = NULL, *b;\n\tunsigned long n;\n\n\tb = a;\n}\n'],
	['if / else if / else, comparison operators',
		'export function f(a: int, b: bool): int {\n\tif (a === 1)\n\t\treturn 1;\n\telse if (a !== 2 && !b)\n\t\treturn 2;\n\telse\n\t\treturn -ENOMEM;\n}\n',
		'int f(int a, bool b)\n{\n\tif (a == 1)\n\t\treturn 1;\n\telse if (a != 2 && !b)\n\t\treturn 2;\n\telse\n\t\treturn -ENOMEM;\n}\n'],
	['labelled block + break -> forward goto',
		'export function f(a: int): int {\nout: {\n\tif (a)\n\t\tbreak out;\n\treturn 0;\n }\n\treturn -ENOMEM;\n}\n',
		'int f(int a)\n{\n\tif (a)\n\t\tgoto out;\n\treturn 0;\n out:\n\treturn -ENOMEM;\n}\n'],
	['labelled for (;;) + continue -> backward goto',
		'export function f(a: int): int {\nretry: for (;;) {\n\tif (a--)\n\t\tcontinue retry;\n\treturn a;\n}\n}\n',
		'int f(int a)\n{\nretry:\n\tif (a--)\n\t\tgoto retry;\n\treturn a;\n}\n'],
	["a goto loop ending in 'break L;' goes on past the label's code (the break prints as nothing)",
		'export function f(a: int): void {\n\ta++;\nagain: for (;;) {\n\ta--;\n\tif (a)\n\t\tcontinue again;\n\tbreak again;\n}\n}\n',
		'void f(int a)\n{\n\ta++;\nagain:\n\ta--;\n\tif (a)\n\t\tgoto again;\n}\n'],
	['a goto dispatch: gotos that cross (a backward goto, forward gotos out of a loop past a label, a goto back to it from below)',
		DISPATCH_TS,
		'int f(int a)\n{\n\ta++;\nagain:\n\twhile (a) {\n\t\tif (a > 10)\n\t\t\tgoto found;\n\t\tif (a-- == 5)\n\t\t\tgoto again;\n\t}\n\ta = 2;\nout:\n\treturn a;\nfound:\n\ta = 1;\n\tgoto out;\n}\n'],
	["a goto dispatch ending in 'break L;' (L its outermost label) goes on past it; a case falling into the next (no continue) and an empty one",
		'export function f(a: int): void {\nx: for (let at = \'x\';; at = \'x\')\ny: for (;; at = \'y\')\nz: for (;; at = \'z\')\nswitch (at) {\ncase \'x\':\n\tif (a)\n\t\tcontinue z;\n\treturn;\ncase \'y\':\ncase \'z\':\n\ta--;\n\tif (a > 1)\n\t\tcontinue y;\n\tbreak x;\n}\n\ta++;\n}\n',
		'void f(int a)\n{\nx:\n\tif (a)\n\t\tgoto z;\n\treturn;\ny:\nz:\n\ta--;\n\tif (a > 1)\n\t\tgoto y;\n\ta++;\n}\n'],
	['gotos into if blocks (scan_get_next_rmap_item()\'s next_mm and no_vmas): a goto dispatch with entries, starting at \'case \'\':\'',
		"export function f(vma: ptr<vm_area_struct>, a: int): int {\n\tif (!a)\n\t\treturn 0;\n\n\ta++;\nnext_mm: for (let at = '';; at = 'next_mm')\nno_vmas: for (;; at = 'no_vmas')\nswitch (at) {\ncase '':\ncase 'next_mm':\n\tif (at === 'next_mm' || a > 1) {\nif (at !== 'next_mm') {\n\t\ta--;\n\t\tif (a == 3)\n\t\t\treturn 1;\n}\n\t\tvma.vm_pgoff = 0;\n\t}\n\n\tif (a == 7)\n\t\tcontinue no_vmas;\n\ta += 2;\n\ncase 'no_vmas':\n\tif (at === 'no_vmas' || a == 5) {\nif (at !== 'no_vmas') {\n}\n\t\tvma.vm_pgoff = 1;\n\t}\n\tif (a < 10)\n\t\tcontinue next_mm;\n\treturn a;\n}\n}\n",
		"int f(struct vm_area_struct *vma, int a)\n{\n\tif (!a)\n\t\treturn 0;\n\n\ta++;\n\tif (a > 1) {\n\t\ta--;\n\t\tif (a == 3)\n\t\t\treturn 1;\nnext_mm:\n\t\tvma->vm_pgoff = 0;\n\t}\n\n\tif (a == 7)\n\t\tgoto no_vmas;\n\ta += 2;\n\n\tif (a == 5) {\nno_vmas:\n\t\tvma->vm_pgoff = 1;\n\t}\n\tif (a < 10)\n\t\tgoto next_mm;\n\treturn a;\n}\n"],
	['p[i] of a pointer into an array of structs, and a struct assignment',
		'export function f(r: ptr<rb_root>, n: int): void {\n\tlet i: int;\n\n\tfor (i = 0; i < n; i++)\n\t\tstruct_assign(elem(r, i), RB_ROOT);\n\tif (elem(r, 1).rb_node)\n\t\treturn;\n}\n',
		'void f(struct rb_root *r, int n)\n{\n\tint i;\n\n\tfor (i = 0; i < n; i++)\n\t\tr[i] = RB_ROOT;\n\tif (r[1].rb_node)\n\t\treturn;\n}\n'],
	['a macro\'s re-evaluated condition, `() => expr` (ksm_scan_thread()\'s wait_event_freezable())',
		'export function f(wq: wait_queue_head_t, a: int): void {\n\twait_event_freezable(wq,\n\t\t() => a > 1 || kthread_should_stop());\n}\n',
		'void f(wait_queue_head_t wq, int a)\n{\n\twait_event_freezable(wq,\n\t\ta > 1 || kthread_should_stop());\n}\n'],
	['a compound literal stored by a struct assignment, and { 0 } initialising a struct (set_advisor_defaults())',
		'export function f(): void {\n\tlet z: rb_root = zero_init(rb_root);\n\n\tstruct_assign(z, cast<const_<rb_root>>(zero_init(rb_root)));\n}\n',
		'void f(void)\n{\n\tstruct rb_root z = { 0 };\n\n\tz = (const struct rb_root){ 0 };\n}\n'],
	['an #ifdef variant the kconfig does not take, named after its branch, prints as the function (wait_while_offlining())',
		'function g(a: int): int {\n\treturn a + 1;\n}\nfunction g$not_CONFIG_NUMA(a: int): int {\n\treturn a;\n}\nexport function f(a: int): int {\n\treturn g(a);\n}\n',
		'static int g(int a)\n{\n\treturn a + 1;\n}\nstatic int g(int a)\n{\n\treturn a;\n}\nint f(int a)\n{\n\treturn g(a);\n}\n'],
	['a compound literal with designated initialisers',
		'export function f(): void {\n\tlet z: rb_root = zero_init(rb_root);\n\n\tstruct_assign(z, cast<rb_root>(struct_init(rb_root, { rb_node: NULL, })));\n}\n',
		'void f(void)\n{\n\tstruct rb_root z = { 0 };\n\n\tz = (struct rb_root){ .rb_node = NULL, };\n}\n'],
	['an iterator macro with its cursor only (collect_procs_ksm()\'s for_each_process())',
		'export function f(): int {\n\tlet t: ptr<task_struct>;\n\tlet n: int = 0;\n\n\tfor (t of for_each_process())\n\t\tn++;\n\treturn n;\n}\n',
		'int f(void)\n{\n\tstruct task_struct *t;\n\tint n = 0;\n\n\tfor_each_process(t)\n\t\tn++;\n\treturn n;\n}\n'],
	["a case that goes on into the next with the kernel's fallthrough; (ksm_memory_callback())",
		'export function f(a: int): int {\n\tswitch (a) {\n\tcase 1:\n\t\ta++;\n\t\tfallthrough;\n\tcase 2:\n\t\treturn a;\n\t}\n\treturn 0;\n}\n',
		'int f(int a)\n{\n\tswitch (a) {\n\tcase 1:\n\t\ta++;\n\t\tfallthrough;\n\tcase 2:\n\t\treturn a;\n\t}\n\treturn 0;\n}\n'],
	['a const char * local holding string literals (advisor_mode_show()): cstr',
		'export function f(a: int, buf: ptr<char>): int {\n\tlet output: cstr;\n\n\tif (a)\n\t\toutput = "none [scan-time]";\n\telse\n\t\toutput = "[none] scan-time";\n\treturn sysfs_emit(buf, "%s\\n", output);\n}\n',
		'int f(int a, char *buf)\n{\n\tconst char *output;\n\n\tif (a)\n\t\toutput = "none [scan-time]";\n\telse\n\t\toutput = "[none] scan-time";\n\treturn sysfs_emit(buf, "%s\\n", output);\n}\n'],
	['ptr_add() whose operand goes on over a line break (ksm_check_stable_tree()\'s "root_stable_tree +⏎nid")',
		'function g_(a: ptr<rb_root>, b: ptr<rb_root>): bool {\n\treturn a == b;\n}\nexport function f(r: ptr<rb_root>, nid: int): bool {\n\treturn g_(r, ptr_add(r,\n\t\t\t   nid));\n}\n',
		'static bool g_(struct rb_root *a, struct rb_root *b)\n{\n\treturn a == b;\n}\nbool f(struct rb_root *r, int nid)\n{\n\treturn g_(r, r +\n\t\t\t   nid);\n}\n'],
	['list iterator macro, one cursor',
		"export function f(vma: ptr<vm_area_struct>): void {\n\tlet avc: ptr<anon_vma_chain>;\n\n\tfor (avc of list_for_each_entry(addr(vma.anon_vma_chain), 'same_vma'))\n\t\tavc.vma = vma;\n}\n",
		'void f(struct vm_area_struct *vma)\n{\n\tstruct anon_vma_chain *avc;\n\n\tlist_for_each_entry(avc, &vma->anon_vma_chain, same_vma)\n\t\tavc->vma = vma;\n}\n'],
	['safe list iterator macro, two cursors',
		"export function f(vma: ptr<vm_area_struct>): void {\n\tlet avc: ptr<anon_vma_chain>, n: ptr<anon_vma_chain>;\n\n\tfor ([avc, n] of list_for_each_entry_safe(addr(vma.anon_vma_chain), 'same_vma')) {\n\t\tcontinue;\n\t}\n}\n",
		'void f(struct vm_area_struct *vma)\n{\n\tstruct anon_vma_chain *avc, *n;\n\n\tlist_for_each_entry_safe(avc, n, &vma->anon_vma_chain, same_vma) {\n\t\tcontinue;\n\t}\n}\n'],
	['casts between pointers and unsigned long',
		'export function f(fo: ptr<folio>): ptr<anon_vma> {\n\tlet m: ulong = cast<ulong>(fo.mapping);\n\treturn cast<ptr<anon_vma>> (m - FOLIO_MAPPING_ANON);\n}\n',
		'struct anon_vma *f(struct folio *fo)\n{\n\tunsigned long m = (unsigned long)fo->mapping;\n\treturn (struct anon_vma *) (m - FOLIO_MAPPING_ANON);\n}\n'],
	['to_uchar(x) -> (unsigned char)x, parenthesised where C needs it; an unsigned char local',
		'export function f(a: ulong, b: ulong): int {\n\tlet age: uchar;\n\n\tage = to_uchar(a - b);\n\treturn age + to_uchar (a);\n}\n',
		'int f(unsigned long a, unsigned long b)\n{\n\tunsigned char age;\n\n\tage = (unsigned char)(a - b);\n\treturn age + (unsigned char) a;\n}\n'],
	['int_of(a === b) -> (a == b): a comparison as C\'s int',
		'export function f(a: ptr<folio>, b: ptr<folio>, n: int): int {\n\tif (int_of(a == b) == n)\n\t\treturn int_of(a !== b) + 1;\n\treturn 0;\n}\n',
		'int f(struct folio *a, struct folio *b, int n)\n{\n\tif ((a == b) == n)\n\t\treturn (a != b) + 1;\n\treturn 0;\n}\n'],
	['comments and blank lines are kept where they are',
		'export function f(): int {\n\t/* why */\n\tlet a: int = 0; /* trailing */\n\n\treturn a;\n}\n',
		'int f(void)\n{\n\t/* why */\n\tint a = 0; /* trailing */\n\n\treturn a;\n}\n'],
	['line breaks and alignment inside a call are kept',
		'export function f(x: int, y: int): bool {\n\treturn likely(x +\n\t\t      y);\n}\n',
		'bool f(int x, int y)\n{\n\treturn likely(x +\n\t\t      y);\n}\n'],
	['file-scope variable -> static; sizeof and KMEM_CACHE take struct types',
		'let c: ptr<kmem_cache>;\n\nexport function f(): void {\n\tc = kmem_cache_create("av", sizeof(anon_vma), 0, SLAB_PANIC, NULL);\n\tc = KMEM_CACHE(anon_vma_chain, SLAB_PANIC);\n}\n',
		'static struct kmem_cache *c;\n\nvoid f(void)\n{\n\tc = kmem_cache_create("av", sizeof(struct anon_vma), 0, SLAB_PANIC, NULL);\n\tc = KMEM_CACHE(anon_vma_chain, SLAB_PANIC);\n}\n'],
	['while, do-while, for, ternary, compound assignment',
		'export function f(a: int): int {\n\tlet i: int;\n\n\tfor (i = 0; i < 3; i++)\n\t\ta += i;\n\twhile (a > 10)\n\t\ta--;\n\tdo {\n\t\ta <<= 1;\n\t} while (a < 4);\n\treturn a ? a : -1;\n}\n',
		'int f(int a)\n{\n\tint i;\n\n\tfor (i = 0; i < 3; i++)\n\t\ta += i;\n\twhile (a > 10)\n\t\ta--;\n\tdo {\n\t\ta <<= 1;\n\t} while (a < 4);\n\treturn a ? a : -1;\n}\n'],
	['a cast or addr() as the base of "->" keeps C\'s precedence',
		'export function f(p: ptr<void>, av: ptr<anon_vma>): ptr<anon_vma> {\n\tcast<ptr<anon_vma>>(p).root = av;\n\treturn addr(av.refcount) === NULL ? av : cast<ptr<anon_vma>>(p).root;\n}\n',
		'struct anon_vma *f(void *p, struct anon_vma *av)\n{\n\t((struct anon_vma *)p)->root = av;\n\treturn &av->refcount == NULL ? av : ((struct anon_vma *)p)->root;\n}\n'],
	['arithmetic on a void pointer local is GNU C\'s, as written',
		'export function f(p: ptr<void>): ptr<void> {\n\tp += 1;\n\treturn p - 1;\n}\n',
		'void *f(void *p)\n{\n\tp += 1;\n\treturn p - 1;\n}\n'],
	['a space before the ">" of cast<T >',
		'export function f(p: ptr<void>): ulong {\n\treturn cast<ulong >(p);\n}\n',
		'unsigned long f(void *p)\n{\n\treturn (unsigned long)p;\n}\n'],
	['hex literals; a static function defined above its caller',
		'function g(): int {\n\treturn 0x1F;\n}\n\nexport function f(): int {\n\treturn g() + 10;\n}\n',
		'static int g(void)\n{\n\treturn 0x1F;\n}\n\nint f(void)\n{\n\treturn g() + 10;\n}\n'],
	['break in a plain loop inside a backward goto loop',
		'export function f(a: int): int {\nretry: for (;;) {\n\twhile (a)\n\t\tbreak;\n\tif (a--)\n\t\tcontinue retry;\n\treturn a;\n}\n}\n',
		'int f(int a)\n{\nretry:\n\twhile (a)\n\t\tbreak;\n\tif (a--)\n\t\tgoto retry;\n\treturn a;\n}\n'],
	['enum parameter -> enum vma_operation; enumerators by their C names',
		'export function f(op: vma_operation): bool {\n\treturn op == VMA_OP_FORK || op == vma_operation.VMA_OP_SPLIT;\n}\n',
		'bool f(enum vma_operation op)\n{\n\treturn op == VMA_OP_FORK || op == VMA_OP_SPLIT;\n}\n'],
	['a plain pointer passes as a pointer to const, as in C',
		'export function f(fo: ptr<folio>): bool {\n\treturn folio_mapped(fo);\n}\n',
		'bool f(struct folio *fo)\n{\n\treturn folio_mapped(fo);\n}\n'],
	['pointer to const -> const struct folio *',
		'export function f(fo: ptr<const_<folio>>, n: const_<ulong>): ulong {\n\treturn fo.index + n;\n}\n',
		'unsigned long f(const struct folio *fo, const unsigned long n)\n{\n\treturn fo->index + n;\n}\n'],
	['file-scope prototype of a static function defined below, with its layout',
		"prototype(g);\n\nexport function f(): void {\n\tg(NULL,\n\t  1);\n}\n\nfunction g(vma: ptr<vm_area_struct>,\n\t     a: int): void {\n\t'inline';\n\tvma.vm_pgoff = a;\n}\n",
		'static inline void g(struct vm_area_struct *vma,\n\t     int a);\n\nvoid f(void)\n{\n\tg(NULL,\n\t  1);\n}\n\nstatic inline void g(struct vm_area_struct *vma,\n\t     int a)\n{\n\tvma->vm_pgoff = a;\n}\n'],
	['#ifdef / #ifndef inside a function body',
		'export function f(vma: ptr<vm_area_struct>): void {\n\tvma.vm_pgoff = 0;\nif (ifdef(CONFIG_PER_VMA_LOCK)) {\n\t/* locked */\n\tVM_WARN_ON_ONCE(vma.vm_pgoff);\n}\nif (!ifdef(CONFIG_PER_VMA_LOCK)) {\n\tvma.vm_pgoff++;\n}\n}\n',
		'void f(struct vm_area_struct *vma)\n{\n\tvma->vm_pgoff = 0;\n#ifdef CONFIG_PER_VMA_LOCK\n\t/* locked */\n\tVM_WARN_ON_ONCE(vma->vm_pgoff);\n#endif\n#ifndef CONFIG_PER_VMA_LOCK\n\tvma->vm_pgoff++;\n#endif\n}\n'],
	['comments in a parameter list are kept (before a parameter, before a comma)',
		'export function f(/* first */ a: int /* a */,\n\t      b: int): int {\n\treturn a + b;\n}\n',
		'int f(/* first */ int a /* a */,\n\t      int b)\n{\n\treturn a + b;\n}\n'],
	['a comment inside an iterator\'s argument list is kept',
		"export function f(vma: ptr<vm_area_struct>): void {\n\tlet avc: ptr<anon_vma_chain>;\n\n\tfor (avc of list_for_each_entry(/* chain */ addr(vma.anon_vma_chain), 'same_vma'))\n\t\tavc.vma = vma;\n}\n",
		'void f(struct vm_area_struct *vma)\n{\n\tstruct anon_vma_chain *avc;\n\n\tlist_for_each_entry(avc, /* chain */ &vma->anon_vma_chain, same_vma)\n\t\tavc.vma = vma;\n}\n'.replace('avc.vma', 'avc->vma')],
	['comments around a labelled block and a goto loop are kept',
		'export function f(a: int): int {\n\t/* before */\nout: {\n\tif (a)\n\t\tbreak out;\n\treturn 0;\n }\n\t/* after */\n\treturn -ENOMEM;\n}\n',
		'int f(int a)\n{\n\t/* before */\n\tif (a)\n\t\tgoto out;\n\treturn 0;\n out:\n\t/* after */\n\treturn -ENOMEM;\n}\n'],
	['VMA_ITERATOR() and for_each_vma(): the cursor printed last, as the macro takes it',
		'export function f(mm: ptr<mm_struct>): int {\n\tlet vma: ptr<vm_area_struct>;\n\n\tlet vmi: vma_iterator = VMA_ITERATOR(mm, 0);\n\tfor (vma of for_each_vma(vmi)) {\n\t\tif (vma.vm_flags & VM_MERGEABLE)\n\t\t\treturn 1;\n\t}\n\treturn 0;\n}\n',
		'int f(struct mm_struct *mm)\n{\n\tstruct vm_area_struct *vma;\n\n\tVMA_ITERATOR(vmi, mm, 0);\n\tfor_each_vma(vmi, vma) {\n\t\tif (vma->vm_flags & VM_MERGEABLE)\n\t\t\treturn 1;\n\t}\n\treturn 0;\n}\n'],
	['#ifdef of a macro the prelude declares as a kconfig constant (VM_SAO), a struct passed by value',
		'export function f(vma_flags: vma_flags_t): bool {\nif (ifdef(VM_SAO)) {\n\tif (vma_flags_test(addr(vma_flags), VMA_SAO_BIT))\n\t\treturn false;\n}\n\treturn true;\n}\n',
		'bool f(vma_flags_t vma_flags)\n{\n#ifdef VM_SAO\n\tif (vma_flags_test(&vma_flags, VMA_SAO_BIT))\n\t\treturn false;\n#endif\n\treturn true;\n}\n'],
	['a file-scope variable only carried C assigns: "let x!: T;" -> a zero-initialised static',
		'let cache!: ptr<kmem_cache>;\nlet count!: ulong;\n\nfunction f(): void {\n\tcount--;\n}\n',
		'static struct kmem_cache *cache;\nstatic unsigned long count;\n\nstatic void f(void)\n{\n\tcount--;\n}\n'],
	['const locals: a const scalar, a const pointer, a const pointer to const',
		'export function f(av: ptr<anon_vma>, fo: ptr<folio>): ulong {\n\tconst n: ulong = 1, m: ulong = 2;\n\tconst p: ptr<anon_vma> = av;\n\tconst q: ptr<const_<folio>> = fo;\n\n\treturn p === av && q.index ? n : m;\n}\n',
		'unsigned long f(struct anon_vma *av, struct folio *fo)\n{\n\tconst unsigned long n = 1, m = 2;\n\tstruct anon_vma *const p = av;\n\tconst struct folio *const q = fo;\n\n\treturn p == av && q->index ? n : m;\n}\n'],
	['switch / case / default, a case block with a declaration, break and fall-through',
		'export function f(op: vma_operation, a: int): int {\n\tswitch (op) {\n\tcase VMA_OP_FORK:\n\t\ta++;\n\t\tbreak;\n\tcase vma_operation.VMA_OP_SPLIT: {\n\t\tlet b: int = a;\n\n\t\treturn b;\n\t}\n\tcase VMA_OP_MERGE_UNFAULTED:\n\tdefault:\n\t\tbreak;\n\t}\n\treturn a;\n}\n',
		'int f(enum vma_operation op, int a)\n{\n\tswitch (op) {\n\tcase VMA_OP_FORK:\n\t\ta++;\n\t\tbreak;\n\tcase VMA_OP_SPLIT: {\n\t\tint b = a;\n\n\t\treturn b;\n\t}\n\tcase VMA_OP_MERGE_UNFAULTED:\n\tdefault:\n\t\tbreak;\n\t}\n\treturn a;\n}\n'],
	['switch on integer literals inside a backward goto loop; break leaves the switch',
		'export function f(a: int): int {\nretry: for (;;) {\n\tswitch (a) {\n\tcase 1:\n\tcase -2:\n\t\tbreak;\n\tcase 0x10 | 1:\n\t\ta--;\n\t\tcontinue retry;\n\t}\n\treturn a;\n}\n}\n',
		'int f(int a)\n{\nretry:\n\tswitch (a) {\n\tcase 1:\n\tcase -2:\n\t\tbreak;\n\tcase 0x10 | 1:\n\t\ta--;\n\t\tgoto retry;\n\t}\n\treturn a;\n}\n'],
	['a header broken before the name: "function" and a line break',
		'function\nf(a: int,\n  b: int): ptr<anon_vma> {\n\treturn NULL;\n}\n\nexport function\ng(): ulong {\n\treturn 0;\n}\n',
		'static struct anon_vma *\nf(int a,\n  int b)\n{\n\treturn NULL;\n}\n\nunsigned long\ng(void)\n{\n\treturn 0;\n}\n'],
	["a header broken after its qualifiers: the directive '\\n'",
		"function f(): ptr<anon_vma> {\n\t'inline';\n\t'\\n';\n\treturn NULL;\n}\n\nfunction g(): ptr<anon_vma> {\n\t'\\n';\n\treturn f();\n}\n",
		'static inline\nstruct anon_vma *f(void)\n{\n\treturn NULL;\n}\n\nstatic\nstruct anon_vma *g(void)\n{\n\treturn f();\n}\n'],
	['#ifdef / #else / #endif inside a function body, both branches in the model',
		'export function f(vma: ptr<vm_area_struct>): void {\nif (ifdef(CONFIG_PER_VMA_LOCK)) {\n\tVM_WARN_ON_ONCE(vma.vm_pgoff);\n} else {\n\t/* none */\n\tvma.vm_pgoff++;\n}\n}\n',
		'void f(struct vm_area_struct *vma)\n{\n#ifdef CONFIG_PER_VMA_LOCK\n\tVM_WARN_ON_ONCE(vma->vm_pgoff);\n#else\n\t/* none */\n\tvma->vm_pgoff++;\n#endif\n}\n'],
	['a struct local with designated initialisers; a function name as a function pointer',
		'function one(fo: ptr<folio>, vma: ptr<vm_area_struct>, a: ulong, arg: ptr<void>): bool {\n\treturn true;\n}\n\nexport function f(fo: ptr<folio>, flags: ulong): bool {\n\tlet rwc: rmap_walk_control = struct_init(rmap_walk_control, {\n\t\trmap_one: one,\n\t\targ: cast<ptr<void>>(flags),\n\t\t/* no lock */\n\t\ttry_lock: true,\n\t});\n\n\treturn rwc.rmap_one(fo, NULL, 0, rwc.arg);\n}\n',
		'static bool one(struct folio *fo, struct vm_area_struct *vma, unsigned long a, void *arg)\n{\n\treturn true;\n}\n\nbool f(struct folio *fo, unsigned long flags)\n{\n\tstruct rmap_walk_control rwc = {\n\t\t.rmap_one = one,\n\t\t.arg = (void *)flags,\n\t\t/* no lock */\n\t\t.try_lock = true,\n\t};\n\n\treturn rwc.rmap_one(fo, NULL, 0, rwc.arg);\n}\n'],
	['designated initialisers aligned with tabs keep their alignment',
		'export function f(): bool {\n\tlet rwc: rmap_walk_control = struct_init(rmap_walk_control, {\n\t\ttry_lock\t: true,\n\t\tcontended\t: false,\n\t});\n\n\treturn rwc.try_lock;\n}\n',
		'bool f(void)\n{\n\tstruct rmap_walk_control rwc = {\n\t\t.try_lock\t= true,\n\t\t.contended\t= false,\n\t};\n\n\treturn rwc.try_lock;\n}\n'],
	['a definition macro (@define) and a walk over the local it defines',
		'export function f(fo: ptr<folio>, vma: ptr<vm_area_struct>, address: ulong): bool {\n\tlet pvmw: struct_page_vma_mapped_walk = DEFINE_FOLIO_VMA_WALK(fo, vma, address, 0);\n\n\twhile (page_vma_mapped_walk(addr(pvmw))) {\n\t\taddress = pvmw.address;\n\t\tpage_vma_mapped_walk_done(addr(pvmw));\n\t\treturn true;\n\t}\n\treturn false;\n}\n',
		'bool f(struct folio *fo, struct vm_area_struct *vma, unsigned long address)\n{\n\tDEFINE_FOLIO_VMA_WALK(pvmw, fo, vma, address, 0);\n\n\twhile (page_vma_mapped_walk(&pvmw)) {\n\t\taddress = pvmw.address;\n\t\tpage_vma_mapped_walk_done(&pvmw);\n\t\treturn true;\n\t}\n\treturn false;\n}\n'],
	['pointer += n as a statement (ptr_add_assign, @addassign): of a member of a struct local, through a pointer, of a local',
		'export function f(fo: ptr<folio>, w: ptr<struct_page_vma_mapped_walk>, nr: uint): void {\n\tlet pvmw: struct_page_vma_mapped_walk = DEFINE_FOLIO_VMA_WALK(fo, NULL, 0, 0);\n\tlet p: ptr<page> = NULL;\n\n\tptr_add_assign(addr_of(pvmw, \'pte\'), nr - 1);\n\tptr_add_assign(addr_of(w, \'pte\'), 1);\n\tptr_add_assign(ref(p, (v) => p = v), nr);\n}\n',
		'void f(struct folio *fo, struct page_vma_mapped_walk *w, unsigned int nr)\n{\n\tDEFINE_FOLIO_VMA_WALK(pvmw, fo, NULL, 0, 0);\n\tstruct page *p = NULL;\n\n\tpvmw.pte += nr - 1;\n\tw->pte += 1;\n\tp += nr;\n}\n'],
	['nested labelled blocks: two forward gotos, as the importer writes them',
		'export function f(a: int): int {\nout: {\n\tif (a)\n\t\tbreak out;\nout_free: {\n\tfor (;;) {\n\t\tif (a--)\n\t\t\tbreak out_free;\n\t}\n\ta = 1;\n}\n\ta++;\n }\n\treturn a;\n}\n',
		'int f(int a)\n{\n\tif (a)\n\t\tgoto out;\n\tfor (;;) {\n\t\tif (a--)\n\t\t\tgoto out_free;\n\t}\n\ta = 1;\nout_free:\n\ta++;\n out:\n\treturn a;\n}\n'],
	['out-parameters: p.deref reads and writes *p, (*p)++ and (*p)->f get their parentheses',
		'export function f(n: ptr<int>, pp: ptr<ptr<folio>>): int {\n\tn.deref = 1;\n\tn.deref += 2;\n\tn.deref++;\n\tpp.deref.mapping = NULL;\n\treturn n.deref + cast<int>(pp.deref);\n}\n',
		'int f(int *n, struct folio **pp)\n{\n\t*n = 1;\n\t*n += 2;\n\t(*n)++;\n\t(*pp)->mapping = NULL;\n\treturn *n + (int)*pp;\n}\n'],
	['the address of a local as an out-parameter: ref(x, (v) => x = v) -> &x',
		'function g(n: ptr<int>, pp: ptr<ptr<folio>>): void {\n\tn.deref = 1;\n\tpp.deref = NULL;\n}\n\nexport function f(fo: ptr<folio>): int {\n\tlet nr: int = 0;\n\n\tg(ref(nr, (v) => nr = v), ref(fo, (v) => fo = v));\n\treturn nr;\n}\n',
		'static void g(int *n, struct folio **pp)\n{\n\t*n = 1;\n\t*pp = NULL;\n}\n\nint f(struct folio *fo)\n{\n\tint nr = 0;\n\n\tg(&nr, &fo);\n\treturn nr;\n}\n'],
	['WRITE_ONCE() names the place itself: addr_of(o, \'f\') -> o->f; "cast<T> (x)" keeps its blank',
		'export function f(vma: ptr<vm_area_struct>, av: ptr<anon_vma>): void {\n\tWRITE_ONCE(addr_of(vma, \'anon_vma\'), cast<ptr<anon_vma>> (av));\n}\n',
		'void f(struct vm_area_struct *vma, struct anon_vma *av)\n{\n\tWRITE_ONCE(vma->anon_vma, (struct anon_vma *) av);\n}\n'],
	['pointer arithmetic on a page pointer: ptr_add(p, n) -> p + n, ptr_inc(ref(p, …)) -> p++, a comma operator in a loop head',
		'export function f(p: ptr<page>, n: int): ptr<page> {\n\tlet q: ptr<page> = ptr_add(p, n);\n\n\tdo {\n\t\tq = ptr_add(q, 1);\n\t} while (ptr_inc(ref(p, (v) => p = v)), --n > 0);\n\treturn ptr_add(p, (n - 1));\n}\n',
		'struct page *f(struct page *p, int n)\n{\n\tstruct page *q = p + n;\n\n\tdo {\n\t\tq = q + 1;\n\t} while (p++, --n > 0);\n\treturn p + (n - 1);\n}\n'],
	['a container_of()-style macro (@entry): the struct type and the member',
		"export function f(slot: ptr<mm_slot>): ptr<ksm_mm_slot> {\n\treturn mm_slot_entry(slot, ksm_mm_slot, 'slot');\n}\n",
		'struct ksm_mm_slot *f(struct mm_slot *slot)\n{\n\treturn mm_slot_entry(slot, struct ksm_mm_slot, slot);\n}\n'],
	["an uninitialised local TypeScript sees read before it is stored: 'x!'",
		'export function f(a: int): int {\n\tlet n!: int, m: int;\n\n\tif (a)\n\t\tn = a;\n\tm = a;\n\treturn a ? n : m;\n}\n',
		'int f(int a)\n{\n\tint n, m;\n\n\tif (a)\n\t\tn = a;\n\tm = a;\n\treturn a ? n : m;\n}\n'],
	['an iterator whose first argument starts a line of its own',
		"export function f(vma: ptr<vm_area_struct>): void {\n\tlet avc: ptr<anon_vma_chain>, n: ptr<anon_vma_chain>;\n\n\tfor ([avc, n] of list_for_each_entry_safe(\n\t\t\taddr(vma.anon_vma_chain), 'same_vma'))\n\t\tavc.vma = vma;\n}\n",
		'void f(struct vm_area_struct *vma)\n{\n\tstruct anon_vma_chain *avc, *n;\n\n\tlist_for_each_entry_safe(avc, n,\n\t\t\t&vma->anon_vma_chain, same_vma)\n\t\tavc->vma = vma;\n}\n'],
	['ptr_add() beside a comparison or logical operator (they bind looser than +), of any struct pointer',
		'export function f(p: ptr<page>, v: ptr<anon_vma>, n: int): bool {\n\treturn p >= ptr_add(p, n) && ptr_add(v, 1) != v;\n}\n',
		'bool f(struct page *p, struct anon_vma *v, int n)\n{\n\treturn p >= p + n && v + 1 != v;\n}\n'],
	['#if of defined() conditions inside a function body, copied as written (alloc_stable_node_chain())',
		'export function f(vma: ptr<vm_area_struct>): void {\n\tvma.vm_pgoff = 0;\nif (defined (CONFIG_PER_VMA_LOCK) && defined(CONFIG_NUMA)) {\n\tvma.vm_pgoff = 1; /* debug */\n}\nif (!(defined(CONFIG_NUMA) || defined(CONFIG_PER_VMA_LOCK))) {\n\tvma.vm_pgoff++;\n}\n}\n',
		'void f(struct vm_area_struct *vma)\n{\n\tvma->vm_pgoff = 0;\n#if defined (CONFIG_PER_VMA_LOCK) && defined(CONFIG_NUMA)\n\tvma->vm_pgoff = 1; /* debug */\n#endif\n#if !(defined(CONFIG_NUMA) || defined(CONFIG_PER_VMA_LOCK))\n\tvma->vm_pgoff++;\n#endif\n}\n'],
	['an #if condition over two lines: each line break prints as " \\" and a new line (folio_add_file_rmap_pud())',
		'export function f(vma: ptr<vm_area_struct>): void {\nif (defined(CONFIG_NUMA) &&\n\tdefined(CONFIG_PER_VMA_LOCK)) {\n\tvma.vm_pgoff = 1;\n} else {\n\tvma.vm_pgoff = 0;\n}\n}\n',
		'void f(struct vm_area_struct *vma)\n{\n#if defined(CONFIG_NUMA) && \\\n\tdefined(CONFIG_PER_VMA_LOCK)\n\tvma->vm_pgoff = 1;\n#else\n\tvma->vm_pgoff = 0;\n#endif\n}\n'],
	['a local named after a JavaScript reserved word, with an underscore (stable_tree_insert()\'s "new")',
		"export function f(vma: ptr<vm_area_struct>, this_: ptr<anon_vma>): ptr<anon_vma> {\n\tlet new_: ptr<ptr<anon_vma>> = addr_of(vma, 'anon_vma');\n\n\tnew_.deref = this_;\n\treturn new_.deref;\n}\n",
		'struct anon_vma *f(struct vm_area_struct *vma, struct anon_vma *this)\n{\n\tstruct anon_vma **new = &vma->anon_vma;\n\n\t*new = this;\n\treturn *new;\n}\n'],
	['rb_entry() (@entry)',
		"export function f(n: ptr<rb_node>): ptr<ksm_stable_node> {\n\treturn rb_entry(n, ksm_stable_node, 'node');\n}\n",
		'struct ksm_stable_node *f(struct rb_node *n)\n{\n\treturn rb_entry(n, struct ksm_stable_node, node);\n}\n'],
	['a struct local without an initialiser: uninit(T) prints nothing',
		'export function f(vma: ptr<vm_area_struct>): ulong {\n\tlet range: mmu_notifier_range = uninit(mmu_notifier_range);\n\n\trange.end = vma.vm_end;\n\tmmu_notifier_range_init(addr(range), MMU_NOTIFY_CLEAR, 0, vma.vm_mm,\n\t\t\t\tvma.vm_start, range.end);\n\treturn range.start;\n}\n',
		'unsigned long f(struct vm_area_struct *vma)\n{\n\tstruct mmu_notifier_range range;\n\n\trange.end = vma->vm_end;\n\tmmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,\n\t\t\t\tvma->vm_start, range.end);\n\treturn range.start;\n}\n'],
	['__maybe_unused<T> locals (a scalar, a typedef\'d struct) shadowing an outer local',
		'export function f(a: ulong): ulong {\n\tif (a) {\n\t\tlet a: __maybe_unused<ulong>;\n\t\tlet pmdval: __maybe_unused<pmd_t>;\n\n\t\ta = 1;\n\t}\n\treturn a;\n}\n',
		'unsigned long f(unsigned long a)\n{\n\tif (a) {\n\t\t__maybe_unused unsigned long a;\n\t\t__maybe_unused pmd_t pmdval;\n\n\t\ta = 1;\n\t}\n\treturn a;\n}\n'],
	['an int holding a truth value (int_bool): C\'s ! is an int; an enum local from a double cast',
		'function g(fo: ptr<folio>): int_bool {\n\treturn !folio_mapped(fo);\n}\n\nexport function f(fo: ptr<folio>, arg: ptr<void>): int {\n\tlet flags: ttu_flags = cast<ttu_flags>(cast<long>(arg));\n\n\tif (g(fo))\n\t\treturn 0;\n\treturn flags;\n}\n',
		'static int g(struct folio *fo)\n{\n\treturn !folio_mapped(fo);\n}\n\nint f(struct folio *fo, void *arg)\n{\n\tenum ttu_flags flags = (enum ttu_flags)(long)arg;\n\n\tif (g(fo))\n\t\treturn 0;\n\treturn flags;\n}\n'],
	['file-scope __read_mostly<T> variables, and a static const struct with designated initialisers naming a function',
		'let zero_checksum!: __read_mostly<uint>;\nlet on: __read_mostly<bool> = 1;\n\nfunction g(pmd: ptr<pmd_t>, a: ulong, next: ulong, walk: ptr<mm_walk>): int {\n\treturn 0;\n}\n\nconst ops: mm_walk_ops = struct_init(mm_walk_ops, {\n\tpmd_entry: g,\n\twalk_lock: PGWALK_RDLOCK,\n});\n',
		'static unsigned int zero_checksum __read_mostly;\nstatic bool on __read_mostly = 1;\n\nstatic int g(pmd_t *pmd, unsigned long a, unsigned long next, struct mm_walk *walk)\n{\n\treturn 0;\n}\n\nstatic const struct mm_walk_ops ops = {\n\t.pmd_entry = g,\n\t.walk_lock = PGWALK_RDLOCK,\n};\n'],
];

/* [construct, TypeScript body line(s), line, col, message fragment] -- line/col of the snippet file */
const REJECTED: [string, string, number, number, string][] = [
	['__read_mostly<T> on a local', 'export function f(): void {\n\tlet a: __read_mostly<int> = 0;\n}\n', 3, 9, 'a section attribute of a file-scope variable'],
	['__read_mostly<T> as a parameter type', 'export function f(a: __read_mostly<int>): void {\n}\n', 2, 22, 'an attribute of a file-scope variable'],
	['a pointer to a __read_mostly<T>', 'let p!: ptr<__read_mostly<int>>;\n', 2, 9, 'the attribute belongs to a variable'],
	['struct_init() outside a declaration', 'export function f(): void {\n\tlet rwc: rmap_walk_control;\n\n\trwc = struct_init(rmap_walk_control, {});\n}\n', 5, 8, "struct_init() anywhere but"],
	['struct_init() of another struct than the declared one', 'export function f(): void {\n\tlet rwc: rmap_walk_control = struct_init(anon_vma, {});\n}\n', 3, 6, 'is missing the following properties'],
	['a struct_init() field in shorthand', 'export function f(try_lock: bool): void {\n\tlet rwc: rmap_walk_control = struct_init(rmap_walk_control, { try_lock });\n}\n', 3, 64, 'not "name: value"'],
	['a definition macro outside the declaration it makes', 'export function f(fo: ptr<folio>): void {\n\tlet pvmw: struct_page_vma_mapped_walk;\n\n\tpvmw = DEFINE_FOLIO_VMA_WALK(fo, NULL, 0, 0);\n}\n', 5, 9, 'anywhere but as the initialiser'],
	['a definition macro in a const declaration', 'export function f(fo: ptr<folio>): void {\n\tconst pvmw: struct_page_vma_mapped_walk = DEFINE_FOLIO_VMA_WALK(fo, NULL, 0, 0);\n}\n', 3, 8, 'a definition macro (@define)'],
	['pointer += n inside an expression (a for loop\'s step)', 'export function f(w: ptr<struct_page_vma_mapped_walk>, n: int): void {\n\tfor (; n; ptr_add_assign(addr_of(w, \'pte\'), 1))\n\t\tn--;\n}\n', 3, 12, 'anywhere but as a statement of its own'],
	['pointer += n through a pointer variable, not a place', 'export function f(c: ptr<ptr<page>>): void {\n\tptr_add_assign(c, 1);\n}\n', 3, 2, "of anything but ref(x, (v) => x = v) or addr_of(obj, 'field')"],
	['uninit() outside a declaration', 'export function f(): void {\n\tlet r: mmu_notifier_range = uninit(mmu_notifier_range);\n\n\tr = uninit(mmu_notifier_range);\n}\n', 5, 6, "uninit() anywhere but as a struct local's initialiser"],
	['uninit() of a const struct local', 'export function f(): ulong {\n\tconst r: mmu_notifier_range = uninit(mmu_notifier_range);\n\n\treturn r.end;\n}\n', 3, 32, 'a const struct local without an initialiser'],
	['uninit() of a scalar local', 'export function f(): ulong {\n\tlet r: ulong = uninit(mmu_notifier_range);\n\n\treturn r;\n}\n', 3, 6, 'not assignable'],
	['var declaration', 'export function f(): void {\n\tvar a: int = 1;\n}\n', 3, 2, "'var' declaration"],
	['a const scalar and a const pointer in one declaration', 'export function f(): void {\n\tconst n: ulong = 1, p: ptr<ulong> = NULL;\n}\n', 3, 22, "in one 'const' declaration"],
	['const twice: const and const_<>', 'export function f(): void {\n\tconst n: const_<int> = 1;\n}\n', 3, 11, 'is const twice'],
	['a case label that is no constant', 'export function f(a: int, b: int): int {\n\tswitch (a) {\n\tcase b:\n\t\treturn 1;\n\t}\n\treturn 0;\n}\n', 4, 7, 'not an integer constant'],
	['a declaration right after a case label', 'export function f(a: int): int {\n\tswitch (a) {\n\tcase 1:\n\t\tlet b: int = a;\n\t\treturn b;\n\t}\n\treturn 0;\n}\n', 5, 3, 'a declaration right after a case label'],
	['an unlabelled continue in a switch in a backward goto loop', 'export function f(a: int): int {\nretry: for (;;) {\n\tswitch (a) {\n\tcase 1:\n\t\tcontinue;\n\t}\n\treturn a;\n}\n}\n', 6, 3, "unlabelled 'continue'"],
	["the header's line break before a qualifier", "function f(): int {\n\t'\\n';\n\t'inline';\n\treturn 0;\n}\n", 2, 10, "the header's line break"],
	['ifdef() with an else that is no block', 'export function f(a: int): void {\nif (ifdef(CONFIG_PER_VMA_LOCK)) {\n\ta++;\n} else\n\ta--;\n}\n', 6, 2, "'else' of an ifdef() block without a block"],
	['ifdef() with "} else {" over two lines', 'export function f(a: int): void {\nif (ifdef(CONFIG_PER_VMA_LOCK)) {\n\ta++;\n}\nelse {\n\ta--;\n}\n}\n', 6, 6, "'} else {' must stand on one line"],
	['untyped declaration', 'export function f(): void {\n\tlet a = 1;\n}\n', 3, 6, 'needs a C type annotation'],
	['arrow function', 'export function f(): void {\n\tlet g: ptr<void> = () => 1;\n}\n', 3, 21, 'arrow function'],
	['object literal', 'export function f(): void {\n\tlet g: ptr<void> = { a: 1 };\n}\n', 3, 21, 'object literal'],
	['template literal', 'export function f(): void {\n\tlet g: ptr<void> = `x`;\n}\n', 3, 21, 'template literal'],
	['null instead of NULL', 'export function f(): ptr<anon_vma> {\n\treturn null as never;\n}\n', 3, 9, "'as' type assertion"],
	['new', 'export function f(): void {\n\tlet a: ptr<void> = new Object();\n}\n', 3, 21, "'new'"],
	['try statement', 'export function f(): void {\n\ttry {\n\t} finally {\n\t}\n}\n', 3, 2, 'try statement'],
	['nested function', 'export function f(): void {\n\tfunction g(): void {\n\t}\n}\n', 3, 2, 'nested function'],
	['number type', 'export function f(a: number): void {\n}\n', 2, 22, "'number' has no single C type"],
	['typeof', 'export function f(a: int): bool {\n\treturn typeof a === "number";\n}\n', 3, 9, "'typeof'"],
	['label on a while loop', 'export function f(): void {\n\tl: while (1) {\n\t\tbreak l;\n\t}\n}\n', 3, 2, 'label on a WhileStatement'],
	['backward goto loop that falls through', 'export function f(): void {\n\tl: for (;;) {\n\t\tcontinue l;\n\t}\n}\n', 3, 5, 'must end in a return'],
	["'break L;' of a goto loop anywhere but at its end", 'export function f(a: int): void {\nl: for (;;) {\n\tif (a)\n\t\tbreak l;\n\treturn;\n}\n}\n', 5, 3, "'break l'"],
	['?? operator', 'export function f(a: ptr<anon_vma>): ptr<anon_vma> {\n\treturn a ?? a;\n}\n', 3, 9, "'??'"],
	['unknown qualifier', "export function f(): void {\n\t'static';\n}\n", 3, 2, "unknown function qualifier 'static'"],
	['class in the model', 'class X {\n}\n', 2, 1, 'top-level ClassDeclaration'],
	['unlabelled break in a backward goto loop', 'export function f(a: int): void {\nretry: for (;;) {\n\tif (a)\n\t\tbreak;\n\treturn;\n}\n}\n', 5, 3, "unlabelled 'break' in a labelled 'for (;;)'"],
	['unlabelled continue in a backward goto loop', 'export function f(a: int): int {\nretry: for (;;) {\n\tif (a--)\n\t\tcontinue;\n\treturn a;\n}\n}\n', 5, 3, "unlabelled 'continue'"],
	['a label used twice', 'export function f(a: int): int {\n\tout: {\n\t\tif (a)\n\t\t\tbreak out;\n\t}\n\tout: {\n\t\tbreak out;\n\t}\n\treturn a;\n}\n', 7, 2, "label 'out' is defined twice"],
	['a labelled block at the end of a block', 'export function f(a: int): void {\n\tout: {\n\t\tif (a)\n\t\t\tbreak out;\n\t\ta++;\n\t}\n}\n', 3, 2, 'must be followed by a statement'],
	['a declaration in a labelled block', 'export function f(a: int): int {\n\tout: {\n\t\tlet b: int = a;\n\n\t\tif (b)\n\t\t\tbreak out;\n\t}\n\treturn a;\n}\n', 4, 3, 'declaration in the labelled block'],
	['a goto dispatch whose case names its label variable', DISPATCH_TS.replace('\ta = 2;\n', '\tat = \'out\';\n'), 15, 2, "'at' is the goto dispatch's label variable"],
	["a goto dispatch's last case falling off the switch", DISPATCH_TS.replace('\tcontinue out;\n}', '\ta++;\n}'), 19, 1, "last case must end in a return or a goto"],
	["a goto dispatch's case naming no label", DISPATCH_TS.replace("case 'found'", "case 'lost'"), 19, 1, "cases are its loops' labels"],
	["a goto dispatch's loop setting another label", DISPATCH_TS.replace("at = 'found')", "at = 'out')"), 6, 8, "loop is 'found: for (;; at = 'found')'"],
	["a goto dispatch starting anywhere but at its first case", DISPATCH_TS.replace("let at = 'again'", "let at = 'out'"), 4, 22, "starts at its first case, 'again'"],
	['an unlabelled break in a goto dispatch', DISPATCH_TS.replace('\ta = 2;\n', '\tif (a)\n\t\tbreak;\n'), 16, 3, "unlabelled 'break'"],
	["'break L' of a goto dispatch's inner label", DISPATCH_TS.replace('\t\t\tcontinue found;', '\t\t\tbreak found;'), 11, 4, "'break found'"],
	['a declaration in a case of a goto dispatch', DISPATCH_TS.replace("case 'found':\n", "case 'found':\n\tlet b: int = a;\n"), 20, 2, "declaration in the goto dispatch's case 'found'"],
	['a static function used before its definition', 'export function f(): int {\n\treturn g();\n}\n\nfunction g(): int {\n\treturn 0;\n}\n', 3, 9, "static function 'g' is called before its definition"],
	['numeric separator', 'export function f(): int {\n\treturn 1_000;\n}\n', 3, 9, "number literal '1_000'"],
	['octal literal', 'export function f(): int {\n\treturn 0o17;\n}\n', 3, 9, "number literal '0o17'"],
	['binary literal', 'export function f(): int {\n\treturn 0b101;\n}\n', 3, 9, "number literal '0b101'"],
	['fraction', 'export function f(): int {\n\treturn 1.5 as never;\n}\n', 3, 9, "'as' type assertion"],
	['exponent literal', 'export function f(): ulong {\n\treturn 1e3;\n}\n', 3, 9, "number literal '1e3'"],
	['** operator', 'export function f(a: int): int {\n\treturn a ** 2;\n}\n', 3, 9, "'**'"],
	['**= operator', 'export function f(a: int): int {\n\ta **= 2;\n\treturn a;\n}\n', 3, 2, "'**='"],
	['>>>= operator', 'export function f(a: int): int {\n\ta >>>= 2;\n\treturn a;\n}\n', 3, 2, "'>>>='"],
	['trailing comma in a parameter list', 'export function f(a: int, b: int,): int {\n\treturn a + b;\n}\n', 2, 27, 'trailing comma'],
	['a model-only field', 'export function f(fo: ptr<folio>): int {\n\treturn fo.data;\n}\n', 3, 12, "'data' is a model-only field"],
	['a model-only field of an embedded struct', 'export function f(av: ptr<anon_vma>): bool {\n\treturn av.rwsem.writer === NULL;\n}\n', 3, 18, "'writer' is a model-only field"],
	['addr_of() a model-only field', "export function f(fo: ptr<folio>): void {\n\tsmp_store_release(addr_of(fo, 'locked'), true);\n}\n", 3, 32, "'locked' is a model-only field"],
	['an iterator member the cursor lacks', "export function f(vma: ptr<vm_area_struct>): void {\n\tlet avc: ptr<anon_vma_chain>;\n\n\tfor (avc of list_for_each_entry(addr(vma.anon_vma_chain), 'same_anon_vma'))\n\t\tavc.vma = vma;\n}\n", 5, 60, "has no member 'same_anon_vma'"],
	['an iterator member that is no list_head', "export function f(vma: ptr<vm_area_struct>): void {\n\tlet avc: ptr<anon_vma_chain>;\n\n\tfor (avc of list_for_each_entry(addr(vma.anon_vma_chain), 'vma'))\n\t\tavc.vma = vma;\n}\n", 5, 60, "member 'vma' is a"],
	['a pointer to a pointer where a pointer is expected', 'export function f(pp: ptr<ptr<anon_vma>>): ptr<anon_vma> {\n\treturn pp;\n}\n', 3, 2, 'lvalue<anon_vma & Ptr<anon_vma>>'],
	['a mutex where a spinlock_t is expected', 'export function f(m: ptr<mutex>): void {\n\tspin_lock(m);\n}\n', 3, 12, "'mutex & Ptr<mutex>' is not assignable"],
	['a const pointer where a plain one is expected', 'export function f(fo: ptr<const_<folio>>): ptr<folio> {\n\treturn fo;\n}\n', 3, 2, 'Readonly<folio>'],
	['a pointer to another struct', 'export function f(av: ptr<anon_vma>): ptr<anon_vma_chain> {\n\treturn av;\n}\n', 3, 2, 'not assignable'],
	['a struct value where a pointer is expected', 'export function f(avc: ptr<anon_vma_chain>): void {\n\tlist_add(avc.same_vma, addr(avc.same_vma));\n}\n', 3, 11, "'__ptr' is missing"],
	['void operator', 'export function f(a: int): void {\n\tvoid a;\n}\n', 3, 2, "'void' operator"],
	['enum declared in the model', 'enum E {\n\tA,\n}\n', 2, 1, 'enum declaration'],
	['const pointer', 'export function f(p: const_<ptr<folio>>): void {\n}\n', 2, 22, 'const_<ptr<T>>'],
	['prototype of a function defined above', 'function g(): void {\n}\nprototype(g);\n', 4, 1, 'prototype() of anything but a function defined further down'],
	['prototype of a prelude function', 'prototype(likely);\n', 2, 1, 'prototype() of anything but'],
	['ifdef() not at column 0', 'export function f(a: int): void {\n\tif (ifdef(CONFIG_PER_VMA_LOCK)) {\n\t\ta++;\n\t}\n}\n', 3, 2, 'must be at column 0'],
	['ifdef() of an expression', 'export function f(a: int): void {\nif (ifdef(a > 1)) {\n\ta++;\n}\n}\n', 3, 1, 'ifdef() of anything but a CONFIG_ symbol'],
	['a comment inside a type annotation', 'export function f(): void {\n\tlet a: ptr</* av */anon_vma>;\n}\n', 3, 13, 'comment inside'],
	['a comment inside a parameter\'s type', 'export function f(a: /* n */ int): void {\n}\n', 2, 22, 'comment inside'],
	['a comment between ")" and "{" of a function header', 'export function f(): int /* r */ {\n\treturn 0;\n}\n', 2, 26, 'comment inside'],
	['a comment between "function" and the name', 'export function /* n */ f(): void {\n}\n', 2, 17, 'comment inside'],
	['a comment in a for-of header, before "of"', "export function f(vma: ptr<vm_area_struct>): void {\n\tlet avc: ptr<anon_vma_chain>;\n\n\tfor (avc /* c */ of list_for_each_entry(addr(vma.anon_vma_chain), 'same_vma'))\n\t\tavc.vma = vma;\n}\n", 5, 11, 'comment inside'],
	['a comment in a for-of header, after the iterator', "export function f(vma: ptr<vm_area_struct>): void {\n\tlet avc: ptr<anon_vma_chain>;\n\n\tfor (avc of list_for_each_entry(addr(vma.anon_vma_chain), 'same_vma') /* c */)\n\t\tavc.vma = vma;\n}\n", 5, 72, 'comment inside'],
	['cast<uchar>() (its T is gone when the model runs, so it could not wrap)', 'export function f(a: ulong): uchar {\n\treturn cast<uchar>(a);\n}\n', 3, 9, 'write to_uchar(x)'],
	['int_of() of anything but one comparison', 'export function f(a: int, b: int): int {\n\treturn int_of(a > 0 && b > 0);\n}\n', 3, 9, 'int_of() of anything but one comparison'],
	['a comment inside cast<>', 'export function f(p: ptr<void>): ulong {\n\treturn cast</* c */ulong>(p);\n}\n', 3, 14, 'comment inside'],
	['a comment inside prototype()', 'prototype(/* g */ g);\n\nfunction g(): void {\n}\n', 2, 11, 'comment inside'],
	['ref() outside a call argument', 'export function f(a: int): void {\n\tlet p: ptr<int> = ref(a, (v) => a = v);\n}\n', 3, 20, 'ref() anywhere but as a call argument'],
	['ref() storing into another variable', 'function g(n: ptr<int>): void {\n}\n\nexport function f(a: int, b: int): void {\n\tg(ref(a, (v) => b = v));\n}\n', 6, 4, "is not '(v) => a = v'"],
	['ref() of a const', 'function g(n: ptr<int>): void {\n}\n\nexport function f(): void {\n\tconst a: int = 1;\n\n\tg(ref(a, (v) => a = v));\n}\n', 8, 18, 'Cannot assign'],
	['ref() of a member (addr_of() is its form)', 'function g(n: ptr<ptr<anon_vma>>): void {\n}\n\nexport function f(vma: ptr<vm_area_struct>): void {\n\tg(ref(vma.anon_vma, (v) => vma.anon_vma = v));\n}\n', 6, 4, 'ref() of anything but a local variable'],
	['a pointer to a pointer to another struct', 'export function f(pp: ptr<ptr<anon_vma>>): ptr<ptr<anon_vma_chain>> {\n\treturn pp;\n}\n', 3, 2, 'not assignable'],
	['a pointer to a pointer where a struct pointer is dereferenced', 'export function f(pp: ptr<ptr<anon_vma>>): ptr<anon_vma> {\n\treturn pp.root;\n}\n', 3, 12, "'root' does not exist"],
	['WRITE_ONCE() of a pointer to a place', 'export function f(p: ptr<int>): void {\n\tWRITE_ONCE(p, 1);\n}\n', 3, 13, 'WRITE_ONCE() of anything but a place'],
	['ptr_add() of an operand with operators', 'export function f(p: ptr<page>, n: int): ptr<page> {\n\treturn ptr_add(p, n - 1);\n}\n', 3, 9, 'parenthesise it'],
	['an @entry macro whose member is no string literal', "export function f(slot: ptr<mm_slot>): ptr<ksm_mm_slot> {\n\treturn mm_slot_entry(slot, ksm_mm_slot, 'sl' + 'ot');\n}\n", 3, 9, "of anything but (pointer, a struct type, 'member')"],
	["'x!' on a local with an initialiser", 'export function f(): int {\n\tlet n!: int = 1;\n\treturn n;\n}\n', 3, 7, 'cannot also have definite assignment assertions'],
	['ptr_add() as an operand', 'export function f(p: ptr<page>, n: int): bool {\n\treturn !ptr_add(p, n);\n}\n', 3, 10, "anywhere but as an initialiser"],
	['ptr_inc() of a plain pointer', 'export function f(p: ptr<ptr<page>>): void {\n\tptr_inc(p);\n}\n', 3, 2, 'ptr_inc() of anything but ref'],
	['a comma operator outside a loop head', 'export function f(a: int): int {\n\treturn (a++, a);\n}\n', 3, 10, 'comma operator'],
	['defined() outside an #if condition', 'export function f(): bool {\n\treturn defined(CONFIG_NUMA);\n}\n', 3, 9, 'defined() outside an #if condition'],
	['an #if condition with an operand that is no defined()', 'export function f(a: int): void {\nif (defined(CONFIG_NUMA) && a) {\n\ta++;\n}\n}\n', 3, 5, 'defined() outside an #if condition'],
	['defined() of anything but a CONFIG_ symbol', 'export function f(a: int): void {\nif (defined(a > 1)) {\n\ta++;\n}\n}\n', 3, 13, 'defined() of anything but a CONFIG_ symbol'],
	['an #if block not at column 0', 'export function f(a: int): void {\n\tif (defined(CONFIG_NUMA) && defined(CONFIG_PER_VMA_LOCK)) {\n\t\ta++;\n\t}\n}\n', 3, 2, 'must be at column 0'],
	['\'continue L;\' into an entry into an if block (it would skip the if\'s test)', "export function f(vma: ptr<vm_area_struct>, a: int): int {\n\tif (!a)\n\t\treturn 0;\n\n\ta++;\nnext_mm: for (let at = '';; at = 'next_mm')\nno_vmas: for (;; at = 'no_vmas')\nswitch (at) {\ncase '':\ncase 'next_mm':\n\tif (at === 'next_mm' || a > 1) {\nif (at !== 'next_mm') {\n\t\ta--;\n\t\tif (a == 3)\n\t\t\treturn 1;\n}\n\t\tvma.vm_pgoff = 0;\n\t}\n\n\tif (a == 7)\n\t\tcontinue no_vmas;\n\ta += 2;\n\tcontinue no_vmas;\ncase 'no_vmas':\n\tif (at === 'no_vmas' || a == 5) {\nif (at !== 'no_vmas') {\n}\n\t\tvma.vm_pgoff = 1;\n\t}\n\tif (a < 10)\n\t\tcontinue next_mm;\n\treturn a;\n}\n}\n", 24, 2, 'would skip the if\'s test'],
	['a goto dispatch starting at an entry into an if block without \'case \'\':\'', "export function f(vma: ptr<vm_area_struct>, a: int): int {\n\tif (!a)\n\t\treturn 0;\n\n\ta++;\nnext_mm: for (let at = 'next_mm';; at = 'next_mm')\nno_vmas: for (;; at = 'no_vmas')\nswitch (at) {\ncase 'next_mm':\n\tif (at === 'next_mm' || a > 1) {\nif (at !== 'next_mm') {\n\t\ta--;\n\t\tif (a == 3)\n\t\t\treturn 1;\n}\n\t\tvma.vm_pgoff = 0;\n\t}\n\n\tif (a == 7)\n\t\tcontinue no_vmas;\n\ta += 2;\n\ncase 'no_vmas':\n\tif (at === 'no_vmas' || a == 5) {\nif (at !== 'no_vmas') {\n}\n\t\tvma.vm_pgoff = 1;\n\t}\n\tif (a < 10)\n\t\tcontinue next_mm;\n\treturn a;\n}\n}\n", 7, 24, "start at 'case '':'"],
	['an entry into an if block whose guard is not \'at !== L\'', "export function f(vma: ptr<vm_area_struct>, a: int): int {\n\tif (!a)\n\t\treturn 0;\n\n\ta++;\nnext_mm: for (let at = '';; at = 'next_mm')\nno_vmas: for (;; at = 'no_vmas')\nswitch (at) {\ncase '':\ncase 'next_mm':\n\tif (at === 'next_mm' || a > 1) {\nif (at != 'next_mm') {\n\t\ta--;\n\t\tif (a == 3)\n\t\t\treturn 1;\n}\n\t\tvma.vm_pgoff = 0;\n\t}\n\n\tif (a == 7)\n\t\tcontinue no_vmas;\n\ta += 2;\n\ncase 'no_vmas':\n\tif (at === 'no_vmas' || a == 5) {\nif (at !== 'no_vmas') {\n}\n\t\tvma.vm_pgoff = 1;\n\t}\n\tif (a < 10)\n\t\tcontinue next_mm;\n\treturn a;\n}\n}\n", 12, 2, 'write an entry into an if block'],
	['a C switch case that falls into the next without fallthrough;', 'export function f(a: int): int {\n\tswitch (a) {\n\tcase 1:\n\t\ta++;\n\tcase 2:\n\t\treturn a;\n\t}\n\treturn 0;\n}\n', 4, 2, "end it in 'fallthrough;'"],
	['elem() of a scalar', 'export function f(n: int): void {\n\tif (elem(n, 1))\n\t\treturn;\n}\n', 3, 11, "Argument of type 'number' is not assignable"],
	['an arrow function where the parameter is no condition', 'export function f(a: int): void {\n\tcast<int>(() => a);\n}\n', 3, 12, 'arrow function'],
	['a condition with a parameter', 'export function f(wq: wait_queue_head_t, a: int): void {\n\twait_event_freezable(wq, () => {\n\t\treturn a > 1;\n\t});\n}\n', 3, 27, 'a condition other than'],
	['zero_init() as an operand', 'export function f(): void {\n\tlet z: rb_root = zero_init(rb_root);\n\n\tstruct_assign(z, zero_init(rb_root));\n}\n', 5, 19, 'zero_init() anywhere but'],
	['a cast to a struct type of anything but zero_init()', 'export function f(r: rb_root): void {\n\tlet z: rb_root = zero_init(rb_root);\n\n\tstruct_assign(z, cast<rb_root>(r));\n}\n', 5, 19, 'a compound literal'],
	['zero_init() of another struct', 'export function f(): void {\n\tlet z: rb_root = zero_init(rb_node);\n}\n', 3, 6, 'is missing the following properties'],
	["a struct static written 'x!' (the run would leave it no object)", 'let z!: rb_root;\n', 2, 5, 'uninit(rb_root)'],
	['an #ifdef variant of a function the file does not define', 'function h$CONFIG_NUMA(a: int): int {\n\treturn a;\n}\n', 2, 10, 'which this file does not define'],
	['a call of an #ifdef variant by its TypeScript name', 'function g(a: int): int {\n\treturn a;\n}\nfunction g$CONFIG_NUMA(a: int): int {\n\treturn a;\n}\nexport function f(a: int): int {\n\treturn g$CONFIG_NUMA(a);\n}\n', 9, 9, "C names have no '$'"],
	["a '$' in a name that is no variant's", 'export function f$x(a: int): int {\n\treturn a;\n}\n', 2, 17, "names an #ifdef variant"],
	['struct_assign() as an expression', 'export function f(r: ptr<rb_root>): void {\n\treturn struct_assign(elem(r, 0), RB_ROOT);\n}\n', 3, 9, 'anywhere but as a statement of its own'],
	['an #if condition with a blank before its line break', 'export function f(a: int): void {\nif (defined(CONFIG_NUMA) && \n    defined(CONFIG_PER_VMA_LOCK)) {\n\ta++;\n}\n}\n', 3, 5, 'a blank before a line break'],
];

const snippets = [...SUPPORTED.map(([, ts]) => importLine(NAMES) + ts), ...REJECTED.map(([, ts]) => importLine(NAMES) + ts)];
const results = compileSnippets(snippets);

SUPPORTED.forEach(([name, , c], i) => {
	test(`compiles: ${name}`, () => {
		const r = results[i];
		assert.deepEqual(r.diagnostics, []);
		/* The import line's layout (its newline) comes first. */
		assert.equal(r.c.replace(/^\n+/, ''), c);
	});
});

REJECTED.forEach(([name, , line, col, msg], j) => {
	test(`rejects: ${name} at file:line:col`, () => {
		const r = results[SUPPORTED.length + j];
		assert.ok(r.diagnostics.length > 0, 'expected a diagnostic');
		const d = r.diagnostics[0];
		assert.match(d.file, /snippet\d+\.ts$/);
		assert.equal(`${d.line}:${d.col}`, `${line}:${col}`, d.message);
		assert.ok(d.message.includes(msg), `${d.message} should mention ${msg}`);
	});
});

/*
 * The printer's allow-list: a token in a gap that the emitter did not
 * declare droppable is an error, not silently lost.
 */
test('printer: an undeclared TypeScript token in a gap is an error, a declared one is dropped', () => {
	const ts = require('typescript') as typeof import('typescript');
	const { Printer, PrinterError } = require('../ts-src/compiler/printer') as typeof import('../ts-src/compiler/printer');
	const src = 'a\nlet b;\nc;\n';
	const sf = ts.createSourceFile('x.ts', src, ts.ScriptTarget.Latest, true);
	const p = new Printer(sf);
	p.tok('a', 0, 1);
	assert.throws(() => p.tok('c', src.indexOf('c;'), src.indexOf('c;') + 1), (e: unknown) => e instanceof PrinterError && e.pos === 2);
	const q = new Printer(sf);
	q.tok('a', 0, 1);
	q.drop(src.indexOf('let'), src.indexOf('c;'), 'test');
	q.tok('c', src.indexOf('c;'), src.indexOf('c;') + 1);
	assert.equal(q.text(), 'a\nc');
});

/* Carried C (the prelude's c`...`): printed byte for byte, inert for the checker. */
const VERBATIM: [string, string, string | [number, number, string]][] = [
	['lines printed byte for byte; \\` and \\${ unescaped, other backslashes kept',
		'c`\n#include <linux/mm.h>\n#define X(a) \\\n\t((a) + 1) /* \\`x\' \\${} */\n`;\n\nexport function f(): int {\n\treturn 0;\n}\n',
		'#include <linux/mm.h>\n#define X(a) \\\n\t((a) + 1) /* `x\' ${} */\n\nint f(void)\n{\n\treturn 0;\n}\n'],
	['a carried C function between model functions',
		'export function f(): int {\n\treturn 0;\n}\n\nc`\nstatic int g(void)\n{\n\treturn 1;\n}\n`;\n\nexport function h(): int {\n\treturn 2;\n}\n',
		'int f(void)\n{\n\treturn 0;\n}\n\nstatic int g(void)\n{\n\treturn 1;\n}\n\nint h(void)\n{\n\treturn 2;\n}\n'],
	['not at column 0', 'export function f(): void {\n}\n  c`\nint x;\n`;\n', [4, 3, 'verbatim C block not written']],
	['text on the "c`" line', 'c`int x;\n`;\n', [2, 1, 'verbatim C block not written']],
	['a substitution (TypeScript refuses it)', 'c`\nint ${"x"};\n`;\n', [3, 7, 'Expected 1 arguments']],
	['inside a function', 'export function f(): void {\n\tc`\nint x;\n`;\n}\n', [3, 2, 'TaggedTemplateExpression']],
];
const vresults = compileSnippets(VERBATIM.map(([, ts]) => importLine('int, c') + ts));
VERBATIM.forEach(([name, , want], i) => {
	test(`verbatim C: ${name}`, () => {
		const r = vresults[i];
		if (typeof want === 'string') {
			assert.deepEqual(r.diagnostics, []);
			assert.equal(r.c.replace(/^\n+/, ''), want);
			assert.deepEqual(r.verbatim, i === 1 ? ['g'] : []);
			return;
		}
		const [line, col, msg] = want;
		assert.ok(r.diagnostics.length > 0, 'expected a diagnostic');
		assert.equal(`${r.diagnostics[0].line}:${r.diagnostics[0].col}`, `${line}:${col}`, r.diagnostics[0].message);
		assert.ok(r.diagnostics[0].message.includes(msg), r.diagnostics[0].message);
	});
});

/* The runtime of out-parameters: a reference cell reads and writes through. */
test('runtime: ref() and addr_of() cells read and write through p.deref', () => {
	const { ref, addr_of } = require('../ts-src/kernel/ctypes') as typeof import('../ts-src/kernel/ctypes');
	let nr = 3;
	const fill = (p: { deref: number }): void => {
		p.deref += 4;
	};
	fill(ref(nr, (v) => nr = v));
	assert.equal(nr, 7);
	const o = { n: 1 };
	const c = addr_of(o, 'n');
	c.deref++;
	assert.equal(o.n, 2);
	assert.equal(c.get(), 2);
});

/* Pointer arithmetic runs over a folio's pages. */
test('runtime: ptr_add() and ptr_inc() walk a folio\'s pages', () => {
	const K = require('../ts-src/kernel') as typeof import('../ts-src/kernel');
	const f = new K.folio() as never as Parameters<typeof K.folio_page>[0];
	f.nr_pages = 4;
	let p = K.folio_page(f, 1);
	assert.equal(K.ptr_add(p, 2), K.folio_page(f, 3));
	assert.equal(K.ptr_add(f.page as never, 0), f.page);
	assert.equal(K.ptr_inc(K.ref(p, (v) => p = v)), K.folio_page(f, 1));
	assert.equal(p, K.folio_page(f, 2));
	assert.equal(K.ptr_add(p, 2), K.NULL);
});

/* A model rmap path runs: folio_add_new_anon_rmap() on a small folio sets up its anon mapping and mapcount. */
test('runtime: the model\'s folio_add_new_anon_rmap(), folio_remove_rmap_ptes(), folio_add_anon_rmap_ptes() run', () => {
	const K = require('../ts-src/kernel') as typeof import('../ts-src/kernel');
	const R = require('../ts-src/model/rmap') as typeof import('../ts-src/model/rmap');
	R.anon_vma_init();
	const mm = new K.mm_struct() as never as Parameters<typeof K.vm_area_alloc>[0];
	const vma = K.vm_area_alloc(mm);
	vma.vm_start = 0x100000;
	vma.vm_end = 0x200000;
	K.down_read(K.addr(mm.mmap_lock));
	assert.equal(R.__anon_vma_prepare(vma), 0);
	const f = new K.folio() as never as Parameters<typeof K.folio_page>[0];
	f.locked = true;
	R.folio_add_new_anon_rmap(f, vma, 0x101000, K.RMAP_EXCLUSIVE);
	assert.ok(K.folio_test_anon(f));
	assert.equal(K.folio_anon_vma(f), vma.anon_vma);
	assert.equal(f.index, 1);
	assert.equal(f._mapcount.counter, 0);
	assert.ok(f.page.anon_exclusive && f.swapbacked);
	/* and the add/remove paths, with their out-of-line page++ walk */
	R.folio_remove_rmap_ptes(f, K.folio_page(f, 0), 1, vma);
	assert.equal(f._mapcount.counter, -1);
	R.folio_add_anon_rmap_ptes(f, K.folio_page(f, 0), 1, vma, 0x101000, K.RMAP_NONE);
	assert.equal(f._mapcount.counter, 0);
	K.up_read(K.addr(mm.mmap_lock));
});

/* A goto dispatch runs as its C: the TypeScript of DISPATCH_TS, transpiled and run, against the C's outcomes. */
test('runtime: a goto dispatch goes where its C goes (gotos back up, out of a loop past a label, back from below)', () => {
	const ts = require('typescript') as typeof import('typescript');
	const js = ts.transpileModule(DISPATCH_TS, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
	const m: { exports: { f?: (a: number) => number } } = { exports: {} };
	new Function('module', 'exports', js)(m, m.exports);
	/* again: a++ then the loop counts a down (goto again at 5); found (a > 10): a = 1, goto out; out: return a. */
	assert.deepEqual([0, 4, 9, 10, 20].map(m.exports.f!), [2, 2, 2, 1, 1]);
});

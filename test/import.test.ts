/*
 * ktsc import: kernel C in, model TypeScript out, and back to the same C.
 *   - a fresh import of each base file the model stands for (mm/rmap.c,
 *     mm/ksm.c) emits it byte for byte;
 *   - the model with its carried blocks taken out, merged with mm/rmap.c
 *     again, emits what emit/ holds (the base plus the series' changes);
 *   - drift against the base itself finds nothing but the model's changes;
 *   - what cannot be carried is a diagnostic.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { spawnSync } from 'child_process';
import { compileProgram, MODEL_FILES, REPO } from '../ts-src/compiler/program';
import { importC, mergeInto, ImportError, insertions } from '../ts-src/csource/import';
import { importTranslated, preludeNames } from '../ts-src/csource/import_ts';
import { translateFunction, Untranslatable } from '../ts-src/csource/translate';
import { findFunctions } from '../ts-src/csource/functions';
import { baseTree } from '../ts-src/kernelsrc';
import { drift } from '../ts-src/fidelity';

const tree = baseTree();
const base = fs.readFileSync(path.join(tree.dir, 'mm/rmap.c'), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-import-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The model's relative imports made absolute, so a copy compiles from tmp. */
function absolutise(ts: string): string {
	return ts.replace(/from '\.\.\/kernel'/g, `from ${JSON.stringify(path.join(REPO, 'ts-src/kernel'))}`)
		.replace(/from '\.\/(\w+)'/g, (_m, mod: string) => `from ${JSON.stringify(path.join(REPO, 'ts-src/model', mod))}`);
}

/*
 * The import a user runs (ktsc import FILE): functions within the
 * translation's reach come in as TypeScript, the rest as carried C, and
 * the model emits the base file byte for byte either way.
 */
for (const { c: file } of MODEL_FILES)
	test(`import -> emit round trip: the base ${file}, byte for byte, with and without TypeScript`, () => {
		const src = fs.readFileSync(path.join(tree.dir, file), 'utf8');
		const model = path.join(tmp, `fresh-${path.basename(file, '.c')}.ts`);
		const carried = importC(src, file, undefined, path.join(REPO, 'ts-src/kernel'));
		const translated = importTranslated(src, file, model, path.join(REPO, 'ts-src/kernel'));
		for (const ts of [carried, translated.text]) {
			fs.writeFileSync(model, ts);
			const [r] = compileProgram([model]);
			assert.deepEqual(r.diagnostics, []);
			assert.ok(r.c === src, `the emitted file is not the base ${file}`);
			if (ts === carried)
				assert.ok(r.verbatim.length >= 40, `${r.verbatim.length} carried functions`);
		}
		assert.ok(translated.translated.length >= 4, `${file}: ${translated.translated.length} functions in TypeScript`);
		/* Every function is one or the other (a variant of one defined under #ifdef and #else each), and a carried one says why, with its line. */
		const defs = new Map<string, number>();
		findFunctions(src).forEach((f) => defs.set(f.name, (defs.get(f.name) ?? 0) + 1));
		for (const [name, n] of defs) {
			/* an #ifdef variant the kconfig does not take is TypeScript as name$CONFIG_X */
			const ts = translated.translated.filter((x) => x === name || x.startsWith(`${name}$`)).length, c = translated.carried.filter((x) => x.name === name).length;
			assert.ok(ts >= 1 ? ts + c === n : c === 1, `${file}: ${name}, ${n} definition(s): ${ts} in TypeScript, ${c} carried`);
		}
		for (const f of translated.carried)
			assert.ok(f.line > 0 && f.reason.length > 0, JSON.stringify(f));
	});

/*
 * The importer learns from the compiler and the file: "p += n" the
 * compiler types as pointer arithmetic is translated again as
 * ptr_add_assign(), and the prototype of a static function that comes in
 * as TypeScript as prototype(f).  The result emits the C byte for byte.
 */
test('import: a prototype of a TypeScript function as prototype(f), over lines as its header is; "p += n" of a pointer as ptr_add_assign()', () => {
	const c = 'static void g(struct anon_vma *av);\nstatic void k(struct anon_vma *av,\n\t      int n);\n\nvoid f(struct anon_vma *av)\n{\n\tg(av);\n\tk(av, 1);\n}\n\n' +
		'static void g(struct anon_vma *av)\n{\n\tav->num_children = 0;\n}\n\n' +
		'static void k(struct anon_vma *av,\n\t      int n)\n{\n\tav->num_children = n;\n}\n\n' +
		'void h(struct page_vma_mapped_walk *pvmw, int nr)\n{\n\tpvmw->pte += nr;\n\tpvmw->address += nr;\n}\n';
	const r = importTranslated(c, 'x.c', path.join(tmp, 'proto.ts'), path.join(REPO, 'ts-src/kernel'));
	assert.deepEqual(r.translated, ['f', 'g', 'k', 'h']);
	assert.match(r.text, /^prototype\(g\);\nprototype\(k\);$/m);
	assert.match(r.text, /^\tptr_add_assign\(addr_of\(pvmw, 'pte'\), nr\);\n\tpvmw\.address \+= nr;$/m);
	fs.writeFileSync(path.join(tmp, 'proto.ts'), r.text);
	const [out] = compileProgram([path.join(tmp, 'proto.ts')]);
	assert.deepEqual(out.diagnostics, []);
	assert.equal(out.c, c);
});

/*
 * A function defined under #ifdef and #else (rmap.c's should_defer_flush(),
 * ksm.c's wait_while_offlining()): the variant the prelude's kconfig takes
 * comes in as TypeScript, the other stays carried, and the file emits byte
 * for byte.  Where the kconfig cannot tell them apart, both stay carried.
 */
test('import: #ifdef variants of a function, both in TypeScript, the configured one under the function\'s name', () => {
	const c = '#ifdef CONFIG_NUMA\nstatic int g(int a)\n{\n\treturn a + 1;\n}\n#else\nstatic int g(int a)\n{\n\treturn a;\n}\n#endif\n\n' +
		'int f(int a)\n{\n\treturn g(a);\n}\n';
	for (const [text, numa] of [[c, true], [c.replace('#ifdef CONFIG_NUMA', '#ifndef CONFIG_NUMA'), false]] as const) {
		const r = importTranslated(text, 'x.c', path.join(tmp, 'variants.ts'), path.join(REPO, 'ts-src/kernel'));
		/* the other variant is named after its branch: the kconfig has CONFIG_NUMA, so #ifdef's #else, or #ifndef's own: g$not_CONFIG_NUMA */
		const other = 'g$not_CONFIG_NUMA';
		assert.deepEqual(r.translated, numa ? ['g', other, 'f'] : [other, 'g', 'f']);
		assert.deepEqual(r.carried, []);
		assert.match(r.text, numa ? /^function g\(a: int\): int \{\n\treturn a \+ 1;$/m : /^function g\(a: int\): int \{\n\treturn a;$/m);
		assert.ok(r.text.includes(`function ${other}(a: int): int {\n\treturn ${numa ? 'a' : 'a + 1'};\n}`), r.text);
		fs.writeFileSync(path.join(tmp, 'variants.ts'), r.text);
		const [out] = compileProgram([path.join(tmp, 'variants.ts')]);
		assert.deepEqual(out.diagnostics, []);
		assert.equal(out.c, text);
	}
	const unknown = importTranslated(c.replace(/CONFIG_NUMA/g, 'CONFIG_NO_SUCH'), 'x.c', path.join(tmp, 'variants2.ts'), path.join(REPO, 'ts-src/kernel'));
	assert.deepEqual(unknown.translated, []);
	assert.match(unknown.carried.find((x) => x.name === 'g')!.reason, /defined more than once/);
});

/*
 * Porting (README: "Porting to the next mainline"): a fresh import of a
 * base file at the model's own place, where the model's other files
 * (rmap_h.ts, ksm.ts) supply names, translates every function the model
 * holds in TypeScript, so a function that drifts comes back in as
 * TypeScript, not as C to port by hand.  Where the model's text differs
 * from the import's, the series changed the function, or the model opens a
 * goto's labelled block at an earlier statement than the importer does.
 */
const LABEL_PLACEMENT = new Set(['__anon_vma_prepare', 'folio_get_anon_vma', 'folio_lock_anon_vma_read']);
for (const { c: file, model: modelFile } of MODEL_FILES)
	test(`import of the base ${file} at the model's place: every function the model has in TypeScript comes in as TypeScript`, () => {
		const src = fs.readFileSync(path.join(tree.dir, file), 'utf8');
		const model = path.join(REPO, modelFile);
		const r = importTranslated(src, file, model);
		const emitted = new Map(findFunctions(fs.readFileSync(path.join(REPO, 'emit', file), 'utf8')).map((f) => [f.name, f]));
		const baseFns = new Map(findFunctions(src).map((f) => [f.name, f]));
		const mine = tsFunctions(fs.readFileSync(model, 'utf8'));
		const theirs = tsFunctions(r.text);
		const emit = fs.readFileSync(path.join(REPO, 'emit', file), 'utf8');
		let compared = 0;
		for (const [name, text] of mine) {
			if (!baseFns.has(name.split('$')[0]))
				continue; /* the series' own function */
			assert.ok(theirs.has(name), `${file}: ${name} is TypeScript in the model but the import carries it: ${JSON.stringify(r.carried.find((x) => x.name === name))}`);
			if (name.includes('$')) {
				/* an #ifdef variant the kconfig does not take: no series change touches one */
				assert.equal(theirs.get(name), text, `${file}: the import's ${name} is not the model's`);
				continue;
			}
			const e = emitted.get(name)!, b = baseFns.get(name)!;
			const changed = emit.slice(e.start, e.end) !== src.slice(b.start, b.end);
			if (!changed && !LABEL_PLACEMENT.has(name)) {
				assert.equal(theirs.get(name), text, `${file}: the import's ${name} is not the model's`);
				compared++;
			}
		}
		assert.ok(compared >= 30, `${compared} functions compared`);
	});

function tsFunctions(text: string): Map<string, string> {
	const sf = ts.createSourceFile('m.ts', text, ts.ScriptTarget.Latest, true);
	const out = new Map<string, string>();
	for (const st of sf.statements)
		if (ts.isFunctionDeclaration(st) && st.name && st.body)
			out.set(st.name.text, st.getText(sf));
	return out;
}

/*
 * ts-src/model/ksm.ts came in by ktsc import and has been changed since
 * (the series' KSM change): importing the C it emits gives the model back,
 * byte for byte, so the importer and the compiler agree on every function
 * and line of it.  (The base file's own round trip is the test above.)
 */
test('import of ts-src/model/ksm.ts: importing the C the model emits gives the committed model', () => {
	const model = path.join(REPO, 'ts-src/model/ksm.ts');
	const emitted = fs.readFileSync(path.join(REPO, 'emit/mm/ksm.c'), 'utf8');
	const r = importTranslated(emitted, 'mm/ksm.c', model);
	assert.ok(r.text === fs.readFileSync(model, 'utf8'), 'ts-src/model/ksm.ts differs from ktsc import of emit/mm/ksm.c (the importer, the prelude or the model changed): re-import it');
	/* Which functions are TypeScript: the model's, in its order (the import carries the rest, each with its reason). */
	assert.deepEqual(r.translated, [...tsFunctions(fs.readFileSync(model, 'utf8')).keys()]);
	assert.ok(r.translated.length >= 124, `${r.translated.length} functions of mm/ksm.c in TypeScript`);
});

test('ktsc import FILE names each carried function with its line and reason; --carry carries them all', () => {
	const cli = path.join(REPO, 'dist/ts-src/cli.js');
	const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'import', 'mm/ksm.c', '--kernel', tree.dir, ...args], { encoding: 'utf8' });
	const out = path.join(tmp, 'cli-ksm.ts');
	const r = run('--out', out);
	assert.equal(r.status, 0, r.stderr);
	/* p[i] is elem(p, i) and a struct assignment struct_assign(); outside the model's place, what it calls is carried. */
	assert.match(r.stderr, /^carried  remove_all_stable_nodes  \(mm\/ksm\.c:1179: calls remove_stable_node_chain, which is carried C\)$/m);
	/* Its gotos cross (a goto dispatch now); outside the model's place, what it calls is carried. */
	assert.match(r.stderr, /^carried  stable_tree_search  \(mm\/ksm\.c:1858: calls chain_prune, which is carried C\)$/m);
	/* Its gotos into two if blocks are a goto dispatch with entries (the model's place takes it whole). */
	assert.match(r.stderr, /^carried  scan_get_next_rmap_item  \(mm\/ksm\.c:2619: calls ksm_get_folio, which is carried C\)$/m);
	assert.match(r.stderr, /^mm\/ksm\.c: 89 function\(s\) in TypeScript \(.*\), 27 file-scope variable\(s\), 37 carried as C; emits mm\/ksm\.c byte for byte$/m);
	/* Defined under #ifdef CONFIG_MEMORY_HOTREMOVE and #else: both TypeScript, the variant the prelude's kconfig does not take under its branch's name. */
	assert.doesNotMatch(r.stderr, /^carried  wait_while_offlining /m);
	assert.match(fs.readFileSync(out, 'utf8'), /^function wait_while_offlining\$CONFIG_MEMORY_HOTREMOVE\(\): void \{$/m);
	assert.match(fs.readFileSync(out, 'utf8'), /^function is_stable_node_chain\(chain: ptr<ksm_stable_node>\): bool \{$/m);
	/* alloc_stable_node_chain()'s #if of defined() conditions (stable_tree_insert()'s "new" as new_ and &root->rb_node as addr_of(): the model import above). */
	assert.match(fs.readFileSync(out, 'utf8'), /^if \(defined \(CONFIG_DEBUG_VM\) && defined\(CONFIG_NUMA\)\) \{$/m);
	assert.match(r.stderr, /^carried  stable_tree_insert  \(mm\/ksm\.c:2065: calls chain, which is carried C\)$/m);
	const all = run('--carry', '--out', out);
	assert.equal(all.status, 0, all.stderr);
	assert.doesNotMatch(fs.readFileSync(out, 'utf8'), /^(export )?function /m);
});

test('ktsc import FILE: a path in the tree or an absolute path inside it reads the same file; a missing one is a one-line error', () => {
	const cli = path.join(REPO, 'dist/ts-src/cli.js');
	const run = (file: string) => spawnSync(process.execPath, [cli, 'import', file, '--kernel', tree.dir, '--function', 'ksm_test_exit'], { encoding: 'utf8' });
	const rel = run('mm/ksm.c');
	assert.equal(rel.status, 0, rel.stderr);
	const abs = run(path.join(tree.dir, 'mm', 'ksm.c'));
	assert.equal(abs.status, 0, abs.stderr);
	assert.equal(abs.stdout, rel.stdout);
	assert.match(rel.stdout, /ksm_test_exit/);
	const missing = run('mm/no-such-file.c');
	assert.equal(missing.status, 1);
	assert.equal(missing.stderr.trim(), `ktsc import: ${path.join(tree.dir, 'mm', 'no-such-file.c')}: no such file`);
});

test('import --into: the model without its carried C, merged again, emits emit/mm/rmap.c', () => {
	const model = fs.readFileSync(path.join(REPO, 'ts-src/model/rmap.ts'), 'utf8');
	const stripped = absolutise(model.replace(/^c`\n[\s\S]*?^`;\n/gm, '').replace(/\bc, /, ''));
	assert.ok(!stripped.includes('c`'));
	const file = path.join(tmp, 'model.ts');
	fs.writeFileSync(file, stripped);
	const [r] = compileProgram([file]);
	assert.deepEqual(r.diagnostics, []);
	const merged = mergeInto({ file, text: r.source!, emitted: r.c, lineMap: r.lineMap! }, base, 'mm/rmap.c');
	assert.ok(merged.blocks > 0);
	fs.writeFileSync(file, merged.text);
	const [again] = compileProgram([file]);
	assert.deepEqual(again.diagnostics, []);
	assert.ok(again.c === fs.readFileSync(path.join(REPO, 'emit/mm/rmap.c'), 'utf8'), 'merged model does not emit emit/mm/rmap.c');
});

test('import --function: one function as a carried block', () => {
	const ts = importC(base, 'mm/rmap.c', 'try_to_unmap_one');
	assert.match(ts, /^c`\nstatic bool try_to_unmap_one\(/);
	assert.ok(ts.endsWith('}\n`;\n'));
	assert.throws(() => importC(base, 'mm/rmap.c', 'no_such_function'), (e: unknown) => e instanceof ImportError && /no function 'no_such_function'/.test(e.message));
});

test('import refuses what a carried block cannot hold, with file:line', () => {
	assert.throws(() => importC('int a;\n/* \\` */\n', 'x.c'), (e: unknown) => e instanceof ImportError &&
		e.diagnostics[0].line === 2 && /backslash before/.test(e.message));
	assert.throws(() => importC('int a;', 'x.c'), (e: unknown) => e instanceof ImportError && /newline/.test(e.message));
});

test('line insertions: pure insertions found, changed lines left to the model', () => {
	const h = insertions(['a\n', 'b\n', 'X\n', 'c\n'], ['a\n', 'new\n', 'b\n', 'c\n', 'tail\n']);
	assert.deepEqual(h.map((x) => [x.before, x.lines, x.replaces]), [[1, ['new\n'], 0], [4, ['tail\n'], 0]]);
});

test('drift against the base itself: only the model\'s own changes', () => {
	const r = drift(tree.dir);
	assert.deepEqual(r.drifted.map((f) => [f.name, f.changed_by_model]).sort(),
		[['__stable_node_dup_del', true], ['anon_vma_clone', true], ['anon_vma_fork', true], ['free_stable_node', true],
			['ksm_assert_stable_tree_locked', true], ['stable_node_chain_add_dup', true], ['unlink_anon_vmas', true]]);
	assert.ok(r.files.every((f) => f.file_identical));
});

/* The translation alone: what it writes, and what it refuses, naming line and construct. */
test('translate: a C function into model TypeScript, layout kept', () => {
	const prelude = preludeNames(path.join(REPO, 'ts-src/kernel'));
	const c = 'int x;\n\nstatic inline bool f(struct anon_vma *av,\n\t\t     int n)\n{\n\t/* why */\n\treturn av->root == av && n; /* end */\n}\n';
	const [f] = findFunctions(c);
	const t = translateFunction(c, f, prelude, new Set());
	assert.equal(t.ts, "function f(av: ptr<anon_vma>,\n\t\t     n: int): bool {\n\t'inline';\n\t/* why */\n\treturn av.root == av && n; /* end */\n}\n");
	assert.deepEqual([...t.uses.keys()].sort(), ['anon_vma', 'bool', 'int', 'ptr']);
	const d = 'void d(void)\n{\n\tstruct anon_vma *a = NULL, *b;\n\tunsigned long n;\n\tpgoff_t p = 0;\n\n\tb = a;\n}\n';
	assert.equal(translateFunction(d, findFunctions(d)[0], prelude, new Set()).ts,
		'export function d(): void {\n\tlet a: ptr<anon_vma> = NULL, b: ptr<anon_vma>;\n\tlet n: ulong;\n\tlet p: pgoff_t = 0;\n\n\tb = a;\n}\n');
	const g = 'void g(struct vm_area_struct *vma)\n{\n\tatomic_set(&vma->vm_mm->mm_users, 1);\n}\n';
	assert.match(translateFunction(g, findFunctions(g)[0], prelude, new Set()).ts, /atomic_set\(addr\(vma\.vm_mm\.mm_users\), 1\);/);
	/* VMA_ITERATOR() and for_each_vma(vmi, vma), whose cursor comes last; a typedef'd struct parameter is a struct value (&x is addr(x)); #ifdef VM_SAO. */
	const v = 'bool v(struct mm_struct *mm, vma_flags_t flags)\n{\n\tstruct vm_area_struct *vma;\n\n#ifdef VM_SAO\n\tif (vma_flags_test(&flags, VMA_SAO_BIT))\n\t\treturn false;\n#endif\n\tVMA_ITERATOR(vmi, mm, 0);\n\tfor_each_vma(vmi, vma)\n\t\tvm_flags_clear(vma, VM_MERGEABLE);\n\treturn true;\n}\n';
	assert.equal(translateFunction(v, findFunctions(v)[0], prelude, new Set()).ts,
		'export function v(mm: ptr<mm_struct>, flags: vma_flags_t): bool {\n\tlet vma: ptr<vm_area_struct>;\n\nif (ifdef(VM_SAO)) {\n\tif (vma_flags_test(addr(flags), VMA_SAO_BIT))\n\t\treturn false;\n}\n\tlet vmi: vma_iterator = VMA_ITERATOR(mm, 0);\n\tfor (vma of for_each_vma(vmi))\n\t\tvm_flags_clear(vma, VM_MERGEABLE);\n\treturn true;\n}\n');
	/* const locals, switch, #ifdef/#else/#endif around statements, list iterators, broken headers, "\n" in a string. */
	const more: [string, string][] = [
		['void f(unsigned long a)\n{\n\tconst unsigned long b = a, c = 1;\n\tconst struct anon_vma *av = NULL;\n}\n',
			'export function f(a: ulong): void {\n\tconst b: ulong = a, c: ulong = 1;\n\tlet av: ptr<const_<anon_vma>> = NULL;\n}\n'],
		['int f(int a)\n{\n\tswitch (a) {\n\tcase 1:\n\t\treturn 2;\n\tdefault:\n\t\tbreak;\n\t}\n\treturn 0;\n}\n',
			'export function f(a: int): int {\n\tswitch (a) {\n\tcase 1:\n\t\treturn 2;\n\tdefault:\n\t\tbreak;\n\t}\n\treturn 0;\n}\n'],
		['void f(struct vm_area_struct *vma)\n{\n#ifdef CONFIG_DEBUG_VM\n\tvma->vm_pgoff = 0;\n#else\n\tvma->vm_pgoff++;\n#endif\n#ifndef CONFIG_NUMA\n\tvma->vm_pgoff--;\n#endif\n}\n',
			'export function f(vma: ptr<vm_area_struct>): void {\nif (ifdef(CONFIG_DEBUG_VM)) {\n\tvma.vm_pgoff = 0;\n} else {\n\tvma.vm_pgoff++;\n}\nif (!ifdef(CONFIG_NUMA)) {\n\tvma.vm_pgoff--;\n}\n}\n'],
		['void f(struct vm_area_struct *vma)\n{\n\tstruct anon_vma_chain *avc, *n;\n\n\tlist_for_each_entry_safe(avc, n, &vma->anon_vma_chain, same_vma)\n\t\tavc->vma = vma;\n}\n',
			"export function f(vma: ptr<vm_area_struct>): void {\n\tlet avc: ptr<anon_vma_chain>, n: ptr<anon_vma_chain>;\n\n\tfor ([avc, n] of list_for_each_entry_safe(addr(vma.anon_vma_chain), 'same_vma'))\n\t\tavc.vma = vma;\n}\n"],
		['static inline\nstruct anon_vma *f(void)\n{\n\treturn NULL;\n}\n',
			"function f(): ptr<anon_vma> {\n\t'inline';\n\t'\\n';\n\treturn NULL;\n}\n"],
		['static ssize_t\nf(struct kobject *kobj, char *buf)\n{\n\treturn sysfs_emit(buf, "%u\\n", 1);\n}\n',
			'function\nf(kobj: ptr<kobject>, buf: ptr<char>): ssize_t {\n\treturn sysfs_emit(buf, "%u\\n", 1);\n}\n'],
		['bool f(struct folio *folio)\n{\n\tstruct rmap_walk_control rwc = {\n\t\t.try_lock = true,\n\t\t.arg = NULL,\n\t};\n\n\treturn rwc.try_lock;\n}\n',
			'export function f(folio: ptr<folio>): bool {\n\tlet rwc: rmap_walk_control = struct_init(rmap_walk_control, {\n\t\ttry_lock: true,\n\t\targ: NULL,\n\t});\n\n\treturn rwc.try_lock;\n}\n'],
		['void f(unsigned long pfn)\n{\n\tstruct page_vma_mapped_walk pvmw = {\n\t\t.pfn\t\t= pfn,\n\t\t.nr_pages\t= 1,\n\t};\n}\n',
			'export function f(pfn: ulong): void {\n\tlet pvmw: struct_page_vma_mapped_walk = struct_init(struct_page_vma_mapped_walk, {\n\t\tpfn\t\t: pfn,\n\t\tnr_pages\t: 1,\n\t});\n}\n'],
		['bool f(struct folio *folio, struct vm_area_struct *vma)\n{\n\tDEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, 0, 0);\n\n\treturn page_vma_mapped_walk(&pvmw);\n}\n',
			'export function f(folio: ptr<folio>, vma: ptr<vm_area_struct>): bool {\n\tlet pvmw: struct_page_vma_mapped_walk = DEFINE_FOLIO_VMA_WALK(folio, vma, 0, 0);\n\n\treturn page_vma_mapped_walk(addr(pvmw));\n}\n'],
		['int f(int a)\n{\n\tif (a)\n\t\tgoto out;\n\tfor (;;) {\n\t\tif (a--)\n\t\t\tgoto out_free;\n\t}\n\ta = 1;\nout_free:\n\ta++;\n out:\n\treturn a;\n}\n',
			'export function f(a: int): int {\nout: {\n\tif (a)\n\t\tbreak out;\nout_free: {\n\tfor (;;) {\n\t\tif (a--)\n\t\t\tbreak out_free;\n\t}\n\ta = 1;\n}\n\ta++;\n }\n\treturn a;\n}\n'],
		['void f(int *n, struct folio **pp)\n{\n\t*n = 1;\n\t(*n)++;\n\t*n += *n;\n\t(*pp)->mapping = NULL;\n\t*pp = NULL;\n}\n',
			'export function f(n: ptr<int>, pp: ptr<ptr<folio>>): void {\n\tn.deref = 1;\n\t(n.deref)++;\n\tn.deref += n.deref;\n\t(pp.deref).mapping = NULL;\n\tpp.deref = NULL;\n}\n'],
		['int f(int v)\n{\n\tint nr = 0;\n\tstruct folio *folio = NULL;\n\n\tg(&nr, &folio, &v);\n\treturn nr;\n}\n',
			'export function f(v: int): int {\n\tlet nr: int = 0;\n\tlet folio: ptr<folio> = NULL;\n\n\tg(ref(nr, (v) => nr = v), ref(folio, (v) => folio = v), ref(v, (w) => v = w));\n\treturn nr;\n}\n'],
		['void f(struct folio *folio, struct anon_vma *av)\n{\n\tWRITE_ONCE(folio->mapping, NULL);\n}\n',
			"export function f(folio: ptr<folio>, av: ptr<anon_vma>): void {\n\tWRITE_ONCE(addr_of(folio, 'mapping'), NULL);\n}\n"],
		['void f(struct page *page, int nr)\n{\n\tstruct page *cur = page + nr;\n\n\tdo {\n\t\tg(page + 1);\n\t} while (page++, --nr > 0);\n}\n',
			'export function f(page: ptr<page>, nr: int): void {\n\tlet cur: ptr<page> = ptr_add(page, nr);\n\n\tdo {\n\t\tg(ptr_add(page, 1));\n\t} while (ptr_inc(ref(page, (v) => page = v)), --nr > 0);\n}\n'],
		/* Casts of pointers and scalars; p + n of a prelude pointer variable and of &x: ptr_add(). */
		['void f(struct folio *folio, struct ksm_stable_node *sn)\n{\n\tfolio->mapping = (void *)((unsigned long)sn | FOLIO_MAPPING_KSM);\n\tg((unsigned long) sn->kpfn);\n}\n',
			'export function f(folio: ptr<folio>, sn: ptr<ksm_stable_node>): void {\n\tfolio.mapping = cast<ptr<void>>(cast<ulong>(sn) | FOLIO_MAPPING_KSM);\n\tg(cast<ulong> (sn.kpfn));\n}\n'],
		/* sizeof(struct T): the struct type as a value; (void *)&x: the cast of an address; the place of smp_store_release(&a->b, v). */
		['void f(struct vm_area_struct *vma, struct anon_vma *av)\n{\n\tstruct rmap_walk_control rwc = {\n\t\t.arg = NULL,\n\t};\n\n\tg(sizeof(struct anon_vma), (void *)&rwc);\n\tsmp_store_release(&vma->anon_vma, av);\n}\n',
			"export function f(vma: ptr<vm_area_struct>, av: ptr<anon_vma>): void {\n\tlet rwc: rmap_walk_control = struct_init(rmap_walk_control, {\n\t\targ: NULL,\n\t});\n\n\tg(sizeof(anon_vma), cast<ptr<void>>(addr(rwc)));\n\tsmp_store_release(addr_of(vma, 'anon_vma'), av);\n}\n"],
		/* A comparison compared with an int is C's int 0/1: int_of(), whose parentheses the compiler prints. */
		['int f(struct vm_area_struct *vma, struct mm_struct *mm, int n)\n{\n\tif ((mm == vma->vm_mm) == n)\n\t\treturn 1;\n\treturn 0;\n}\n',
			'export function f(vma: ptr<vm_area_struct>, mm: ptr<mm_struct>, n: int): int {\n\tif (int_of(mm == vma.vm_mm) == n)\n\t\treturn 1;\n\treturn 0;\n}\n'],
		/* A narrowing cast runs as to_uchar(), which wraps as C does. */
		['int f(unsigned long seqnr, struct ksm_rmap_item *ri)\n{\n\tunsigned char age;\n\n\tage = (unsigned char)(seqnr - ri->address);\n\treturn age;\n}\n',
			'export function f(seqnr: ulong, ri: ptr<ksm_rmap_item>): int {\n\tlet age: uchar;\n\n\tage = to_uchar((seqnr - ri.address));\n\treturn age;\n}\n'],
		['void f(struct ksm_stable_node *dup)\n{\n\trb_erase(&dup->node, root_stable_tree + NUMA(dup->nid));\n\tBUILD_BUG_ON(STABLE_NODE_DUP_HEAD >= &migrate_nodes + 1);\n}\n',
			'export function f(dup: ptr<ksm_stable_node>): void {\n\trb_erase(addr(dup.node), ptr_add(root_stable_tree, NUMA(dup.nid)));\n\tBUILD_BUG_ON(STABLE_NODE_DUP_HEAD >= ptr_add(addr(migrate_nodes), 1));\n}\n'],
		/* An interval tree iterator; a local named like a helper (addr) makes the translation use its alias (addr_). */
		['void f(struct anon_vma *anon_vma)\n{\n\tstruct anon_vma_chain *vmac;\n\tunsigned long addr = 0;\n\n\tanon_vma_interval_tree_foreach(vmac, &anon_vma->rb_root,\n\t\t\t\t       0, ULONG_MAX) {\n\t\taddr++;\n\t}\n}\n',
			'export function f(anon_vma: ptr<anon_vma>): void {\n\tlet vmac: ptr<anon_vma_chain>;\n\tlet addr: ulong = 0;\n\n\tfor (vmac of anon_vma_interval_tree_foreach(addr_(anon_vma.rb_root),\n\t\t\t\t       0, ULONG_MAX)) {\n\t\taddr++;\n\t}\n}\n'],
		/* A container_of()-style macro (@entry): the struct type and the member as the prelude takes them. */
		['void f(struct mm_slot *slot)\n{\n\tstruct ksm_mm_slot *s = mm_slot_entry(slot, struct ksm_mm_slot, slot);\n}\n',
			"export function f(slot: ptr<mm_slot>): void {\n\tlet s: ptr<ksm_mm_slot> = mm_slot_entry(slot, ksm_mm_slot, 'slot');\n}\n"],
		/* A safe iterator whose head starts a line of its own. */
		['void f(struct ksm_stable_node *sn)\n{\n\tstruct ksm_stable_node *dup;\n\tstruct hlist_node *n;\n\n\thlist_for_each_entry_safe(dup, n,\n\t\t\t\t  &sn->hlist, hlist_dup)\n\t\tg(dup);\n}\n',
			"export function f(sn: ptr<ksm_stable_node>): void {\n\tlet dup: ptr<ksm_stable_node>;\n\tlet n: ptr<hlist_node>;\n\n\tfor ([dup, n] of hlist_for_each_entry_safe(\n\t\t\t\t  addr(sn.hlist), 'hlist_dup'))\n\t\tg(dup);\n}\n"],
		/* A backward goto: a goto loop from the label to the end of its block; forward gotos inside it nest. */
		['int f(int a)\n{\nagain:\n\tif (a--)\n\t\tgoto again;\n\treturn a;\n}\n',
			'export function f(a: int): int {\nagain: for (;;) {\n\tif (a--)\n\t\tcontinue again;\n\treturn a;\n}\n}\n'],
		/* A goto loop whose code does not end in a return goes on past it: "break again;" (rmap_walk_ksm()'s search_new_forks pass). */
		['void f(int a)\n{\n\ta++;\nagain:\n\tg(a);\n\tif (!a++)\n\t\tgoto again;\n}\n',
			'export function f(a: int): void {\n\ta++;\nagain: for (;;) {\n\tg(a);\n\tif (!a++)\n\t\tcontinue again;\n\tbreak again;\n}\n}\n'],
		['int f(int a)\n{\n\ta++;\n\tif (a) {\nagain:\n\t\tif (a--)\n\t\t\tgoto stale;\n\t\treturn a;\nstale:\n\t\tif (a)\n\t\t\tgoto again;\n\t\treturn 0;\n\t}\n\treturn 1;\n}\n',
			'export function f(a: int): int {\n\ta++;\n\tif (a) {\nagain: for (;;) {\nstale: {\n\t\tif (a--)\n\t\t\tbreak stale;\n\t\treturn a;\n}\n\t\tif (a)\n\t\t\tcontinue again;\n\t\treturn 0;\n\t}\n\t}\n\treturn 1;\n}\n'],
		/*
		 * Gotos that cross (stable_tree_search()'s shape): a goto dispatch, a loop a label and a case each; a case that
		 * falls into the next ends in "continue NEXT;", one ending in a jump (return, goto, if/else of them) does not.
		 */
		['int f(int a)\n{\n\ta++;\nagain:\n\twhile (a) {\n\t\tif (a > 10)\n\t\t\tgoto found;\n\t\tif (a-- == 5)\n\t\t\tgoto again;\n\t}\n\ta = 2;\nout:\n\treturn a;\nfound:\n\ta = 1;\n\tgoto out;\n}\n',
			"export function f(a: int): int {\n\ta++;\nagain: for (let at = 'again';; at = 'again')\nout: for (;; at = 'out')\nfound: for (;; at = 'found')\nswitch (at) {\ncase 'again':\n" +
			"\twhile (a) {\n\t\tif (a > 10)\n\t\t\tcontinue found;\n\t\tif (a-- == 5)\n\t\t\tcontinue again;\n\t}\n\ta = 2;\n\tcontinue out;\ncase 'out':\n\treturn a;\ncase 'found':\n\ta = 1;\n\tcontinue out;\n}\n}\n"],
		/* A dispatch whose code falls off the function's end: "break FIRST;"; the label variable is named apart from a local "at". */
		['void f(int at)\n{\n\tg(at);\nx:\n\tif (at > 2)\n\t\tgoto y;\n\telse\n\t\treturn;\ny:\n\tif (at--)\n\t\tgoto y;\n\tif (at)\n\t\tgoto x;\n\tg(at);\n}\n',
			"export function f(at: int): void {\n\tg(at);\nx: for (let at_ = 'x';; at_ = 'x')\ny: for (;; at_ = 'y')\nswitch (at_) {\ncase 'x':\n\tif (at > 2)\n\t\tcontinue y;\n\telse\n\t\treturn;\n" +
			"case 'y':\n\tif (at--)\n\t\tcontinue y;\n\tif (at)\n\t\tcontinue x;\n\tg(at);\n\tbreak x;\n}\n}\n"],
		/* #if of defined() conditions, as written (alloc_stable_node_chain()); a local "new" is new_; &a->b of a pointer member is addr_of(). */
		['void f(struct rb_root *root)\n{\n\tstruct rb_node **new = &root->rb_node;\n#if defined (CONFIG_DEBUG_VM) && !defined(CONFIG_NUMA)\n\tg(*new);\n#endif\n}\n',
			"export function f(root: ptr<rb_root>): void {\n\tlet new_: ptr<ptr<rb_node>> = addr_of(root, 'rb_node');\nif (defined (CONFIG_DEBUG_VM) && !defined(CONFIG_NUMA)) {\n\tg(new_.deref);\n}\n}\n"],
		/*
		 * A goto into an if block (scan_get_next_rmap_item()'s next_mm): a
		 * dispatch that starts at 'case '':' so the if's test runs; entered
		 * by the goto, "at === 'out' ||" takes the block and the guard skips
		 * the code above the label.
		 */
		['void f(int a)\n{\n\tif (a) {\n\t\ta++;\nout:\n\t\ta--;\n\t}\n\tif (a > 3)\n\t\tgoto out;\n}\n',
			"export function f(a: int): void {\nout: for (let at = '';; at = 'out')\nswitch (at) {\ncase '':\ncase 'out':\n\tif (at === 'out' || a) {\nif (at !== 'out') {\n\t\ta++;\n}\n\t\ta--;\n\t}\n\tif (a > 3)\n\t\tcontinue out;\n\tbreak out;\n}\n}\n"],
		/* p[i] of an array of structs: elem(p, i); "p[i] = v;" (a for's body too) a struct assignment. */
		['void f(struct rb_root *r, int n)\n{\n\tint i;\n\n\tfor (i = 0; i < n; i++)\n\t\tr[i] = RB_ROOT;\n\tg(r[1].rb_node);\n}\n',
			"export function f(r: ptr<rb_root>, n: int): void {\n\tlet i: int;\n\n\tfor (i = 0; i < n; i++)\n\t\tstruct_assign(elem(r, i), RB_ROOT);\n\tg(elem(r, 1).rb_node);\n}\n"],
		/* ksm_scan_thread()'s wait_event_freezable(): its re-evaluated condition as () => cond */
		['void f(int a)\n{\n\twait_event_freezable(ksm_thread_wait,\n\t\ta > 1 || kthread_should_stop());\n}\n',
			'export function f(a: int): void {\n\twait_event_freezable(ksm_thread_wait,\n\t\t() => a > 1 || kthread_should_stop());\n}\n'],
		/* set_advisor_defaults()'s compound literal, stored by a struct assignment */
		['void f(void)\n{\n\tadvisor_ctx = (const struct advisor_ctx){ 0 };\n}\n',
			'export function f(): void {\n\tstruct_assign(advisor_ctx, cast<const_<struct_advisor_ctx>>(zero_init(struct_advisor_ctx)));\n}\n'],
		/* collect_procs_ksm()'s for_each_process(), its cursor its only argument */
		['void f(void)\n{\n\tstruct task_struct *tsk;\n\n\tfor_each_process(tsk)\n\t\tg(tsk);\n}\n',
			'export function f(): void {\n\tlet tsk: ptr<task_struct>;\n\n\tfor (tsk of for_each_process())\n\t\tg(tsk);\n}\n'],
		/* ksm_init(): a goto region holding whole #ifdef blocks; "#endif /* X *\/" keeps its comment after the brace */
		['int f(int a)\n{\n\tif (a)\n\t\tgoto out;\n#ifdef CONFIG_NUMA\n\tif (a > 1)\n\t\tgoto out;\n#else\n\ta = 2;\n#endif /* CONFIG_NUMA */\n\treturn 0;\nout:\n\treturn a;\n}\n',
			'export function f(a: int): int {\nout: {\n\tif (a)\n\t\tbreak out;\nif (ifdef(CONFIG_NUMA)) {\n\tif (a > 1)\n\t\tbreak out;\n} else {\n\ta = 2;\n} /* CONFIG_NUMA */\n\treturn 0;\n}\n\treturn a;\n}\n'],
	];
	for (const [src, want] of more)
		assert.equal(translateFunction(src, findFunctions(src)[0], prelude, new Set(['g'])).ts, want, src);
	/* Lines the compiler said hold pointer arithmetic (the importer's retry): "p += n;" as ptr_add_assign(). */
	const pa = 'void f(struct page_vma_mapped_walk *pvmw, struct page *page, int nr)\n{\n\tpvmw->pte += nr - 1;\n\tpage += nr;\n\tnr += 1;\n}\n';
	assert.equal(translateFunction(pa, findFunctions(pa)[0], prelude, new Set(), { pointerAssigns: new Set([3, 4]) }).ts,
		"export function f(pvmw: ptr<struct_page_vma_mapped_walk>, page: ptr<page>, nr: int): void {\n\tptr_add_assign(addr_of(pvmw, 'pte'), nr - 1);\n\tptr_add_assign(ref(page, (v) => page = v), nr);\n\tnr += 1;\n}\n");
	const refused: [string, number, RegExp][] = [
		['void f(void)\n{\n\tconst int a = 1, *b = NULL;\n}\n', 3, /a const declaration of a scalar and a pointer/],
		['void f(void)\n{\n\tstruct rmap_walk_control rwc = { true };\n}\n', 3, /not designated/],
		['void f(int a)\n{\n\tif (a)\n#ifdef CONFIG_NUMA\n\t\ta++;\n#endif\n}\n', 4, /preprocessor line/],
		['void f(int a)\n{\n#if CONFIG_NR_CPUS > 1\n\ta++;\n#endif\n}\n', 3, /preprocessor line/],
		['void f(int a)\n{\n#if defined(CONFIG_NUMA) && a\n\ta++;\n#endif\n}\n', 3, /preprocessor line/],
		['static struct anon_vma\n*f(void)\n{\n\treturn NULL;\n}\n', 1, /header broken before its parameter list, elsewhere/],
		['void f(void)\n{\n\tg("a\\x1b");\n}\n', 3, /string literal with escapes/],
		['void f(void)\n{\n\tpmd_val_t a;\n}\n', 3, /a local of type 'pmd_val_t', which has no prelude alias/],
		['void f(void)\n{\n\tint a[2];\n}\n', 3, /declarator the translation cannot read/],
		/* a compound literal anywhere but as a struct assignment's source, or other than { 0 } */
		['void f(void)\n{\n\tg((struct rb_root){ 0 });\n}\n', 3, /a compound literal other than/],
		['void f(void)\n{\n\tadvisor_ctx = (struct advisor_ctx){ .cpu_time = 1 };\n}\n', 3, /a compound literal other than/],
		['void f(struct folio *folio)\n{\n\tg((unsigned long)-1);\n}\n', 3, /a cast of an operand the translation cannot read/],
		['void f(struct mm_slot *slot)\n{\n\tg(mm_slot_entry(slot, struct no_such, slot));\n}\n', 3, /mm_slot_entry\(\) with arguments the translation cannot read/],
		['void f(struct folio *folio)\n{\n\tBUG_ON((pmd_val_t)1);\n}\n', 3, /pmd_val_t is not declared/],
		['void f(int a)\n{\n\tif (a)\n\t\tgoto l;\nl:\n\tif (a--)\n\t\tgoto l;\n}\n', 5, /gotos to l from both above and below it/],
		['void f(int a)\n{\n\tif (a)\n\t\tgoto out;\nagain:\n\ta++;\n out:\n\tif (a--)\n\t\tgoto again;\n\treturn;\n}\n', 5,
			/a backward goto to again whose loop would cross the block of a goto to out/],
		['void f(int a)\n{\n\tif (a)\n\t\tgoto out;\n\tif (a) {\nout:\n\t\ta--;\n\t}\n}\n', 4, /from outside the label's block/],
		['void f(int a)\n{\nout:\n\ta--;\n}\n', 3, /which no goto names/],
		['void f(struct anon_vma *a)\n{\n\n\t*a = *a;\n}\n', 4, /dereference '\*' of a struct pointer/],
		['void f(int *a)\n{\n\t*a++;\n}\n', 3, /dereference/],
		['void f(void)\n{\n#ifdef X\n\tg();\n#endif\n}\n', 3, /preprocessor line/],
		['void f(struct no_such *a)\n{\n}\n', 1, /struct no_such is not declared in the prelude/],
		['void f(void)\n{\n\tno_such_fn(1UL);\n}\n', 3, /integer literal 1UL/],
		['void f(void)\n{\n\tno_such_fn();\n}\n', 3, /no_such_fn is not declared/],
	];
	for (const [src, line, what] of refused)
		assert.throws(() => translateFunction(src, findFunctions(src)[0], prelude, new Set()),
			(e: unknown) => e instanceof Untranslatable && e.line === line && what.test(e.construct), src);
});

/*
 * Loads the prelude, the model and the harness, transformed for the
 * checker, into a module graph of their own.
 *
 * Each execution of a scenario gets a fresh instance of the graph (fresh
 * slab caches, lockdep, RCU state, anon_vma_cachep...), so one execution
 * cannot leak into the next and a saved trace replays from nothing.  The
 * transformed JavaScript is compiled once per process; instantiating is
 * just running the module bodies again.  The direct-mode modules in dist/
 * are never touched.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { transpileForCheck } from './transform';
import { runtime } from './runtime';
import { revert_edit, revertOf } from './reverts';
import { revertSource } from './revert_source';

/** ts-src/, found from dist/ts-src/check/ or from ts-src/check/ itself. */
export function sourceRoot(): string {
	for (const cand of [path.resolve(__dirname, '../../../ts-src'), path.resolve(__dirname, '..')]) {
		if (fs.existsSync(path.join(cand, 'model', 'rmap.ts')))
			return cand;
	}
	throw new Error('ktsc check: cannot find ts-src/ (the model sources)');
}

/** The model's modules ('model/rmap', 'model/ksm', ...): every file in ts-src/model/. */
export function modelModules(root = sourceRoot()): string[] {
	return fs.readdirSync(path.join(root, 'model')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
		.sort().map((f) => `model/${f.slice(0, -3)}`);
}

type module_fn = (exports: object, require: (id: string) => unknown, module: { exports: object },
	__filename: string, __dirname: string, __k: runtime) => void;

const compiled = new Map<string, module_fn>();

/*
 * ktsc mutate runs the checker on mutants of the model: the source of a
 * file (absolute path) replaced by a mutant's text for every world made
 * until the overlay is cleared.  Its compiled form is kept apart from the
 * cache of the files on disk, so clearing the overlay restores the model.
 */
let overlay: { file: string; text: string; fn?: module_fn } | null = null;

/** Load file's text instead of what is on disk (null: back to the disk). */
export function overlaySource(file: string | null, text = ''): void {
	overlay = file ? { file: path.resolve(file), text } : null;
}

/* The prelude's struct classes (a parameter of one is a struct passed by value), read once from its source. */
let classes: Set<string> | null = null;
function preludeClasses(): Set<string> {
	if (!classes) {
		const dir = path.join(sourceRoot(), 'kernel');
		classes = new Set(fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))
			.flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/^export class (\w+)/gm)].map((m) => m[1])));
	}
	return classes;
}

function transpiled(file: string, text: string, module: string): module_fn {
	const js = transpileForCheck(file, text,
		{ lines: !file.includes(`${path.sep}kernel${path.sep}`), module, plain: PLAIN.has(module),
			byValue: file.includes(`${path.sep}model${path.sep}`) ? preludeClasses() : undefined });
	const wrapped = `(function (exports, require, module, __filename, __dirname, __k) {${js}\n})`;
	return new vm.Script(wrapped, { filename: file }).runInThisContext() as module_fn;
}

/*
 * Prelude modules with no scheduling point, called at every store: they
 * run as plain JavaScript (no generator per call), like a Proxy trap.
 */
const PLAIN = new Set(['kernel/lockset', 'kernel/memory_order']);

/* A reverted fix's module, compiled once per design. */
const reverted = new Map<string, module_fn>();

function compile(file: string, module: string, revert: revert_edit | null): module_fn {
	if (overlay && overlay.file === file)
		return overlay.fn ??= transpiled(file, overlay.text, module);
	if (revert && revert.module === module) {
		let fn = reverted.get(revert.design);
		if (!fn) {
			fn = transpiled(file, revertSource(file, fs.readFileSync(file, 'utf8'), revert), module);
			reverted.set(revert.design, fn);
		}
		return fn;
	}
	let fn = compiled.get(file);
	if (!fn) {
		fn = transpiled(file, fs.readFileSync(file, 'utf8'), module);
		compiled.set(file, fn);
	}
	return fn;
}

const resolved = new Map<string, string | null>();

function resolveTs(from: string, id: string): string | null {
	if (!id.startsWith('.'))
		return null;
	const p = path.resolve(path.dirname(from), id);
	let hit = resolved.get(p);
	if (hit === undefined) {
		hit = null;
		for (const cand of [`${p}.ts`, path.join(p, 'index.ts')])
			if (fs.existsSync(cand)) {
				hit = cand;
				break;
			}
		resolved.set(p, hit);
	}
	return hit;
}

/** One instance of the transformed module graph. */
export class world_modules {
	readonly k = new runtime();
	private cache = new Map<string, { exports: object }>();
	constructor(readonly root = sourceRoot(), readonly revert: revert_edit | null = null) {}

	/** A world for a design: a reverted fix (reverts.ts) is compiled into it from the start. */
	static forDesign(design: string): world_modules {
		return new world_modules(sourceRoot(), revertOf(design));
	}

	/** require() a file under ts-src/, e.g. "model/rmap". */
	load<T = any>(rel: string): T {
		const file = resolveTs(path.join(this.root, 'x.ts'), `./${rel}`);
		if (!file)
			throw new Error(`ktsc check: no module ${rel}`);
		return this.loadFile(file) as T;
	}

	/**
	 * A file-scope function of a module by its name, static or exported:
	 * fn('model/rmap', 'anon_vma_chain_alloc').  Loads the module if needed.
	 */
	fn(module: string, name: string): Function {
		this.load(module);
		return this.k.lookup(`${module}:${name}`);
	}

	/** Apply a design variant (check/designs.ts) to this world; returns it. */
	applyDesign(name: string): { name: string; expect: Record<string, string> } {
		const D = this.load('check/designs');
		const design = D.designs.find((d: { name: string }) => d.name === name);
		if (!design)
			throw new Error(`ktsc check: no design "${name}" (have: ${D.designs.map((d: { name: string }) => d.name).join(', ')})`);
		const named = (n: string): string => D.qualify(n);
		design.patch(
			(orig: Function | string, repl: Function) => this.k.override(typeof orig === 'string' ? named(orig) : orig, repl),
			(n: string) => {
				this.load(named(n).split(':')[0]);
				return this.k.lookup(named(n));
			});
		return design;
	}

	private loadFile(file: string): object {
		const hit = this.cache.get(file);
		if (hit)
			return hit.exports;
		const module = { exports: {} as object };
		this.cache.set(file, module);
		const req = (id: string): unknown => {
			const ts = resolveTs(file, id);
			return ts ? this.loadFile(ts) : require(id);
		};
		const name = path.relative(this.root, file).replace(/\.ts$/, '').split(path.sep).join('/');
		compile(file, name, this.revert)(module.exports, req, module, file, path.dirname(file), this.k);
		if (name === 'kernel/lockset')
			this.k.setLockset(module.exports);
		if (name === 'kernel/memory_order')
			this.k.memory = module.exports as runtime['memory'];
		if (name === 'kernel/ctypes')
			this.k.ctypes = module.exports as runtime['ctypes'];
		return module.exports;
	}
}

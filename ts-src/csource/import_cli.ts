/*
 * The `ktsc import` verb: read the C file from the base tree (or a path),
 * import it fresh or merge it into a model, and say what was carried.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileProgram, REPO } from '../compiler/program';
import { CompileError } from '../compiler/diagnostics';
import { baseTree } from '../kernelsrc';
import { importC, mergeInto } from './import';
import { importTranslated } from './import_ts';

export interface ImportOptions {
	file?: string;
	kernel?: string;
	fn?: string;
	into?: string;
	out?: string;
	/** Carry every function as C (no translation). */
	carry?: boolean;
}

/*
 * FILE as given when it is absolute or there is no tree to look in, else
 * relative to the kernel tree.  A file inside the tree is named by its
 * path in the tree (mm/ksm.c), whichever way it was given.
 */
function readC(file: string, kernel?: string): { rel: string; text: string } {
	const read = (p: string, rel: string): { rel: string; text: string } => {
		if (!fs.existsSync(p) || !fs.statSync(p).isFile())
			throw new Error(`${p}: no such file`);
		return { rel, text: fs.readFileSync(p, 'utf8') };
	};
	if (!kernel && !process.env.KERNEL_SRC && fs.existsSync(file))
		return read(file, file);
	const tree = baseTree(kernel, { anyVersion: true });
	if (!path.isAbsolute(file))
		return read(path.join(tree.dir, file), file);
	const inTree = path.relative(tree.dir, file);
	return read(file, inTree.startsWith('..') ? file : inTree.split(path.sep).join('/'));
}

export function importVerb(o: ImportOptions): number {
	if (!o.file) {
		console.error('usage: ktsc import FILE [--kernel DIR] [--function NAME] [--into MODEL] [--out FILE] [--carry]');
		return 2;
	}
	const { rel, text } = readC(o.file, o.kernel);
	if (!o.into && !o.fn && !o.carry) {
		/* The model's place decides its prelude import: ts-src/model/<file>.ts unless --out says. */
		const model = o.out ? path.resolve(o.out) : path.join(REPO, 'ts-src', 'model', path.basename(rel).replace(/\.c$/, '.ts'));
		const prelude = path.relative(path.dirname(model), path.join(REPO, 'ts-src', 'kernel')).split(path.sep).join('/');
		const r = importTranslated(text, rel, model, prelude.startsWith('.') ? prelude : `./${prelude}`);
		if (o.out)
			fs.writeFileSync(o.out, r.text);
		else
			process.stdout.write(r.text);
		for (const f of r.carried)
			console.error(`carried  ${f.name}  (${rel}:${f.line}: ${f.reason})`);
		console.error(`${rel}: ${r.translated.length} function(s) in TypeScript (${r.translated.join(', ')}), ${r.statics.length} file-scope variable(s), ${r.carried.length} carried as C; emits ${rel} byte for byte`);
		return 0;
	}
	if (!o.into) {
		const ts = importC(text, rel, o.fn);
		if (o.out)
			fs.writeFileSync(o.out, ts);
		else
			process.stdout.write(ts);
		return 0;
	}
	const model = path.resolve(o.into);
	const [r] = compileProgram([model]);
	if (r.diagnostics.length)
		throw new CompileError(r.diagnostics);
	const merged = mergeInto({ file: model, text: r.source!, emitted: r.c, lineMap: r.lineMap! }, text, rel);
	const dst = o.out ? path.resolve(o.out) : model;
	fs.writeFileSync(dst, merged.text);
	console.error(`${path.relative(process.cwd(), dst)}: ${merged.lines} line(s) of ${rel} carried in ${merged.blocks} verbatim C block(s)`);
	const [again] = compileProgram([dst]);
	if (again.diagnostics.length)
		throw new CompileError(again.diagnostics);
	console.error(again.c === text ? `emits ${rel} byte for byte` : `emits ${rel} apart from the model's own changes (ktsc fidelity)`);
	return 0;
}

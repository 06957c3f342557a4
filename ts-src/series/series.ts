/*
 * The series: splice the emitted functions whose tokens differ into the
 * base files, one commit per change on a scratch branch in a worktree of
 * our own, and let git format-patch write the mbox series with its cover
 * letter.  The user's branches are never touched.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { compileFiles, MODEL_FILES, EmittedFile } from '../compiler/program';
import { functionMap } from '../csource/functions';
import { fidelity, FidelityReport } from '../fidelity';
import { baseTree, BaseTree } from '../kernelsrc';
import { CHANGES, Change } from './changes';
import { plan, checkOne } from '../check';

/** Fixed dates: the same model and base always give the same series. */
const SERIES_DATE = '2024-11-17T00:00:00Z';
const SCRATCH_BRANCH = 'ktsc/series';

export interface SeriesOptions {
	kernel?: string;
	out: string;
	/** "Name <email>"; default: git config user.name/user.email. */
	signoff?: string;
	/** Leave the checker's results out of the cover letter. */
	noCheck?: boolean;
}

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
	const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
	if (r.status !== 0)
		throw new Error(`git ${args.join(' ')} (in ${cwd}) failed:\n${r.stderr}`);
	return r.stdout.trim();
}

export function identity(explicit?: string): { name: string; email: string } {
	const s = explicit ?? (() => {
		const r = (k: string): string => spawnSync('git', ['config', k], { encoding: 'utf8' }).stdout.trim();
		const name = r('user.name'), email = r('user.email');
		return name && email ? `${name} <${email}>` : '';
	})();
	const m = s.match(/^(.+?)\s*<([^>]+)>$/);
	if (!m)
		throw new Error('no identity for Signed-off-by: set git config user.name/user.email or pass --signoff "Name <email>"');
	return { name: m[1], email: m[2] };
}

/** Replace one function of src with its emitted text. */
export function spliceFunction(src: string, emitted: EmittedFile, fn: string): string {
	const base = functionMap(src).get(fn);
	const mine = functionMap(emitted.text).get(fn);
	if (!base || !mine)
		throw new Error(`${emitted.c}: function ${fn} not found in ${base ? 'the emitted C' : 'the base tree'}`);
	return src.slice(0, base.start) + emitted.text.slice(mine.start, mine.end) + src.slice(base.end);
}

/** The changes the model makes, checked against fidelity: no unexplained diff, no empty patch. */
export function plannedChanges(report: FidelityReport): Change[] {
	const differing = new Set(report.functions.filter((f) => f.status === 'differs').map((f) => `${f.file}:${f.name}`));
	for (const d of differing)
		if (!CHANGES.some((c) => `${c.file}:${c.fn}` === d))
			throw new Error(`${d} differs from the base tree but ts-src/series/changes.ts gives no reason for it`);
	for (const c of CHANGES)
		if (!differing.has(`${c.file}:${c.fn}`))
			throw new Error(`ts-src/series/changes.ts lists ${c.file}:${c.fn}, but the model does not change it`);
	return CHANGES;
}

function coverLetter(report: FidelityReport, changes: Change[], tree: BaseTree, extra?: string): { subject: string; body: string } {
	const ident = report.functions.filter((f) => f.status === 'identical').length;
	const bytes = report.functions.filter((f) => f.bytes_identical).length;
	const files = [...new Set(report.functions.map((f) => f.file))];
	const lines = [
		'This series comes from ktsc, a TypeScript model of the anon_vma core of',
		`${files.join(', ')} that runs under a concurrency checker and compiles back`,
		'to kernel C.  Where the model is unchanged its C is token-identical to the',
		'base; each patch below is one change to the model.',
		'',
		'The model requires the root anon_vma rwsem for every update of an',
		"anon_vma's interval tree and of a published anon_vma's counters.  These",
		'patches make the kernel check that discipline under PROVE_LOCKING.',
		'',
		`Modelled functions (${report.functions.length}; ${ident} token-identical to the base, ${bytes} byte-identical,`,
		`${changes.length} changed by this series):`,
		'',
		...report.functions.map((f) => `  ${f.file}: ${f.name}${f.status === 'differs' ? ' (changed)' : ''}`),
		'',
	];
	if (!tree.commit || git(tree.repo ?? tree.dir, ['rev-list', '--count', 'HEAD']) === '1')
		lines.push(`Based on Linux ${tree.version} (a source tree without git history).`, '');
	if (extra)
		lines.push(extra.trimEnd(), '');
	return { subject: 'mm/rmap: check the root anon_vma lock discipline', body: lines.join('\n') };
}

/** Write the series; returns the patch files. */
export function writeSeries(opts: SeriesOptions): string[] {
	const tree = baseTree(opts.kernel);
	if (!tree.commit || !tree.repo)
		throw new Error(`${tree.dir} is not a git tree: ktsc series needs one (without --kernel, the harness makes one)`);
	const report = fidelity(opts.kernel);
	const changes = plannedChanges(report);
	const emitted = new Map(compileFiles(MODEL_FILES).map((f) => [f.c, f]));
	const who = identity(opts.signoff);
	const env = {
		GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_AUTHOR_DATE: SERIES_DATE,
		GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email, GIT_COMMITTER_DATE: SERIES_DATE,
	};

	/* A throwaway worktree on our own branch, at the base commit. */
	const wt = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-series-'));
	fs.rmdirSync(wt);
	git(tree.repo, ['worktree', 'add', '-q', '-f', '-B', SCRATCH_BRANCH, wt, tree.commit]);
	try {
		for (const c of changes) {
			const file = path.join(wt, c.file);
			const src = fs.readFileSync(file, 'utf8');
			fs.writeFileSync(file, spliceFunction(src, emitted.get(c.file)!, c.fn));
			git(wt, ['add', '-f', c.file]);
			const msg = `${c.subject}\n\n${c.body}\n\nSigned-off-by: ${who.name} <${who.email}>\n`;
			git(wt, ['commit', '-q', '--no-verify', '-m', msg], env);
		}
		fs.mkdirSync(opts.out, { recursive: true });
		for (const old of fs.readdirSync(opts.out).filter((f) => f.endsWith('.patch')))
			fs.unlinkSync(path.join(opts.out, old));
		const hasHistory = git(tree.repo, ['rev-list', '--count', tree.commit]) !== '1';
		const args = ['format-patch', '-q', '--cover-letter', '--no-numbered-files', '--signature=ktsc',
			'--subject-prefix=PATCH', '-o', path.resolve(opts.out)];
		if (hasHistory)
			args.push(`--base=${tree.commit}`);
		args.push(`${tree.commit}..HEAD`);
		git(wt, args, env);
		const all = fs.readdirSync(opts.out).filter((f) => f.endsWith('.patch')).sort().map((f) => path.join(opts.out, f));
		fillCover(all[0], coverLetter(report, changes, tree, opts.noCheck ? undefined : checkerSummary()));
		return all;
	} finally {
		spawnSync('git', ['worktree', 'remove', '--force', wt], { cwd: tree.repo });
		spawnSync('git', ['branch', '-D', SCRATCH_BRANCH], { cwd: tree.repo });
	}
}

/**
 * What the checker says of the modelled design (the series applied): one
 * line per scenario.  Only deterministic figures (no times) go in, so the
 * committed series stays reproducible.
 */
export function checkerSummary(): string {
	const runs = plan({}).map((p) => checkOne(p.design, p.scenario, p.expected, { traceDir: os.tmpdir() }));
	const clean = runs.filter((r) => r.found === 'clean').length;
	return [
		`ktsc check (preemption bound 2) on the model with this series: ${clean} of ${runs.length}`,
		'scenarios clean.',
		'',
		...runs.map((r) => `  ${r.scenario}: ${r.found}, ${r.executions} interleavings${r.found === 'clean' && r.message ? `,\n    ${r.message}, bound 1` : ''}${r.complete ? '' : ' (budget hit)'}`),
	].join('\n');
}

/** git format-patch leaves "*** SUBJECT HERE ***" and "*** BLURB HERE ***". */
function fillCover(file: string, cover: { subject: string; body: string }): void {
	const s = fs.readFileSync(file, 'utf8');
	if (!s.includes('*** SUBJECT HERE ***') || !s.includes('*** BLURB HERE ***'))
		throw new Error(`${file} is not a git format-patch cover letter`);
	fs.writeFileSync(file, s.replace('*** SUBJECT HERE ***', cover.subject).replace('*** BLURB HERE ***', cover.body));
}

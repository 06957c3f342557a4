/*
 * The series: splice the emitted functions whose tokens differ into the
 * base files, one commit per change on a scratch branch of our own, and
 * let git format-patch write the mbox series with its cover letter.  The
 * user's branches and worktrees are never touched.
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
/** Our scratch branch, outside refs/heads so no user branch can be hit. */
const SCRATCH_REF = 'refs/ktsc/series';

export interface SeriesOptions {
	kernel?: string;
	out: string;
	/** "Name <email>"; default: git config user.name/user.email. */
	signoff?: string;
	/** Leave the checker's results out of the cover letter. */
	noCheck?: boolean;
}

/** git's output as it is (file contents keep their last newline). */
function gitRaw(cwd: string, args: string[], env: Record<string, string> = {}, input?: string): string {
	const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, input, maxBuffer: 1 << 28 });
	if (r.status !== 0)
		throw new Error(`git ${args.join(' ')} (in ${cwd}) failed:\n${r.stderr}`);
	return r.stdout;
}

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
	return gitRaw(cwd, args, env).trim();
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

	/*
	 * Commits on a scratch branch of our own, made with git's plumbing in
	 * a temporary index: no worktree and no checkout of the kernel tree,
	 * nothing of the user's touched.
	 */
	const repo = tree.repo;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-series-'));
	const plumbing = { ...env, GIT_INDEX_FILE: path.join(tmp, 'index') };
	try {
		git(repo, ['read-tree', tree.commit], plumbing);
		const contents = new Map<string, string>();
		let tip = tree.commit;
		for (const c of changes) {
			const src = contents.get(c.file) ?? gitRaw(repo, ['show', `${tree.commit}:${c.file}`]);
			const spliced = spliceFunction(src, emitted.get(c.file)!, c.fn);
			contents.set(c.file, spliced);
			const mode = git(repo, ['ls-tree', tree.commit, '--', c.file]).split(/\s/)[0];
			const blob = gitRaw(repo, ['hash-object', '-w', '--stdin'], {}, spliced).trim();
			git(repo, ['update-index', '--cacheinfo', `${mode},${blob},${c.file}`], plumbing);
			const treeId = git(repo, ['write-tree'], plumbing);
			const msg = `${c.subject}\n\n${c.body}\n\nSigned-off-by: ${who.name} <${who.email}>\n`;
			tip = gitRaw(repo, ['commit-tree', treeId, '-p', tip, '-F', '-'], plumbing, msg).trim();
		}
		git(repo, ['update-ref', SCRATCH_REF, tip]);
		fs.mkdirSync(opts.out, { recursive: true });
		for (const old of fs.readdirSync(opts.out).filter((f) => f.endsWith('.patch')))
			fs.unlinkSync(path.join(opts.out, old));
		const hasHistory = git(repo, ['rev-list', '--count', tree.commit]) !== '1';
		const args = ['format-patch', '-q', '--cover-letter', '--no-numbered-files', '--signature=ktsc',
			'--subject-prefix=PATCH', '-o', path.resolve(opts.out)];
		if (hasHistory)
			args.push(`--base=${tree.commit}`);
		args.push(`${tree.commit}..${SCRATCH_REF}`);
		git(repo, args, env);
		const all = fs.readdirSync(opts.out).filter((f) => f.endsWith('.patch')).sort().map((f) => path.join(opts.out, f));
		fillCover(all[0], coverLetter(report, changes, tree, opts.noCheck ? undefined : checkerSummary()));
		return all;
	} finally {
		spawnSync('git', ['update-ref', '-d', SCRATCH_REF], { cwd: repo });
		fs.rmSync(tmp, { recursive: true, force: true });
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

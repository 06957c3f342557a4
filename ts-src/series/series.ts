/*
 * The series: splice the emitted functions whose tokens differ into the
 * base files, one commit per change in a private repository that borrows
 * the base's objects, and let git format-patch write the mbox series with
 * its cover letter, addressed as scripts/get_maintainer.pl says.  The
 * user's repository, branches and worktrees are never touched.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { compileFiles, MODEL_FILES, REPO } from '../compiler/program';
import { fidelity, FidelityReport } from '../fidelity';
import { baseTree, basePin, BaseTree, cacheDir } from '../kernelsrc';
import { CHANGES, Change, SERIES } from '../changes';
import { commitContents } from './commits';
import { plan, checkOne } from '../check';

/** Fixed dates: the same model and base always give the same series. */
const SERIES_DATE = basePin().BASE_DATE;

export interface SeriesOptions {
	kernel?: string;
	out: string;
	/**
	 * "Name <email>" for From: and Signed-off-by:.  Default: the author of
	 * the series already in out/ (so a rerun only changes what the model
	 * changed), else git config user.name/user.email.
	 */
	signoff?: string;
	/** Leave the checker's results out of the cover letter. */
	noCheck?: boolean;
}

/**
 * git run so that its output depends on its arguments alone: no system,
 * global or repository config of the user's (we work in a private
 * repository), C locale, UTC, and only PATH kept from the environment.
 */
class PrivateGit {
	readonly dir: string;
	private readonly env: NodeJS.ProcessEnv;

	/** A bare repository in tmp that borrows objectsFrom's objects (read only). */
	constructor(tmp: string, objectsFrom: string, ident: { name: string; email: string }) {
		this.env = {
			PATH: process.env.PATH, HOME: tmp, XDG_CONFIG_HOME: tmp, LC_ALL: 'C', TZ: 'UTC',
			GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
			GIT_AUTHOR_NAME: ident.name, GIT_AUTHOR_EMAIL: ident.email, GIT_AUTHOR_DATE: SERIES_DATE,
			GIT_COMMITTER_NAME: ident.name, GIT_COMMITTER_EMAIL: ident.email, GIT_COMMITTER_DATE: SERIES_DATE,
			GIT_INDEX_FILE: path.join(tmp, 'index'),
		};
		this.dir = path.join(tmp, 'repo.git');
		const objects = git(objectsFrom, ['rev-parse', '--path-format=absolute', '--git-common-dir']) + '/objects';
		this.raw(tmp, ['init', '-q', '--bare', this.dir]);
		/* New objects (our blobs, trees, commits) land here, never in the base repository. */
		fs.writeFileSync(path.join(this.dir, 'objects', 'info', 'alternates'), objects + '\n');
	}

	raw(cwd: string, args: string[], input?: string): string {
		const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: this.env, input, maxBuffer: 1 << 28 });
		if (r.status !== 0)
			throw new Error(`git ${args.join(' ')} failed:\n${r.stderr}`);
		return r.stdout;
	}

	run(args: string[], input?: string): string {
		return this.raw(this.dir, args, input).trim();
	}
}

/**
 * Every git format-patch option that a user's config could change, given
 * explicitly (core.abbrev, diff.noprefix, diff.mnemonicPrefix,
 * diff.algorithm, diff.context, format.numbered, format.signOff,
 * format.thread, format.headers ... are ignored as well, see PrivateGit).
 * --full-index and --zero-commit: no ids abbreviated to a length that
 * depends on the repository's object count, and no commit ids that
 * depend on how the base commit was made.
 */
const FORMAT_PATCH = [
	'format-patch', '-q', '--cover-letter', '--numbered', '--no-numbered-files', '--no-signoff',
	'--no-thread', '--no-attach', '--encode-email-headers', '--subject-prefix=PATCH', '--signature=ktsc',
	'--full-index', '--zero-commit', '--src-prefix=a/', '--dst-prefix=b/', '--no-relative',
	'--diff-algorithm=myers', '--indent-heuristic', '-U3', '--inter-hunk-context=0', '--no-renames',
	'--stat=72', '--no-color', '--no-ext-diff', '--no-textconv',
];

/** git's output as it is (file contents keep their last newline). */
function gitRaw(cwd: string, args: string[]): string {
	const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
	if (r.status !== 0)
		throw new Error(`git ${args.join(' ')} (in ${cwd}) failed:\n${r.stderr}`);
	return r.stdout;
}

function git(cwd: string, args: string[]): string {
	return gitRaw(cwd, args).trim();
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

/** The author of a series already in dir (its first patch's From:). */
export function committedIdentity(dir: string): string | undefined {
	const first = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^0001-.*\.patch$/.test(f))[0] : undefined;
	return first ? fs.readFileSync(path.join(dir, first), 'utf8').match(/^From: (.+)$/m)?.[1] : undefined;
}

/**
 * To: and Cc: for the series as the tree's scripts/get_maintainer.pl gives
 * them, with b4's defaults: To the maintainers and reviewers (--nol), Cc
 * the lists (--nom) not already in To, the same on every mail.
 */
export function recipients(treeDir: string, diffFile: string): { to: string[]; cc: string[] } {
	const script = path.join(treeDir, 'scripts', 'get_maintainer.pl');
	if (!fs.existsSync(script))
		throw new Error(`${script} is missing: the base tree is not a complete kernel tree`);
	const ask = (role: string): string[] => {
		/* HOME elsewhere: a user's ~/.get_maintainer.conf must not change the result. */
		const r = spawnSync('perl', [script, '--nogit', '--nogit-fallback', '--nogit-chief-penguins', '--norolestats', role, diffFile],
			{ cwd: treeDir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: path.dirname(diffFile), LC_ALL: 'C' } });
		if (r.status !== 0)
			throw new Error(`scripts/get_maintainer.pl ${role} failed:\n${r.stderr}`);
		return r.stdout.split('\n').map((l) => l.trim()).filter((l) => l);
	};
	const to = ask('--nol');
	const cc = ask('--nom').filter((a) => !to.includes(a));
	if (!to.length)
		throw new Error('scripts/get_maintainer.pl names no maintainer for the series');
	return { to, cc };
}

/**
 * The changes the model makes, checked against fidelity: every model file
 * is the base apart from items the changes touch.  (commitContents then
 * checks each change against the items it names.)
 */
export function plannedChanges(report: FidelityReport): Change[] {
	for (const f of report.files)
		if (!f.file_identical)
			throw new Error(`emit/${f.file} differs from the base in ${f.stray_items?.join(', ') ?? `line ${f.first_difference?.base.line}`}, which no change in ts-src/changes.ts touches (from line ${f.first_difference?.base.line}): ktsc fidelity`);
	return CHANGES;
}

/** The files the changes touch, in the order they first appear. */
export function changedFiles(changes: Change[]): string[] {
	return [...new Set(changes.flatMap((c) => Object.keys(c.touches)))];
}

function coverLetter(report: FidelityReport, changes: Change[], tree: BaseTree, hasHistory: boolean, extra?: string): { subject: string; body: string } {
	/*
	 * The model functions of the files the series changes: the other
	 * model files (mm/ksm.c while no change touches it) are emitted as
	 * the base has them and have no place in this letter.
	 */
	const files = changedFiles(changes);
	const modelled = report.functions.filter((f) => files.includes(f.file));
	const ident = modelled.filter((f) => f.status === 'identical').length;
	const bytes = modelled.filter((f) => f.bytes_identical).length;
	const pin = basePin();
	const lines = [
		'This series comes from ktsc, a TypeScript model of mm/rmap.c and mm/ksm.c',
		'that runs under a concurrency checker and compiles back to kernel C.',
		'Where the model is unchanged its C is token-identical to the base; each',
		'patch below is one change to the model.',
		'',
		...SERIES.rationale.split('\n'),
		'',
		`Modelled functions (${modelled.length}; ${ident} token-identical to the base, ${bytes} byte-identical,`,
		`${modelled.filter((f) => f.status === 'differs' || f.status === 'new').length} changed or added by this series):`,
		'',
		/* a function defined under #ifdef and #else is listed once per definition */
		...modelled.map((f, i) => `  ${f.file}: ${f.name}${f.status === 'differs' ? ' (changed)' : f.status === 'new' ? ' (new)' : ''}` +
			(modelled.findIndex((g) => g.file === f.file && g.name === f.name) < i ? ' (its other #ifdef variant)' : '')),
		'',
	];
	/* With git history, format-patch's base-commit: trailer names the base too. */
	if (hasHistory)
		lines.push(`Based on Linux ${tree.version}.`, '');
	else if (pin.DEB_VERSION.replace(/-[^-]*$/, '') === tree.version)
		lines.push(`Based on Linux ${tree.version}, as Debian's ${pin.DEB_PACKAGE} ${pin.DEB_VERSION} ships it.`, '');
	else
		lines.push(`Based on Linux ${tree.version} (a source tree without git history).`, '');
	if (extra)
		lines.push(extra.trimEnd(), '');
	return { subject: SERIES.subject, body: lines.join('\n') };
}

/**
 * Write the series; returns the patch files.  Byte-identical for the same
 * model and base tree, whatever the machine, the base repository's object
 * count or packing, the user's git config, locale or time zone.
 */
export function writeSeries(opts: SeriesOptions): string[] {
	const tree = baseTree(opts.kernel);
	if (!tree.commit || !tree.repo)
		throw new Error(`${tree.dir} is not a git tree: ktsc series needs one (without --kernel, the harness makes one)`);
	const report = fidelity(opts.kernel);
	const changes = plannedChanges(report);
	const emitted = new Map(compileFiles(MODEL_FILES).map((f) => [f.c, f]));
	const who = identity(opts.signoff ?? committedIdentity(opts.out));

	/*
	 * Commits in a private repository that borrows the base's objects: the
	 * user's repository gets no ref, no object and no worktree change, and
	 * its config cannot change what git writes.
	 */
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-series-'));
	try {
		const g = new PrivateGit(tmp, tree.repo, who);
		g.run(['read-tree', tree.commit]);
		const files = new Map(changedFiles(changes).map((file) =>
			[file, { base: g.raw(g.dir, ['show', `${tree.commit}:${file}`]), emitted: emitted.get(file)!.text }]));
		const states = commitContents(files, changes);
		let tip = tree.commit;
		for (const [k, c] of changes.entries()) {
			for (const [file, text] of states[k]) {
				const mode = g.run(['ls-tree', tree.commit, '--', file]).split(/\s/)[0] || '100644';
				const blob = g.run(['hash-object', '-w', '--stdin'], text);
				g.run(['update-index', '--cacheinfo', `${mode},${blob},${file}`]);
			}
			const treeId = g.run(['write-tree']);
			const msg = `${c.subject}\n\n${c.body}\n\nSigned-off-by: ${who.name} <${who.email}>\n`;
			tip = g.run(['commit-tree', treeId, '-p', tip, '-F', '-'], msg);
		}

		/* A base with real history is named by --base (base-commit:); a tarball's commit id means nothing to others. */
		const hasHistory = g.run(['rev-list', '--count', tree.commit]) !== '1';
		const diff = path.join(tmp, 'series.diff');
		fs.writeFileSync(diff, g.raw(g.dir, ['diff', '--full-index', '--no-ext-diff', '--src-prefix=a/', '--dst-prefix=b/', tree.commit, tip]));
		const { to, cc } = recipients(tree.dir, diff);

		const out = path.join(tmp, 'out');
		g.run([...FORMAT_PATCH, ...to.map((a) => `--to=${a}`), ...cc.map((a) => `--cc=${a}`),
			...(hasHistory ? [`--base=${tree.commit}`] : []), '-o', out, `${tree.commit}..${tip}`]);
		const written = fs.readdirSync(out).filter((f) => f.endsWith('.patch')).sort();
		fillCover(path.join(out, written[0]), coverLetter(report, changes, tree, hasHistory, opts.noCheck ? undefined : checkerSummary()));

		/* Replace the old series only now that the new one is complete. */
		fs.mkdirSync(opts.out, { recursive: true });
		for (const old of fs.readdirSync(opts.out).filter((f) => f.endsWith('.patch')))
			fs.unlinkSync(path.join(opts.out, old));
		for (const f of written)
			fs.copyFileSync(path.join(out, f), path.join(opts.out, f));
		return written.map((f) => path.join(opts.out, f));
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

/**
 * What the checker says of the modelled design (the series applied): one
 * line per scenario.  Only deterministic figures go in, so the committed
 * series stays reproducible: no times, and no time budget (a run that
 * stops on the clock explores as much as the machine's speed allows).
 * Preemption bound 1 keeps the whole summary under a minute here;
 * `ktsc check` explores bound 2.
 */
const SUMMARY_BOUND = 1;
const SUMMARY_EXECUTIONS = 20000;

export function checkerSummary(): string {
	/*
	 * The summary is a function of the code alone (no times, no budget),
	 * and it is most of `ktsc series`' time: keep it in the cache, keyed by
	 * every source and compiled file under ts-src/ (the checker compiles
	 * the model's TypeScript when it runs, and runs the compiled prelude),
	 * so an unchanged model costs no exploration.  KTSC_SUMMARY_CACHE=0
	 * explores anyway.
	 */
	const file = path.join(cacheDir(), 'series', `summary-${codeDigest()}.txt`);
	if (process.env.KTSC_SUMMARY_CACHE !== '0' && fs.existsSync(file))
		return fs.readFileSync(file, 'utf8');
	const text = exploreSummary();
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(`${file}.tmp`, text);
	fs.renameSync(`${file}.tmp`, file);
	return text;
}

/** sha256 over the names and bytes of every file under ts-src/ and dist/ts-src/ (and the summary's bounds). */
function codeDigest(): string {
	const h = crypto.createHash('sha256');
	h.update(`bound ${SUMMARY_BOUND} executions ${SUMMARY_EXECUTIONS}\n`);
	for (const top of [path.join(REPO, 'ts-src'), path.join(REPO, 'dist', 'ts-src')]) {
		const walk = (dir: string): void => {
			for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
				const f = path.join(dir, e.name);
				if (e.isDirectory())
					walk(f);
				else if (e.isFile()) {
					h.update(`${path.relative(REPO, f)}\0`);
					h.update(fs.readFileSync(f));
				}
			}
		};
		if (fs.existsSync(top))
			walk(top);
	}
	return h.digest('hex').slice(0, 16);
}

function exploreSummary(): string {
	const runs = plan({}).map((p) => checkOne(p.design, p.scenario, p.expected,
		{ traceDir: os.tmpdir(), bound: SUMMARY_BOUND, maxExecutions: SUMMARY_EXECUTIONS, seconds: Infinity }));
	const clean = runs.filter((r) => r.found === 'clean').length;
	return [
		`ktsc check (preemption bound ${SUMMARY_BOUND}) on the model with this series: ${clean} of ${runs.length}`,
		'scenarios clean.',
		'',
		...runs.map((r) => `  ${r.scenario}: ${r.found}, ${r.executions} interleavings${r.found === 'clean' && r.message ? `,\n    ${r.message}` : ''}${r.complete ? '' : ` (stopped at ${SUMMARY_EXECUTIONS})`}`),
	].join('\n');
}

/** git format-patch leaves "*** SUBJECT HERE ***" and "*** BLURB HERE ***". */
function fillCover(file: string, cover: { subject: string; body: string }): void {
	const s = fs.readFileSync(file, 'utf8');
	if (!s.includes('*** SUBJECT HERE ***') || !s.includes('*** BLURB HERE ***'))
		throw new Error(`${file} is not a git format-patch cover letter`);
	fs.writeFileSync(file, s.replace('*** SUBJECT HERE ***', cover.subject).replace('*** BLURB HERE ***', cover.body));
}

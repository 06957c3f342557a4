/*
 * The series: committed and current, checkpatch --strict clean with the
 * base tree's own script, and applicable with git am on a fresh base.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { REPO } from '../ts-src/compiler/program';
import { writeSeries, plannedChanges, changedFiles } from '../ts-src/series/series';
import { fidelity } from '../ts-src/fidelity';
import { MODEL_FILES } from '../ts-src/compiler/program';
import { baseTree } from '../ts-src/kernelsrc';

const PATCHES = path.join(REPO, 'patches');
const committed = fs.readdirSync(PATCHES).filter((f) => f.endsWith('.patch')).sort();

test('the series has a cover letter and real patches', () => {
	assert.equal(committed[0], '0000-cover-letter.patch');
	assert.ok(committed.length >= 2, 'at least one patch besides the cover letter');
	for (const f of committed.slice(1)) {
		const s = fs.readFileSync(path.join(PATCHES, f), 'utf8');
		assert.match(s, /^Subject: \[PATCH \d+\/\d+\] mm\/(rmap|ksm): /m);
		assert.match(s, /^Signed-off-by: .+ <.+>$/m);
		/* a code change, not whitespace or comments only */
		const added = s.split('\n').filter((l) => /^\+[^+]/.test(l) && !/^\+\s*(\/\*|\*|$)/.test(l));
		assert.ok(added.length > 0, `${f} adds no code`);
	}
});

/*
 * Two model files, one series: mm/ksm.c's change is a patch of its own
 * next to mm/rmap.c's; a model file that differed outside the items the
 * changes touch is refused.
 */
test('the series and a second model file (mm/ksm.c)', () => {
	const report = fidelity();
	assert.deepEqual(changedFiles(plannedChanges(report)), ['mm/rmap.c', 'mm/ksm.c']);
	const cover = fs.readFileSync(path.join(PATCHES, committed[0]), 'utf8');
	assert.match(cover, /mm\/ksm\.c: ksm_assert_stable_tree_locked \(new\)/);
	const ksm = committed.slice(1).filter((f) => /^Subject: \[PATCH [^\]]*\] mm\/ksm: /m.test(fs.readFileSync(path.join(PATCHES, f), 'utf8')));
	assert.equal(ksm.length, 1, 'one KSM patch');
	/* the new helper and its callers in one patch: it builds on its own (bisect in test/kernel.test.ts) */
	const patch = fs.readFileSync(path.join(PATCHES, ksm[0]), 'utf8');
	assert.match(patch, /^\+static inline void ksm_assert_stable_tree_locked\(void\)$/m);
	assert.equal(patch.match(/^\+\tksm_assert_stable_tree_locked\(\);$/gm)?.length, 3);
	assert.doesNotMatch(patch, /^diff --git a\/mm\/rmap\.c/m);
	const strayed = { ...report, files: report.files.map((f) => f.file === 'mm/ksm.c' ?
		{ ...f, file_identical: false, stray_items: ['ksm_init'], first_difference: { base: { line: 7, text: 'a' }, emitted: { line: 7, text: 'b' } } } : f) };
	assert.throws(() => plannedChanges(strayed), /emit\/mm\/ksm\.c differs from the base in ksm_init, which no change in ts-src\/changes\.ts touches \(from line 7\)/);
});

test('patches/ is up to date with the model', () => {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-series-test-'));
	try {
		/* Default identity: the committed series' author, as 'ktsc series' uses it. */
		for (const f of committed)
			fs.copyFileSync(path.join(PATCHES, f), path.join(out, f));
		const files = writeSeries({ out }).map((f) => path.basename(f));
		assert.deepEqual(files, committed);
		for (const f of files)
			assert.ok(fs.readFileSync(path.join(out, f), 'utf8') === fs.readFileSync(path.join(PATCHES, f), 'utf8'),
				`patches/${f} is stale: run 'ktsc series'`);
	} finally {
		fs.rmSync(out, { recursive: true, force: true });
	}
});

test('checkpatch.pl --strict: 0 errors, 0 warnings, 0 checks', () => {
	const tree = baseTree();
	for (const f of committed.slice(1)) {
		const r = spawnSync('perl', ['scripts/checkpatch.pl', '--strict', path.join(PATCHES, f)], { cwd: tree.dir, encoding: 'utf8' });
		assert.match(r.stdout, /total: 0 errors, 0 warnings, 0 checks/, `${f}:\n${r.stdout}`);
		assert.equal(r.status, 0);
	}
});

test('git am --empty=drop patches/*.patch applies the series on a fresh base tree', () => {
	const tree = baseTree();
	const wt = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-am-'));
	fs.rmdirSync(wt);
	const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });
	assert.equal(git(tree.repo!, 'worktree', 'add', '-q', '--detach', wt, tree.commit!).status, 0);
	try {
		/* As the README says: the whole directory, cover letter included. */
		const r = git(wt, '-c', 'user.name=t', '-c', 'user.email=t@t', 'am', '--empty=drop', ...committed.map((f) => path.join(PATCHES, f)));
		assert.equal(r.status, 0, r.stderr);
		assert.equal(git(wt, 'rev-list', '--count', `${tree.commit}..HEAD`).stdout.trim(), String(committed.length - 1));
		assert.match(fs.readFileSync(path.join(wt, 'mm/rmap.c'), 'utf8'), /lockdep_assert_held_write\(&anon_vma->root->rwsem\);/);
	} finally {
		git(tree.repo!, 'worktree', 'remove', '--force', wt);
	}
});

test('every mail is addressed as scripts/get_maintainer.pl says', () => {
	for (const f of committed) {
		const s = fs.readFileSync(path.join(PATCHES, f), 'utf8');
		const head = s.slice(0, s.indexOf('\n\n'));
		assert.match(head, /^To: .*Andrew Morton <akpm@linux-foundation\.org>/m, f);
		assert.match(head, /^Cc: .*linux-mm@kvack\.org/m, f);
	}
});

/*
 * Two base repositories holding the same tree: A as the harness makes it,
 * B with another base commit date, 20000 more objects (so git's default
 * abbreviation grows), repacked, another branch, and a hostile repository
 * config.  The series is written under a hostile global config, locale
 * and time zone as well; the bytes must not change, and B must not gain
 * a ref or an object.
 */
const HOSTILE = `[core]
	abbrev = 5
[diff]
	noprefix = true
	mnemonicPrefix = true
	algorithm = histogram
	context = 5
	renames = copies
	statGraphWidth = 20
[format]
	signOff = true
	numbered = false
	thread = shallow
	headers = "X-Hostile: 1\\n"
	coverLetter = false
	subjectPrefix = RFC
	suffix = .txt
	signature = hostile
[user]
	name = Hostile User
	email = hostile@example.org
`;

function fixtureTree(from: string, date: string): string {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-base-'));
	const files = ['Makefile', 'MAINTAINERS', 'COPYING', 'CREDITS', 'Kbuild', 'README', 'scripts/get_maintainer.pl', ...MODEL_FILES.map((f) => f.c)];
	for (const f of files) {
		fs.mkdirSync(path.join(d, path.dirname(f)), { recursive: true });
		fs.copyFileSync(path.join(from, f), path.join(d, f));
	}
	/* get_maintainer.pl wants to see the top of a kernel tree. */
	for (const dir of ['Documentation', 'arch', 'include', 'drivers', 'fs', 'init', 'ipc', 'kernel', 'lib'])
		fs.mkdirSync(path.join(d, dir), { recursive: true });
	const git = (...a: string[]) => spawnSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', ...a], { cwd: d, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
	assert.equal(git('init', '-q').status, 0);
	git('add', '-f', ...files);
	assert.equal(git('commit', '-qm', 'base').status, 0);
	return d;
}

function objects(repo: string): string {
	const g = (...a: string[]) => spawnSync('git', a, { cwd: repo, encoding: 'utf8' }).stdout;
	return g('for-each-ref') + g('count-objects', '-v').replace(/^size.*$/gm, '');
}

test('the series is byte-identical whatever the base repository, git config, locale and time zone', () => {
	const src = baseTree().dir;
	const a = fixtureTree(src, '2026-10-28T00:00:00Z');
	const b = fixtureTree(src, '2001-02-03T04:05:06+0700');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-repro-'));
	const saved = { ...process.env };
	try {
		/* B: 20000 more objects on another branch, all packed. */
		const blobs = Array.from({ length: 20000 }, (_, i) => `blob\nmark :${i + 1}\ndata ${String(i).length}\n${i}\n`).join('');
		const tree = Array.from({ length: 20000 }, (_, i) => `M 100644 :${i + 1} f/${i}\n`).join('');
		const stream = `${blobs}commit refs/heads/other\ncommitter o <o@o> 1 +0000\ndata 1\nx\n${tree}\n`;
		assert.equal(spawnSync('git', ['fast-import', '--quiet'], { cwd: b, input: stream }).status, 0);
		assert.equal(spawnSync('git', ['repack', '-adfq'], { cwd: b }).status, 0);
		fs.appendFileSync(path.join(b, '.git', 'config'), HOSTILE);
		const before = objects(b);

		const run = (base: string, out: string, env: Record<string, string>): Map<string, string> => {
			Object.assign(process.env, env);
			try {
				writeSeries({ kernel: base, out, signoff: 'ktsc <ktsc@localhost>', noCheck: true });
			} finally {
				for (const k of Object.keys(env))
					if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
			}
			return new Map(fs.readdirSync(out).sort().map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]));
		};
		const hostile = path.join(tmp, 'gitconfig');
		fs.writeFileSync(hostile, HOSTILE);
		const sa = run(a, path.join(tmp, 'a'), {});
		const sb = run(b, path.join(tmp, 'b'), { GIT_CONFIG_GLOBAL: hostile, TZ: 'Asia/Kathmandu', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', COLUMNS: '40' });
		assert.deepEqual([...sb.keys()], [...sa.keys()]);
		for (const [f, text] of sa)
			assert.ok(sb.get(f) === text, `${f} differs between the two bases:\n${text}\n---\n${sb.get(f)}`);
		const patch = [...sa.values()][1];
		assert.match(patch, /^index [0-9a-f]{40}\.\.[0-9a-f]{40} /m, 'full blob ids');
		assert.match(patch, /^From 0{40} /m, 'no commit id that depends on the base commit');
		assert.doesNotMatch([...sa.values()].join(''), /base-commit:|ktsc-base-|ktsc-series-/, 'no machine-specific ids or paths');
		assert.equal(objects(b), before, 'the base repository gained a ref or an object');
	} finally {
		process.env = saved;
		for (const d of [a, b, tmp])
			fs.rmSync(d, { recursive: true, force: true });
	}
});

/*
 * The base tree: the mainline source that fidelity compares with and the
 * series is made against.  Its version is pinned in scripts/kernel/base.env
 * (read here and by the shell steps).  --kernel DIR or KERNEL_SRC names a
 * tree; otherwise the kernel harness's source step (scripts/kernel/source.sh,
 * idempotent) provides Debian's linux-source package as a git repo in the
 * cache.  One place decides this, for every stage.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { REPO } from './compiler/program';

export interface BaseTree {
	dir: string;
	version: string;
	/** The commit when the tree is a git checkout. */
	commit?: string;
	/** The git repository holding commit (the tree itself or its origin). */
	repo?: string;
}

/** scripts/kernel/base.env: the pinned base (BASE_VERSION, DEB_PACKAGE, DEB_VERSION ...). */
export function basePin(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const line of fs.readFileSync(path.join(REPO, 'scripts', 'kernel', 'base.env'), 'utf8').split('\n')) {
		const m = line.match(/^([A-Z_]+)=(.*)$/);
		if (m)
			env[m[1]] = m[2];
	}
	return env;
}

/** "7.2": the VERSION.PATCHLEVEL every base tree must have. */
export const BASE_VERSION = basePin().BASE_VERSION;

/** Is version ("7.2.13", "7.2", "7.2-rc1") a release of the pinned base? */
export function isBaseVersion(version: string): boolean {
	return version === BASE_VERSION || version.startsWith(BASE_VERSION + '.') || version.startsWith(BASE_VERSION + '-');
}

export function cacheDir(): string {
	return process.env.KTSC_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/tmp', '.cache'), 'ktsc');
}

/** "6.12.117" from a tree's top-level Makefile. */
export function kernelVersion(dir: string): string {
	const mk = fs.readFileSync(path.join(dir, 'Makefile'), 'utf8');
	const v = (k: string): string => mk.match(new RegExp(`^${k}[ \\t]*=[ \\t]*(\\S*)`, 'm'))?.[1] ?? '';
	const sub = v('SUBLEVEL');
	return `${v('VERSION')}.${v('PATCHLEVEL')}${sub && sub !== '0' ? '.' + sub : ''}${v('EXTRAVERSION')}`;
}

function git(dir: string, ...args: string[]): string | undefined {
	const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * A tree given by the user.  anyVersion: accept another release (fidelity
 * reports its drift from the model); everything that builds on the tree
 * (series, kernel) requires the pinned base.
 */
function checkTree(dir: string, anyVersion = false): BaseTree {
	if (!fs.existsSync(path.join(dir, 'Makefile')) || !fs.existsSync(path.join(dir, 'mm', 'rmap.c')))
		throw new Error(`${dir} is not a Linux source tree (no Makefile or mm/rmap.c)`);
	const version = kernelVersion(dir);
	if (!anyVersion && !isBaseVersion(version))
		throw new Error(`${dir} is Linux ${version}; ktsc's base is ${BASE_VERSION} (scripts/kernel/base.env)`);
	const commit = git(dir, 'rev-parse', 'HEAD');
	/* Local edits would silently become part of "the base": refuse them. */
	if (commit && git(dir, 'status', '--porcelain', '--untracked-files=no'))
		throw new Error(`${dir} has uncommitted changes; commit or stash them (ktsc works on a clean base)`);
	return { dir, version, commit, repo: commit ? dir : undefined };
}

/** Read the harness's record of the base (written by source.sh). */
function sourceEnv(): Record<string, string> {
	const file = path.join(cacheDir(), 'state', 'source.env');
	const env: Record<string, string> = {};
	if (!fs.existsSync(file))
		return env;
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const m = line.match(/^(\w+)=(.*)$/);
		if (m)
			env[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
	}
	return env;
}

/**
 * The base tree.  An explicit directory is used as it is; without one the
 * harness's source step runs (quietly when it has nothing to do).
 */
export function baseTree(explicit?: string, opts: { anyVersion?: boolean } = {}): BaseTree {
	const dir = explicit ?? process.env.KERNEL_SRC;
	if (dir)
		return checkTree(path.resolve(dir), opts.anyVersion);
	let env = sourceEnv();
	if (!env.BASE_TREE || !fs.existsSync(env.BASE_TREE)) {
		const r = spawnSync('bash', [path.join(REPO, 'scripts', 'kernel', 'source.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
		if (r.status !== 0)
			throw new Error('could not provide the base tree (scripts/kernel/source.sh failed; see above)');
		env = sourceEnv();
	}
	const t = checkTree(env.BASE_TREE);
	return { ...t, commit: env.BASE_COMMIT ?? t.commit, repo: env.REPO ?? t.repo };
}

/*
 * A wrong or dirty kernel tree is refused with a clear error.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { baseTree, BASE_VERSION } from '../ts-src/kernelsrc';

const [MAJOR, MINOR] = BASE_VERSION.split('.');

function fakeTree(version: string, patchlevel: string): string {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-tree-'));
	fs.writeFileSync(path.join(d, 'Makefile'), `VERSION = ${version}\nPATCHLEVEL = ${patchlevel}\nSUBLEVEL = 0\nEXTRAVERSION =\nNAME = Baby Opossum Posse\n`);
	fs.mkdirSync(path.join(d, 'mm'));
	fs.writeFileSync(path.join(d, 'mm', 'rmap.c'), 'int x;\n');
	return d;
}

test(`a ${BASE_VERSION} tree without git is accepted, versioned from its Makefile`, () => {
	const d = fakeTree(MAJOR, MINOR);
	assert.deepEqual(baseTree(d), { dir: d, version: BASE_VERSION, commit: undefined, repo: undefined });
	fs.rmSync(d, { recursive: true });
});

for (const [major, minor] of [['6', '12'], [MAJOR, String(Number(MINOR) + 1)], [String(Number(MAJOR) + 1), MINOR]]) {
	test(`a Linux ${major}.${minor} tree is refused (the base is ${BASE_VERSION})`, () => {
		const d = fakeTree(major, minor);
		const esc = (v: string) => v.replace(/\./g, '\\.');
		assert.throws(() => baseTree(d), new RegExp(`is Linux ${esc(`${major}.${minor}`)}; ktsc's base is ${esc(BASE_VERSION)}`));
		fs.rmSync(d, { recursive: true });
	});
}

test('a directory that is no kernel tree is refused', () => {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-tree-'));
	assert.throws(() => baseTree(d), /not a Linux source tree/);
	fs.rmSync(d, { recursive: true });
});

test('a git tree with uncommitted changes is refused', () => {
	const d = fakeTree(MAJOR, MINOR);
	const git = (...a: string[]) => spawnSync('git', ['-C', d, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { encoding: 'utf8' });
	git('init', '-q');
	git('add', '-A');
	git('commit', '-qm', 'base');
	assert.equal(baseTree(d).commit?.length, 40);
	fs.appendFileSync(path.join(d, 'mm', 'rmap.c'), 'int y;\n');
	assert.throws(() => baseTree(d), /uncommitted changes/);
	fs.rmSync(d, { recursive: true });
});

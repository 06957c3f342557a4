/*
 * Generated files are committed; they must be what the model compiles to
 * now (run `ktsc emit` after editing the model).  And the model must be the
 * kernel: every modelled function is token-identical to the base tree,
 * except the functions the series changes on purpose.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { compileFiles, MODEL_FILES, REPO } from '../ts-src/compiler/program';
import { fidelity } from '../ts-src/fidelity';
import { touched } from '../ts-src/changes';
import { BASE_VERSION } from '../ts-src/kernelsrc';

test('emit/ is up to date with the model', () => {
	for (const f of compileFiles(MODEL_FILES)) {
		const committed = fs.readFileSync(path.join(REPO, 'emit', f.c), 'utf8');
		assert.ok(committed === f.text, `emit/${f.c} is stale: run 'ktsc emit'`);
	}
});

test(`fidelity against the ${BASE_VERSION} base tree`, () => {
	const r = fidelity();
	assert.ok(r.base === BASE_VERSION || r.base.startsWith(BASE_VERSION + '.'), `base ${r.base}, not ${BASE_VERSION}`);
	assert.equal(r.functions.filter((f) => f.file === 'mm/rmap.c').length, 69);
	/* stable_tree_search() is TypeScript: its crossing gotos are a goto dispatch. */
	assert.equal(r.functions.filter((f) => f.file === 'mm/ksm.c').length, 125);
	/* The series changes these three; nothing else may differ. */
	const changed = touched();
	assert.deepEqual([...changed].sort(), [
		'mm/ksm.c:__stable_node_dup_del', 'mm/ksm.c:free_stable_node', 'mm/ksm.c:ksm_assert_stable_tree_locked',
		'mm/ksm.c:stable_node_chain_add_dup',
		'mm/rmap.c:anon_vma_clone', 'mm/rmap.c:anon_vma_fork', 'mm/rmap.c:unlink_anon_vmas',
	]);
	for (const f of r.functions) {
		/* ksm_assert_stable_tree_locked() is a function the series adds */
		const expected = !changed.has(`${f.file}:${f.name}`) ? 'identical' : f.name === 'ksm_assert_stable_tree_locked' ? 'new' : 'differs';
		assert.equal(f.status, expected, `${f.file} ${f.name}: ${JSON.stringify(f.first_difference)}`);
	}
	/*
	 * Every function of the base file is the model's, in TypeScript or
	 * carried (#ifdef variants of one function counted apart): a port to
	 * TypeScript moves one from the second count to the first.
	 */
	for (const [file, base] of [['mm/rmap.c', 69], ['mm/ksm.c', 126]] as [string, number][])
		assert.equal(r.carried.filter((f) => f.file === file).length +
			r.functions.filter((f) => f.file === file && f.status !== 'new').length, base, `${file}: functions in TypeScript and carried`);
	/* Everything the model carries as verbatim C is the base's. */
	for (const f of r.carried)
		assert.ok(f.status === 'identical' && f.bytes_identical, `carried ${f.file} ${f.name}`);
	/*
	 * The whole files: the base's, byte for byte, apart from the items the
	 * series touches (its changed functions and the one it adds).
	 */
	assert.deepEqual(r.files.map((f) => [f.file, f.file_identical, f.bytes_identical]), [['mm/rmap.c', true, false], ['mm/ksm.c', true, false]], JSON.stringify(r.files));
	assert.deepEqual(r.files.flatMap((f) => f.changed_items.map((n) => `${f.file}:${n}`)).sort(), [...changed].sort());
	for (const file of r.files) {
		const own = r.functions.filter((f) => f.file === file.file);
		console.log(`# fidelity ${file.file}: ${own.filter((f) => f.status === 'identical').length} token-identical, ` +
			`${own.filter((f) => f.bytes_identical).length} byte-identical of ${own.length} TypeScript functions; ${file.carried_functions} carried`);
	}
});

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
import { CHANGED_FUNCTIONS } from '../ts-src/series/changes';
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
	assert.equal(r.functions.filter((f) => f.file === 'mm/rmap.c').length, 37);
	/* The series changes these three; nothing else may differ. */
	assert.deepEqual([...CHANGED_FUNCTIONS].sort(), ['anon_vma_clone', 'anon_vma_fork', 'unlink_anon_vmas']);
	for (const f of r.functions) {
		const expected = f.file === 'mm/rmap.c' && CHANGED_FUNCTIONS.has(f.name) ? 'differs' : 'identical';
		assert.equal(f.status, expected, `${f.file} ${f.name}: ${JSON.stringify(f.first_difference)}`);
	}
	/* Everything the model carries as verbatim C is the base's. */
	for (const file of ['mm/rmap.c', 'mm/ksm.c'])
		assert.ok(r.carried.filter((f) => f.file === file).length > 25, `${file}: too few carried functions`);
	for (const f of r.carried)
		assert.ok(f.status === 'identical' && f.bytes_identical, `carried ${f.file} ${f.name}`);
	/*
	 * The whole files: the base's, byte for byte, apart from the changed
	 * functions; mm/ksm.c, which the series does not touch, as it is.
	 */
	assert.deepEqual(r.files.map((f) => [f.file, f.file_identical]), [['mm/rmap.c', true], ['mm/ksm.c', true]], JSON.stringify(r.files));
	assert.ok(r.files.find((f) => f.file === 'mm/ksm.c')!.bytes_identical, 'emit/mm/ksm.c is not the base mm/ksm.c');
	for (const file of r.files) {
		const own = r.functions.filter((f) => f.file === file.file);
		console.log(`# fidelity ${file.file}: ${own.filter((f) => f.status === 'identical').length} token-identical, ` +
			`${own.filter((f) => f.bytes_identical).length} byte-identical of ${own.length} TypeScript functions; ${file.carried_functions} carried`);
	}
});

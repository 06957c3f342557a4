/*
 * Compile TypeScript snippets against the prelude, all in one program (a
 * program costs a second or two; a snippet almost nothing).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileProgram, CompiledFile, REPO } from '../ts-src/compiler/program';

const PRELUDE = path.join(REPO, 'ts-src', 'kernel');

/** The import line every snippet starts with (line 1). */
export function importLine(names: string): string {
	return `import { ${names} } from ${JSON.stringify(PRELUDE)};\n`;
}

export function compileSnippets(snippets: string[]): CompiledFile[] {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktsc-test-'));
	const files = snippets.map((s, i) => {
		const f = path.join(dir, `snippet${i}.ts`);
		fs.writeFileSync(f, s);
		return f;
	});
	try {
		return compileProgram(files);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

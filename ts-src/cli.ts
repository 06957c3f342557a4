#!/usr/bin/env node
/*
 * ktsc: small verbs, one per stage (like b4 and git).
 *
 *   ktsc emit                      compile the model to emit/
 *   ktsc fidelity [--kernel DIR] [--json]
 *   ktsc series [--kernel DIR] [--out DIR]
 *   ktsc check [SCENARIO] [--design NAME] [--all] [--json] [--replay FILE] [--cost]
 *   ktsc kernel STEP               setup | source | apply | build | guest | boot | report
 *   ktsc all                       the main job (npm start)
 */
import { emitModel } from './compiler/program';
import { CompileError } from './compiler/diagnostics';
import { fidelity, printFidelity } from './fidelity';
import { writeSeries } from './series/series';
import { REPO } from './compiler/program';
import * as path from 'path';

export interface Args {
	positional: string[];
	flags: Map<string, string | true>;
}

export function parseArgs(argv: string[]): Args {
	const positional: string[] = [];
	const flags = new Map<string, string | true>();
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) {
			positional.push(a);
			continue;
		}
		const eq = a.indexOf('=');
		if (eq > 0)
			flags.set(a.slice(2, eq), a.slice(eq + 1));
		else if (i + 1 < argv.length && !argv[i + 1].startsWith('--') && VALUE_FLAGS.has(a.slice(2)))
			flags.set(a.slice(2), argv[++i]);
		else
			flags.set(a.slice(2), true);
	}
	return { positional, flags };
}

const VALUE_FLAGS = new Set(['kernel', 'out', 'design', 'replay', 'seed', 'bound', 'signoff']);

type Verb = (args: Args) => number | Promise<number>;

const VERBS: Record<string, Verb> = {
	emit: () => {
		const files = emitModel();
		for (const f of files)
			console.log(`emit/${f.c}: ${f.functions.length} functions from ${f.model}`);
		return 0;
	},
	fidelity: (args) => {
		const kernel = args.flags.get('kernel');
		const r = fidelity(typeof kernel === 'string' ? kernel : undefined);
		if (args.flags.has('json'))
			console.log(JSON.stringify(r, null, 2));
		else
			printFidelity(r);
		return r.functions.every((f) => f.status !== 'missing') ? 0 : 1;
	},
	series: (args) => {
		const str = (k: string): string | undefined => {
			const v = args.flags.get(k);
			return typeof v === 'string' ? v : undefined;
		};
		const files = writeSeries({ kernel: str('kernel'), out: str('out') ?? path.join(REPO, 'patches'), signoff: str('signoff') });
		for (const f of files)
			console.log(path.relative(process.cwd(), f));
		return 0;
	},
};

export function registerVerb(name: string, verb: Verb): void {
	VERBS[name] = verb;
}

async function main(argv: string[]): Promise<number> {
	const [verb, ...rest] = argv;
	const fn = verb ? VERBS[verb] : undefined;
	if (!fn) {
		console.error(`usage: ktsc <${Object.keys(VERBS).join('|')}> [options]`);
		return verb ? 2 : 0;
	}
	try {
		return await fn(parseArgs(rest));
	} catch (e) {
		if (e instanceof CompileError) {
			console.error(e.message);
			return 1;
		}
		throw e;
	}
}

if (require.main === module)
	main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
		console.error(e instanceof Error ? e.stack : e);
		process.exit(1);
	});

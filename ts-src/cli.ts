#!/usr/bin/env node
/*
 * ktsc: small verbs, one per stage (like b4 and git).
 *
 *   ktsc emit                      compile the model to emit/
 *   ktsc fidelity [--kernel DIR] [--json]
 *   ktsc series [--kernel DIR] [--out DIR]
 *   ktsc import FILE [--kernel DIR] [--function NAME] [--into MODEL] [--out FILE] [--carry]
 *   ktsc drift --kernel DIR [--json]
 *   ktsc check [SCENARIO] [--design NAME] [--all] [--json] [--replay FILE] [--cost]
 *   ktsc mutate [--json] [--operator OP] [--function NAME] [--bound N] [--seconds N] [--executions N]
 *   ktsc kernel STEP               setup | source | apply | build | guest | boot | report
 *   ktsc all                       the main job (npm start)
 */
import { emitModel } from './compiler/program';
import { CompileError } from './compiler/diagnostics';
import { ImportError } from './csource/import';
import { fidelity, printFidelity, drift, printDrift } from './fidelity';
import { importVerb } from './csource/import_cli';
import { writeSeries } from './series/series';
import { runCheck } from './check';
import { mutateMain } from './check/mutate';
import { REPO } from './compiler/program';
import * as os from 'os';
import * as path from 'path';
import { runKernelStep, runKernelSteps, KERNEL_STEPS, cpuSeconds, elapsed } from './kernelrun/kernel';

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

const VALUE_FLAGS = new Set(['kernel', 'out', 'design', 'replay', 'seed', 'bound', 'signoff', 'patches', 'function', 'into', 'operator', 'seconds', 'executions']);

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
		/* Against the base, the whole file must be the base's too (apart from the model's changes). */
		const whole = typeof kernel === 'string' || r.files.every((f) => f.file_identical);
		return r.functions.every((f) => f.status !== 'missing') && whole ? 0 : 1;
	},
	series: (args) => {
		const files = writeSeries({ kernel: str(args, 'kernel'), out: str(args, 'out') ?? path.join(REPO, 'patches'), signoff: str(args, 'signoff'), noCheck: args.flags.has('no-check') });
		for (const f of files)
			console.log(path.relative(process.cwd(), f));
		return 0;
	},
	import: (args) => importVerb({ file: args.positional[0], kernel: str(args, 'kernel'), fn: str(args, 'function'), into: str(args, 'into'), out: str(args, 'out'), carry: args.flags.has('carry') }),
	drift: (args) => {
		const kernel = str(args, 'kernel');
		if (!kernel) {
			console.error('usage: ktsc drift --kernel DIR [--json]');
			return 2;
		}
		const r = drift(kernel);
		if (args.flags.has('json'))
			console.log(JSON.stringify(r, null, 2));
		else
			printDrift(r);
		return 0;
	},
	check: (args) => {
		const num = (k: string): number | undefined => (str(args, k) !== undefined ? Number(str(args, k)) : undefined);
		return runCheck({
			scenario: args.positional[0], design: str(args, 'design'), all: args.flags.has('all'),
			json: args.flags.has('json'), replay: str(args, 'replay'), cost: args.flags.has('cost'),
			seed: num('seed'), bound: num('bound'), prune: args.flags.has('prune'),
		});
	},
	mutate: (args) => {
		/*
		 * A misspelt option (--functions X) would otherwise be ignored with its
		 * value taken for a positional argument, and the run would mutate the
		 * whole model for an hour instead of one function: refuse it.
		 */
		const known = new Set(['json', 'operator', 'function', 'bound', 'seconds', 'executions']);
		const numeric = ['bound', 'seconds', 'executions'];
		const bad = [...args.positional.map((p) => `unexpected argument ${p}`),
			...[...args.flags.keys()].filter((k) => !known.has(k)).map((k) => `unknown option --${k}`),
			...['operator', 'function', ...numeric].filter((k) => args.flags.get(k) === true).map((k) => `--${k} needs a value`),
			...numeric.filter((k) => str(args, k) !== undefined && !(Number(str(args, k)) >= 0)).map((k) => `--${k} is not a number`)];
		if (bad.length) {
			console.error(`ktsc mutate: ${bad.join('; ')}\nusage: ktsc mutate [--json] [--operator OP] [--function NAME] [--bound N] [--seconds N] [--executions N]`);
			return 2;
		}
		const num = (k: string): number | undefined => (str(args, k) !== undefined ? Number(str(args, k)) : undefined);
		return mutateMain({
			json: args.flags.has('json'), operator: str(args, 'operator'), function: str(args, 'function'),
			bound: num('bound'), seconds: num('seconds'), executions: num('executions'),
		});
	},
	kernel: (args) => {
		const [step, ...rest] = args.positional;
		if (!step) {
			console.error(`usage: ktsc kernel <${KERNEL_STEPS.join('|')}> [base|patched]`);
			return 2;
		}
		return runKernelStep(step, { kernelSrc: str(args, 'kernel'), patchesDir: str(args, 'patches') ?? path.join(REPO, 'patches'), repoRoot: REPO, args: rest });
	},
	/* npm start: setup -> emit -> series -> source -> apply -> build -> guest -> boot -> report */
	all: (args) => {
		const kernel = str(args, 'kernel');
		const opts = { kernelSrc: kernel, patchesDir: path.join(REPO, 'patches'), repoRoot: REPO };
		const t0 = Date.now(), c0 = cpuSeconds();
		const timed = (name: string, fn: () => void): void => {
			const t = Date.now(), c = cpuSeconds();
			console.log(`[${name}] …`);
			fn();
			console.log(`[${name}] ok ${elapsed(t, c)}`);
		};
		if (runKernelStep('setup', opts) !== 0)
			return 1;
		timed('emit', () => VERBS.emit(args));
		timed('series', () => {
			const r = fidelity(kernel);
			console.log(`fidelity: ${r.functions.filter((f) => f.status === 'identical').length}/${r.functions.length} token-identical to Linux ${r.base}`);
			writeSeries({ kernel, out: opts.patchesDir, signoff: str(args, 'signoff') });
		});
		const status = runKernelSteps(opts, KERNEL_STEPS.filter((s) => s !== 'setup'));
		console.log(`[all] ${status === 0 ? 'ok' : 'FAILED'} ${elapsed(t0, c0)}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
		return status;
	},
};

function str(args: Args, k: string): string | undefined {
	const v = args.flags.get(k);
	return typeof v === 'string' ? v : undefined;
}

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
		if (e instanceof CompileError || e instanceof ImportError) {
			console.error(e.message);
			return 1;
		}
		/* Bad input (a missing file, a wrong tree) is a message, not a backtrace; KTSC_DEBUG=1 shows where. */
		console.error(`ktsc ${verb}: ${e instanceof Error ? e.message : String(e)}`);
		if (process.env.KTSC_DEBUG && e instanceof Error)
			console.error(e.stack);
		return 1;
	}
}

if (require.main === module)
	main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
		console.error(e instanceof Error ? e.stack : e);
		process.exit(1);
	});

/*
 * One commit per change: the contents of each file after each change of
 * the series.  The model holds only the end state (every change applied),
 * so the intermediate states are made at the level of top-level items:
 * the base file with the items that changes 1..k touch taken from the
 * emitted file, new items inserted where the emitted file has them, and
 * removed items dropped.  Git writes the diffs; we only decide which
 * change each differing item belongs to, and refuse what none explains.
 */
import { findItems } from '../csource/functions';
import { Change } from '../changes';

/**
 * A file cut into consecutive pieces, one per top-level item: each piece
 * runs from the end of the item before it to its own end, so the comment,
 * blank lines and #ifdefs above an item go with it.  The pieces put
 * together are the file; `tail` is what follows the last item.
 */
interface Piece {
	/** Unique within the file: kind, name and occurrence. */
	key: string;
	name: string;
	text: string;
}

interface Cut {
	items: Piece[];
	tail: string;
}

function pieces(src: string): Cut {
	const items: Piece[] = [];
	const seen = new Map<string, number>();
	let at = 0;
	for (const it of findItems(src)) {
		const id = `${it.kind} ${it.name}`;
		const n = (seen.get(id) ?? 0) + 1;
		seen.set(id, n);
		items.push({ key: `${id} #${n}`, name: it.name, text: src.slice(at, it.end) });
		at = it.end;
	}
	return { items, tail: src.slice(at) };
}

/** The file's end, after its last item, as a change names it. */
export const FILE_TAIL = '<end of file>';

/**
 * The base file with the items named in `applied` taken from the emitted
 * file (changed, added or removed); every other item as the base has it.
 */
function assemble(file: string, base: Cut, emitted: Cut, applied: Set<string>): string {
	const baseKeys = new Set(base.items.map((p) => p.key));
	const emittedKeys = new Set(emitted.items.map((p) => p.key));
	const out: string[] = [];
	let bi = 0;
	/* a base item the emitted file lacks: removed by a change, kept until that change */
	const keepRemoved = (upTo: string | undefined): void => {
		while (bi < base.items.length && base.items[bi].key !== upTo) {
			const p = base.items[bi++];
			if (!emittedKeys.has(p.key) && !applied.has(p.name))
				out.push(p.text);
		}
	};
	for (const p of emitted.items) {
		if (baseKeys.has(p.key)) {
			keepRemoved(p.key);
			out.push(applied.has(p.name) ? p.text : base.items[bi].text);
			bi++;
		} else if (applied.has(p.name)) {
			/* a new item goes after the removed ones before it: the base's order first */
			while (bi < base.items.length && !emittedKeys.has(base.items[bi].key)) {
				const r = base.items[bi++];
				if (!applied.has(r.name))
					out.push(r.text);
			}
			out.push(p.text);
		}
	}
	keepRemoved(undefined);
	out.push(applied.has(FILE_TAIL) ? emitted.tail : base.tail);
	return out.join('');
}

/** Items may change, come or go, but the ones both files have keep their order. */
function checkOrder(file: string, base: Cut, emitted: Cut): void {
	const baseKeys = new Set(base.items.map((p) => p.key));
	const emittedKeys = new Set(emitted.items.map((p) => p.key));
	const a = base.items.filter((p) => emittedKeys.has(p.key)).map((p) => p.key);
	const b = emitted.items.filter((p) => baseKeys.has(p.key)).map((p) => p.key);
	const moved = a.findIndex((k, i) => k !== b[i]);
	if (moved >= 0)
		throw new Error(`${file}: the model moves ${a[moved].replace(/ #\d+$/, '')} to another place in the file; a change may alter, add or remove items, not reorder them`);
}

/** The items of a file whose text the model changes, adds or removes, by name. */
function differing(base: Cut, emitted: Cut): Set<string> {
	const names = new Set<string>();
	const e = new Map(emitted.items.map((p) => [p.key, p.text]));
	const b = new Map(base.items.map((p) => [p.key, p.text]));
	for (const [k, text] of b)
		if (e.get(k) !== text)
			names.add(base.items.find((p) => p.key === k)!.name);
	for (const p of emitted.items)
		if (!b.has(p.key))
			names.add(p.name);
	if (base.tail !== emitted.tail)
		names.add(FILE_TAIL);
	return names;
}

/**
 * The contents of each file the series changes, after each change, in
 * order: result[k].get(file) is the file once changes 0..k are applied
 * (only files some change up to k touches).  `files` maps a file to its
 * base text and its emitted text.  Throws when the model changes an item
 * that no change touches, when a change touches an item the model does
 * not change or that another change touches too, and when the model
 * reorders items.
 */
export function commitContents(files: Map<string, { base: string; emitted: string }>, changes: Change[]): Map<string, string>[] {
	const cut = new Map([...files].map(([f, t]) => [f, { base: pieces(t.base), emitted: pieces(t.emitted) }]));
	for (const [file, f] of cut)
		checkOrder(file, f.base, f.emitted);
	const owner = new Map<string, string>();
	for (const c of changes)
		for (const [file, names] of Object.entries(c.touches)) {
			const f = cut.get(file);
			if (!f)
				throw new Error(`ts-src/changes.ts: '${c.subject}' touches ${file}, which the model does not emit`);
			const diff = differing(f.base, f.emitted);
			for (const n of names) {
				const other = owner.get(`${file}:${n}`);
				if (other)
					throw new Error(`ts-src/changes.ts: ${file}: ${n} is touched by '${other}' and by '${c.subject}'; one item, one change`);
				owner.set(`${file}:${n}`, c.subject);
				if (!diff.has(n))
					throw new Error(`ts-src/changes.ts: '${c.subject}' touches ${file}: ${n}, but the model does not change it`);
			}
		}
	for (const [file, f] of cut)
		for (const n of differing(f.base, f.emitted))
			if (!owner.has(`${file}:${n}`))
				throw new Error(`emit/${file}: ${n === FILE_TAIL ? 'the end of the file' : n} differs from the base, but no change in ts-src/changes.ts touches it (no patch without a reason)`);

	const applied = new Map<string, Set<string>>();
	const states = changes.map((c) => {
		for (const [file, names] of Object.entries(c.touches))
			for (const n of names)
				(applied.get(file) ?? applied.set(file, new Set()).get(file)!).add(n);
		return new Map([...applied].map(([file, names]) => {
			const f = cut.get(file)!;
			return [file, assemble(file, f.base, f.emitted, names)];
		}));
	});
	/* Every change applied must give the emitted file itself. */
	for (const [file, text] of states[states.length - 1] ?? [])
		if (text !== files.get(file)!.emitted)
			throw new Error(`emit/${file}: the series' changes applied to the base do not give the emitted file (an item the item split cannot place)`);
	return states;
}

/** The names of the top-level items (FILE_TAIL for the file's end) in which emitted differs from base. */
export function changedItems(base: string, emitted: string): Set<string> {
	return differing(pieces(base), pieces(emitted));
}

/*
 * The printer writes C tokens and carries the model's layout over to them.
 *
 * Each C token is either tied to a position in the TypeScript source or
 * synthesised.  Before a tied token the printer copies the source text
 * between the last consumed position and the token: its whitespace and
 * comments are kept as they are.  TypeScript tokens in it that have no C
 * counterpart (the "let" and ": T" of a declaration, "export function", an
 * import line, the "for (;;) {" of a goto loop ...) are dropped, but only
 * inside ranges the emitter has declared droppable (drop(), skip()): any
 * other token the printer would drop is a PrinterError, so nothing of the
 * model disappears from the C unnoticed.  A line that held nothing but
 * dropped tokens disappears entirely, so the model can be written line for
 * line like the kernel and print the kernel's lines.
 *
 * Comments are never dropped: one inside a range the emitter replaces or
 * skips as a whole (a type annotation, "): T {" of a function header, a
 * for-of header) has no place in the C and is a PrinterError too.
 */
import * as ts from 'typescript';

/** The source does not have the token the emitter expected: a diagnostic at pos, not a crash. */
export class PrinterError extends Error {
	constructor(readonly pos: number, message: string) {
		super(message);
	}
}

export class Printer {
	private out: string[] = [];
	/** Source position up to which the source text has been consumed. */
	last = 0;
	private scanner: ts.Scanner;
	/** Source ranges whose tokens the emitter declared droppable, [pos, end). */
	private droppable: { pos: number; end: number; what: string }[] = [];

	constructor(readonly sf: ts.SourceFile) {
		this.scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, sf.text);
	}

	text(): string {
		return this.out.join('');
	}

	/** Emit the layout of the source before pos, then consume up to pos. */
	gap(pos: number): void {
		if (pos > this.last) {
			const l = this.layout(this.last, pos);
			let o = this.length;
			for (const line of l.lines) {
				if (line.src !== undefined)
					this.mapLine(o, line.src);
				o += line.text.length + 1;
			}
			this.push(l.text);
		}
		this.last = Math.max(this.last, pos);
	}

	/*
	 * Where the output's lines come from: output offset of a line start ->
	 * source offset of the line start it was copied from.  The importer
	 * uses it to put carried C into the model where the emitted C needs it.
	 */
	readonly lineMap = new Map<number, number>();
	private length = 0;

	private push(c: string): void {
		this.mapLine(this.length, this.last);
		this.out.push(c);
		this.length += c.length;
	}

	private mapLine(o: number, src: number): void {
		const text = this.sf.text;
		const outAtStart = o === 0 || (o === this.length ? this.lastChar === '\n' : true);
		if (outAtStart && (src === 0 || text[src - 1] === '\n') && !this.lineMap.has(o))
			this.lineMap.set(o, src);
	}

	private get lastChar(): string {
		const s = this.out[this.out.length - 1];
		return s ? s[s.length - 1] : '\n';
	}

	/** A C token tied to the source range [pos, end), which it replaces: no comment may stand in it. */
	tok(c: string, pos: number, end: number): void {
		this.gap(pos);
		this.noComment(pos, end, `'${c.length > 20 ? c.slice(0, 20) + '…' : c}'`);
		this.push(c);
		this.last = Math.max(this.last, end);
	}

	/** A synthesised C token. */
	syn(c: string): void {
		this.push(c);
	}

	/**
	 * Skip source text up to end without printing it: tokens the emitter
	 * prints in another form or that have no C (what says which).  A comment
	 * there would be lost: an error.
	 */
	skip(end: number, what = 'TypeScript-only syntax'): void {
		this.noComment(this.last, end, what);
		this.last = Math.max(this.last, end);
	}

	/** Error recovery after a diagnostic: consume up to end, whatever is there. */
	discard(end: number): void {
		this.last = Math.max(this.last, end);
	}

	/**
	 * Declare [pos, end) droppable: its tokens have no C counterpart and
	 * the layout may drop them (the comments and line breaks around them
	 * are still copied).
	 */
	drop(pos: number, end: number, what: string): void {
		if (end > pos)
			this.droppable.push({ pos, end, what });
	}

	/** Raw source text printed as it stands (a verbatim C block). */
	raw(c: string, pos: number, end: number): void {
		this.gap(pos);
		this.push(c);
		this.last = Math.max(this.last, end);
	}

	/** Position of the next token of the given kind at or after pos. */
	find(kind: ts.SyntaxKind, pos: number): { pos: number; end: number } {
		this.scanner.resetTokenState(pos);
		for (;;) {
			const k = this.scanner.scan();
			if (k === ts.SyntaxKind.EndOfFileToken)
				throw new PrinterError(pos, `expected '${ts.tokenToString(kind)}' before the end of the file`);
			if (k === kind)
				return { pos: this.scanner.getTokenStart(), end: this.scanner.getTokenEnd() };
			if (!isTrivia(k))
				throw new PrinterError(this.scanner.getTokenStart(), `unexpected '${this.scanner.getTokenText()}' where the C form needs '${ts.tokenToString(kind)}'`);
		}
	}

	private noComment(from: number, to: number, what: string): void {
		if (to <= from)
			return;
		this.scanner.resetTokenState(from);
		for (;;) {
			const k = this.scanner.scan();
			if (k === ts.SyntaxKind.EndOfFileToken || this.scanner.getTokenStart() >= to)
				return;
			if (k === ts.SyntaxKind.SingleLineCommentTrivia || k === ts.SyntaxKind.MultiLineCommentTrivia)
				throw new PrinterError(this.scanner.getTokenStart(), `comment inside ${what}, which has no C counterpart here: the comment would be lost (move it before or after)`);
			if (this.scanner.getTokenEnd() >= to)
				return;
		}
	}

	private isDroppable(pos: number, end: number): boolean {
		return this.droppable.some((r) => r.pos <= pos && end <= r.end);
	}

	/*
	 * The source text of [from, to) with its tokens dropped: lines that only
	 * held dropped tokens are removed, runs of blank lines that the removal
	 * creates are merged, trailing blanks left by dropped tokens trimmed.
	 * Each line it returns carries the source offset it was copied from
	 * (undefined for a line that lost tokens).
	 */
	private layout(from: number, to: number): { text: string; lines: { text: string; src?: number }[] } {
		const MARK = '\u0000';
		let s = '';
		/* For each character of s, its source offset. */
		const at: number[] = [];
		this.scanner.resetTokenState(from);
		while (this.scanner.getTokenEnd() < to) {
			const k = this.scanner.scan();
			if (k === ts.SyntaxKind.EndOfFileToken)
				break;
			const start = this.scanner.getTokenFullStart();
			const end = Math.min(this.scanner.getTokenEnd(), to);
			if (isTrivia(k)) {
				s += this.sf.text.slice(start, end);
				for (let i = start; i < end; i++)
					at.push(i);
				continue;
			}
			if (!this.isDroppable(start, end))
				throw new PrinterError(start, `'${this.scanner.getTokenText()}' has no C counterpart here and would be dropped from the C`);
			s += MARK;
			at.push(start);
		}
		const lines: { text: string; src?: number; marked: boolean }[] = [];
		let i0 = 0;
		for (const line of s.split('\n')) {
			const src = i0 < at.length ? at[i0] : to;
			lines.push({ text: line, src, marked: line.includes(MARK) });
			i0 += line.length + 1;
		}
		if (!s.includes(MARK))
			return { text: s, lines };
		const startsLine = from === 0 || this.sf.text[from - 1] === '\n';
		const kept: { text: string; src?: number }[] = [];
		lines.forEach((line, i) => {
			const bare = line.text.split(MARK).join('');
			/* The first line continues the previous token's line (unless the gap starts a line): keep it. */
			if (line.marked && bare.trim() === '' && (i > 0 || startsLine) && i < lines.length - 1)
				return;
			if (line.marked && i < lines.length - 1) {
				kept.push({ text: bare.replace(/[ \t]+$/, '') });
				return;
			}
			kept.push(line.marked ? { text: bare } : line);
		});
		/* Dropped lines must not leave two blank lines where there was one. */
		const merged: { text: string; src?: number }[] = [];
		kept.forEach((line, i) => {
			const blank = line.text.trim() === '' && i < kept.length - 1;
			if (blank && merged.length > 1 && merged[merged.length - 1].text.trim() === '')
				return;
			merged.push(line);
		});
		return { text: merged.map((l) => l.text).join('\n'), lines: merged };
	}
}

function isTrivia(k: ts.SyntaxKind): boolean {
	return k === ts.SyntaxKind.WhitespaceTrivia || k === ts.SyntaxKind.NewLineTrivia ||
		k === ts.SyntaxKind.SingleLineCommentTrivia || k === ts.SyntaxKind.MultiLineCommentTrivia ||
		k === ts.SyntaxKind.ShebangTrivia || k === ts.SyntaxKind.ConflictMarkerTrivia;
}

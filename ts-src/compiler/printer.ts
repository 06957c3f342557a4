/*
 * The printer writes C tokens and carries the model's layout over to them.
 *
 * Each C token is either tied to a position in the TypeScript source or
 * synthesised.  Before a tied token the printer copies the source text
 * between the last consumed position and the token: its whitespace and
 * comments are kept as they are, and TypeScript tokens in it that have no C
 * counterpart (":", "let", a type annotation, "out: {") are dropped.  A line
 * that held nothing but dropped tokens disappears entirely, so the model can
 * be written line for line like the kernel and print the kernel's lines.
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

	constructor(readonly sf: ts.SourceFile) {
		this.scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, sf.text);
	}

	text(): string {
		return this.out.join('');
	}

	/** Emit the layout of the source before pos, then consume up to pos. */
	gap(pos: number): void {
		if (pos > this.last)
			this.out.push(this.layout(this.last, pos));
		this.last = Math.max(this.last, pos);
	}

	/** A C token tied to the source range [pos, end). */
	tok(c: string, pos: number, end: number): void {
		this.gap(pos);
		this.out.push(c);
		this.last = Math.max(this.last, end);
	}

	/** A synthesised C token. */
	syn(c: string): void {
		this.out.push(c);
	}

	/** Skip source text up to end without printing it (dropped tokens). */
	skip(end: number): void {
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

	/*
	 * The source text of [from, to) with its tokens dropped: lines that only
	 * held dropped tokens are removed, runs of blank lines that the removal
	 * creates are merged, trailing blanks left by dropped tokens trimmed.
	 */
	private layout(from: number, to: number): string {
		const MARK = '\u0000';
		let s = '';
		this.scanner.resetTokenState(from);
		while (this.scanner.getTokenEnd() < to) {
			const k = this.scanner.scan();
			if (k === ts.SyntaxKind.EndOfFileToken)
				break;
			const start = this.scanner.getTokenFullStart();
			const end = Math.min(this.scanner.getTokenEnd(), to);
			s += isTrivia(k) ? this.sf.text.slice(start, end) : MARK;
		}
		if (!s.includes(MARK))
			return s;
		const lines = s.split('\n');
		const kept: string[] = [];
		lines.forEach((line, i) => {
			const marked = line.includes(MARK);
			const bare = line.split(MARK).join('');
			/* The first line continues the previous token's line: keep it. */
			if (marked && bare.trim() === '' && i > 0 && i < lines.length - 1)
				return;
			if (marked && i < lines.length - 1) {
				kept.push(bare.replace(/[ \t]+$/, ''));
				return;
			}
			kept.push(bare);
		});
		/* Dropped lines must not leave two blank lines where there was one. */
		const merged: string[] = [];
		kept.forEach((line, i) => {
			const blank = line.trim() === '' && i < kept.length - 1;
			if (blank && merged.length > 1 && merged[merged.length - 1].trim() === '')
				return;
			merged.push(line);
		});
		return merged.join('\n');
	}
}

function isTrivia(k: ts.SyntaxKind): boolean {
	return k === ts.SyntaxKind.WhitespaceTrivia || k === ts.SyntaxKind.NewLineTrivia ||
		k === ts.SyntaxKind.SingleLineCommentTrivia || k === ts.SyntaxKind.MultiLineCommentTrivia ||
		k === ts.SyntaxKind.ShebangTrivia || k === ts.SyntaxKind.ConflictMarkerTrivia;
}

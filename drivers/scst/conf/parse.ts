/**
 * scst.conf reader with scstadmin's lexical rules (reference/scst-sysfs.md §6.1): a `#` at the
 * start of a line comments it out; elsewhere an unescaped `#` and the character before it start
 * a comment; `\x` escapes any character; `{` opens a section headed by the tokens before it on
 * that line; `}` closes it; double quotes keep spaces inside a token; tokens after the third
 * are dropped, as scstadmin does.
 */
import { SanformError } from '../../../reconciler/core/errors.js';

export interface ConfEntry {
  /** 1 to 3 tokens: `K`, `K V`, `K V1 V2`. */
  tokens: string[];
  children?: ConfEntry[];
  line: number;
}

export class ConfSyntaxError extends SanformError<'SCST_CONF_SYNTAX', { line: number; file: string }> {
  constructor(
    line: number,
    readonly detail: string,
    hint?: string,
    file = 'scst.conf',
  ) {
    super('SCST_CONF_SYNTAX', `${file}:${line}: ${detail}`, { data: { line, file }, hint });
  }

  /** The same error, located in the file it was read from. */
  inFile(file: string): ConfSyntaxError {
    return new ConfSyntaxError(this.data.line, this.detail, this.hint, file);
  }
}

/**
 * Removes a comment the way scstadmin does: a line whose first character is `#` goes whole;
 * elsewhere the first `#` not preceded by a backslash ends the line, together with the
 * character before it.
 */
export function stripComment(line: string): string {
  if (line.startsWith('#')) return '';
  for (let i = 1; i < line.length; i++) {
    if (line[i] === '#' && line[i - 1] !== '\\') return line.slice(0, i - 1);
  }
  return line;
}

/** scstadmin drops every backslash before the character it escapes, before reading any structure. */
const unescape = (line: string): string => line.replace(/\\(.)/g, '$1');

/** A token: double-quoted at its start (the quotes removed, spaces kept), or a run of non-blanks. */
const TOKEN = /"([^"]*)"|(\S+)/g;

/** Splits one line into tokens as scstadmin does; tokens after the third are dropped. */
function tokensOf(text: string, line: number): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const tok = m[1] ?? m[2]!;
    if (m[1] === undefined && tok.startsWith('"')) throw new ConfSyntaxError(line, `unterminated double quote in '${text.trim()}'`, 'close the quote on the same line');
    out.push(tok);
  }
  return out.slice(0, 3);
}

interface Frame {
  entries: ConfEntry[];
  line: number;
}

/**
 * Reads a scst.conf as scstadmin does (reference §6.1): comments, then escapes, are removed line
 * by line; the text is then read character by character, `{` opening a section headed by the
 * line so far, `}` closing it, a newline ending a plain line. Quotes keep spaces inside a token
 * but not braces. Where scstadmin would silently lose what the file says (text before a `}` on
 * its line), this is an error instead.
 */
export function parseConf(text: string): ConfEntry[] {
  if (/^\s*\[(HANDLER|GROUP|ASSIGNMENT)\b/m.test(text)) {
    throw new ConfSyntaxError(1, 'this is the old procfs scst.conf format', 'convert it with scstadmin first');
  }
  const stack: Frame[] = [{ entries: [], line: 0 }];
  const lines = text.split('\n');
  let pending = '';
  let pendingLine = 1;
  const push = (entry: Omit<ConfEntry, 'tokens'>, tokens: string[]): void => {
    if (tokens.length > 0) stack[stack.length - 1]!.entries.push({ tokens, ...entry });
  };
  for (let n = 0; n < lines.length; n++) {
    const line = unescape(stripComment(lines[n]!));
    for (const ch of line) {
      if (ch === '{') {
        const children: ConfEntry[] = [];
        push({ line: pendingLine, children }, tokensOf(pending, pendingLine));
        stack.push({ entries: children, line: n + 1 });
        pending = '';
      } else if (ch === '}') {
        if (pending.trim() !== '') {
          throw new ConfSyntaxError(n + 1, `'${pending.trim()}' stands before '}' on one line: scstadmin ignores it`, "put '}' on a line of its own");
        }
        if (stack.length === 1) throw new ConfSyntaxError(n + 1, "unbalanced '}'");
        stack.pop();
        pending = '';
      } else {
        if (pending.trim() === '') pendingLine = n + 1;
        pending += ch;
      }
    }
    push({ line: pendingLine }, tokensOf(pending, pendingLine));
    pending = '';
  }
  if (stack.length > 1) throw new ConfSyntaxError(stack[stack.length - 1]!.line, "section not closed with '}'");
  return stack[0]!.entries;
}

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

/** removes comments the way scstadmin does; escaped `#` survives. */
export function stripComment(line: string): string {
  if (line.trimStart().startsWith('#')) return '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '#') return line.slice(0, Math.max(0, i - 1));
  }
  return line;
}

interface Frame {
  entries: ConfEntry[];
  line: number;
}

export function parseConf(text: string): ConfEntry[] {
  if (/^\s*\[(HANDLER|GROUP|ASSIGNMENT)\b/m.test(text)) {
    throw new ConfSyntaxError(1, 'this is the old procfs scst.conf format', 'convert it with scstadmin first');
  }
  const stack: Frame[] = [{ entries: [], line: 0 }];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = stripComment(lines[n]);
    let tokens: string[] = [];
    let cur: string | undefined;
    let quoted = false;
    const endToken = (): void => {
      if (cur !== undefined) tokens.push(cur);
      cur = undefined;
    };
    const endLine = (children?: ConfEntry[]): void => {
      endToken();
      if (tokens.length > 0) stack[stack.length - 1].entries.push({ tokens: tokens.slice(0, 3), line: n + 1, ...(children ? { children } : {}) });
      tokens = [];
    };
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (ch === '\\' && i + 1 < line.length) {
        cur = (cur ?? '') + line[++i];
      } else if (ch === '"') {
        quoted = !quoted;
        cur = cur ?? '';
      } else if (quoted) {
        cur = (cur ?? '') + ch;
      } else if (ch === '{') {
        const children: ConfEntry[] = [];
        endLine(children);
        stack.push({ entries: children, line: n + 1 });
      } else if (ch === '}') {
        endLine();
        if (stack.length === 1) throw new ConfSyntaxError(n + 1, "unbalanced '}'");
        stack.pop();
      } else if (/\s/.test(ch)) {
        endToken();
      } else {
        cur = (cur ?? '') + ch;
      }
    }
    if (quoted) throw new ConfSyntaxError(n + 1, 'unterminated double quote');
    endLine();
  }
  if (stack.length > 1) throw new ConfSyntaxError(stack[stack.length - 1].line, "section not closed with '}'");
  return stack[0].entries;
}

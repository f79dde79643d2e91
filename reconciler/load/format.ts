/** Text rendering of diagnostics: `file:line:col: error CODE: message`, then an indented hint. */
import type { Diagnostic } from './types.js';

/** One diagnostic as editors, CI logs and git hooks expect it (line/col omitted when unknown). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file || '<input>';
  const at = d.path && !d.message.includes(d.path) ? ` (at ${d.path})` : '';
  const head = `${where}: ${d.severity} ${d.code}: ${d.message}${at}`;
  return d.hint ? `${head}\n    hint: ${d.hint}` : head;
}

/** Count line: `2 errors, 1 warning`. */
export function summarizeDiagnostics(ds: readonly Diagnostic[]): string {
  const e = ds.filter((d) => d.severity === 'error').length;
  const w = ds.length - e;
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`;
}

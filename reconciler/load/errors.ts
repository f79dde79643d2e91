/**
 * Errors the loader's callers throw. The loader itself never throws: it returns diagnostics
 * (each with a stable code, see `DiagnosticCode`). Code that needs a model or nothing uses
 * `requireModel`, which turns an invalid result into one coded error carrying every diagnostic.
 */
import type { SanformModel } from '../../schema/model.js';
import { SanformError } from '../core/errors.js';
import { formatDiagnostic } from './format.js';
import type { Diagnostic, LoadResult, SourceIndex } from './types.js';

/** The desired state did not validate; `data.diagnostics` holds every finding. */
export class ConfigInvalidError extends SanformError<'CONFIG_INVALID', { files: string[]; diagnostics: Diagnostic[] }> {
  constructor(files: string[], diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super('CONFIG_INVALID', `desired state is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${errors.map(formatDiagnostic).join('\n')}`, {
      data: { files, diagnostics },
      hint: 'run `sanform validate` for every finding with its position',
    });
  }
}

/** The model of a successful load; throws ConfigInvalidError otherwise. */
export function requireModel(r: LoadResult): { model: SanformModel; sources: SourceIndex; warnings: Diagnostic[] } {
  if (!r.ok) throw new ConfigInvalidError(r.files, r.diagnostics);
  return { model: r.model, sources: r.sources, warnings: r.diagnostics };
}

/**
 * The loader's two entry points: from the file system (a file or a directory of YAML files) and
 * from in-memory texts (pure; git hooks read blobs and call this). Both return every diagnostic.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SanformModel } from '../../schema/model.js';
import { mergeFiles } from './merge.js';
import { mergeLayers } from './overlay.js';
import { parseFile, type ParsedFile } from './parse.js';
import type { Diagnostic, LoadResult, SourceText } from './types.js';
import { validateMerged } from './validate.js';

const isYaml = (name: string): boolean => name.endsWith('.yaml') || name.endsWith('.yml');
const byPosition = (a: Diagnostic, b: Diagnostic): number =>
  a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code);

/** Parses, merges and validates texts; no I/O. Files merge in the order given. */
export function loadDesiredTexts(files: SourceText[]): LoadResult {
  const names = files.map((f) => f.file);
  if (files.length === 0) {
    return { ok: false, files: names, diagnostics: [fileDiag({ file: '', code: 'NO_CONFIG_FILES', message: 'no YAML files to load', hint: 'pass a .yaml file or a directory holding some' })] };
  }
  const parsed = files.map((f) => parseFile(f.file, f.text));
  const diagnostics = parsed.flatMap((p) => p.diagnostics);
  if (parsed.some((p) => p.value === undefined)) {
    return { ok: false, files: names, diagnostics: diagnostics.sort(byPosition) };
  }
  const merged = layered(files) ? mergeLayers(byLayer(files, parsed)) : mergeFiles(parsed);
  diagnostics.push(...merged.diagnostics);
  const checked = validateMerged(merged.value, merged.index);
  diagnostics.push(...checked.diagnostics);
  diagnostics.sort(byPosition);
  if (diagnostics.some((d) => d.severity === 'error') || !checked.model) {
    return { ok: false, files: names, diagnostics };
  }
  return { ok: true, model: checked.model as SanformModel, diagnostics, sources: merged.index, files: names };
}

const layered = (files: SourceText[]): boolean => files.some((f) => (f.layer ?? 0) !== (files[0].layer ?? 0));

/** Parsed files grouped by layer, lowest first, each group in the order given. */
function byLayer(files: SourceText[], parsed: ParsedFile[]): ParsedFile[][] {
  const layers = [...new Set(files.map((f) => f.layer ?? 0))].sort((a, b) => a - b);
  return layers.map((l) => parsed.filter((_, i) => (files[i].layer ?? 0) === l));
}

/** Loads `path`: one YAML file, or every *.yaml / *.yml under a directory (sorted, dot-entries skipped). */
export async function loadDesired(path: string): Promise<LoadResult> {
  let files: string[];
  try {
    files = (await stat(path)).isDirectory() ? await yamlFilesUnder(path) : [path];
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE';
    return { ok: false, files: [path], diagnostics: [fileDiag({ file: path, code, message: `cannot read ${path}: ${(e as Error).message}`, hint: 'pass the desired-state file or directory with -c' })] };
  }
  const texts: SourceText[] = [];
  for (const file of files) {
    try {
      texts.push({ file, text: await readFile(file, 'utf8') });
    } catch (e) {
      return { ok: false, files, diagnostics: [fileDiag({ file, code: 'FILE_UNREADABLE', message: `cannot read ${file}: ${(e as Error).message}`, hint: 'check the file permissions' })] };
    }
  }
  if (texts.length === 0) {
    return { ok: false, files, diagnostics: [fileDiag({ file: path, code: 'NO_CONFIG_FILES', message: `no *.yaml or *.yml files under ${path}`, hint: 'put sanform.yaml (or several .yaml files) in the directory' })] };
  }
  return loadDesiredTexts(texts);
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFilesUnder(p)));
    else if (isYaml(e.name)) out.push(p);
  }
  return out;
}

function fileDiag({ file, code, message, hint }: { file: string; code: Diagnostic['code']; message: string; hint: string }): Diagnostic {
  return { file, line: 0, col: 0, path: '', code, severity: 'error', message, hint };
}

/**
 * The loader's two entry points: from the file system (a file or a directory of YAML files) and
 * from in-memory texts (pure; git hooks read blobs and call this). Both return every diagnostic.
 */
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
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
  const large = files.filter((f) => f.text.length > MAX_CONFIG_BYTES / 4 && Buffer.byteLength(f.text) > MAX_CONFIG_BYTES);
  if (large.length > 0) return { ok: false, files: names, diagnostics: large.map((f) => tooLarge(f.file)) };
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
    const r = await readBounded(file);
    if (typeof r !== 'string') return { ok: false, files, diagnostics: [r] };
    texts.push({ file, text: r });
  }
  if (texts.length === 0) {
    return { ok: false, files, diagnostics: [fileDiag({ file: path, code: 'NO_CONFIG_FILES', message: `no *.yaml or *.yml files under ${path}`, hint: 'put sanform.yaml (or several .yaml files) in the directory' })] };
  }
  return loadDesiredTexts(texts);
}

/** A desired-state file may hold at most this many bytes (the 1,000-device reference is 416 KiB). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

const tooLarge = (file: string): Diagnostic =>
  fileDiag({ file, code: 'FILE_TOO_LARGE', message: `${file} is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB; it is not read`, hint: 'split the configuration into several files of a directory' });

/**
 * Reads one file: only a regular file (a device such as /dev/zero, a FIFO or a socket is refused
 * without reading; O_NONBLOCK keeps a FIFO's open from waiting), at most MAX_CONFIG_BYTES.
 */
async function readBounded(file: string): Promise<string | Diagnostic> {
  const unreadable = (e: unknown): Diagnostic =>
    fileDiag({ file, code: 'FILE_UNREADABLE', message: `cannot read ${file}: ${(e as Error).message}`, hint: 'check the file permissions' });
  let fh;
  try {
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return unreadable(e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      return fileDiag({ file, code: 'FILE_NOT_REGULAR', message: `${file} is not a regular file (a device, FIFO or socket); it is not read`, hint: 'pass a .yaml file or a directory of them' });
    }
    if (st.size > MAX_CONFIG_BYTES) return tooLarge(file);
    const buf = Buffer.alloc(Math.min(st.size, MAX_CONFIG_BYTES) + 1);
    let n = 0;
    for (let r; n < buf.length && (r = await fh.read(buf, n, buf.length - n, n)).bytesRead > 0; ) n += r.bytesRead;
    if (n > st.size) return unreadable(new Error('it grew while it was read'));
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    return unreadable(e);
  } finally {
    await fh.close();
  }
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

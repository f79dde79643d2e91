/**
 * The files `sanform import` reads and writes, with coded errors naming the path. Writing is all
 * or nothing: every target is checked first (an existing file with other content is refused
 * unless `force`), then each is written to a temporary file beside it, and only when all of them
 * are written are they renamed into place. A failure removes the temporary files, the files this
 * call renamed into place that did not exist before, and the directories it created. (A file
 * overwritten with `force` before a later rename failed is not restored; renames within one
 * directory do not fail in practice once the temporary file is written.)
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SanformError } from '../../reconciler/core/errors.js';

/** An output file already exists with other content, and overwriting was not allowed. */
export class ImportWouldOverwriteError extends SanformError<'IMPORT_WOULD_OVERWRITE', { paths: string[] }> {
  constructor(paths: string[]) {
    super('IMPORT_WOULD_OVERWRITE', `refusing to overwrite ${paths.length === 1 ? 'an existing file' : `${paths.length} existing files`}: ${paths.join(', ')}; nothing was written`, {
      data: { paths },
      hint: 'pass --force to replace what is there, or choose another --out / --secrets-dir',
    });
  }
}

/** Reading the input or writing an output failed at the file system (errno in `data`). */
export class ImportIoError extends SanformError<'IMPORT_READ_FAILED' | 'IMPORT_WRITE_FAILED', { path: string; errno?: string }> {}

const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** Reads a text input (an scst.conf) or raises IMPORT_READ_FAILED naming it. */
export async function readInput(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const errno = errnoOf(e);
    throw new ImportIoError('IMPORT_READ_FAILED', `cannot read ${path}: ${errno === 'ENOENT' ? 'no such file' : (errno ?? String(e))}`, {
      data: { path, errno },
      hint: 'check the path given to --from-scst-conf',
      cause: e,
    });
  }
}

/** One file to write: absolute path, full content, file mode; `dirMode` for directories made. */
export interface OutputFile {
  path: string;
  content: string;
  mode: number;
  dirMode?: number;
}

export type OutputStatus = 'written' | 'unchanged';

/** What happened to each file, in the order given. */
export interface OutputResult {
  path: string;
  status: OutputStatus;
}

type Existing = 'absent' | 'same' | 'different';

/** Whether `f.path` exists and holds `f.content`; a path that is not a regular file is an error. */
async function existing(f: OutputFile): Promise<Existing> {
  try {
    if (!(await stat(f.path)).isFile()) throw writeError(f.path, 'EISDIR');
    return (await readFile(f.path, 'utf8')) === f.content ? 'same' : 'different';
  } catch (e) {
    if (e instanceof ImportIoError) throw e;
    // ENOTDIR: a parent is not a directory; the write step reports it precisely
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return 'absent';
    // unreadable: treat as other content (refused without force, replaced with it)
    return 'different';
  }
}

const writeError = (path: string, errno: string | undefined, cause?: unknown): ImportIoError =>
  new ImportIoError('IMPORT_WRITE_FAILED', `cannot write ${path}: ${errno ?? String(cause)}; nothing was written`, {
    data: { path, errno },
    hint: errno === 'EISDIR' ? 'the path is a directory: name a file' : 'check that the directory can be created and written',
    cause,
  });

/**
 * Writes every file or none (see the module comment). Files whose current content is already
 * the wanted one are left alone ('unchanged'), so importing twice into the same place works.
 */
export async function writeAllOrNothing(files: readonly OutputFile[], opts: { force: boolean }): Promise<OutputResult[]> {
  const states = await Promise.all(files.map(existing));
  const refused = files.filter((_, i) => states[i] === 'different').map((f) => f.path);
  if (refused.length > 0 && !opts.force) throw new ImportWouldOverwriteError(refused);
  const todo = files.filter((_, i) => states[i] !== 'same');
  const made: string[] = [];
  const temps: { file: OutputFile; tmp: string; isNew: boolean }[] = [];
  const renamed: string[] = [];
  let at = '';
  try {
    for (const f of todo) {
      at = dirname(f.path);
      const first = await mkdir(at, { recursive: true, mode: f.dirMode });
      if (first) made.push(first);
      at = f.path;
      const tmp = join(dirname(f.path), `.${basename(f.path)}.sanform-${process.pid}-${randomBytes(4).toString('hex')}`);
      temps.push({ file: f, tmp, isNew: states[files.indexOf(f)] === 'absent' });
      await writeFile(tmp, f.content, { mode: f.mode, flag: 'wx' });
      await chmod(tmp, f.mode); // writeFile's mode passes through the umask: set it exactly
    }
    for (const t of temps) {
      at = t.file.path;
      await rename(t.tmp, t.file.path);
      if (t.isNew) renamed.push(t.file.path);
    }
  } catch (e) {
    await undo({ temps: temps.map((t) => t.tmp), renamed, made });
    throw writeError(at, errnoOf(e), e);
  }
  const written = new Set(todo);
  return files.map((f) => ({ path: f.path, status: written.has(f) ? 'written' : 'unchanged' }));
}

/** Best-effort cleanup after a failed write; the original error is the one reported. */
async function undo(o: { temps: string[]; renamed: string[]; made: string[] }): Promise<void> {
  for (const p of [...o.temps, ...o.renamed]) await unlink(p).catch(() => undefined);
  for (const d of o.made.reverse()) await rm(d, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Writes an SCST tree as plain files, directories and relative symlinks: a snapshot that any
 * program can read as if it were /sys/kernel/scst_tgt (benchmarks, debugging, `--host local:DIR`).
 * Works from any Host: one readTree call, so a SimHost answers it in one emulator operation.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { SanformError } from '../../reconciler/core/errors.js';
import { SCST_ROOT, type Host, type TreeEntry } from '../../reconciler/host/host.js';

export class MaterializeError extends SanformError<'MATERIALIZE_TARGET_NOT_EMPTY', { dir: string }> {}

export interface MaterializeResult {
  dirs: number;
  files: number;
  links: number;
  /** files that could not be read (write-only attributes...): written empty, with their mode. */
  unreadable: string[];
}

/** A link target made relative to the link's directory (SCST's are already relative). */
function relativeTarget(entry: TreeEntry): string {
  const t = entry.target ?? '';
  if (!isAbsolute(t)) return t;
  const inside = t === SCST_ROOT ? '' : t.startsWith(`${SCST_ROOT}/`) ? t.slice(SCST_ROOT.length + 1) : undefined;
  if (inside === undefined) return t; // points outside the tree: kept as the kernel shows it
  return posix.relative(posix.dirname(entry.path), inside) || '.';
}

/**
 * Writes `host`'s tree under `root` (default the SCST root) into `outDir`, which must be absent or
 * empty. Modes are preserved; directory modes are applied last so read-only ones do not block.
 */
export async function materialize(host: Host, outDir: string, opts: { root?: string } = {}): Promise<MaterializeResult> {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw new MaterializeError('MATERIALIZE_TARGET_NOT_EMPTY', `${outDir} is not empty`, { data: { dir: outDir }, hint: 'use an empty or new directory' });
  }
  const entries = await host.sysfs.readTree(opts.root ?? SCST_ROOT);
  const res: MaterializeResult = { dirs: 0, files: 0, links: 0, unreadable: [] };
  const dirModes: Array<[string, number]> = [];
  mkdirSync(outDir, { recursive: true });
  for (const e of entries) {
    const out = e.path === '' ? outDir : join(outDir, e.path);
    if (e.type === 'dir') {
      if (e.path !== '') mkdirSync(out);
      dirModes.push([out, e.mode ?? 0o755]);
      res.dirs++;
    } else if (e.type === 'link') {
      symlinkSync(relativeTarget(e), out);
      res.links++;
    } else {
      writeFileSync(out, e.content ?? '');
      chmodSync(out, e.mode ?? 0o644);
      if (e.error) res.unreadable.push(e.path);
      res.files++;
    }
  }
  for (const [d, mode] of dirModes.reverse()) chmodSync(d, mode);
  return res;
}

/**
 * Positions of YAML paths: each parsed file records where every key and value sits, and the
 * merged index answers `lookup(path)` for diagnostics and for resources' `meta.source`.
 */
import type { SourceRef } from '../core/resource.js';
import type { SourceIndex } from './types.js';

export type PathSeg = string | number;
export interface Pos {
  line: number;
  col: number;
}
/** Where one path was written: its key (map entries) and its value. */
export interface PathEntry {
  file: string;
  key?: Pos;
  value: Pos;
}

const SEP = '\u0000';
export const pathKey = (path: readonly PathSeg[]): string => path.map(String).join(SEP);

/** Dotted display form: `scst.devices.d1`, list items `alerts[0]`, odd keys quoted `["iqn.a"]`. */
export function formatPath(path: readonly PathSeg[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_:@+-]+$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

const strip = ({ file, key, value }: PathEntry): PathEntry => (key ? { file, key, value } : { file, value });

/** A map of path -> entry; the first writer of a path wins (as in the merge). */
export class PathIndex implements SourceIndex {
  readonly #entries = new Map<string, PathEntry & { path: readonly PathSeg[] }>();

  add(path: readonly PathSeg[], entry: PathEntry): void {
    const k = pathKey(path);
    if (!this.#entries.has(k)) this.#entries.set(k, { ...entry, path });
  }

  /** The entry of `path`, or of its nearest recorded ancestor. */
  entry(path: readonly PathSeg[]): PathEntry | undefined {
    for (let n = path.length; n >= 0; n--) {
      const e = this.#entries.get(pathKey(path.slice(0, n)));
      if (e) return strip(e);
    }
    return undefined;
  }

  /** Exact entry of `path` only. */
  exact(path: readonly PathSeg[]): PathEntry | undefined {
    const e = this.#entries.get(pathKey(path));
    return e && strip(e);
  }

  /** Position to report: the key for `at: 'key'` (default), the value for `at: 'value'`. */
  locate(path: readonly PathSeg[], at: 'key' | 'value' = 'key'): { file: string } & Pos {
    const exact = this.#entries.get(pathKey(path));
    const e = exact ?? this.entry(path);
    if (!e) return { file: '', line: 0, col: 0 };
    const pos = at === 'value' && exact ? e.value : (e.key ?? e.value);
    return { file: e.file, ...pos };
  }

  lookup(path: readonly PathSeg[]): SourceRef | undefined {
    const e = this.entry(path);
    if (!e) return undefined;
    const pos = e.key ?? e.value;
    return { file: e.file, line: pos.line, col: pos.col, path: formatPath(path) };
  }

  /** Every recorded path with its entry, in insertion order. */
  *paths(): IterableIterator<[readonly PathSeg[], PathEntry]> {
    for (const e of this.#entries.values()) yield [e.path, strip(e)];
  }
}

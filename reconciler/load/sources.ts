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

/** Id of the root path `[]` in every index. */
export const ROOT = 0;
/** Int32 slots per path: file id + 1 (0: nothing recorded), key line, key col (line 0: no key), value line, value col. */
const SLOTS = 5;

/**
 * A map of path -> entry; the first writer of a path wins (as in the merge). Paths form a tree
 * of numeric ids (a parent and a last segment each) with positions packed in an Int32Array: the
 * reference configuration's ~35,000 positions take a few MiB instead of one path array, two
 * position objects and a joined key string each.
 */
export class PathIndex implements SourceIndex {
  readonly #files: string[] = [];
  readonly #segs: PathSeg[] = [''];
  readonly #ids = new Map<string, number>();
  /** ids that hold an entry, in the order they were recorded. */
  readonly #order: number[] = [];
  #parent = new Int32Array(256).fill(-1, 0, 1);
  #pos = new Int32Array(256 * SLOTS);

  /** Records `entry` for `path` unless it has one. */
  add(path: readonly PathSeg[], entry: PathEntry): void {
    let id = ROOT;
    for (const seg of path) id = this.#child(id, seg, true);
    this.#record(id, entry);
  }

  /** Records `entry` for the child `seg` of the path `parent` (an id); returns the child's id. */
  addChild(parent: number, seg: PathSeg, entry: PathEntry): number {
    const id = this.#child(parent, seg, true);
    this.#record(id, entry);
    return id;
  }

  /** The entry of `path`, or of its nearest recorded ancestor. */
  entry(path: readonly PathSeg[]): PathEntry | undefined {
    const id = this.#nearest(path).recorded;
    return id < 0 ? undefined : this.#entryOf(id);
  }

  /** Exact entry of `path` only. */
  exact(path: readonly PathSeg[]): PathEntry | undefined {
    const id = this.#find(path);
    return id < 0 || !this.#has(id) ? undefined : this.#entryOf(id);
  }

  /** Position to report: the key for `at: 'key'` (default), the value for `at: 'value'`. */
  locate(path: readonly PathSeg[], at: 'key' | 'value' = 'key'): { file: string } & Pos {
    const { recorded, exact } = this.#nearest(path);
    return recorded < 0 ? { file: '', line: 0, col: 0 } : this.locateId(recorded, exact && at === 'value' ? 'value' : 'key');
  }

  /** `locate` for an id known to hold an entry (the walk of parse.ts). */
  locateId(id: number, at: 'key' | 'value'): { file: string } & Pos {
    const b = id * SLOTS;
    const p = this.#pos;
    const file = this.#files[p[b] - 1] ?? '';
    return at === 'key' && p[b + 1] > 0 ? { file, line: p[b + 1], col: p[b + 2] } : { file, line: p[b + 3], col: p[b + 4] };
  }

  lookup(path: readonly PathSeg[]): SourceRef | undefined {
    const id = this.#nearest(path).recorded;
    if (id < 0) return undefined;
    const { file, line, col } = this.locateId(id, 'key');
    return { file, line, col, path: formatPath(path) };
  }

  /** The path of an id. */
  pathOf(id: number): PathSeg[] {
    const out: PathSeg[] = [];
    for (let i = id; i > ROOT; i = this.#parent[i]) out.push(this.#segs[i]);
    return out.reverse();
  }

  /** Every recorded path with its entry, in insertion order. */
  *paths(): IterableIterator<[readonly PathSeg[], PathEntry]> {
    for (const id of this.#order) yield [this.pathOf(id), this.#entryOf(id)];
  }

  #has(id: number): boolean {
    return this.#pos[id * SLOTS] > 0;
  }

  #entryOf(id: number): PathEntry {
    const b = id * SLOTS;
    const p = this.#pos;
    const file = this.#files[p[b] - 1];
    const value = { line: p[b + 3], col: p[b + 4] };
    return p[b + 1] > 0 ? { file, key: { line: p[b + 1], col: p[b + 2] }, value } : { file, value };
  }

  #record(id: number, { file, key, value }: PathEntry): void {
    if (this.#has(id)) return;
    let f = this.#files.lastIndexOf(file);
    if (f < 0) f = this.#files.push(file) - 1;
    const b = id * SLOTS;
    const p = this.#pos;
    p[b] = f + 1;
    p[b + 1] = key?.line ?? 0;
    p[b + 2] = key?.col ?? 0;
    p[b + 3] = value.line;
    p[b + 4] = value.col;
    this.#order.push(id);
  }

  /** The id of `path`, or -1. */
  #find(path: readonly PathSeg[]): number {
    let id = ROOT;
    for (const seg of path) {
      id = this.#child(id, seg, false);
      if (id < 0) return -1;
    }
    return id;
  }

  /** The deepest recorded id on `path` (-1: none), and whether it is `path` itself. */
  #nearest(path: readonly PathSeg[]): { recorded: number; exact: boolean } {
    let id = ROOT;
    let recorded = this.#has(ROOT) ? ROOT : -1;
    let depth = 0;
    for (const seg of path) {
      id = this.#child(id, seg, false);
      if (id < 0) break;
      depth++;
      if (this.#has(id)) recorded = id;
    }
    return { recorded, exact: id >= 0 && depth === path.length && recorded === id };
  }

  #child(parent: number, seg: PathSeg, create: boolean): number {
    const k = `${parent}${SEP}${String(seg)}`;
    const known = this.#ids.get(k);
    if (known !== undefined || !create) return known ?? -1;
    const id = this.#segs.push(seg) - 1;
    if (id >= this.#parent.length) this.#grow();
    this.#parent[id] = parent;
    this.#ids.set(k, id);
    return id;
  }

  #grow(): void {
    const parent = new Int32Array(this.#parent.length * 2);
    parent.set(this.#parent);
    const pos = new Int32Array(this.#pos.length * 2);
    pos.set(this.#pos);
    this.#parent = parent;
    this.#pos = pos;
  }
}

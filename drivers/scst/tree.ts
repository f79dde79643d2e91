/**
 * An index over one `readTree` result: children of a directory, a file's value and key mark,
 * a link's target. Observing reads the kernel once and then only looks things up here.
 *
 * Built for 100k entries: only directories are indexed by path; each keeps its children's
 * entries (no lookup per child to learn its type), names are cut from the paths only for
 * directories that are listed or searched, and a readTree result in pre-order (what every host
 * gives) finds each parent without a map lookup.
 */
import type { TreeEntry } from '../../reconciler/host/host.js';
import { parseSysfsValue } from './values.js';

interface Dir {
  /** the directory's path followed by `/` ('' for the root): cut from children's paths. */
  prefix: number;
  kids: TreeEntry[];
  /** kids' names, in the same order; set (and both sorted by name) on first listing. */
  names?: string[];
  /** name -> entry, for a big directory searched by name. */
  byName?: Map<string, TreeEntry>;
}

/** a directory with more children than this is searched through a map, not a scan. */
const SCAN_MAX = 12;

export class Tree {
  private readonly dirs = new Map<string, Dir>();
  private root?: TreeEntry;

  constructor(list: readonly TreeEntry[]) {
    // the directories on the way to the last entry: in pre-order an entry's parent is among them
    const open: Array<{ path: string; dir: Dir }> = [];
    for (const e of list) {
      const path = e.path;
      if (path === '') {
        this.root = e;
        if (e.type === 'dir') open.splice(0, open.length, { path, dir: this.dir(path) });
        continue;
      }
      const cut = path.lastIndexOf('/');
      const plen = cut < 0 ? 0 : cut;
      let top = open[open.length - 1];
      while (top && !(top.path.length === plen && path.startsWith(top.path))) {
        open.pop();
        top = open[open.length - 1];
      }
      if (!top) {
        // not in pre-order (or no entry for the parent): find the parent by its path
        const parent = cut < 0 ? '' : path.slice(0, cut);
        top = { path: parent, dir: this.dir(parent) };
        open.push(top);
      }
      top.dir.kids.push(e);
      if (e.type === 'dir') open.push({ path, dir: this.dir(path) });
    }
  }

  private dir(path: string): Dir {
    let d = this.dirs.get(path);
    if (!d) this.dirs.set(path, (d = { prefix: path === '' ? 0 : path.length + 1, kids: [] }));
    return d;
  }

  /** the directory with its children's names, sorted by name (done once per directory). */
  private listed(path: string): Required<Dir> | undefined {
    const d = this.dirs.get(path);
    if (!d) return undefined;
    if (!d.names) {
      const names = d.kids.map((e) => e.path.slice(d.prefix));
      let sorted = true;
      for (let i = 1; i < names.length && sorted; i++) sorted = names[i - 1] < names[i];
      if (!sorted) {
        const order = names.map((_, i) => i).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
        d.kids = order.map((i) => d.kids[i]);
        d.names = order.map((i) => names[i]);
      } else d.names = names;
    }
    return d as Required<Dir>;
  }

  get(path: string): TreeEntry | undefined {
    if (path === '') return this.root;
    const cut = path.lastIndexOf('/');
    const d = this.dirs.get(cut < 0 ? '' : path.slice(0, cut));
    if (!d) return undefined;
    if (d.kids.length <= SCAN_MAX) {
      for (const e of d.kids) if (e.path === path) return e;
      return undefined;
    }
    if (!d.byName) {
      const l = this.listed(cut < 0 ? '' : path.slice(0, cut))!;
      d.byName = new Map(l.names.map((n, i) => [n, l.kids[i]]));
    }
    return d.byName.get(cut < 0 ? path : path.slice(cut + 1));
  }

  has(path: string): boolean {
    return this.get(path) !== undefined;
  }

  /** names in a directory, sorted; `type` filters by entry type. */
  children(dir: string, type?: TreeEntry['type']): string[] {
    const d = this.listed(dir);
    if (!d) return [];
    if (!type) return d.names;
    const out: string[] = [];
    for (let i = 0; i < d.kids.length; i++) if (d.kids[i].type === type) out.push(d.names[i]);
    return out;
  }

  /** calls `fn` for each entry of a directory of the given type, in name order. */
  forEach(dir: string, type: TreeEntry['type'], fn: (name: string, entry: TreeEntry) => void): void {
    const d = this.listed(dir);
    if (!d) return;
    for (let i = 0; i < d.kids.length; i++) if (d.kids[i].type === type) fn(d.names[i], d.kids[i]);
  }

  /** first line and key mark of a readable file; undefined when absent or unreadable. */
  value(path: string): { value: string; key: boolean } | undefined {
    return fileValue(this.get(path));
  }

  /** last path segment of a symlink's target (`../../handlers/vdisk_fileio` -> `vdisk_fileio`). */
  linkName(path: string): string | undefined {
    const t = this.get(path)?.target;
    if (t === undefined) return undefined;
    let end = t.length;
    while (end > 0 && t.charCodeAt(end - 1) === 0x2f) end--;
    return t.slice(t.lastIndexOf('/', end - 1) + 1, end);
  }

  target(path: string): string | undefined {
    return this.get(path)?.target;
  }
}

/** first line and key mark of a file entry; undefined when it is not a file that was read. */
export function fileValue(e: TreeEntry | undefined): { value: string; key: boolean } | undefined {
  if (!e || e.type !== 'file' || e.content === undefined) return undefined;
  return parseSysfsValue(e.content);
}

export const join = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);

/**
 * An index over one `readTree` result: children of a directory, a file's value and key mark,
 * a link's target. Observing reads the kernel once and then only looks things up here.
 */
import type { TreeEntry } from '../../reconciler/host/host.js';
import { parseSysfsValue } from './values.js';

export class Tree {
  private readonly entries = new Map<string, TreeEntry>();
  private readonly kids = new Map<string, string[]>();

  constructor(list: TreeEntry[]) {
    for (const e of list) {
      this.entries.set(e.path, e);
      if (e.path === '') continue;
      const i = e.path.lastIndexOf('/');
      const parent = i < 0 ? '' : e.path.slice(0, i);
      const a = this.kids.get(parent);
      if (a) a.push(e.path.slice(i + 1));
      else this.kids.set(parent, [e.path.slice(i + 1)]);
    }
    for (const a of this.kids.values()) a.sort();
  }

  get(path: string): TreeEntry | undefined {
    return this.entries.get(path);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** names in a directory, sorted; `type` filters by entry type. */
  children(dir: string, type?: TreeEntry['type']): string[] {
    const names = this.kids.get(dir) ?? [];
    return type ? names.filter((n) => this.entries.get(join(dir, n))?.type === type) : names;
  }

  /** first line and key mark of a readable file; undefined when absent or unreadable. */
  value(path: string): { value: string; key: boolean } | undefined {
    const e = this.entries.get(path);
    if (!e || e.type !== 'file' || e.content === undefined) return undefined;
    return parseSysfsValue(e.content);
  }

  /** last path segment of a symlink's target (`../../handlers/vdisk_fileio` -> `vdisk_fileio`). */
  linkName(path: string): string | undefined {
    const t = this.entries.get(path)?.target;
    if (t === undefined) return undefined;
    const parts = t.replace(/\/+$/, '').split('/');
    return parts[parts.length - 1];
  }

  target(path: string): string | undefined {
    return this.entries.get(path)?.target;
  }
}

export const join = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);

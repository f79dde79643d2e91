/**
 * The file-system view is built on demand from the state: every directory is a DirNode that can
 * list its entries and look one up by name, files carry their read/write behaviour, links their
 * verbatim (relative) target. Nothing here is cached: the state is the only truth.
 */
import type { ScstState } from './state.js';

export interface FileNode {
  type: 'file';
  mode: number;
  read?: () => string;
  write?: (data: string) => void;
  /** the store runs as a sysfs work item (queued in async mode, §4.1). */
  work?: boolean;
}
export interface DirNode {
  type: 'dir';
  list(): string[];
  child(name: string): Node | undefined;
}
export interface LinkNode {
  type: 'link';
  target: string;
}
export type Node = FileNode | DirNode | LinkNode;

/** What opening a backing store found; recorded so replays never look at the disk again. */
export interface Probe {
  kind: 'file' | 'block' | 'dir' | 'other' | 'missing';
  size: number;
}

/** Everything the builders need: the state and the backing-store oracle. */
export interface Ctx {
  st: ScstState;
  probe(path: string): Probe;
}

type Lazy = () => Node;

/** A directory of fixed entries plus optional dynamic ones (object names). */
export function dirOf(
  fixed: Record<string, Lazy | undefined>,
  dyn?: { list(): string[]; get(name: string): Node | undefined },
): DirNode {
  return {
    type: 'dir',
    list: () => [...Object.keys(fixed).filter((k) => fixed[k] !== undefined), ...(dyn ? dyn.list() : [])],
    child: (name) => {
      const f = Object.prototype.hasOwnProperty.call(fixed, name) ? fixed[name] : undefined;
      if (f) return f();
      return dyn?.get(name);
    },
  };
}

/** A dynamic part made of a record's keys. */
export function each<T>(rec: Record<string, T>, make: (name: string, v: T) => Node): { list(): string[]; get(name: string): Node | undefined } {
  return {
    list: () => Object.keys(rec),
    get: (name) => (Object.prototype.hasOwnProperty.call(rec, name) ? make(name, rec[name]) : undefined),
  };
}

export const ro = (read: () => string): FileNode => ({ type: 'file', mode: 0o444, read });
export const rw = (read: () => string, write: (d: string) => void, work = false): FileNode => ({ type: 'file', mode: 0o644, read, write, work });
export const wo = (write: (d: string) => void, work = false): FileNode => ({ type: 'file', mode: 0o200, write, work });
export const link = (target: string): LinkNode => ({ type: 'link', target });

/** A value line plus the `[key]` line when `key` (§3.1). */
export const keyed = (value: string | number, key: boolean): string => `${value}\n${key ? '[key]\n' : ''}`;

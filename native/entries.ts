import type { TreeEntry } from './types.js';

/**
 * Entry builders shared by both implementations, so their results have the same shape and
 * compare equal key for key. `mode` is undefined when the caller asked for no modes
 * (ReadTreeOptions.modes false): the entry then has no `mode` key.
 */
type Mode = number | undefined;
export const dirEntry = (path: string, mode: Mode): TreeEntry => (mode === undefined ? { path, type: 'dir' } : { path, type: 'dir', mode });
export const fileEntry = (path: string, mode: Mode, content: string): TreeEntry =>
  mode === undefined ? { path, type: 'file', content } : { path, type: 'file', mode, content };
/** a file the caller asked not to read (ReadTreeOptions.skipContent). */
export const unreadFileEntry = (path: string, mode: Mode): TreeEntry => (mode === undefined ? { path, type: 'file' } : { path, type: 'file', mode });
export const linkEntry = (path: string, mode: Mode, target: string): TreeEntry =>
  mode === undefined ? { path, type: 'link', target } : { path, type: 'link', mode, target };
export const errorEntry = (path: string, type: 'file' | 'dir', mode: Mode, error: string): TreeEntry =>
  mode === undefined ? { path, type, error } : { path, type, mode, error };

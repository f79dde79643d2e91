import type { TreeEntry } from './types.js';

/**
 * Entry builders shared by both implementations, so their results have the same shape and
 * compare equal key for key.
 */
export const dirEntry = (path: string, mode: number): TreeEntry => ({ path, type: 'dir', mode });
export const fileEntry = (path: string, mode: number, content: string): TreeEntry => ({ path, type: 'file', mode, content });
/** a file the caller asked not to read (ReadTreeOptions.skipContent). */
export const unreadFileEntry = (path: string, mode: number): TreeEntry => ({ path, type: 'file', mode });
export const linkEntry = (path: string, mode: number, target: string): TreeEntry => ({ path, type: 'link', mode, target });
export const errorEntry = (path: string, type: 'file' | 'dir', mode: number, error: string): TreeEntry => ({ path, type, mode, error });

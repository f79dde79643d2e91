/**
 * The helper's contract, shared by the addon and the JavaScript fallback. These types are
 * structurally the ones of reconciler/host/host.ts (TreeEntry, MgmtOptions); native/ does not
 * import reconciler/ because the dependency points the other way.
 */

export interface TreeEntry {
  /** path relative to the root given to readTree, '' for the root itself. */
  path: string;
  type: 'dir' | 'file' | 'link';
  /** file content: one read(2) of at most 4096 bytes, as a sysfs client does. */
  content?: string;
  /** symlink target as stored (readlink, never followed). */
  target?: string;
  /** permission bits (st_mode & 0o7777). */
  mode?: number;
  /** errno name of a file that exists but could not be read, or a directory that could not be opened. */
  error?: string;
}

/**
 * What the caller never looks at (reconciler/host/host.ts ReadTreeOptions): patterns relative
 * to the root, `*` matching one name, a pattern without `/` matching that name at any depth, a
 * leading `/` anchoring it at the root (`mgmt`, `/handlers`, `/devices/DEV/exported` written
 * with `*` for DEV).
 */
export interface ReadTreeOptions {
  /** directories listed (their own entry kept) without anything under them. */
  skipDirs?: readonly string[];
  /** files listed with their mode but never opened: no content, no error. */
  skipContent?: readonly string[];
  /**
   * false: the caller never looks at permission bits, so entries may come without `mode` and the
   * walk makes no stat call only to learn them (the kind comes from the directory listing).
   */
  modes?: boolean;
}

export interface MgmtOptions {
  /** file polled after EAGAIN; without it an EAGAIN from the write is the result. */
  resultFile?: string;
  /** overall deadline of the call, polling included (default 60000). */
  timeoutMs?: number;
  /** pause between two polls of the result file (default 50). */
  pollMs?: number;
}

export type Implementation = 'native' | 'fallback';

export interface SysfsHelper {
  readonly implementation: Implementation;
  /**
   * Walks `root` (followed if it is a symlink) in one call: every directory, every regular
   * file's content or errno, every symlink's target, each with its mode. Pre-order, each
   * directory's entries sorted by name. Entries that vanish during the walk are left out;
   * FIFOs, sockets and device nodes are skipped (never opened). Rejects only when the root
   * itself cannot be read. `opts` names directories and files left unread (skip.ts).
   */
  readTree(root: string, opts?: ReadTreeOptions): Promise<TreeEntry[]>;
  /**
   * Opens `path` O_WRONLY (no O_CREAT, no O_TRUNC) and makes exactly one write(2) of the whole
   * command. On EAGAIN polls `resultFile` until it stops answering EAGAIN: "0" resolves,
   * "-N" rejects with errno N. Rejects with a SysfsError.
   */
  mgmt(path: string, command: string, opts?: MgmtOptions): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_POLL_MS = 50;

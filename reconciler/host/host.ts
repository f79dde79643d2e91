/**
 * The Host is the only way to touch a machine (DESIGN §4). Paths given to `sysfs` are absolute
 * in the host's view: `/sys/kernel/scst_tgt/...`. A LocalHost maps them onto the real file system
 * (or another root); a SimHost serves them from the emulators.
 */

export interface TreeEntry {
  /** path relative to the root given to readTree, '' for the root itself. */
  path: string;
  type: 'dir' | 'file' | 'link';
  /** file content (at most 4096 bytes, like sysfs), when readable. */
  content?: string;
  /** symlink target, verbatim (relative for SCST). */
  target?: string;
  /** file permission bits, e.g. 0o644. */
  mode?: number;
  /** errno of a file that exists but could not be read (EACCES for 0200 files, EAGAIN...). */
  error?: string;
}

/**
 * What a readTree caller never looks at, so the host may leave it unread. Each pattern is a path
 * relative to the walk's root, `/`-separated, where a `*` segment matches any one name; a
 * pattern without `/` matches that name at any depth, a leading `/` anchors it at the root (as
 * in .gitignore): `mgmt`, `/handlers`, `/devices/DEV/exported` written with `*` for DEV. Only
 * a hint: a host may return more than asked, so a caller must give the same result either way.
 */
export interface ReadTreeOptions {
  /** directories listed (their own entry is kept) without anything under them. */
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
  /** file polled after EAGAIN; default `<scst root>/last_sysfs_mgmt_res`. */
  resultFile?: string;
  timeoutMs?: number;
  pollMs?: number;
}

export interface SysfsApi {
  read(path: string): Promise<string>;
  list(path: string): Promise<string[]>;
  readlink(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
  /**
   * one call walks the subtree and returns every dir, readable file's content and link target;
   * `opts` names what may be left out (an optional hint, see ReadTreeOptions).
   */
  readTree(root: string, opts?: ReadTreeOptions): Promise<TreeEntry[]>;
  /**
   * one write(2) of `command` to a mgmt file, with SCST's EAGAIN protocol; rejects with an
   * ErrnoError carrying the errno of the failure.
   */
  mgmt(path: string, command: string, opts?: MgmtOptions): Promise<void>;
  /** one write(2) to an attribute file (same EAGAIN protocol). */
  writeAttr(path: string, value: string, opts?: MgmtOptions): Promise<void>;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  input?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
  cwd?: string;
}

export interface FilesApi {
  read(path: string): Promise<string | undefined>;
  writeAtomic(path: string, content: string, mode?: number): Promise<void>;
}

/** The result of `Host.pipe`: both ends' exit codes and stderr, and the bytes that went through. */
export interface PipeResult {
  exitCodes: [number, number];
  stderr: [string, string];
  bytes: number;
}

export interface Host {
  /** `local`, `sim:/path`; shown in plans and logs. */
  readonly id: string;
  readonly sysfs: SysfsApi;
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /**
   * `from`'s stdout into `to`'s stdin, argv arrays both (never a shell): `btrfs send | ssh peer
   * btrfs receive`. Hosts that cannot run one lack it, and what needs it is unavailable there.
   */
  pipe?(from: string[], to: string[], opts?: { timeoutMs?: number }): Promise<PipeResult>;
  readonly files: FilesApi;
  /**
   * a real local directory where sanform keeps its lock, journal and caches for this host
   * (LocalHost: /var/lib/sanform unless configured; SimHost: inside the sim DIR).
   */
  readonly stateDir: string;
  /** the host name, used as the default --node. */
  hostname(): Promise<string>;
  close?(): Promise<void>;
}

export const SCST_ROOT = '/sys/kernel/scst_tgt';

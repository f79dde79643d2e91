/**
 * The contract between emulators and what serves them (SimHost in-process, the FUSE mount, the
 * materializer). An emulator exposes its kernel interface as a small file system; paths are
 * relative to its mount point ('' is the root, no leading slash, `/`-separated).
 *
 * Every method behaves like the syscall it stands for: failures throw an ErrnoError whose errno is
 * what the real kernel returns (ENOENT, EINVAL, EEXIST, EACCES, EAGAIN, EPERM, EBUSY, EBADSLT...).
 */
export interface EmuStat {
  type: 'dir' | 'file' | 'link';
  /** permission bits: 0o644 RW, 0o444 RO, 0o200 WO, 0o600 (iSCSI secrets), 0o755 dirs. */
  mode: number;
  /** bytes a read would return now (0 for dirs, links, write-only files). */
  size: number;
}

export interface EmulatedFs {
  stat(path: string): EmuStat;
  readdir(path: string): string[];
  readlink(path: string): string;
  /** whole content of a file; EACCES for write-only files; may throw EAGAIN (async mode). */
  read(path: string): string;
  /** one write(2) call: the emulator parses `data` as one command or value. */
  write(path: string, data: string): void;
  /** O_TRUNC from a shell `>`: a no-op on attribute and mgmt files, EACCES on read-only ones. */
  truncate(path: string): void;
}

/** An emulator whose state can be saved to and restored from JSON (for `--host sim:DIR`). */
export interface PersistentEmulator extends EmulatedFs {
  toJSON(): unknown;
}

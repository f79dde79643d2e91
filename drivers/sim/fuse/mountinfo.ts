/**
 * Mounts as the kernel lists them in /proc/self/mountinfo. Reading this file never touches a
 * mount, so it is safe on a hung FUSE mount (a stat() of the mount point is not).
 */
import { readFileSync } from 'node:fs';

export interface MountEntry {
  mountPoint: string;
  /** e.g. 'fuse.sanform' */
  fsType: string;
  /** e.g. 'sanform:1234' for a mount served by sanform (pid of the server) */
  source: string;
  /** the connection's device, 'major:minor'; the minor names /sys/fs/fuse/connections/<minor>. */
  device: string;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [pre, post] = line.split(' - ');
    const f = pre!.split(' ');
    const g = (post ?? '').split(' ');
    out.push({ mountPoint: unescape(f[4] ?? ''), device: f[2] ?? '', fsType: g[0] ?? '', source: unescape(g[1] ?? '') });
  }
  return out;
}

/** The topmost mount at `mountPoint` (an absolute, resolved path), if any. */
export function findMount(mountPoint: string, text = readFileSync('/proc/self/mountinfo', 'utf8')): MountEntry | undefined {
  return parseMountinfo(text).filter((m) => m.mountPoint === mountPoint).at(-1);
}

/** Pid of the sanform server of a mount, from its `sanform:<pid>` source. */
export function serverPid(m: MountEntry): number | undefined {
  const r = /^sanform:(\d+)$/.exec(m.source);
  return r ? Number(r[1]) : undefined;
}

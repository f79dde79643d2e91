/**
 * An emulated btrfs for the sim host: the commands the snapshot driver runs (`btrfs subvolume
 * create|snapshot|delete|list -u -q -R`, `findmnt -n -o TARGET,FSROOT -T`, `mv -T`), answering
 * with the real tools' output, errors and exit codes (btrfs-progs 6.2, checked side by side with
 * real btrfs on a loop device in test/snapshot/btrfs-emulator.test.ts). Subvolumes are real
 * directories, so the vdisk_fileio files in them stay real files the SCST emulator opens; a
 * registry (uuid, parent uuid, received uuid, read-only, id) stands for the btrfs metadata.
 *
 * Not modelled: copy-on-write (a snapshot is a full copy of the files: fine for demo sizes);
 * read-only enforcement against writers that are not btrfs commands (the flag is checked by
 * btrfs commands only); `btrfs send`/`receive` (the sim host has no Host.pipe, so replication
 * runs on real machines only); generation numbers (a counter); quotas, space, balance, scrub;
 * mount options and subvolume mounts (every file system is mounted at its top level, FSROOT `/`).
 */
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { ExecResult } from '../../reconciler/host/host.js';

interface Subvol {
  id: number;
  gen: number;
  uuid: string;
  parentUuid?: string;
  receivedUuid?: string;
  readonly: boolean;
}

export interface BtrfsState {
  /** absolute paths of the emulated file systems' mount points. */
  mounts: string[];
  nextId: number;
  gen: number;
  /** by absolute path. */
  subvols: Record<string, Subvol>;
}

/** Where the state lives: `update` runs `fn` on the current state and keeps what it changed. */
export interface BtrfsStore {
  update<T>(fn: (s: BtrfsState) => T): T;
}

const empty = (): BtrfsState => ({ mounts: [], nextId: 256, gen: 6, subvols: {} });

export function memoryBtrfsStore(): BtrfsStore {
  const s = empty();
  return { update: (fn) => fn(s) };
}

/** A JSON file; `lock` serializes the processes sharing it (the sim's machine lock). */
export function fileBtrfsStore(file: string, lock: <T>(fn: () => T) => T): BtrfsStore {
  return {
    update: (fn) =>
      lock(() => {
        const s = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BtrfsState) : empty();
        const before = JSON.stringify(s);
        const out = fn(s);
        if (JSON.stringify(s) !== before) {
          writeFileSync(`${file}.tmp`, JSON.stringify(s));
          renameSync(`${file}.tmp`, file);
        }
        return out;
      }),
  };
}

const done = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' });
const fail = (stderr: string, stdout = '', exitCode = 1): ExecResult => ({ exitCode, stdout, stderr });
const within = (path: string, root: string): boolean => path === root || path.startsWith(root === '/' ? '/' : `${root}/`);

export class BtrfsEmulator {
  constructor(
    private readonly store: BtrfsStore,
    private readonly cwd = process.cwd(),
  ) {}

  /** Makes DIR (created when missing) the top of an emulated btrfs file system. */
  mount(dir: string): void {
    const abs = resolve(this.cwd, dir);
    mkdirSync(abs, { recursive: true });
    this.store.update((s) => {
      if (!s.mounts.includes(abs)) s.mounts.push(abs);
    });
  }

  exec(argv: string[]): ExecResult {
    return this.store.update((s) => new Run(s, this.cwd).exec(argv));
  }
}

class Run {
  constructor(
    private readonly s: BtrfsState,
    private readonly cwd: string,
  ) {}

  private abs = (p: string): string => resolve(this.cwd, p);
  private mountOf = (abs: string): string | undefined => this.s.mounts.filter((m) => within(abs, m)).sort((a, b) => b.length - a.length)[0];
  /** the subvolume a path is in (its own entry when it is one); undefined for a top level. */
  private containing = (abs: string): [string, Subvol] | undefined =>
    Object.entries(this.s.subvols).filter(([p]) => within(abs, p)).sort((a, b) => b[0].length - a[0].length)[0];

  exec(argv: string[]): ExecResult {
    const [cmd, ...a] = argv;
    if (cmd === 'findmnt' && a.length === 5 && a.slice(0, 4).join(' ') === '-n -o TARGET,FSROOT -T') return done(`${this.mountOf(this.abs(a[4]!)) ?? '/'} /\n`);
    if (cmd === 'mv' && a.length === 3 && a[0] === '-T') return this.mv(a[1]!, a[2]!);
    if (cmd !== 'btrfs' || a[0] !== 'subvolume') return fail(`${argv.join(' ')}: not emulated (the sim's btrfs knows subvolume create, snapshot, delete and list -u -q -R; findmnt -T; mv -T)\n`);
    const [verb, ...rest] = a.slice(1);
    if (verb === 'create' && rest.length === 1) return this.create(rest[0]!);
    if (verb === 'snapshot' && rest.length === 3 && rest[0] === '-r') return this.snapshot(rest[1]!, rest[2]!, true);
    if (verb === 'snapshot' && rest.length === 2) return this.snapshot(rest[0]!, rest[1]!, false);
    if (verb === 'delete' && rest.length === 1) return this.delete(rest[0]!);
    if (verb === 'list' && rest.length === 4 && rest.slice(0, 3).join(' ') === '-u -q -R') return this.list(rest[3]!);
    return fail(`${argv.join(' ')}: not emulated\n`);
  }

  private newSubvol(extra: Partial<Subvol> & { readonly: boolean }): Subvol {
    this.s.gen += 1;
    return { id: this.s.nextId++, gen: this.s.gen, uuid: randomUUID(), ...extra };
  }

  private create(p: string): ExecResult {
    const abs = this.abs(p);
    if (!this.mountOf(dirname(abs))) return fail(`ERROR: not a btrfs filesystem: ${dirname(abs)}\n`);
    if (existsSync(abs)) return fail(`ERROR: target path already exists: ${p}\n`);
    if (this.containing(dirname(abs))?.[1].readonly) return fail(`ERROR: cannot create subvolume: Read-only file system\n`);
    mkdirSync(abs);
    this.s.subvols[abs] = this.newSubvol({ readonly: false });
    return done(`Create subvolume '${dirname(p)}/${basename(abs)}'\n`);
  }

  private snapshot(src: string, dest: string, readonly: boolean): ExecResult {
    const from = this.abs(src);
    if (!existsSync(from)) return fail('ERROR: Could not statfs: No such file or directory\n');
    if (!this.mountOf(from)) return fail(`ERROR: not a btrfs filesystem: ${src}\n`);
    const source = this.s.subvols[from];
    if (!source && !this.s.mounts.includes(from)) return fail('ERROR: Not a Btrfs subvolume: Invalid argument\n');
    // an existing directory receives the snapshot inside it, under the source's name
    const into = existsSync(this.abs(dest)) && statSync(this.abs(dest)).isDirectory();
    const shown = into ? `${dest}/${basename(from)}` : `${dirname(dest)}/${basename(dest)}`;
    const to = into ? join(this.abs(dest), basename(from)) : this.abs(dest);
    const line = `Create a ${readonly ? 'readonly ' : ''}snapshot of '${src}' in '${shown}'\n`;
    if (existsSync(to)) return fail(`ERROR: target path already exists: ${dest}\n`);
    if (this.mountOf(dirname(to)) !== this.mountOf(from)) return fail(`ERROR: cannot snapshot '${src}': Invalid cross-device link\n`, line);
    if (this.containing(dirname(to))?.[1].readonly) return fail(`ERROR: cannot snapshot '${src}': Read-only file system\n`, line);
    // a snapshot holds the files of its own subvolume only: nested subvolumes appear as empty directories
    const nested = Object.keys(this.s.subvols).filter((p) => p !== from && within(p, from));
    cpSync(from, to, { recursive: true, preserveTimestamps: true, filter: (p) => !nested.some((n) => within(p, n) && p !== n) });
    this.s.subvols[to] = this.newSubvol({ readonly, ...(source ? { parentUuid: source.uuid } : {}) });
    return done(line);
  }

  private delete(p: string): ExecResult {
    const abs = this.abs(p);
    if (!existsSync(abs)) return fail('ERROR: Could not statfs: No such file or directory\n');
    if (!this.s.subvols[abs]) return fail('ERROR: Not a Btrfs subvolume: Invalid argument\n');
    const line = `Delete subvolume (no-commit): '${abs}'\n`;
    if (Object.keys(this.s.subvols).some((n) => n !== abs && within(n, abs))) return fail(`ERROR: Could not destroy subvolume/snapshot: Directory not empty\n`, line);
    rmSync(abs, { recursive: true, force: true });
    delete this.s.subvols[abs];
    return done(line);
  }

  private list(dir: string): ExecResult {
    const abs = this.abs(dir);
    const fs = existsSync(abs) ? this.mountOf(abs) : undefined;
    if (!fs) return fail(`ERROR: not a btrfs filesystem: ${dir}\nERROR: can't access '${dir}'\n`);
    const col = (u?: string) => (u ?? '-').padEnd(36);
    // listed at a subvolume, its direct children are shown relative to it; all else from the top
    const at = this.s.subvols[abs];
    const rows = Object.entries(this.s.subvols)
      .filter(([p]) => within(p, fs) && p !== fs)
      .sort((a, b) => a[1].id - b[1].id)
      .map(([p, v]) => {
        const top = this.containing(dirname(p))?.[1].id ?? 5;
        const path = at && top === at.id ? relative(abs, p) : relative(fs, p);
        return `ID ${v.id} gen ${v.gen} top level ${top} parent_uuid ${col(v.parentUuid)} received_uuid ${col(v.receivedUuid)} uuid ${v.uuid} path ${path}`;
      });
    return done(rows.length ? `${rows.join('\n')}\n` : '');
  }

  private mv(a: string, b: string): ExecResult {
    const from = this.abs(a);
    const to = this.abs(b);
    if (!existsSync(from)) return fail(`mv: cannot stat '${a}': No such file or directory\n`);
    if (existsSync(to) && statSync(to).isDirectory() && readdirSync(to).length > 0) return fail(`mv: cannot move '${a}' to '${b}': Directory not empty\n`);
    if (this.containing(dirname(from))?.[1].readonly || this.containing(dirname(to))?.[1].readonly) return fail(`mv: cannot move '${a}' to '${b}': Read-only file system\n`);
    if (existsSync(to)) rmSync(to, { recursive: true });
    renameSync(from, to);
    for (const p of Object.keys(this.s.subvols).filter((p) => within(p, from))) {
      this.s.subvols[to + p.slice(from.length)] = this.s.subvols[p]!;
      delete this.s.subvols[p];
    }
    return done();
  }
}

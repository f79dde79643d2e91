/**
 * The hostile-input corpus (corpus/): reading each entry's expectation from its header comment,
 * writing it out (templates expanded) into a temp directory, and a secrets directory holding
 * the odd files the `secret-*` entries point at.
 *
 * Header: `# expect: converge` or `# expect: error CODE[|CODE...]` on the first line that starts
 * with `# expect:` (a directory entry: that of its first file). Templates in the text:
 * `{{SECRETS}}` the secrets directory; `{{repeat:TEXT:N}}` TEXT N times (`\:` is a colon,
 * `\n` a newline); `{{devices:N}}` N nullio devices; `{{nest:N}}` N nested block mappings.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, readlinkSync, lstatSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('./corpus/', import.meta.url));

export type Expect = { kind: 'converge' } | { kind: 'error'; codes: string[] };

export interface Entry {
  name: string;
  expect: Expect;
  /** the first line after the expectation: what the entry is about. */
  why: string;
}

function header(bytes: Buffer): { expect: Expect; why: string } {
  const text = bytes.subarray(0, 4096).toString('latin1').replace(/^\xef\xbb\xbf/, '');
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith('# expect: '));
  if (i < 0) throw new Error('no "# expect:" line');
  const spec = lines[i].slice('# expect: '.length).trim();
  const why = (lines[i + 1] ?? '').replace(/^#\s*/, '');
  if (spec === 'converge') return { expect: { kind: 'converge' }, why };
  const m = /^error ([A-Z_|]+)$/.exec(spec);
  if (!m) throw new Error(`bad expectation: ${spec}`);
  return { expect: { kind: 'error', codes: m[1].split('|') }, why };
}

/** Every corpus entry (a file, or a directory of files), sorted by name. */
export function entries(): Entry[] {
  return readdirSync(CORPUS)
    .filter((n) => n !== 'README.md')
    .sort()
    .map((name) => {
      const p = join(CORPUS, name);
      const first = statSync(p).isDirectory() ? join(p, readdirSync(p).filter((f) => !f.startsWith('.')).sort()[0]) : p;
      return { name, ...header(readFileSync(first)) };
    });
}

const unescape = (s: string): string => s.replace(/\\n/g, '\n').replace(/\\:/g, ':');

/** The text of a corpus file with its templates expanded (as bytes: some files are not UTF-8). */
export function expand(bytes: Buffer, secrets: string): Buffer {
  const text = bytes.toString('latin1');
  if (!text.includes('{{')) return bytes;
  const out = text.replace(/\{\{(SECRETS|repeat:((?:\\.|[^:\\])*):(\d+)|devices:(\d+)|nest:(\d+))\}\}/g, (_m, all: string, rep?: string, n?: string, devs?: string, nest?: string) => {
    if (all === 'SECRETS') return secrets;
    if (rep !== undefined) return unescape(rep).repeat(Number(n));
    if (devs !== undefined) return Array.from({ length: Number(devs) }, (_, i) => `    dev${i}: { handler: vdisk_nullio }\n`).join('');
    return Array.from({ length: Number(nest) }, (_, i) => `${' '.repeat(2 * (i + 1))}k${i}:\n`).join('') + `${' '.repeat(2 * (Number(nest) + 1))}x: 1\n`;
  });
  return Buffer.from(out, 'latin1');
}

/** Writes entry `name` under `dir` (templates expanded); returns the path to load. */
export function materialize(name: string, dir: string, secrets: string): string {
  const src = join(CORPUS, name);
  const dst = join(dir, name);
  if (!statSync(src).isDirectory()) {
    writeFileSync(dst, expand(readFileSync(src), secrets));
    return dst;
  }
  mkdirSync(dst);
  for (const f of readdirSync(src)) {
    const s = join(src, f);
    if (lstatSync(s).isSymbolicLink()) symlinkSync(readlinkSync(s), join(dst, f));
    else writeFileSync(join(dst, f), expand(readFileSync(s), secrets));
  }
  return dst;
}

/** A good secret's value (the `ok` file and SANFORM_HOSTILE_OK). */
export const OK_SECRET = 'hostile-Secret-0001';

/** The secrets directory the `secret-*` entries point into: one good file and many bad ones. */
export function secretsDir(dir: string): string {
  const s = join(dir, 'secrets');
  mkdirSync(join(s, 'subdir'), { recursive: true });
  writeFileSync(join(s, 'ok'), `${OK_SECRET}\n`, { mode: 0o600 });
  writeFileSync(join(s, 'huge'), 'h'.repeat(1 << 20));
  writeFileSync(join(s, 'two-lines'), 'first-line-secret\nsecond-line\n');
  writeFileSync(join(s, 'latin1'), Buffer.from('caf\xe9-secret-1', 'latin1'));
  writeFileSync(join(s, 'empty'), '');
  symlinkSync('/dev/zero', join(s, 'zero'));
  symlinkSync('/etc/hostname', join(s, 'link-out'));
  execFileSync('mkfifo', [join(s, 'fifo')]);
  return s;
}

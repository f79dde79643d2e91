/**
 * Probing tools every layer's guards use, over the emulated disks: `blkid` (util-linux) and
 * `wipefs` listing, and `wipefs -a` for approved data-loss changes (a bcache superblock has
 * no tool of its own to zero it). Output formats as util-linux 2.38 prints them.
 *
 * NOT modelled: blkid's cache, tags other than UUID/LABEL/TYPE, partition tables, wipefs -a's byte
 * counts and backups.
 */
import type { ExecResult } from '../../../reconciler/host/host.js';
import { kernelName, type StackDisks } from './disks.js';

const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '' });

function exportLines(devname: string, d: StackDisks): string {
  const s = d.signature(devname)!;
  return [`DEVNAME=${devname}`, ...(s.uuid ? [`UUID=${s.uuid}`] : []), ...(s.label ? [`LABEL=${s.label}`] : []), `TYPE=${s.type}`].join('\n') + '\n';
}

/**
 * `blkid [-p] [-c FILE] [-o export|value|full] [-s TAG] [DEV...]`: without devices, every device
 * with a signature (one export block each, blank-line separated). Exit 2 when nothing is found.
 */
export function blkid(d: StackDisks, args: string[]): ExecResult {
  let format = 'full';
  let tag: string | undefined;
  const devs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o' || a === '--output') format = args[++i] ?? '';
    else if (a === '-s' || a === '--match-tag') tag = args[++i];
    else if (a === '-c' || a === '--cache-file') i++;
    else if (a === '-p' || a === '--probe') continue;
    else if (a.startsWith('-')) return { exitCode: 4, stdout: '', stderr: `blkid: invalid option -- '${a.replace(/^-+/, '')}'\n` };
    else devs.push(a);
  }
  const targets = devs.length > 0 ? devs : d.list().filter((r) => r.sig).map((r) => r.path);
  const out: string[] = [];
  let err = '';
  for (const p of targets) {
    if (!d.get(p)) {
      err += `blkid: error: ${p}: No such file or directory\n`;
      continue;
    }
    const s = d.signature(p);
    if (!s) continue;
    if (format === 'export') out.push(exportLines(p, d));
    else if (format === 'value') {
      const tags: Record<string, string | undefined> = { UUID: s.uuid, LABEL: s.label, TYPE: s.type };
      const vals = (tag ? [tags[tag]] : [s.uuid, s.label, s.type]).filter(Boolean);
      if (vals.length) out.push(`${vals.join('\n')}\n`);
    }
    else out.push(`${p}: ${s.uuid ? `UUID="${s.uuid}" ` : ''}${s.label ? `LABEL="${s.label}" ` : ''}TYPE="${s.type}"\n`);
  }
  if (out.length === 0) return { exitCode: 2, stdout: '', stderr: err };
  return { exitCode: 0, stdout: out.join(format === 'export' ? '\n' : ''), stderr: err };
}

/** `wipefs [-n] DEV...`: lists the signatures found (sanform only ever lists). */
export function wipefs(d: StackDisks, args: string[], openBy: (path: string) => string | undefined = () => undefined): ExecResult {
  const devs = args.filter((a) => !a.startsWith('-'));
  if (devs.length === 0) return { exitCode: 1, stdout: '', stderr: 'wipefs: no device specified\n' };
  // -a: only ever run by an approved data-loss change (bcache's superblock has no tool of its own)
  if (args.includes('-a') || args.includes('--all')) return erase(d, devs, openBy);
  const rows: string[][] = [];
  for (const p of devs) {
    if (!d.get(p)) return { exitCode: 1, stdout: '', stderr: `wipefs: error: ${p}: probing initialization failed: No such file or directory\n` };
    const s = d.signature(p);
    if (s) rows.push([kernelName(p), `0x${s.offset.toString(16)}`, s.type, s.uuid ?? '', s.label ?? '']);
  }
  if (rows.length === 0) return ok('');
  const head = ['DEVICE', 'OFFSET', 'TYPE', 'UUID', 'LABEL'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join(' ').trimEnd();
  return ok([line(head), ...rows.map(line)].join('\n') + '\n');
}

/** `wipefs -a DEV...`: erases every signature; refuses a device something holds open (EBUSY). */
function erase(d: StackDisks, devs: string[], openBy: (path: string) => string | undefined): ExecResult {
  const out: string[] = [];
  for (const p of devs) {
    if (!d.get(p)) return { exitCode: 1, stdout: out.join(''), stderr: `wipefs: error: ${p}: probing initialization failed: No such file or directory\n` };
    if (d.holders(p).length || openBy(p)) return { exitCode: 1, stdout: out.join(''), stderr: `wipefs: error: ${p}: probing initialization failed: Device or resource busy\n` };
    const s = d.signature(p);
    if (!s) continue;
    d.setSignature(p, undefined);
    out.push(`${p}: ${s.type === 'bcache' ? 16 : 8} bytes were erased at offset 0x${s.offset.toString(16).padStart(8, '0')} (${s.type})\n`);
  }
  return ok(out.join(''));
}

/**
 * Signatures on block devices, as `blkid -o export` prints them: what a layer's create would
 * destroy (named in the plan's data-loss impact) and which devices already carry a layer's
 * superblock. One call covers every device, so an observe stays at a fixed number of calls.
 */

/** Blank-line separated blocks of KEY=value, keyed by DEVNAME. */
export function parseBlkid(out: string): Map<string, Record<string, string>> {
  const m = new Map<string, Record<string, string>>();
  for (const block of out.split(/\n\s*\n/)) {
    const kv: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) kv[line.slice(0, i)] = line.slice(i + 1);
    }
    if (kv.DEVNAME) m.set(kv.DEVNAME, kv);
  }
  return m;
}

/** `ext4 (UUID 1c45..., LABEL data)`: what a signature is, for people. */
export const describeSignature = (kv: Record<string, string>): string =>
  `${kv.TYPE ?? kv.PTTYPE ?? 'unknown'}${kv.UUID ? ` (UUID ${kv.UUID}${kv.LABEL ? `, LABEL ${kv.LABEL}` : ''})` : kv.PTTYPE ? ' partition table' : ''}`;

/** Device path -> description, for every device blkid found something on (exit 2: nothing). */
export function signaturesFrom(r: { exitCode: number; stdout: string }): { signatures: Record<string, string>; probed: Map<string, Record<string, string>> } {
  const probed = r.exitCode === 0 ? parseBlkid(r.stdout) : new Map<string, Record<string, string>>();
  const signatures: Record<string, string> = {};
  for (const [dev, kv] of probed) if (kv.TYPE || kv.PTTYPE) signatures[dev] = describeSignature(kv);
  return { signatures, probed };
}

/** Device path -> `ext4 "data"` (type and label) for every device blkid found a TYPE on. */
export function typeLabels(out: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [dev, kv] of parseBlkid(out)) if (kv.TYPE) labels[dev] = `${kv.TYPE}${kv.LABEL ? ` "${kv.LABEL}"` : ''}`;
  return labels;
}

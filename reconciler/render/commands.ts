import type { Op, Plan } from '../core/change.js';
import { SECRET_TOKEN } from '../secrets.js';
import { SYMBOL } from './style.js';

/** Fingerprint lookup for masking; without one a secret shows by name only. */
export type FingerprintOf = (name: string) => string | undefined;

/** Replaces secret tokens with `<secret NAME fp=ab12cd>`. */
export function maskSecrets(text: string, fp?: FingerprintOf): string {
  return text.replace(SECRET_TOKEN, (_m, name: string) => {
    let f: string | undefined;
    try {
      f = fp?.(name);
    } catch {
      f = undefined; // an unresolvable secret still renders; apply reports it
    }
    const hex = f?.startsWith('hmac:') ? f.slice(5, 17) : undefined;
    return hex ? `<secret ${name} fp=${hex}>` : `<secret ${name}>`;
  });
}

/** POSIX single-quoting. */
export const shq = (s: string): string => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * The shell line that makes the same single write(2) as the host: `printf '%s'` writes the value
 * byte for byte (`echo` would add a newline, or eat `-n` as an option); a value ending in one
 * newline (how a comment is cleared) is written as `printf '%s\n'` of the rest.
 */
export function writeCommand(value: string, path: string): string {
  const nl = value.endsWith('\n') && !value.slice(0, -1).includes('\n');
  return `printf '%s${nl ? '\\n' : ''}' ${shq(nl ? value.slice(0, -1) : value)} > ${shq(path)}`;
}

/** One op as the shell line that would do the same thing. */
export function opCommand(op: Op, fp?: FingerprintOf): string {
  switch (op.type) {
    case 'mgmt':
      return writeCommand(maskSecrets(op.command, fp), op.path);
    case 'write':
      return writeCommand(maskSecrets(op.value, fp), op.path);
    case 'exec': {
      const line = op.argv.map((a) => shq(maskSecrets(a, fp))).join(' ');
      const full = op.input === undefined ? line : `${line} <<< ${shq(maskSecrets(op.input, fp))}`;
      return [full, ...(op.runs ?? []).map((r) => `#   ${r}`)].join('\n');
    }
    case 'file':
      return `# write ${op.path} (${Buffer.byteLength(op.content)} bytes)`;
  }
}

/** `--commands`: the exact kernel writes and calls of every change, in order. */
export function renderCommands(plan: Plan, opts: { fingerprint?: FingerprintOf } = {}): string {
  if (plan.changes.length === 0) return '# nothing to do\n';
  const lines: string[] = [];
  for (const c of plan.changes) {
    lines.push(`# ${SYMBOL[c.action]} ${c.address}`);
    for (const op of c.ops) lines.push(opCommand(op, opts.fingerprint));
  }
  for (const b of plan.blocked) lines.push(`# blocked: ${SYMBOL[b.action]} ${b.address}`);
  return `${lines.join('\n')}\n`;
}

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
    return f ? `<secret ${name} fp=${f.slice(0, 6)}>` : `<secret ${name}>`;
  });
}

/** POSIX single-quoting. */
export const shq = (s: string): string => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** One op as the shell line that would do the same thing. */
export function opCommand(op: Op, fp?: FingerprintOf): string {
  switch (op.type) {
    case 'mgmt':
      return `echo ${shq(maskSecrets(op.command, fp))} > ${op.path}`;
    case 'write':
      return `echo ${shq(maskSecrets(op.value, fp))} > ${op.path}`;
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

import type { Op, Verify } from '../core/change.js';
import type { SecretResolver } from '../core/driver.js';
import type { Host } from '../host/host.js';
import { SCST_ROOT } from '../host/host.js';
import { SanformError } from '../core/errors.js';
import { SECRET_TOKEN, secretNames } from '../secrets.js';
import { ExecFailedError, StaleError, VerifyError } from './errors.js';

/** Replaces `{{secret:NAME}}` tokens with their values, read now (at write time). */
export async function resolveSecrets(text: string, secrets?: SecretResolver): Promise<string> {
  const names = secretNames(text);
  if (names.length === 0) return text;
  if (!secrets) throw new SanformError('NO_SECRET_RESOLVER', `op needs secrets (${names.join(', ')}) but none were given`, { data: { names } });
  const values = new Map<string, string>();
  for (const n of names) values.set(n, await secrets.value(n));
  return text.replace(SECRET_TOKEN, (_m, n: string) => values.get(n)!);
}

/** The value a sysfs attribute shows: its first line, trimmed (SCST adds `[key]` on a second line). */
export const attrValue = (raw: string): string => (raw.split('\n')[0] ?? '').trim();

/** Whether an op goes through SCST's global mgmt result file (those are serialized). */
export const isScstSysfs = (op: Op): boolean =>
  (op.type === 'mgmt' || op.type === 'write') && (op.path === SCST_ROOT || op.path.startsWith(`${SCST_ROOT}/`));

async function verify(host: Host, v: Verify, secrets?: SecretResolver): Promise<void> {
  if ('exists' in v) {
    const there = await host.sysfs.exists(v.path);
    if (there !== v.exists) throw new VerifyError(v.path, v.exists ? 'present' : 'absent', there ? 'present' : 'absent');
    return;
  }
  const want = attrValue(await resolveSecrets(v.value, secrets));
  const got = attrValue(await host.sysfs.read(v.path));
  if (got !== want) throw new VerifyError(v.path, JSON.stringify(v.value), JSON.stringify(got));
}

/**
 * Runs one op: re-checks the live value first when the op says what it expects, resolves secrets
 * only now, performs the write or command, then reads back what `verify` names.
 */
export async function runOp(host: Host, op: Op, secrets?: SecretResolver): Promise<void> {
  switch (op.type) {
    case 'mgmt':
      await host.sysfs.mgmt(op.path, await resolveSecrets(op.command, secrets));
      break;
    case 'write': {
      if (op.expect !== undefined) {
        const live = attrValue(await host.sysfs.read(op.path));
        if (live !== attrValue(op.expect)) throw new StaleError(op.path, op.expect, live);
      }
      await host.sysfs.writeAttr(op.path, await resolveSecrets(op.value, secrets));
      break;
    }
    case 'exec': {
      const argv = await Promise.all(op.argv.map((a) => resolveSecrets(a, secrets)));
      const input = op.input === undefined ? undefined : await resolveSecrets(op.input, secrets);
      const r = await host.exec(argv, input === undefined ? {} : { input });
      if (r.exitCode !== 0) throw new ExecFailedError(op.argv, r.exitCode, r.stderr);
      return;
    }
    case 'file':
      await host.files.writeAtomic(op.path, await resolveSecrets(op.content, secrets));
      return;
  }
  if (op.verify) await verify(host, op.verify, secrets);
}

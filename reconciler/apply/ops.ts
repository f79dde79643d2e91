import type { Op, Verify } from '../core/change.js';
import type { SecretResolver } from '../core/driver.js';
import type { Host } from '../host/host.js';
import { SCST_ROOT } from '../host/host.js';
import { SanformError } from '../core/errors.js';
import { SECRET_TOKEN, secretNames, type SealedSecret } from '../secrets.js';
import { ExecFailedError, StaleError, VerifyError } from './errors.js';
import { redactFailure, scrub } from './redact.js';

/** The values of the secrets a text names, read now (at write time), still sealed. */
async function sealedFor(texts: readonly (string | undefined)[], secrets?: SecretResolver): Promise<SealedSecret[]> {
  const names = [...new Set(texts.flatMap((t) => (t === undefined ? [] : secretNames(t))))];
  if (names.length === 0) return [];
  if (!secrets) throw new SanformError('NO_SECRET_RESOLVER', `op needs secrets (${names.join(', ')}) but none were given`, { data: { names } });
  const out: SealedSecret[] = [];
  for (const n of names) out.push(await secrets.value(n));
  return out;
}

/** `text` with its `{{secret:NAME}}` tokens replaced by the values: only for the host call itself. */
const unseal = (text: string, sealed: readonly SealedSecret[]): string =>
  sealed.length === 0 ? text : text.replace(SECRET_TOKEN, (m, n: string) => sealed.find((s) => s.name === n)?.reveal() ?? m);

/** Replaces `{{secret:NAME}}` tokens with their values, read now. Only the op runner and export use it. */
export async function resolveSecrets(text: string, secrets?: SecretResolver): Promise<string> {
  return unseal(text, await sealedFor([text], secrets));
}

/** The value a sysfs attribute shows: its first line, trimmed (SCST adds `[key]` on a second line). */
export const attrValue = (raw: string): string => (raw.split('\n')[0] ?? '').trim();

/** Whether an op goes through SCST's global mgmt result file (those are serialized). */
export const isScstSysfs = (op: Op): boolean =>
  (op.type === 'mgmt' || op.type === 'write') && (op.path === SCST_ROOT || op.path.startsWith(`${SCST_ROOT}/`));

/** What an attribute that holds a secret is shown as in an error (it may hold an old secret too). */
const HIDDEN = '<not shown: holds a secret>';

async function verify(host: Host, v: Verify, sealed: readonly SealedSecret[]): Promise<void> {
  if ('exists' in v) {
    const there = await host.sysfs.exists(v.path);
    if (there !== v.exists) throw new VerifyError(v.path, v.exists ? 'present' : 'absent', there ? 'present' : 'absent');
    return;
  }
  const secret = secretNames(v.value).length > 0;
  const want = attrValue(unseal(v.value, sealed));
  const got = attrValue(await host.sysfs.read(v.path));
  if (got !== want) throw new VerifyError(v.path, JSON.stringify(v.value), secret ? HIDDEN : JSON.stringify(got));
}

/** The texts of an op that may name secrets. */
const textsOf = (op: Op): (string | undefined)[] => {
  switch (op.type) {
    case 'mgmt':
      return [op.command, op.verify && 'value' in op.verify ? op.verify.value : undefined];
    case 'write':
      return [op.value, op.verify && 'value' in op.verify ? op.verify.value : undefined];
    case 'exec':
      return [...op.argv, op.input];
    case 'file':
      return [op.content];
  }
};

/**
 * Runs one op: re-checks the live value first when the op says what it expects, unseals secrets
 * only for the host call, performs the write or command, then reads back what `verify` names.
 * When the op carries a secret, any failure is replaced by one built from the errno, the path
 * and the op with its secrets as names (redact.ts): nothing the kernel or a tool echoed back
 * travels on.
 */
export async function runOp(host: Host, op: Op, secrets?: SecretResolver): Promise<void> {
  const sealed = await sealedFor(textsOf(op), secrets);
  if (sealed.length === 0) return perform(host, op, sealed);
  try {
    await perform(host, op, sealed);
  } catch (e) {
    throw redactFailure(e, op, sealed);
  }
}

async function perform(host: Host, op: Op, sealed: readonly SealedSecret[]): Promise<void> {
  switch (op.type) {
    case 'mgmt':
      await host.sysfs.mgmt(op.path, unseal(op.command, sealed));
      break;
    case 'write': {
      if (op.expect !== undefined) {
        const live = attrValue(await host.sysfs.read(op.path));
        if (live !== attrValue(op.expect)) throw new StaleError(op.path, op.expect, sealed.length > 0 ? HIDDEN : live);
      }
      await host.sysfs.writeAttr(op.path, unseal(op.value, sealed));
      break;
    }
    case 'exec': {
      const argv = op.argv.map((a) => unseal(a, sealed));
      const input = op.input === undefined ? undefined : unseal(op.input, sealed);
      const r = await host.exec(argv, input === undefined ? {} : { input });
      if (r.exitCode !== 0) throw new ExecFailedError(op.argv, r.exitCode, scrub(r.stderr, sealed));
      return;
    }
    case 'file':
      await host.files.writeAtomic(op.path, unseal(op.content, sealed));
      return;
  }
  if (op.verify) await verify(host, op.verify, sealed);
}

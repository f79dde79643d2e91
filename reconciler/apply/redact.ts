/**
 * Failures of ops that carry a secret. The host call saw the value (a mgmt command with a CHAP
 * secret in it), and whatever failed may echo it: an emulator's or the kernel's message, a
 * tool's stderr, an errno error quoting the command. So such a failure is never passed on; a new
 * one is built from parts that cannot hold the value: the errno (or the error's code), the op's
 * path and its text with the secrets shown by name.
 */
import type { Op } from '../core/change.js';
import { ErrnoError, SanformError } from '../core/errors.js';
import { SECRET_TOKEN, type SealedSecret } from '../secrets.js';

/** `text` with every occurrence of each value replaced by the secret's name. */
export function scrub(text: string, sealed: readonly SealedSecret[]): string {
  let out = text;
  for (const s of sealed) if (s.reveal().length > 0) out = out.split(s.reveal()).join(`<secret ${s.name}>`);
  return out;
}

/** An op's own text with its secret tokens shown as `<secret NAME>`. */
export function opText(op: Op): string {
  const t = op.type === 'mgmt' ? op.command : op.type === 'write' ? op.value : op.type === 'exec' ? op.argv.join(' ') : `(${op.path})`;
  return t.replace(SECRET_TOKEN, (_m, n: string) => `<secret ${n}>`);
}

const CODE = /^[A-Z][A-Z0-9_]{0,40}$/;

/** A failure of an op that carried a secret, holding no more than the code, path and named op. */
export class SecretOpFailedError extends SanformError<string, { path: string; command: string; secrets: string[]; errno?: string }> {
  constructor(code: string, o: { path: string; command: string; secrets: string[]; errno?: string; detail?: string }) {
    super(code, `${o.errno ?? code} on ${o.path}: ${o.command}${o.detail ? ` (${o.detail})` : ''}`, {
      data: { path: o.path, command: o.command, secrets: o.secrets, errno: o.errno },
      hint: `the value of ${o.secrets.map((n) => `secret '${n}'`).join(', ')} is not shown; check that the kernel accepts it (for CHAP: 12 to 16 characters)`,
    });
  }
}

/** The error to report for `e`, thrown by an op carrying `sealed`. */
export function redactFailure(e: unknown, op: Op, sealed: readonly SealedSecret[]): Error {
  const secrets = sealed.map((s) => s.name);
  const command = opText(op);
  const path = op.type === 'exec' ? (op.argv[0] ?? '') : op.path;
  if (e instanceof ErrnoError) {
    const errno = CODE.test(e.errno) ? e.errno : 'EIO';
    return new ErrnoError(errno, { path, command, message: `${errno} on ${path}: ${command} (the value of ${secrets.map((n) => `secret '${n}'`).join(', ')} is not shown)` });
  }
  const code = e instanceof SanformError && CODE.test(e.code) ? e.code : 'OP_FAILED';
  // our own errors built with the value hidden already (stale, verify) keep a scrubbed message
  const detail = e instanceof SanformError && (e.code === 'STALE' || e.code === 'VERIFY_FAILED') ? scrub(e.message, sealed) : undefined;
  return new SecretOpFailedError(code, { path, command, secrets, detail });
}

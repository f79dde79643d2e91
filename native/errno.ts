import { constants } from 'node:os';

/** Where a helper call failed: opening, writing, reading the result file, the deadline, or the command's own result. */
export type SysfsStage = 'open' | 'write' | 'result' | 'command' | 'timeout' | 'read';

/**
 * A failed syscall or SCST command, shaped like Node's fs errors: `code` is the errno name
 * (EINVAL, EEXIST, EAGAIN, ETIMEDOUT...). reconciler/host/local.ts turns it into an ErrnoError.
 */
export class SysfsError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly stage: SysfsStage;
  readonly path: string;

  constructor(opts: { code: string; errno: number; stage: SysfsStage; path: string; cause?: unknown }) {
    super(`${opts.code} (${opts.stage}) on ${opts.path}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SysfsError';
    this.code = opts.code;
    this.errno = opts.errno;
    this.stage = opts.stage;
    this.path = opts.path;
  }
}

let names: Map<number, string> | undefined;

/** errno number -> name (the first name Node lists, so EAGAIN rather than EWOULDBLOCK). */
export function errnoName(n: number): string {
  if (!names) {
    names = new Map();
    for (const [k, v] of Object.entries(constants.errno)) if (!names.has(v)) names.set(v, k);
  }
  return names.get(n) ?? `E${n}`;
}

/** errno name -> number (0 when unknown). */
export function errnoNumber(name: string): number {
  return (constants.errno as Record<string, number>)[name] ?? 0;
}

/** Errno name of a Node fs error, or undefined when it is not one. */
export function fsErrorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

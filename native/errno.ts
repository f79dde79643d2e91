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

/**
 * Linux errnos (asm-generic numbering: x86, arm, arm64) that Node's os.constants.errno leaves
 * out, among them SCST's EBADSLT and DRBD's EMEDIUMTYPE.
 */
const LINUX_EXTRA: Record<string, number> = {
  ENOTBLK: 15, ECHRNG: 44, EL2NSYNC: 45, EL3HLT: 46, EL3RST: 47, ELNRNG: 48, EUNATCH: 49,
  ENOCSI: 50, EL2HLT: 51, EBADE: 52, EBADR: 53, EXFULL: 54, ENOANO: 55, EBADRQC: 56, EBADSLT: 57,
  EBFONT: 59, ENONET: 64, ENOPKG: 65, EREMOTE: 66, EADV: 68, ESRMNT: 69, ECOMM: 70, EDOTDOT: 73,
  ENOTUNIQ: 76, EBADFD: 77, EREMCHG: 78, ELIBACC: 79, ELIBBAD: 80, ELIBSCN: 81, ELIBMAX: 82,
  ELIBEXEC: 83, ERESTART: 85, ESTRPIPE: 86, EUSERS: 87, ESOCKTNOSUPPORT: 94, EPFNOSUPPORT: 96,
  ESHUTDOWN: 108, ETOOMANYREFS: 109, EHOSTDOWN: 112, EUCLEAN: 117, ENOTNAM: 118, ENAVAIL: 119,
  EISNAM: 120, EREMOTEIO: 121, ENOMEDIUM: 123, EMEDIUMTYPE: 124, ENOKEY: 126, EKEYEXPIRED: 127,
  EKEYREVOKED: 128, EKEYREJECTED: 129, EOWNERDEAD: 130, ENOTRECOVERABLE: 131, ERFKILL: 132,
};

let names: Map<number, string> | undefined;
let numbers: Record<string, number> | undefined;

/** errno number -> name (the first name Node lists, so EAGAIN rather than EWOULDBLOCK). */
export function errnoName(n: number): string {
  if (!names) {
    names = new Map();
    for (const [k, v] of [...Object.entries(constants.errno), ...Object.entries(LINUX_EXTRA)]) if (!names.has(v)) names.set(v, k);
  }
  return names.get(n) ?? `E${n}`;
}

/** errno name -> number (0 when unknown). */
export function errnoNumber(name: string): number {
  numbers ??= { ...LINUX_EXTRA, ...(constants.errno as Record<string, number>) };
  return numbers[name] ?? 0;
}

/**
 * Errno name of a Node fs error, or undefined when it is not one. libuv names only the errnos it
 * knows (others arrive with code 'UNKNOWN' and a negative `errno`), so the number decides then.
 */
export function fsErrorCode(e: unknown): string | undefined {
  const { code, errno } = (e ?? {}) as { code?: unknown; errno?: unknown };
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
  return typeof errno === 'number' && errno < 0 ? errnoName(-errno) : undefined;
}

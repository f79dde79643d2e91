/**
 * Every sanform error has a stable string `code` and structured `data`; tests check `code`,
 * never message text. One subclass per condition lives beside the code that raises it.
 */
export class SanformError<C extends string = string, D extends object = Record<string, unknown>> extends Error {
  readonly code: C;
  readonly data: D;
  readonly hint?: string;

  constructor(code: C, message: string, opts: { data?: D; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.data = opts.data ?? ({} as D);
    this.hint = opts.hint;
  }
}

/** A kernel-style failure: a sysfs write or read that failed with an errno (EINVAL, EEXIST...). */
export class ErrnoError extends SanformError<'ERRNO', { errno: string; path?: string; command?: string }> {
  constructor(errno: string, opts: { path?: string; command?: string; message?: string; cause?: unknown } = {}) {
    super('ERRNO', opts.message ?? `${errno}${opts.path ? ` on ${opts.path}` : ''}${opts.command ? `: ${opts.command}` : ''}`, {
      data: { errno, path: opts.path, command: opts.command },
      cause: opts.cause,
    });
  }
  get errno(): string {
    return this.data.errno;
  }
}

export const isErrno = (e: unknown, errno?: string): e is ErrnoError =>
  e instanceof ErrnoError && (errno === undefined || e.errno === errno);

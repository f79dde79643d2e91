import { SanformError } from '../core/errors.js';

/** The file or environment variable behind a secret could not be read. */
export class SecretUnavailableError extends SanformError<'SECRET_UNAVAILABLE', { secret: string; file?: string; env?: string }> {
  constructor(secret: string, where: { file?: string; env?: string }, cause?: unknown) {
    const what = where.file ? `file ${where.file}` : `environment variable ${where.env}`;
    super('SECRET_UNAVAILABLE', `secret '${secret}': cannot read ${what}`, {
      data: { secret, ...where },
      hint: where.file ? `create ${where.file} (mode 0600) holding the secret` : `export ${where.env}`,
      // an fs error names the path and errno only; anything else might carry content
      cause: (cause as NodeJS.ErrnoException | undefined)?.code ? cause : undefined,
    });
  }
}

/**
 * A secret reference or value sanform refuses to use: a file outside the secrets directory, not
 * a regular file, too large, or a value the kernel cannot carry. The message says which rule;
 * it never holds the value.
 */
export class SecretRejectedError extends SanformError<'SECRET_REJECTED', { secret: string; file?: string; env?: string; rule: string }> {
  constructor(secret: string, o: { file?: string; env?: string; rule: string; hint: string }) {
    const what = o.file ? `file ${o.file}` : `environment variable ${o.env}`;
    super('SECRET_REJECTED', `secret '${secret}' (${what}): ${o.rule}`, {
      data: { secret, file: o.file, env: o.env, rule: o.rule },
      hint: o.hint,
    });
  }
}

/** A secret name that `secrets:` does not declare. */
export class UnknownSecretError extends SanformError<'UNKNOWN_SECRET', { secret: string }> {
  constructor(secret: string) {
    super('UNKNOWN_SECRET', `secret '${secret}' is not declared under secrets:`, { data: { secret } });
  }
}

/**
 * The `--host` option: which machine a command acts on. Parsing only; turning a spec into a Host
 * needs the drivers' emulators and lives in cli/host.ts.
 */
import { SanformError } from '../core/errors.js';

export type HostSpec =
  /** this machine's kernel. */
  | { kind: 'local' }
  /** this machine, with /sys/kernel/scst_tgt read from DIR (a FUSE mount or a materialized tree). */
  | { kind: 'local'; sysfsRoot: string }
  /** the embedded emulators, with their state kept in DIR. */
  | { kind: 'sim'; dir: string };

export class HostSpecError extends SanformError<'HOST_SPEC_INVALID', { spec: string }> {
  constructor(spec: string) {
    super('HOST_SPEC_INVALID', `unknown --host '${spec}'`, {
      data: { spec },
      hint: "use 'local', 'local:SCST_DIR' (a mounted or materialized SCST tree) or 'sim:DIR'",
    });
  }
}

/** Parses 'local' | 'local:DIR' | 'sim:DIR'. DIR is kept as given (relative to the caller's cwd). */
export function parseHostSpec(spec: string): HostSpec {
  const i = spec.indexOf(':');
  const kind = i < 0 ? spec : spec.slice(0, i);
  const arg = i < 0 ? undefined : spec.slice(i + 1);
  if (kind === 'local' && arg === undefined) return { kind: 'local' };
  if (kind === 'local' && arg) return { kind: 'local', sysfsRoot: arg };
  if (kind === 'sim' && arg) return { kind: 'sim', dir: arg };
  throw new HostSpecError(spec);
}

/**
 * `sanform sim init DIR --files-for FILE`: the files a desired-state file expects on the machine,
 * made inside the emulated machine (DIR/files/<absolute path>), so an example plans and applies on
 * a fresh sim without touching /etc or /srv of the machine running it. Secret files get a random
 * CHAP-sized value (mode 0600); vdisk_fileio backing files an empty sparse image. Files already
 * there are kept. Environment secrets cannot be provided: they are listed for the caller.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { SanformModel } from '../../schema/model.js';

/** Size of a backing image made for a vdisk_fileio device (sparse: no disk space used). */
export const BACKING_IMAGE_BYTES = 1 << 30;

export interface Provisioned {
  /** absolute paths on the emulated machine, with what was put there. */
  created: { path: string; what: 'secret' | 'backing-file' }[];
  /** already there, left as they were. */
  kept: string[];
  /** `{env: NAME}` secrets: the variable must be set where sanform runs. */
  env: { secret: string; variable: string }[];
  /** `{file: relative}` secrets: read beside the desired-state file, not on the machine. */
  relative: { secret: string; file: string }[];
}

/** 16 printable characters: SCST wants CHAP secrets of 12 to 16 bytes for most initiators. */
const newSecret = (): string => randomBytes(12).toString('base64url').slice(0, 16);

export function provisionFiles(dir: string, model: SanformModel): Provisioned {
  const out: Provisioned = { created: [], kept: [], env: [], relative: [] };
  const place = (path: string, what: 'secret' | 'backing-file', make: (real: string) => void) => {
    const real = join(dir, 'files', path);
    if (existsSync(real)) return void out.kept.push(path);
    mkdirSync(dirname(real), { recursive: true, mode: 0o700 });
    make(real);
    out.created.push({ path, what });
  };
  for (const [name, spec] of Object.entries(model.secrets ?? {})) {
    if ('env' in spec) out.env.push({ secret: name, variable: spec.env });
    else if (!isAbsolute(spec.file)) out.relative.push({ secret: name, file: spec.file });
    else place(spec.file, 'secret', (real) => writeFileSync(real, `${newSecret()}\n`, { mode: 0o600 }));
  }
  for (const dev of Object.values(model.scst?.devices ?? {})) {
    const file = dev.filename;
    if (dev.handler !== 'vdisk_fileio' || !file || !isAbsolute(file) || file.startsWith('/dev/')) continue;
    place(file, 'backing-file', (real) => {
      const fd = openSync(real, 'w');
      try {
        ftruncateSync(fd, BACKING_IMAGE_BYTES);
      } finally {
        closeSync(fd);
      }
    });
  }
  return out;
}

/**
 * Builds the C floor reader (floor.c) into bench/out/ with the system's C compiler (`cc`, else
 * `gcc`); returns its path, or undefined with the reason when there is no compiler.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function buildFloor(): { path?: string; reason?: string } {
  const src = fileURLToPath(new URL('./floor.c', import.meta.url));
  const outDir = fileURLToPath(new URL('./out/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const path = `${outDir}floor`;
  for (const cc of ['cc', 'gcc']) {
    const r = spawnSync(cc, ['-O2', '-o', path, src], { encoding: 'utf8' });
    if (r.status === 0) return { path };
    if (!r.error) return { reason: `${cc} failed: ${r.stderr.trim()}` };
  }
  return { reason: 'no C compiler (cc or gcc) on PATH' };
}

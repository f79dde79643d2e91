/**
 * How this sanform was started and what it carries: the argv that starts it again
 * (`node bin/sanform.js`, `node bin/sanform-dev.js`, or the single executable alone) and, for the
 * single executable, the files it carries inside (the demo's example). Commands run in-process by
 * tests never pass through an entry script; they get the dev entry, which runs the sources.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** How an entry describes itself to `run` (entry.ts). */
export interface Self {
  argv: readonly string[];
  /** `build` (dist/), `sources` (tsx) or `single executable`: what `sanform version` says. */
  kind?: 'build' | 'sources' | 'single executable';
  /** a file of this checkout by its path relative to the repository root, when not on disk. */
  resource?: (rel: string) => string | undefined;
}

let started: Self | undefined;

/** Called once, by `run` in entry.ts. */
export function setSelf(self: Self | readonly string[]): void {
  started = Array.isArray(self) ? { argv: [...(self as readonly string[])] } : { ...(self as Self), argv: [...(self as Self).argv] };
}

/** The argv that starts this sanform (written into git hooks and the demo's launcher). */
export function sanformArgv(): string[] {
  return started ? [...started.argv] : [process.execPath, fileURLToPath(new URL('../bin/sanform-dev.js', import.meta.url))];
}

/** What runs: the build, the sources, or the single executable. */
export function selfKind(): NonNullable<Self['kind']> {
  return started?.kind ?? 'sources';
}

/** A file shipped with sanform (`examples/iscsi-chap.yaml`), by its path in the repository. */
export async function readResource(rel: string): Promise<string> {
  const carried = started?.resource?.(rel);
  if (carried !== undefined) return carried;
  return readFile(new URL(`../${rel}`, import.meta.url), 'utf8');
}

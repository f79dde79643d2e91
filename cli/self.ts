/**
 * How to start this sanform again: the argv its entry script reported (`node bin/sanform.js`,
 * `node bin/sanform-dev.js`, or the single executable alone). Commands run in-process by tests
 * never pass through an entry script; they get the dev entry, which runs the sources.
 */
import { fileURLToPath } from 'node:url';

let started: readonly string[] | undefined;

/** Called once, by `run` in entry.ts. */
export function setSelf(argv: readonly string[]): void {
  started = [...argv];
}

/** The argv that starts this sanform (written into git hooks and the demo's launcher). */
export function sanformArgv(): string[] {
  return started ? [...started] : [process.execPath, fileURLToPath(new URL('../bin/sanform-dev.js', import.meta.url))];
}

/**
 * What an entry script runs: `bin/sanform.js` (the compiled bundle in dist/), `bin/sanform-dev.js`
 * (the sources through tsx) and the single executable all call `run`. `self` is the argv that
 * starts this same sanform again; the git hooks and the demo's launcher are written with it, so a
 * hook installed by the dev entry runs the sources and one installed by the build runs the build.
 */
import { main } from './main.js';
import { setSelf, type Self } from './self.js';

export async function run(argv: string[], self: Self | string[]): Promise<number> {
  // A reader that goes away early (`sanform drift | head -1`) is not a crash: the rest of the
  // output is dropped, quietly, and the command still ends with its own exit code (2 for drift),
  // so `sanform drift | grep -q ...` under pipefail, or $PIPESTATUS, tells the truth.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
      throw e;
    });
  }
  setSelf(self);
  return main(argv);
}

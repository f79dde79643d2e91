import type { Command } from '../command.js';
import { simActions } from './sim/index.js';

const usage = (): string =>
  [
    'Usage: sanform sim ACTION ...',
    '',
    'Actions:',
    ...simActions.flatMap((a) => [`  ${a.name}: ${a.summary}`, ...a.usage.split('\n').map((l) => `    ${l}`)]),
    '',
    'Exit codes: 0 ok, 1 error.',
  ].join('\n');

/** `sanform sim`: the emulated machine (DIR is what `--host sim:DIR` points at). */
export const sim: Command = {
  name: 'sim',
  summary: 'create, inspect and drive an emulated SCST machine',
  get usage() {
    return usage();
  },
  get options() {
    return Object.assign({}, ...simActions.map((a) => a.options ?? {}));
  },
  positionals: true,
  async run(args, io) {
    const [name, ...rest] = args.positionals;
    const action = simActions.find((a) => a.name === name);
    if (!action) {
      io.stderr.write(`sanform sim: ${name ? `unknown action '${name}'` : 'missing action'}\n\n${usage()}\n`);
      return 1;
    }
    return action.run(rest, args.values, io);
  },
};

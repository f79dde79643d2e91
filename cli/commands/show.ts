/** `sanform show PLANFILE`: a saved plan (sanform plan --out) rendered as plan would print it. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { flag, useColor } from '../engine-io.js';
import { SanformError } from '../../reconciler/core/errors.js';
import { parsePlan, renderCommands, renderJson, renderMarkdown, renderText } from '../../reconciler/render/index.js';
import { refuseConflicts } from '../usage.js';

export const showCommand = {
  name: 'show',
  summary: 'print a saved plan (sanform plan --out FILE) as text, Markdown or JSON',
  usage: `Usage: sanform show PLANFILE [--commands | --markdown | --json]

Renders a plan saved with 'sanform plan --out FILE' the way 'sanform plan' printed it, without
touching any machine: review it before 'sanform apply FILE'. Secrets appear as fingerprints.
'sanform apply FILE' re-observes first and refuses a plan the live state has moved away from
(PLAN_STALE); show does not check that.

Options:
  --commands   also print the exact kernel writes and commands (secrets as <secret NAME>)
  --markdown   Markdown, for a pull-request comment
  --json       the plan as canonical JSON (docs/plan-format.md)

Exit codes: 0, 1 error (no such file, not a plan, a plan of another major format version).
`,
  positionals: true,
  options: { commands: { type: 'boolean' }, markdown: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(args, io) {
    refuseConflicts(args, [
      ['json', 'markdown', 'the plan is printed in one format'],
      ['json', 'commands', '--commands is a part of the text view; the JSON has every op'],
      ['markdown', 'commands', '--commands is a part of the text view'],
    ]);
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new SanformError('USAGE', 'show needs the plan file: sanform show PLANFILE', { hint: 'save one with sanform plan --out FILE' });
    if (extra.length > 0) throw new SanformError('USAGE', `show takes one plan file; got ${args.positionals.length} arguments`);
    const path = resolve(io.cwd, file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new SanformError('PLAN_FILE_NOT_FOUND', `cannot read plan file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
        data: { path },
        hint: 'save one with sanform plan --out FILE',
        cause: e,
      });
    }
    const plan = parsePlan(text, file);
    if (flag(args, 'json')) io.stdout.write(renderJson(plan));
    else if (flag(args, 'markdown')) io.stdout.write(renderMarkdown(plan, {}));
    else {
      io.stdout.write(renderText(plan, { color: useColor(io) }));
      if (flag(args, 'commands')) io.stdout.write(`\n${renderCommands(plan)}`);
    }
    return 0;
  },
} satisfies Command;

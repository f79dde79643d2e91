/** `sanform schema`: print the composed JSON Schema of sanform.yaml as one self-contained document. */
import { bundleSchema } from '../../schema/index.js';
import type { Command } from '../command.js';

export const schemaCommand = {
  name: 'schema',
  summary: 'print the JSON Schema of sanform.yaml (one self-contained document)',
  usage: `Usage: sanform schema

Prints the JSON Schema (draft 2020-12) of the desired-state file, with every section composed
into one document, for editors and CI. With the YAML language server:
  sanform schema > sanform.schema.json
and put \`# yaml-language-server: $schema=./sanform.schema.json\` at the top of sanform.yaml.

Exit codes: 0.
`,
  options: {},
  async run(_args, io) {
    io.stdout.write(`${JSON.stringify(bundleSchema(), null, 2)}\n`);
    return 0;
  },
} satisfies Command;

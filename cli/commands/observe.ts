import type { Command } from '../command.js';
import { drivers } from '../drivers.js';
import { hostFor, logger, str, writeOutFile } from '../engine-io.js';
import { observe } from '../../reconciler/snapshot/index.js';
import { serializeSnapshot, observedHash } from '../../reconciler/snapshot/index.js';

export const observeCommand = {
  name: 'observe',
  summary: 'read the live state into a snapshot file (for offline plans)',
  usage: `Usage: sanform observe [--host SPEC] [--node NAME] [--out SNAPSHOT.json]

Writes the observed state (canonical JSON, secrets as fingerprints) to --out, or to stdout.
'sanform plan --observed SNAPSHOT.json' plans against it without access to the machine.

Exit codes: 0 success, 1 error.
`,
  options: { out: { type: 'string' } },
  async run(args, io) {
    const log = logger(args, io);
    const host = await hostFor(args, io);
    try {
      const node = str(args, 'node') ?? (await host.hostname());
      const t0 = performance.now();
      const snap = await observe(host, drivers, { node });
      log.info({ node, resources: snap.resources.size, ms: Math.round(performance.now() - t0), hash: observedHash(snap) }, 'observed');
      const text = serializeSnapshot(snap);
      const out = str(args, 'out');
      if (out) {
        await writeOutFile({ file: out, text, io });
        io.stderr.write(`Observed ${snap.resources.size} resources on ${node}; wrote ${out}.\n`);
      } else io.stdout.write(text);
      return 0;
    } finally {
      await host.close?.();
    }
  },
} satisfies Command;

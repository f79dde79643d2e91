import type { Command } from '../command.js';
import { drivers } from '../drivers.js';
import { configPath, flag, hostFor, logger, printDiagnostics, str, useColor } from '../engine-io.js';
import { drift } from '../../reconciler/pipeline.js';
import type { ObjectDrift } from '../../reconciler/drift/objects.js';
import { canonicalJson } from '../../reconciler/snapshot/index.js';
import { changeText } from '../../reconciler/render/text.js';
import { paint } from '../../reconciler/render/style.js';

const UNMANAGED_WHY = 'unmanaged: not in the file, not created or adopted by sanform; left alone (policy.prune: all deletes it)';

/** The drift class of an entry in --json (`driftClass`, beside the impacts' own `class`). */
const driftFields = (k: ObjectDrift | undefined) => (k ? { driftClass: k.class, why: k.why } : {});

export const driftCommand = {
  name: 'drift',
  summary: 'report where the live system differs from the desired state',
  usage: `Usage: sanform drift [-c FILE] [--host SPEC] [--json]

Lists every difference between the live system and the desired state (objects with drift mode
'off' and policy.drift.ignore fields left out), each with its drift class: operator (changed by
hand), kernel (the kernel dropped objects: iscsi-scstd restarted), hardware (a port is gone, an
md array degraded, a bcache cache device or a btier member went away), failover (the value a peer
node expects). --json gives every entry "driftClass" and "why".
Live objects the file does not list that sanform neither created nor adopted are listed as
unmanaged (drift class operator, "unmanaged" in --json): never corrected or deleted.
Changes nothing.

Exit codes: 0 no drift, 1 error, 2 drift found,
3 an apply is in progress on the machine (APPLY_IN_PROGRESS): nothing was planned.
`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const log = logger(args, io);
    const host = await hostFor(args, io);
    try {
      const r = await drift({ config: configPath(args, io), host, drivers, node: str(args, 'node'), env: io.env, refuseDuringApply: true });
      printDiagnostics(r.diagnostics, io, { warnings: 'count', args });
      if (!r.ok) return 1;
      const items = r.drift ?? [];
      const guarded = new Set(r.guarded ?? []);
      const impossible = new Set(r.plan.blocked.filter((b) => b.unavailable !== undefined).map((b) => b.address));
      const classOf = (a: string) => r.classes?.get(a);
      // live objects the file does not list that sanform never made or adopted: operator drift, never corrected
      const unmanaged = r.plan.unmanaged ?? [];
      const found = items.length + unmanaged.length;
      log.info({ node: r.node, drift: found }, 'drift checked');
      if (flag(args, 'json')) {
        const drift = items.map((c) => ({ ...c, guarded: guarded.has(c.address), ...driftFields(classOf(c.address)) }));
        const extra = unmanaged.map((u) => ({ ...u, driftClass: 'operator', why: UNMANAGED_WHY }));
        io.stdout.write(`${canonicalJson({ formatVersion: 1, node: r.node, observedHash: r.plan.observedHash, drift, ...(extra.length ? { unmanaged: extra } : {}) }, 2)}\n`);
      } else if (found === 0) {
        io.stdout.write('No drift. The live system matches the desired state.\n');
      } else {
        const p = paint(useColor(io));
        io.stdout.write(`Drift on ${r.node}: ${found} object(s) differ from the desired state.\n\n`);
        for (const c of items) {
          const lines = changeText(c, p);
          const k = classOf(c.address);
          if (k) lines[0] += `  drift: ${k.class} (${k.why})`;
          if (guarded.has(c.address)) lines[0] += `${k ? ';' : ' '} ${impossible.has(c.address) ? 'this machine cannot make it' : 'correcting it needs an approval'}`;
          io.stdout.write(`${lines.join('\n')}\n`);
        }
        for (const u of unmanaged) io.stdout.write(`  ? ${u.address}  drift: operator (${UNMANAGED_WHY})\n`);
      }
      return found > 0 ? 2 : 0;
    } finally {
      await host.close?.();
    }
  },
} satisfies Command;

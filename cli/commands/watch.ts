import type { Command } from '../command.js';
import { flag, str } from '../engine-io.js';
import { applyReportText, openGitops } from '../gitops-io.js';
import { driftLine } from '../../reconciler/alerts/format.js';
import { watchCycle } from '../../reconciler/watch/cycle.js';
import { startWatch } from '../../reconciler/watch/daemon.js';
import { parseInterval } from '../../reconciler/watch/interval.js';
import { pullText } from '../../reconciler/watch/upstream.js';

export const watchCommand = {
  name: 'watch',
  summary: 'daemon: apply new commits, re-observe every drift interval, alert and correct drift',
  usage: `Usage: sanform watch [--repo PATH] [--host SPEC] [--node NAME] [--once] [--interval D] [--upstream URL]

Watches the state repository's refs and applies main when it moves (a push, a rollback); every
policy.drift.interval it re-observes the host, classifies drift (operator, kernel, hardware,
failover), records the observed state on refs/sanform/<node>/observed, alerts through the alerts:
sinks, and converges objects whose drift mode is correct (never hardware drift: a failed disk is
replaced by a person, not re-created over). At each drift check it also carries
out the snapshot sets of storage.snapshots (take what is due, send to the peer, prune by keep:),
alerting when a send fails or the peer falls more than two slots behind, and exporting
sanform_snapshot_age_seconds and sanform_replication_lag_seconds per set. Failed applies and unreachable sinks
are logged and alerted; they never end the daemon. SIGTERM or SIGINT stops it cleanly.
Logs are pino JSON on stderr at --log-level (default warn, as for every command: failures and
alerts); --log-level info adds a line per cycle that applied or found drift, and start/stop.

Options:
  --repo PATH      the state repository (default: $SANFORM_REPO)
  --once           one cycle, then exit (for cron)
  --interval D     drift interval (90s, 5m), overriding policy.drift.interval
  --upstream URL   pull this node's view from a fleet's central repository (ssh or a path) each
                   cycle: only a commit signed by an allowed key, and only once the earlier
                   waves applied it; records are pushed back (default: the repo's
                   sanform.upstream, set by init --upstream; docs/fleet.md)

Exit codes: 0 stopped cleanly / no drift; with --once: 2 drift found, 1 apply failed, upstream
commit refused, an earlier wave failed, a snapshot set failed, or error.
`,
  options: { repo: { type: 'string' }, once: { type: 'boolean' }, interval: { type: 'string' }, upstream: { type: 'string' } },
  async run(args, io) {
    const g = await openGitops(args, io, { upstream: str(args, 'upstream') ?? '' });
    try {
      if (flag(args, 'once')) {
        const r = await watchCycle(g.ctx, {}, new Set(['start']));
        const pulled = r.pulled && pullText(r.pulled);
        if (pulled) io.stdout.write(`upstream: ${pulled.summary}\n`);
        if (r.pulled?.status === 'moved') io.stdout.write(`upstream: ${r.pulled.main.slice(0, 12)} verified (signed by ${r.pulled.principal})\n`);
        if (r.applied) io.stdout.write(applyReportText(r.applied));
        if (r.drift) {
          io.stdout.write(r.drift.items.length ? `${r.drift.items.map(driftLine).join('\n')}\n` : 'No drift.\n');
          if (r.drift.corrected) io.stdout.write(applyReportText(r.drift.corrected));
          for (const line of [...(r.drift.scheduled?.lines ?? []), ...(r.drift.scheduled?.errors ?? []).map((e) => `failed: ${e}`)]) io.stdout.write(`${line}\n`);
        }
        if (r.applied && r.applied.status !== 'applied') return 1;
        if (r.pulled?.status === 'refused' || (r.pulled?.status === 'held' && r.pulled.gate.because === 'failed')) return 1;
        if (r.drift?.scheduled?.errors.length) return 1;
        return r.drift?.items.length ? 2 : 0;
      }
      const interval = str(args, 'interval');
      const loop = await startWatch({ ctx: g.ctx, intervalMs: interval ? parseInterval(interval) : undefined });
      await g.ctx.alerter.metrics?.start().catch((e: Error) => g.ctx.logger.error({ error: e.message }, 'metrics listener could not start'));
      const stop = () => void loop.stop();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      g.ctx.logger.info({ repo: g.repo, node: g.node, host: g.host.id, pid: process.pid }, 'sanform watch started');
      await loop.stopped;
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      g.ctx.logger.info({}, 'sanform watch stopped');
      return 0;
    } finally {
      await g.close();
    }
  },
} satisfies Command;

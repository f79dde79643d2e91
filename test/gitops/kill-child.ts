/**
 * Child process of the kill -9 test: applies main of the state repo REPO to the emulated machine
 * SIM as `sanform apply --repo` does (lock, plan, apply, observe, record), and SIGKILLs itself
 * at POINT:
 *   write:N:before|after   the Nth kernel write (mgmt or attribute), before or after it took effect
 *   log:TEXT               the first log line containing TEXT ("finished; recording" falls between
 *                          the journal's end and the record commit, "record written" between the
 *                          record commit and the journal's `recorded` line)
 * Usage: node --import tsx kill-child.ts REPO SIM NODE POINT
 */
import { openSimHost } from '../../drivers/sim/index.js';
import { scstDriver } from '../../drivers/scst/index.js';
import { interceptHost } from '../../reconciler/host/intercept.js';
import { gitopsContext } from '../../reconciler/watch/context.js';
import { applyRevision } from '../../reconciler/watch/converge.js';
import { pipelineEngine } from '../../reconciler/watch/engine.js';
import type { AlertLogger } from '../../reconciler/alerts/types.js';

const [repo, simDir, node, point] = process.argv.slice(2) as [string, string, string, string];
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
const sim = await openSimHost(simDir);
const write = /^write:(\d+):(before|after)$/.exec(point);
const host = write
  ? interceptHost(sim, { match: { kind: ['mgmt', 'writeAttr'], nth: Number(write[1]) }, after: write[2] === 'after', crash: die })
  : sim;
const at = point.startsWith('log:') ? point.slice(4) : undefined;
const logger: AlertLogger = {
  info: (_o, msg) => void (at && msg?.includes(at) && die()),
  warn: (_o, msg) => void (at && msg?.includes(at) && die()),
  error: (_o, msg) => void (at && msg?.includes(at) && die()),
};
const engine = pipelineEngine({ host, drivers: [scstDriver], node });
const ctx = await gitopsContext({ repo, node, hostId: host.id, stateDir: host.stateDir, engine, logger });
const r = await applyRevision(ctx, { rev: 'refs/heads/main', kind: 'apply' });
process.stdout.write(`finished without being killed: ${r.status}\n`);

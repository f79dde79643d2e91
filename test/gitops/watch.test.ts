/**
 * The watch daemon on an emulated host: changes made behind sanform's back are reported as drift
 * of the right class within one interval, alerts reach a webhook (127.0.0.1) that fails twice
 * then succeeds exactly once, a push is handed to the running daemon, and drift in correct mode is
 * repaired.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { drivers } from '../../cli/drivers.js';
import { openSimHost, type SimHost } from '../../drivers/sim/index.js';
import type { Alert } from '../../reconciler/alerts/types.js';
import { gitopsContext } from '../../reconciler/watch/context.js';
import { startWatch } from '../../reconciler/watch/daemon.js';
import { pipelineEngine } from '../../reconciler/watch/engine.js';
import type { GitopsContext } from '../../reconciler/watch/types.js';
import { git, makeWorld, type World } from './helpers.js';

const IQN = 'iqn.2026-01.com.example:esos.vm';
const FC = '21:00:00:24:ff:00:00:01';
const INTERVAL = 600;

const yaml = (mode: 'warn' | 'correct', url: string) => `version: 1
scst:
  devices:
    lun0: { handler: vdisk_nullio, dummy: true }
    vm1: { handler: vdisk_blockio, filename: /dev/sdb }
  targets:
    iscsi:
      ${IQN}:
        luns: { 0: lun0 }
        groups:
          esx: { initiators: [iqn.1998-01.com.vmware:esx1], luns: { 0: vm1 } }
      iqn.2026-01.com.example:esos.backup:
        luns: { 0: lun0 }
    qla2x00t:
      "${FC}":
        groups:
          esx: { initiators: ["21:00:00:24:ff:aa:00:01"], luns: { 0: vm1 } }
policy:
  drift: { mode: ${mode}, interval: 60s }
alerts:
  - type: webhook
    url: ${url}
`;

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('watch daemon (emulated host)', () => {
  let w: World;
  let server: Server;
  let url: string;
  let requests = 0;
  const delivered: { at: number; alert: Alert }[] = [];
  let host: SimHost;
  let ctx: GitopsContext;
  let loop: Awaited<ReturnType<typeof startWatch>>;
  const logs: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (++requests <= 2) return void res.writeHead(503).end();
        delivered.push({ at: Date.now(), alert: JSON.parse(body) as Alert });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/alerts`;
    w = await makeWorld('sanform-watch-');
    const p = w.push(yaml('warn', url), 'storage, drift warn');
    assert.equal(p.status, 0, p.all);
    host = await openSimHost(w.sim);
    const log = (level: string) => (obj: object, msg?: string) => void logs.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
    const logger = { info: log('info'), warn: log('warn'), error: log('error') };
    const engine = pipelineEngine({ host, drivers, node: w.node });
    ctx = await gitopsContext({ repo: w.repo, node: w.node, hostId: host.id, stateDir: host.stateDir, engine, logger, webhook: { backoffMs: 50 } });
    loop = await startWatch({ ctx, intervalMs: INTERVAL, debounceMs: 100 });
  });
  after(async () => {
    await loop?.stop();
    await ctx?.alerter.close();
    server.close();
    w?.cleanup();
  });

  const lastDrift = () => delivered.filter((d) => d.alert.kind === 'drift').at(-1);

  it('a LUN removed by hand is operator drift, alerted once through a flaky webhook', async () => {
    await sleep(INTERVAL); // the start-up cycle saw no drift
    assert.equal(delivered.length, 0, logs.join('\n'));
    const t0 = Date.now();
    await host.control.write(`/sys/kernel/scst_tgt/targets/iscsi/${IQN}/ini_groups/esx/luns/mgmt`, 'del 0');
    const d = await until('operator drift alert', () => lastDrift());
    assert.ok(d.at - t0 < INTERVAL + 2000, `seen after ${d.at - t0} ms`);
    const item = d.alert.drift!.find((i) => i.address === `scst/target/iscsi/${IQN}/group/esx/lun/0`);
    assert.equal(item?.class, 'operator');
    assert.equal(item?.found, 'absent');
    assert.equal(requests, 3); // two failures, then the one delivery
    assert.match(d.alert.record ?? '', /^[0-9a-f]{40}$/);
    assert.equal(git(w.repo, 'rev-parse', `refs/sanform/${w.node}/observed`).stdout.trim(), d.alert.record);
    await sleep(INTERVAL * 2.5); // the same drift is not alerted again
    assert.equal(delivered.filter((x) => x.alert.kind === 'drift').length, 1);
  });

  it('the iSCSI daemon restarting is kernel drift; an unplugged FC port is hardware drift', async () => {
    await host.control.iscsiDaemon('down');
    const k = await until('kernel drift', () => (lastDrift()?.alert.drift?.some((i) => i.class === 'kernel') ? lastDrift() : undefined));
    assert.equal(k.alert.drift!.find((i) => i.address === `scst/target/iscsi/${IQN}`)?.class, 'kernel');
    assert.equal(k.alert.severity, 'critical');
    await host.control.unplug(FC);
    const h = await until('hardware drift', () => (lastDrift()?.alert.drift?.some((i) => i.class === 'hardware') ? lastDrift() : undefined));
    assert.equal(h.alert.drift!.find((i) => i.address === `scst/target/qla2x00t/${FC}/group/esx`)?.class, 'hardware');
    await host.control.iscsiDaemon('up');
    await host.control.plug(FC);
  });

  it('a push is handed to the running daemon, and correct mode repairs drift', async () => {
    const before = git(w.repo, 'rev-parse', `refs/sanform/${w.node}/applied`).stdout.trim();
    const p = await w.pushAsync(yaml('correct', url), 'drift: correct');
    assert.equal(p.status, 0, p.all);
    assert.match(p.all, /handed [0-9a-f]{12} to the watch daemon/);
    assert.match(p.all, /remote: sanform: apply ok/);
    assert.notEqual(git(w.repo, 'rev-parse', `refs/sanform/${w.node}/applied`).stdout.trim(), before);
    const lun = `/sys/kernel/scst_tgt/targets/iscsi/${IQN}/ini_groups/esx/luns`;
    assert.ok((await host.sysfs.list(lun)).includes('0'));
    await host.control.write(`${lun}/mgmt`, 'del 0');
    await until('the LUN re-created', async () => (await host.sysfs.list(lun)).includes('0'));
    const rec = await until('the correction recorded', () => {
      const meta = JSON.parse(git(w.repo, 'show', `refs/sanform/${w.node}/applied:record.json`).stdout) as { kind: string; ok: boolean };
      return meta.kind === 'correct' ? meta : undefined;
    });
    assert.equal(rec.ok, true);
    const fixed = lastDrift()!.alert.drift!.find((i) => i.address === `scst/target/iscsi/${IQN}/group/esx/lun/0`);
    assert.equal(fixed?.mode, 'correct');
  });
});

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DriftItem } from '../drift/types.js';
import { buildAlerter, defaultFormat } from './dispatch.js';
import { driftAlert } from './format.js';
import { parseListen, renderMetrics, emptyMetrics } from './metrics.js';
import type { AlertLogger } from './types.js';

const item: DriftItem = {
  address: 'scst/device/d0', kind: 'scst.device', action: 'update', field: 'attributes.prod_id',
  expected: 'X', found: 'Y', class: 'operator', mode: 'warn', why: 'by hand',
};
const alert = driftAlert({ node: 'a', items: [item], record: 'c0ffee'.padEnd(40, '0'), time: new Date(0) });

function memLogger(): AlertLogger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
}

describe('alerts', () => {
  let dir: string;
  let server: Server;
  let url: string;
  const received: string[] = [];
  let requests = 0;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-alerts-'));
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests += 1;
        if (requests <= 2) return void res.writeHead(503).end();
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a drift alert names address, field, expected, found and the record commit', () => {
    assert.equal(alert.kind, 'drift');
    assert.equal(alert.severity, 'warning');
    assert.deepEqual(alert.drift?.[0], item);
    assert.equal(alert.record?.slice(0, 6), 'c0ffee');
  });

  it('a webhook that fails twice then succeeds receives the alert once', async () => {
    const sleeps: number[] = [];
    const logger = memLogger();
    const alerter = buildAlerter({
      specs: [{ type: 'webhook', url }], node: 'a', logger,
      webhook: { sleep: async (ms) => void sleeps.push(ms), backoffMs: 100 },
    });
    const results = await alerter.raise(alert);
    assert.deepEqual(results.map((r) => [r.sink.split(':')[0], r.ok]), [['log', true], ['webhook', true]]);
    assert.equal(requests, 3);
    assert.equal(received.length, 1);
    assert.deepEqual(JSON.parse(received[0]!).drift[0], item);
    assert.deepEqual(sleeps, [100, 200]);
    assert.equal(logger.lines[0]?.level, 'warn');
  });

  it('an unreachable webhook and a failing command are reported, never thrown', async () => {
    const logger = memLogger();
    const alerter = buildAlerter({
      specs: [{ type: 'webhook', url: 'http://127.0.0.1:1/none', retries: 1 }, { type: 'command', argv: ['/nonexistent/sendmail'] }],
      node: 'a', logger, webhook: { sleep: async () => undefined },
    });
    const results = await alerter.raise(alert);
    assert.deepEqual(results.map((r) => [r.ok, r.error?.code]), [[true, undefined], [false, 'ALERT_SINK_FAILED'], [false, 'ALERT_SINK_FAILED']]);
  });

  it('the command sink passes JSON on stdin and never runs a shell', async () => {
    const out = join(dir, 'cmd.json');
    const script = 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>require("fs").writeFileSync(process.argv[1],s+"\\n"+process.argv[2]))';
    const alerter = buildAlerter({ specs: [{ type: 'command', argv: [process.execPath, '-e', script, out, '$(touch pwned); rm -rf x'] }], node: 'a', logger: memLogger() });
    const [, r] = await alerter.raise(alert);
    assert.equal(r?.ok, true);
    const text = readFileSync(out, 'utf8');
    const cut = text.lastIndexOf('\n');
    const [json, arg] = [text.slice(0, cut), text.slice(cut + 1)];
    assert.equal(JSON.parse(json).drift[0].address, 'scst/device/d0');
    assert.equal(arg, '$(touch pwned); rm -rf x');
    assert.equal(readdirSync(process.cwd()).includes('pwned'), false);
  });

  it('the command sink can format a mail for sendmail -t', async () => {
    const out = join(dir, 'mail.txt');
    const script = 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>require("fs").writeFileSync(process.argv[1],s))';
    const spec = { type: 'command' as const, argv: [process.execPath, '-e', script, out], format: 'mail' as const, to: 'ops@example.com' };
    await buildAlerter({ specs: [spec], node: 'a', logger: memLogger() }).raise(alert);
    const mail = readFileSync(out, 'utf8');
    assert.match(mail, /^To: ops@example.com\nSubject: \[warning\] sanform drift on a/);
    assert.match(mail, /scst\/device\/d0 attributes.prod_id: expected X, found Y \[operator\]/);
    assert.deepEqual([defaultFormat(['/usr/sbin/sendmail', '-t']), defaultFormat(['ssmtp']), defaultFormat(['/bin/logger'])], ['mail', 'mail', 'json']);
  });

  it('metrics: text file written atomically and served on /metrics', async () => {
    const textfile = join(dir, 'prom', 'sanform.prom');
    const alerter = buildAlerter({ specs: [{ type: 'metrics', textfile, listen: '127.0.0.1:0' }], node: 'a', logger: memLogger() });
    const m = alerter.metrics!;
    await m.start();
    m.state.driftObjects.kernel = 3;
    m.state.planChanges.benign = 2;
    m.state.lastApplySuccessSeconds = 1700000000;
    m.state.reconcileDurationSeconds = 0.25;
    await alerter.raise(alert);
    const text = readFileSync(textfile, 'utf8');
    assert.match(text, /^sanform_drift_objects\{node="a",class="kernel"\} 3$/m);
    assert.match(text, /^sanform_plan_changes\{node="a",impact="benign"\} 2$/m);
    assert.match(text, /^sanform_last_apply_success_timestamp_seconds\{node="a"\} 1700000000$/m);
    assert.match(text, /^sanform_reconcile_duration_seconds\{node="a"\} 0.25$/m);
    assert.match(text, /^sanform_alerts_total\{node="a"\} 1$/m);
    assert.deepEqual(readdirSync(join(dir, 'prom')), ['sanform.prom']);
    const res = await fetch(`http://127.0.0.1:${m.port()}/metrics`);
    assert.equal(await res.text(), text);
    await alerter.close();
    assert.deepEqual(parseListen(':9464'), { host: '127.0.0.1', port: 9464 });
    assert.doesNotMatch(renderMetrics(emptyMetrics('a')), /reconcile_duration/);
  });
});

// Every example under examples/ is a fixture: it must load with no errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDesired, providedDevices } from '../../reconciler/load/index.js';

const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
const examples = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isDirectory() || e.name.endsWith('.yaml') || e.name.endsWith('.yml'))
  .map((e) => e.name)
  .sort();

test('the four required examples exist', () => {
  for (const name of ['iscsi-chap.yaml', 'fc-iscsi-masking.yaml', 'ha-drbd-alua', 'tiered-backend.yaml']) assert.ok(examples.includes(name), name);
});

for (const name of examples) {
  test(`example ${name} is valid`, async () => {
    const r = await loadDesired(join(dir, name));
    assert.ok(r.ok, JSON.stringify(r.diagnostics, null, 1));
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  });
}

test('iscsi-chap uses only the emulator default disks, nullio, and files under /srv/sanform', async () => {
  const r = await loadDesired(join(dir, 'iscsi-chap.yaml'));
  assert.ok(r.ok);
  for (const dev of Object.values(r.model.scst?.devices ?? {})) {
    if (dev.handler === 'vdisk_nullio') continue;
    if (dev.handler === 'vdisk_blockio') assert.match(dev.filename ?? '', /^\/dev\/sd[b-h]$/);
    else assert.match(dev.filename ?? '', /^\/srv\/sanform\//);
  }
  assert.ok(r.model.scst?.targets?.iscsi && Object.values(r.model.scst.targets.iscsi).some((t) => t.auth?.incoming?.length));
});

test('fc-iscsi-masking uses the emulator FC ports and read-only LUNs', async () => {
  const r = await loadDesired(join(dir, 'fc-iscsi-masking.yaml'));
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.model.scst?.targets?.qla2x00t ?? {}).sort(), ['21:00:00:24:ff:00:00:01', '21:00:00:24:ff:00:00:02']);
  const luns = Object.values(r.model.scst?.targets?.iscsi ?? {}).flatMap((t) => Object.values(t.groups ?? {}).flatMap((g) => Object.values(g.luns ?? {})));
  assert.ok(luns.some((l) => typeof l === 'object' && l.readOnly === true));
});

test('ha-drbd-alua: a pair whose SCST device sits on the DRBD volume', async () => {
  const r = await loadDesired(join(dir, 'ha-drbd-alua'));
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.model.nodes ?? {}), ['esos-a', 'esos-b']);
  assert.equal(providedDevices(r.model, 'esos-a').get('/dev/drbd0'), 'drbd/resource/r0');
  assert.equal(r.files.length, 3);
});

test('tiered-backend: every SCST device resolves to a declared layer', async () => {
  const r = await loadDesired(join(dir, 'tiered-backend.yaml'));
  assert.ok(r.ok);
  const provided = providedDevices(r.model);
  for (const dev of Object.values(r.model.scst?.devices ?? {})) assert.ok(provided.has(dev.filename ?? ''), dev.filename);
  assert.deepEqual(r.diagnostics, []);
});

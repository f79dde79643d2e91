import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change, Plan } from '../core/change.js';
import type { Resource } from '../core/resource.js';
import { parsePlan } from '../render/json.js';
import { PLAN_RECORD_FORM, planRecordText } from './plan-record.js';
import { scrubbedJson } from './snapshot-files.js';

const res = (address: string, spec: Record<string, unknown>, deps: string[] = []): Resource => ({ address, kind: 'scst.device', driver: 'scst', spec, deps });
const op = { type: 'mgmt' as const, path: '/sys/kernel/scst_tgt/handlers/vdisk_nullio/mgmt', command: 'add_device d1' };

function change(over: Partial<Change> & Pick<Change, 'address' | 'action'>): Change {
  return { kind: 'scst.device', driver: 'scst', fields: [], impact: [{ class: 'benign', detail: 'x' }], reason: 'r', deps: [], stage: 'create-objects', ops: [op], ...over };
}

function plan(changes: Change[]): Plan {
  return {
    formatVersion: 1, node: 'a', observedHash: 'sha256:00', desiredRevision: 'f'.repeat(40), changes, blocked: [],
    summary: { create: 2, update: 1, replace: 0, delete: 1, blocked: 0, byImpact: { benign: 4 }, sessions: 0 },
  };
}

const sample = plan([
  change({ address: 'scst/device/new', action: 'create', after: res('scst/device/new', { handler: 'vdisk_nullio' }), fields: [{ field: 'handler', after: 'vdisk_nullio', inPlace: true }] }),
  change({ address: 'scst/device/bad', action: 'create', after: res('scst/device/bad', { handler: 'vdisk_nullio' }), fields: [{ field: 'handler', after: 'vdisk_nullio', inPlace: true }] }),
  change({
    address: 'scst/target/iscsi/t/chap/esx', action: 'update', kind: 'scst.chap', stage: 'attributes',
    before: res('scst/target/iscsi/t/chap/esx', { secret: 'old-value' }), after: res('scst/target/iscsi/t/chap/esx', { secret: 'new-value' }),
    fields: [{ field: 'secret', before: 'old-value', after: 'new-value', inPlace: true }],
  }),
  change({ address: 'scst/device/old', action: 'delete', stage: 'teardown-objects', before: res('scst/device/old', { handler: 'vdisk_fileio' }, ['scst/core']), fields: [] }),
]);

const lines = (text: string) => text.split('\n').filter((l) => l.startsWith('{"action"')).map((l) => JSON.parse(l.replace(/,$/, '')) as Record<string, unknown>);

describe('plan.json of a record', () => {
  it('keeps what was decided, drops ops, deps and the after object; an applied create keeps no fields', () => {
    const text = planRecordText(sample, new Set(['scst/device/new', 'scst/target/iscsi/t/chap/esx', 'scst/device/old']));
    const [created, failed, updated, deleted] = lines(text);
    assert.deepEqual(created, { action: 'create', address: 'scst/device/new', impact: [{ class: 'benign', detail: 'x' }], kind: 'scst.device', reason: 'r', stage: 'create-objects' });
    assert.ok(text.includes(`\n${scrubbedJson(created)},\n`), 'the quick line of an applied create is the canonical one');
    assert.deepEqual(failed!.fields, [{ after: 'vdisk_nullio', field: 'handler', inPlace: true }]);
    assert.equal((updated!.fields as { field: string }[])[0]!.field, 'secret');
    assert.deepEqual(deleted!.before, { deps: ['scst/core'], driver: 'scst', spec: { handler: 'vdisk_fileio' } });
    for (const l of [created, failed, updated, deleted] as Record<string, unknown>[]) {
      assert.equal(l!.ops, undefined);
      assert.equal(l!.deps, undefined);
      assert.equal(l!.after, undefined);
    }
    const whole = JSON.parse(text) as Record<string, unknown>;
    assert.equal(whole.recordForm, PLAN_RECORD_FORM);
    assert.equal((whole.changes as unknown[]).length, 4);
    assert.equal(whole.observedHash, 'sha256:00');
  });

  it('fingerprints the values of a field that names a secret', () => {
    const text = planRecordText(sample);
    assert.doesNotMatch(text, /old-value|new-value/);
    const updated = lines(text)[2]!;
    const [f] = updated.fields as { before: string; after: string }[];
    assert.match(f!.before, /^sha256:[0-9a-f]{12}$/);
    assert.notEqual(f!.before, f!.after);
  });

  it('is byte-stable, one change per line, and never parses as a plan apply would run', () => {
    const a = planRecordText(sample, new Set(['scst/device/new']));
    assert.equal(a, planRecordText(structuredClone(sample), new Set(['scst/device/new'])));
    assert.equal(lines(a).length, 4);
    assert.throws(() => parsePlan(a), { code: 'PLAN_FORMAT' });
  });

  it('stores anything that is not a plan as canonical JSON', () => {
    assert.equal(planRecordText({ b: 1, a: [] }), '{"a":[],"b":1}\n');
    assert.equal(planRecordText({ changes: [] }), '{"changes":[],"recordForm":1}\n');
  });
});

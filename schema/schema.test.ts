import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ROOT_SCHEMA, bundleSchema, schemaDocuments } from './index.js';
import type { SchemaObject } from './index.js';
import type * as M from './model.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ajvOpts = { allErrors: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;

/** Every `properties` entry under `node`, with its JSON pointer. */
function properties(node: unknown, ptr = ''): [string, Obj][] {
  if (Array.isArray(node)) return node.flatMap((n, i) => properties(n, `${ptr}/${i}`));
  if (!isObj(node)) return [];
  const out: [string, Obj][] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === 'examples' || k === 'const' || k === 'enum') continue;
    const p = `${ptr}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (k === 'properties' && isObj(v)) for (const [name, s] of Object.entries(v)) if (isObj(s)) out.push([`${p}/${name}`, s]);
    out.push(...properties(v, p));
  }
  return out;
}

test('top-level keys are exactly the seven sections', () => {
  const root = schemaDocuments.get(ROOT_SCHEMA) as Obj;
  assert.deepEqual(Object.keys(root.properties as Obj), ['version', 'nodes', 'secrets', 'storage', 'scst', 'policy', 'alerts']);
  assert.equal(root.additionalProperties, false);
});

test('every property has a description and examples that validate', () => {
  const bundle = bundleSchema();
  const ajv = new Ajv2020(ajvOpts);
  ajv.addSchema(bundle, 'bundle');
  const props = properties(bundle);
  assert.ok(props.length > 150, `only ${props.length} properties found`);
  for (const [ptr, s] of props) {
    assert.equal(typeof s.description, 'string', `${ptr} has no description`);
    assert.ok(Array.isArray(s.examples) && s.examples.length > 0, `${ptr} has no examples`);
    const validate = ajv.getSchema(`bundle#${ptr}`);
    assert.ok(validate, ptr);
    for (const ex of s.examples as unknown[]) assert.ok(validate(ex), `${ptr} example ${JSON.stringify(ex)}: ${ajv.errorsText(validate.errors)}`);
  }
});

test('the bundle is self-contained and agrees with the multi-file schema', () => {
  const bundle = bundleSchema();
  const refs = JSON.stringify(bundle).match(/"\$ref":"[^"]*"/g) ?? [];
  assert.ok(refs.length > 20);
  assert.ok(refs.every((r) => r.startsWith('"$ref":"#')), 'every $ref points inside the bundle');
  const single = new Ajv2020(ajvOpts).compile(bundle);
  const multiAjv = new Ajv2020(ajvOpts);
  for (const [path, doc] of schemaDocuments) multiAjv.addSchema(doc as SchemaObject, `https://sanform.invalid/schema/${path}`);
  const multi = multiAjv.getSchema(`https://sanform.invalid/schema/${ROOT_SCHEMA}`);
  assert.ok(multi);
  const docs: unknown[] = [
    { version: 1 },
    { version: 2 },
    { version: 1, scst: { devices: { d: { handler: 'vdisk_nullio', size: '1G' } } } },
    { version: 1, scst: { devices: { d: { handler: 'vdisk_nullio', bogus: 1 } } } },
    { version: 1, scst: { devices: { 'a.b': { handler: 'vdisk_nullio' } } } },
    { version: 1, alerts: [{ type: 'webhook' }] },
    { version: 1, secrets: { s: { file: '/x', env: 'Y' } } },
    { version: 1, storage: { drbd: { r0: { volumes: { 0: { device: '/dev/drbd0', disk: '/dev/sdb' } }, nodes: { a: { address: '1.2.3.4:7789' } } } } } },
  ];
  for (const d of docs) assert.equal(multi(d), single(d), JSON.stringify(d));
  assert.deepEqual(docs.map((d) => single(d)), [true, false, true, false, false, false, false, true]);
});

// ---- the TypeScript mirror (model.ts): same keys as the schema, checked at compile time and here

/** Compiles only when `k` lists every key of T (and nothing else). */
const allKeys = <T>() => <const K extends readonly (keyof T)[]>(k: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : never)) => k;

const mirrors: [string, readonly string[]][] = [
  ['', allKeys<M.SanformModel>()(['version', 'nodes', 'secrets', 'storage', 'scst', 'policy', 'alerts'])],
  ['/$defs/nodes/additionalProperties', allKeys<M.NodeSpec>()(['address', 'hostname', 'host', 'repo'])],
  ['/$defs/scst', allKeys<M.ScstSpec>()(['setupId', 'clusterName', 'attributes', 'devices', 'drivers', 'targets', 'alua'])],
  ['/$defs/scst/$defs/device', allKeys<M.DeviceSpec>()(['handler', 'filename', 'blocksize', 'readOnly', 'nvCache', 'oDirect', 'async', 'writeThrough', 'rotational', 'thinProvisioned', 'removable', 'dummy', 'size', 'active', 'clusterMode', 'bindAluaState', 't10DevId', 't10VendId', 'vendSpecificId', 'prodId', 'prodRevLvl', 'usn', 'naaId', 'eui64Id', 'scsiDeviceName', 'threadsNum', 'threadsPoolType', 'attributes', 'perNode', 'drift', 'node'])],
  ['/$defs/scst/$defs/target', allKeys<M.TargetSpec>()(['enabled', 'relTgtId', 'comment', 'luns', 'groups', 'auth', 'allowedPortals', 'npiv', 'attributes', 'perNode', 'drift', 'node'])],
  ['/$defs/scst/$defs/group', allKeys<M.GroupSpec>()(['initiators', 'luns', 'attributes'])],
  ['/$defs/scst/$defs/driver', allKeys<M.DriverSpec>()(['enabled', 'auth', 'attributes'])],
  ['/$defs/scst/$defs/iscsiAuth', allKeys<M.IscsiAuth>()(['incoming', 'outgoing'])],
  ['/$defs/scst/$defs/chapUser', allKeys<M.ChapUser>()(['user', 'secret'])],
  ['/$defs/scst/$defs/targetGroup', allKeys<M.TargetGroupSpec>()(['groupId', 'state', 'preferred', 'node', 'targets', 'perNode', 'attributes'])],
  ['/$defs/scst/$defs/deviceGroup', allKeys<M.DeviceGroupSpec>()(['devices', 'targetGroups', 'attributes'])],
  ['/$defs/storage', allKeys<M.StorageSpec>()(['md', 'lvm', 'drbd', 'bcache', 'btier', 'snapshots'])],
  ['/$defs/storage/$defs/snapshotSet', allKeys<M.SnapshotSetSpec>()(['btrfs', 'every', 'at', 'keep', 'consistency', 'replicate', 'node'])],
  ['/$defs/storage/$defs/retention', allKeys<M.Retention>()(['last', 'hourly', 'daily', 'weekly', 'monthly'])],
  ['/$defs/storage/$defs/md', allKeys<M.MdSpec>()(['level', 'devices', 'spares', 'chunk', 'metadata', 'name', 'node'])],
  ['/$defs/storage/$defs/vg', allKeys<M.VgSpec>()(['pvs', 'lvs', 'node'])],
  ['/$defs/storage/$defs/lv', allKeys<M.LvSpec>()(['size', 'type', 'cache', 'pvs'])],
  ['/$defs/storage/$defs/drbd', allKeys<M.DrbdSpec>()(['protocol', 'volumes', 'nodes', 'options'])],
  ['/$defs/storage/$defs/bcache', allKeys<M.BcacheSpec>()(['backing', 'cache', 'mode', 'attributes', 'node'])],
  ['/$defs/storage/$defs/btier', allKeys<M.BtierSpec>()(['devices', 'attributes', 'node'])],
  ['/$defs/policy', allKeys<M.PolicySpec>()(['drift', 'prune', 'approvals', 'ha'])],
  ['/$defs/policy/properties/ha', allKeys<M.HaPolicy>()(['manager', 'clusterOwned'])],
  ['/$defs/policy/properties/approvals/items', allKeys<M.Approval>()(['address', 'action', 'reason'])],
];

test('schema objects and model.ts interfaces have the same keys', () => {
  const bundle = bundleSchema();
  const at = (ptr: string): Obj => ptr.split('/').slice(1).reduce<Obj>((o, k) => o[k] as Obj, bundle);
  for (const [ptr, keys] of mirrors) {
    const s = at(ptr);
    const own = Object.keys((s.properties as Obj) ?? {});
    const ref = typeof s.$ref === 'string' ? Object.keys((at(s.$ref.slice(1)).properties as Obj) ?? {}) : [];
    assert.deepEqual(new Set([...own, ...ref]), new Set(keys), ptr || 'root');
  }
});

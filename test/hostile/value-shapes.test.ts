/**
 * Every value shape validate accepts converges (issue 9): a text value (a target's comment, a
 * device's t10_dev_id and prod_id, an attribute given as a string, a number or a boolean) written
 * in every YAML style (plain, quoted, block literal and folded with each chomping) is either
 * refused by validate with a located VALUE_* or SCHEMA_* diagnostic, or applied on a fresh
 * emulated machine, reads back equal, and leaves an empty next plan. Validate must not refuse
 * what SCST can carry either: a one-line value without leading or trailing whitespace, control
 * characters or `;`, within the field's byte limit, is accepted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Document, Scalar, isScalar, parse } from 'yaml';
import { scstDriver } from '../../drivers/scst/index.js';
import { createSimHost } from '../../drivers/sim/index.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import { loadDesiredTexts } from '../../reconciler/load/index.js';
import { applyPlan, loadAndPlan } from '../../reconciler/pipeline.js';
import { wellFormed } from '../../reconciler/secrets/read.js';

const drivers = [scstDriver];
const IQN = 'iqn.2026-01.com.example:shapes';
type Value = string | number | boolean;

interface Field {
  name: string;
  /** YAML path of the value in `base`, and the sysfs attribute it lands in. */
  path: (string | number)[];
  attr: string;
  /**
   * byte limit of the value; whether ';' is text (attribute writes only) rather than a
   * separator; whether the value is one word of add_device (no whitespace or '=').
   */
  max: number;
  semicolon: boolean;
  word: boolean;
  /** other value types the field takes (attributes: numbers and booleans). */
  scalars: boolean;
}

const FIELDS: Field[] = [
  { name: 'target comment', path: ['scst', 'targets', 'iscsi', IQN, 'comment'], attr: `targets/iscsi/${IQN}/comment`, max: 1024, semicolon: true, word: false, scalars: false },
  { name: 'device t10DevId', path: ['scst', 'devices', 'd0', 't10DevId'], attr: 'devices/d0/t10_dev_id', max: 25, semicolon: false, word: true, scalars: false },
  { name: 'device prodId', path: ['scst', 'devices', 'd0', 'prodId'], attr: 'devices/d0/prod_id', max: 16, semicolon: false, word: false, scalars: false },
  { name: 'attributes.t10_dev_id', path: ['scst', 'devices', 'd0', 'attributes', 't10_dev_id'], attr: 'devices/d0/t10_dev_id', max: 25, semicolon: false, word: true, scalars: true },
];

const base = (): Record<string, unknown> => ({
  version: 1,
  scst: { devices: { d0: { handler: 'vdisk_nullio' } }, targets: { iscsi: { [IQN]: { luns: { 0: 'd0' } } } } },
});

const STYLES = [Scalar.PLAIN, Scalar.QUOTE_SINGLE, Scalar.QUOTE_DOUBLE, Scalar.BLOCK_LITERAL, Scalar.BLOCK_FOLDED] as const;

/** The file with `value` at the field's path, written in `style` (yaml falls back where a style cannot hold the value). */
function render(f: Field, value: Value, style: (typeof STYLES)[number], chomp: boolean): string {
  const doc = new Document(base());
  doc.setIn(f.path, doc.createNode(value));
  const node = doc.getIn(f.path, true);
  if (isScalar(node)) node.type = style;
  let text = doc.toString({ lineWidth: 0 });
  // a block scalar with its final newline kept (`|`, `>`): the shape a user writes most
  if (chomp && typeof value === 'string') text = text.replace(/: ([|>])-\n/, ': $1\n');
  return text;
}

/** Whether SCST can store `v` and show it back unchanged (what validate must accept). */
function carriable(f: Field, v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v === 'boolean') return true;
  if (typeof v !== 'string') return false;
  return (
    v.length > 0 && v === v.trim() && !/[\u0000-\u001f\u007f\uFFFD]/.test(v) && wellFormed(v) &&
    Buffer.byteLength(v) <= f.max && (f.semicolon || !v.includes(';')) && !(f.word && /[\s=]/.test(v))
  );
}

/** What the kernel is handed for a value: these fields are text, so `false` is the text "false". */
const written = (v: Value): string => String(v);

const SPECIAL = [
  '-n', '-e', '- x', '--', '-1', '007', '1e3', '0x1F', '1.50', '+1', '.5', 'yes', 'no', 'on', 'null', '~', 'true', 'False', 'NaN', '.inf',
  '', ' lead', 'trail ', 'two  spaces', 'a\nb', 'a\n', '\n', 'a\n\n', 'tab\there', 'cr\r', '#hash', 'a #b', 'a: b', "'q'", '"dq"', 'back\\slash',
  '%pct', '* star', '&anchor', '!tag', '|pipe', '>gt', '@at', '`tick`', '{a}', '[b]', 'a;b', 'a=b', 'a,b', '?', ':',
  'é', 'Zürich', '東京', '🚀', 'a\u00a0', '\u00a0a', 'a\u2028b', 'a\u200bb', '\u202eevil', 'e\u0301', 'x'.repeat(25), 'x'.repeat(26), 'é'.repeat(13), 'é'.repeat(12),
  'x'.repeat(1024), 'x'.repeat(1025), 'é'.repeat(512), 'é'.repeat(513),
];
const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('a', ' ', '-', '\n', ';', 'é', '0', '#', ':', '\t'), { maxLength: 12 }).map((a) => a.join('')) },
);
const scalar = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.double({ noNaN: false }), fc.boolean(), fc.constantFrom(0, -0, 1e21, 1.5e-7, Number.MAX_SAFE_INTEGER + 2));

async function check(f: Field, value: Value, style: (typeof STYLES)[number], chomp: boolean): Promise<void> {
  const yaml = render(f, value, style, chomp);
  const parsed = f.path.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], parse(yaml));
  const where = `${f.name} = ${JSON.stringify(parsed)} (${style}):\n${yaml}`;
  const loaded = loadDesiredTexts([{ file: 'shapes.yaml', text: yaml }]);
  if (!loaded.ok) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errors.length > 0, where);
    for (const d of errors) {
      assert.ok(d.file === 'shapes.yaml' && d.line >= 1 && d.col >= 1 && /^(VALUE|SCHEMA)_/.test(d.code), `${where}\n${JSON.stringify(d)}`);
    }
    assert.ok(!carriable(f, parsed), `refused, though SCST carries it: ${where}\n${JSON.stringify(errors)}`);
    return;
  }
  const host = createSimHost();
  try {
    const first = await loadAndPlan({ texts: [{ file: 'shapes.yaml', text: yaml }], host, drivers });
    assert.ok(first.ok, `${where}\n${JSON.stringify(first.ok ? [] : first.diagnostics)}`);
    const r = await applyPlan({ host, plan: first.plan, drivers, secrets: first.secrets });
    assert.ok(r.ok, `accepted by validate, failed in the kernel: ${where}\n${JSON.stringify(r.results.filter((x) => x.status !== 'applied'))}`);
    const shown = (await host.sysfs.read(`${SCST_ROOT}/${f.attr}`)).split('\n')[0];
    assert.equal(shown, written(parsed as Value), `reads back different: ${where}`);
    const next = await loadAndPlan({ texts: [{ file: 'shapes.yaml', text: yaml }], host, drivers });
    assert.ok(next.ok);
    assert.deepEqual(next.plan.changes.map((c) => c.address), [], `the next plan is not empty: ${where}`);
  } finally {
    await host.close();
  }
}

for (const f of FIELDS) {
  test(`${f.name}: every accepted value shape converges, every refused one is located and could not`, async () => {
    const value = f.scalars ? fc.oneof(text, scalar) : text;
    await fc.assert(
      fc.asyncProperty(value, fc.constantFrom(...STYLES), fc.boolean(), (v, style, chomp) => check(f, v, style, chomp)),
      { numRuns: 40 },
    );
  });
}

test('every SPECIAL shape, plain, double-quoted and as a block (with and without its final newline), on the target comment', async () => {
  for (const v of SPECIAL) {
    for (const [style, chomp] of [[Scalar.PLAIN, false], [Scalar.QUOTE_DOUBLE, false], [Scalar.BLOCK_LITERAL, false], [Scalar.BLOCK_LITERAL, true]] as const) await check(FIELDS[0]!, v, style, chomp);
  }
});

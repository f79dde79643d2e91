import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDesiredTexts } from '../index.js';

const codes = (text: string): string[] => {
  const r = loadDesiredTexts([{ file: 'x.yaml', text }]);
  return r.diagnostics.filter((d) => d.code.startsWith('VALUE_')).map((d) => `${d.line}:${d.code}:${d.path}`);
};
const dev = (spec: string): string => `version: 1\nscst:\n  devices:\n    d0: ${spec}\n`;

test('values SCST cannot carry are refused at their line, with the code', () => {
  assert.deepEqual(codes(dev('{ handler: vdisk_blockio, filename: "/dev/sdb;read_only=1;t10_dev_id=evil" }')), ['4:VALUE_LEXEM:scst.devices.d0.filename']);
  assert.deepEqual(codes(dev('{ handler: vdisk_blockio, filename: "/dev/my disk" }')), ['4:VALUE_LEXEM:scst.devices.d0.filename']);
  assert.deepEqual(codes(dev('{ handler: vdisk_nullio, attributes: { t10_dev_id: "a\\0b" } }')), ['4:VALUE_NUL:scst.devices.d0.attributes.t10_dev_id']);
  assert.deepEqual(codes(dev('{ handler: vdisk_nullio, attributes: { usn: "x\\ny" } }')), ['4:VALUE_CONTROL:scst.devices.d0.attributes.usn']);
  assert.deepEqual(codes(dev('{ handler: vdisk_nullio, attributes: { prod_id: " padded" } }')), ['4:VALUE_WHITESPACE:scst.devices.d0.attributes.prod_id']);
  assert.deepEqual(codes(dev('{ handler: vdisk_nullio, attributes: { prod_id: "\\uD800x" } }')), ['4:VALUE_ENCODING:scst.devices.d0.attributes.prod_id']);
  assert.deepEqual(codes(dev(`{ handler: vdisk_nullio, attributes: { prod_id: "${'x'.repeat(2000)}" } }`)), ['4:VALUE_LENGTH:scst.devices.d0.attributes.prod_id']);
  assert.deepEqual(codes(dev('{ handler: vdisk_nullio, attributes: { prod_id: "a;b" } }')), ['4:VALUE_LEXEM:scst.devices.d0.attributes.prod_id']);
  const comment = 'version: 1\nscst:\n  targets:\n    iscsi:\n      iqn.2026-01.com.example:t1:\n        comment: |\n          two\n          lines\n';
  assert.deepEqual(codes(comment), ['6:VALUE_CONTROL:scst.targets.iscsi["iqn.2026-01.com.example:t1"].comment']);
  // accepted: a comment with ';' and spaces inside, a block scalar without its final newline
  assert.deepEqual(codes(comment.replace('comment: |\n          two\n          lines', 'comment: "a; b c"')), []);
  assert.deepEqual(codes(comment.replace('comment: |\n          two\n          lines', 'comment: |-\n          one line')), []);
});

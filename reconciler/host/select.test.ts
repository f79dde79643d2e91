import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostSpec } from './select.js';

test('parseHostSpec accepts local, local:DIR and sim:DIR', () => {
  assert.deepEqual(parseHostSpec('local'), { kind: 'local' });
  assert.deepEqual(parseHostSpec('local:/mnt/scst'), { kind: 'local', sysfsRoot: '/mnt/scst' });
  assert.deepEqual(parseHostSpec('sim:./demo'), { kind: 'sim', dir: './demo' });
  assert.deepEqual(parseHostSpec('sim:/a:b'), { kind: 'sim', dir: '/a:b' });
});

test('parseHostSpec rejects anything else with HOST_SPEC_INVALID', () => {
  for (const s of ['', 'sim', 'sim:', 'local:', 'remote:x', 'Local']) {
    assert.throws(() => parseHostSpec(s), { code: 'HOST_SPEC_INVALID' }, s);
  }
});

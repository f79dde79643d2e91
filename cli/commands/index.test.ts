import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from './index.js';

test('the command table matches each command module (name, summary) and is sorted', async () => {
  for (const entry of commands) {
    const cmd = await entry.load();
    assert.equal(cmd.name, entry.name);
    assert.equal(cmd.summary, entry.summary, `summary of ${entry.name} differs from its module`);
  }
  const names = commands.map((c) => c.name);
  assert.deepEqual(names, [...names].sort());
});

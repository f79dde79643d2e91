import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimHost, defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { defineConformance } from './harness.js';

defineConformance({
  name: 'in-process SimHost',
  async setup() {
    const host = createSimHost();
    return { host, control: host.control, cleanup: () => host.close() };
  },
});

defineConformance({
  name: 'persistent SimHost, controlled by a second instance on the same DIR',
  async setup() {
    const dir = mkdtempSync(join(tmpdir(), 'sanform-conf-sim-'));
    await initSimDir(dir, defaultHardware());
    const host = await openSimHost(dir);
    const other = await openSimHost(dir);
    return { host, control: other.control, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
});

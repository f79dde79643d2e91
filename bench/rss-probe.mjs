// Preloaded into a measured process (`node --import ./bench/rss-probe.mjs ...`): at exit, writes
// its peak RSS (VmHWM, MiB) to the file named by SANFORM_RSS_OUT.
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (m && process.env.SANFORM_RSS_OUT) writeFileSync(process.env.SANFORM_RSS_OUT, String(Number(m[1]) / 1024));
});

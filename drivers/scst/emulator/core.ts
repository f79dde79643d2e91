/**
 * Top-level files of /sys/kernel/scst_tgt (§1.1) and the root directory.
 */
import type { Ctx, FileNode, Node } from './node.js';
import { dirOf, keyed, ro, rw } from './node.js';
import { chomp, fail, parseSigned, parseUnsigned } from './lexer.js';
import { SCST_VERSION, targetsDir } from './targets-tree.js';
import { devicesDir, handlersDir } from './devices-tree.js';
import { deviceGroupsDir } from './alua.js';
import type { HandlerName } from './state.js';
import { traceLevelFile } from './trace.js';

/** Default thread count of the emulated machine (the kernel uses the CPU count). */
export const DEFAULT_THREADS = '4';

interface CoreSpec {
  def: string;
  key: (v: string) => boolean;
  parse: (v: string) => string;
  show?: (v: string) => string;
  work?: boolean;
}

const unsigned = (v: string): string => String(parseUnsigned(chomp(v)));
const CORE: Record<string, CoreSpec> = {
  setup_id: { def: '0', key: (v) => v !== '0', parse: unsigned, show: (v) => `0x${Number(v).toString(16)}` },
  threads: {
    def: DEFAULT_THREADS, key: (v) => v !== DEFAULT_THREADS, work: true,
    parse: (v) => {
      const n = parseSigned(chomp(v));
      if (n <= 0) fail('EINVAL', 'threads must be > 0');
      return String(n);
    },
  },
  max_tasklet_cmd: { def: '10', key: (v) => v !== '10', parse: unsigned },
  poll_us: { def: '0', key: (v) => v !== '0', parse: unsigned },
  force_global_sgv_pool: { def: '0', key: (v) => v !== '0', parse: unsigned },
  measure_latency: { def: '0', key: () => false, parse: (v) => (parseSigned(chomp(v)) ? '1' : '0') },
  async_lun_replace: {
    def: '0', key: () => false,
    parse: (v) => {
      const t = chomp(v).trim().toLowerCase();
      if (['1', 'y', 'yes', 'on', 'true'].includes(t)) return '1';
      if (['0', 'n', 'no', 'off', 'false'].includes(t)) return '0';
      return fail('EINVAL', 'expected a boolean');
    },
  },
};

/** `suspend`: reads the number of pending suspends; v >= 0 suspends once more, v < 0 resumes. */
function suspendFile(ctx: Ctx): FileNode {
  const core = ctx.st.core;
  return rw(
    () => `${core.suspend ?? '0'}\n`,
    (d) => {
      const n = Number(core.suspend ?? 0);
      core.suspend = String(parseSigned(chomp(d)) >= 0 ? n + 1 : Math.max(0, n - 1));
    },
  );
}

function coreFile(ctx: Ctx, name: string, spec: CoreSpec): FileNode {
  const core = ctx.st.core;
  return rw(
    () => {
      const v = core[name] ?? spec.def;
      return keyed(spec.show ? spec.show(v) : v, spec.key(v));
    },
    (d) => void (core[name] = spec.parse(d)),
    spec.work,
  );
}

function clusterName(ctx: Ctx): FileNode {
  const core = ctx.st.core;
  return rw(
    () => (core.cluster_name ? `${core.cluster_name}\n[key]\n` : ''),
    (d) => {
      const v = chomp(d);
      if (v.length >= 64) fail('EINVAL', 'cluster_name too long');
      if (v === '') delete core.cluster_name;
      else core.cluster_name = v;
    },
  );
}

const VERSION_TEXT = [
  `SCST version: ${SCST_VERSION}`,
  'SCST build date: emulated',
  'SCST build number: 0',
  'SCST git commit sha1: emulated',
  'SCST kver: emulated',
  'SCST arch type: x86_64',
  'TRACING',
  '',
].join('\n');

/** The root directory; `lastRes` reads last_sysfs_mgmt_res (may throw EAGAIN). */
export function rootDir(
  ctx: Ctx,
  hooks: { lastRes: () => string; handlerMgmt: (h: HandlerName, c: string) => void; dgMgmt: (c: string) => void },
): Node {
  const fixed: Record<string, () => Node> = {
    targets: () => targetsDir(ctx),
    devices: () => devicesDir(ctx),
    handlers: () => handlersDir(ctx, hooks.handlerMgmt),
    device_groups: () => deviceGroupsDir(ctx, hooks.dgMgmt),
    sgv: () => dirOf({ global_stats: () => ro(() => 'Inactive/active pages: 0/0\n') }),
    version: () => ro(() => VERSION_TEXT),
    cluster_name: () => clusterName(ctx),
    suspend: () => suspendFile(ctx),
    trace_level: () => traceLevelFile(ctx.st.core),
    last_sysfs_mgmt_res: () => ro(hooks.lastRes),
  };
  for (const [n, spec] of Object.entries(CORE)) fixed[n] = () => coreFile(ctx, n, spec);
  return dirOf(fixed);
}

/** Command-line parsing for the emulated LVM tools (lvm2's option forms, as far as sanform uses them). */

export class LvmError extends Error {
  constructor(
    message: string,
    readonly exitCode = 5,
    /** what the tool printed on stdout before failing (a prompt answered `n`). */
    readonly stdout = '',
  ) {
    super(message);
  }
}

/** lvm2's exit codes: 3 for a command line it refuses, 5 for a command that failed. */
export const usage = (cmd: string, ...lines: string[]): never => {
  throw new LvmError([...lines.map((l) => `  ${l}`), `  Run \`${cmd} --help' for more information.`].join('\n') + '\n', 3);
};
export const failed = (...lines: string[]): never => {
  throw new LvmError(lines.map((l) => `  ${l}`).join('\n') + '\n', 5);
};
/** A yes/no prompt answered `n` (sanform never runs lvm2 with a terminal); lvm2 prompts on stderr. */
export const declined = (prompt: string, ...lines: string[]): never => {
  throw new LvmError(`${prompt} [y/n]: [n]\n` + lines.map((l) => `  ${l}`).join('\n') + '\n', 5);
};

export interface Parsed {
  opts: Map<string, string>;
  /** how often each flag was given (`-ff` counts 2). */
  flags: Map<string, number>;
  pos: string[];
}

/**
 * `valued`: option -> canonical long name for options taking a value (`-L` -> `--size`);
 * `flags`: option -> canonical long name for flags. Short options take their value attached
 * (`-L50M`, `-an`) or as the next word; long ones `--size=50M` or the next word.
 */
export function getopt(cmd: string, args: string[], valued: Record<string, string>, flags: Record<string, string>): Parsed {
  const out: Parsed = { opts: new Map(), flags: new Map(), pos: [] };
  const bump = (f: string, n = 1) => out.flags.set(f, (out.flags.get(f) ?? 0) + n);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') {
      out.pos.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (valued[name]) {
        const v = eq < 0 ? args[++i] : a.slice(eq + 1);
        if (v === undefined) usage(cmd, `Option ${name} requires an argument.`);
        out.opts.set(valued[name]!, v!);
      } else if (flags[name]) bump(flags[name]!);
      else throw new LvmError(`${cmd}: unrecognized option '${a}'\n  Error during parsing of command line.\n`, 3);
      continue;
    }
    const short = a.slice(0, 2);
    if (valued[short]) {
      const v = a.length > 2 ? a.slice(2) : args[++i];
      if (v === undefined) usage(cmd, `Option ${short} requires an argument.`);
      out.opts.set(valued[short]!, v!);
    } else if (flags[short] && [...a.slice(1)].every((c) => c === a[1])) bump(flags[short]!, a.length - 1);
    else throw new LvmError(`${cmd}: invalid option -- '${a.slice(1)}'\n  Error during parsing of command line.\n`, 3);
  }
  return out;
}

const UNITS: Record<string, number> = { b: 1, s: 512, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5, e: 1024 ** 6 };

/** `-L` values: `[+|-]NUMBER[UNIT]`, MiB without a unit; every unit is binary on input. */
export function parseSizeArg(cmd: string, v: string): { sign: '' | '+' | '-'; bytes: number } {
  const m = /^([+-]?)(\d+(?:\.\d+)?)([bBsSkKmMgGtTpPeE]?)$/.exec(v);
  if (!m) return usage(cmd, `Invalid argument for --size: ${v}`);
  return { sign: m[1] as '' | '+' | '-', bytes: Math.round(Number(m[2]) * UNITS[(m[3] || 'm').toLowerCase()]!) };
}

/** `-l` values: `[+|-]N[%FREE|%VG|%PVS|%ORIGIN]`. */
export function parseExtentsArg(cmd: string, v: string): { sign: '' | '+' | '-'; n: number; pct?: string } {
  const m = /^([+-]?)(\d+)(?:%(FREE|VG|PVS|ORIGIN))?$/.exec(v);
  if (!m) return usage(cmd, `Invalid argument for --extents: ${v}`);
  return { sign: m[1] as '' | '+' | '-', n: Number(m[2]), ...(m[3] ? { pct: m[3] } : {}) };
}

const RESERVED_PREFIX = ['snapshot', 'pvmove'];
const RESERVED_PART = ['_cdata', '_cmeta', '_corig', '_cpool', '_cvol', '_mimage', '_mlog', '_pmspare', '_rimage', '_rmeta', '_tdata', '_tmeta', '_vorigin', '_vdata', '_wcorig', '_imeta', '_iorig'];
const VALID = /^[a-zA-Z0-9._+-]+$/;

/** lvm2's name rules for a new LV (exit 3 with its message otherwise). */
export function checkLvName(cmd: string, name: string): void {
  if (!VALID.test(name) || name.startsWith('-') || name === '.' || name === '..' || name.length > 127) usage(cmd, `Logical volume name "${name}" is invalid.`);
  const pre = RESERVED_PREFIX.find((p) => name.startsWith(p));
  if (pre) usage(cmd, `Names starting "${pre}" are reserved. Please choose a different LV name.`);
  const part = RESERVED_PART.find((p) => name.includes(p));
  if (part) usage(cmd, `Names including "${part}" are reserved. Please choose a different LV name.`);
}

/** lvm2's name rules for a new VG. */
export function checkVgName(cmd: string, name: string): void {
  if (!VALID.test(name) || name.startsWith('-') || name === '.' || name === '..' || name.length > 127) {
    usage(cmd, 'Name contains invalid character, valid set includes: [a-zA-Z0-9.-_+].', `New volume group name "${name}" is invalid.`);
  }
}

/** `vg/lv` (or `/dev/vg/lv`) -> [vg, lv]. */
export function lvArg(cmd: string, s: string): [string, string] {
  const t = s.replace(/^\/dev\//, '');
  const i = t.indexOf('/');
  if (i <= 0 || i === t.length - 1 || t.indexOf('/', i + 1) >= 0) return usage(cmd, `Please specify a logical volume path ("${s}" is not VG/LV).`);
  return [t.slice(0, i), t.slice(i + 1)];
}

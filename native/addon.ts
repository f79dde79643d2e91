/**
 * The compiled helper (src/*.cc, built by node-gyp into build/Release), wrapped to the contract
 * of types.ts. Loaded on first use, never at import time.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirEntry, errorEntry, fileEntry, linkEntry, unreadFileEntry } from './entries.js';
import { SysfsError, errnoName, type SysfsStage } from './errno.js';
import { DEFAULT_POLL_MS, DEFAULT_TIMEOUT_MS, type MgmtOptions, type ReadTreeOptions, type SysfsHelper, type TreeEntry } from './types.js';

interface RawTree {
  errno: number;
  text: string;
  meta: Uint32Array;
  extras: string[];
}

interface RawAddon {
  readTree(root: string, skipDirs?: readonly string[], skipContent?: readonly string[], noModes?: boolean): Promise<RawTree>;
  mgmt(path: string, command: Buffer, resultFile: string, timeoutMs: number, pollMs: number): Promise<{ errno: number; stage: string }>;
}

/** Path of the built addon; exported so tests and the README can name it. */
export const ADDON_PATH = fileURLToPath(new URL('./build/Release/sanform_sysfs.node', import.meta.url));

/**
 * Where the addon is loaded from: SANFORM_ADDON when set (the single executable extracts the
 * addon it carries and points there; SANFORM_ADDON_UNAVAILABLE says why it could not), else the
 * node-gyp build beside this file.
 */
export const addonPath = (): string => process.env.SANFORM_ADDON || ADDON_PATH;

let loaded: { addon?: RawAddon; reason?: string } | undefined;

/** Loads the addon once; `reason` says why it is not available. */
export function loadAddon(): { addon?: RawAddon; reason?: string } {
  if (loaded) return loaded;
  if (process.env.SANFORM_ADDON_UNAVAILABLE) {
    loaded = { reason: process.env.SANFORM_ADDON_UNAVAILABLE };
    return loaded;
  }
  const path = addonPath();
  if (!existsSync(path)) {
    loaded = { reason: `addon not built (${path} missing; run npm install or node native/build.js)` };
    return loaded;
  }
  try {
    const m = { exports: {} as RawAddon };
    process.dlopen(m, path);
    loaded = { addon: m.exports };
  } catch (e) {
    loaded = { reason: `addon failed to load: ${(e as Error).message}` };
  }
  return loaded;
}

/** Set in a meta word whose permission bits were not read (src/tree.h kNoMode). */
const NO_MODE = 0x8000;

/** Turns the packed walk (two NUL-terminated strings and one meta word per entry) into entries. */
export function unpackTree(raw: RawTree): TreeEntry[] {
  const parts = raw.text.split('\0');
  const n = raw.meta.length;
  const out = new Array<TreeEntry>(n);
  for (let i = 0; i < n; i++) {
    const m = raw.meta[i];
    const mode = m & NO_MODE ? undefined : m & 0o7777;
    const path = parts[2 * i];
    const p = parts[2 * i + 1];
    switch (m >>> 16) {
      case 1: out[i] = dirEntry(path, mode); break;
      case 2: out[i] = fileEntry(path, mode, p); break;
      case 3: out[i] = linkEntry(path, mode, p); break;
      case 4: out[i] = errorEntry(path, 'file', mode, errnoName(Number(p))); break;
      case 5: out[i] = errorEntry(path, 'dir', mode, errnoName(Number(p))); break;
      case 6: out[i] = fileEntry(path, mode, raw.extras[Number(p)]); break;
      case 7: out[i] = unreadFileEntry(path, mode); break;
      default: throw new Error(`native readTree: unknown entry kind ${m >>> 16}`);
    }
  }
  return out;
}

/** The addon behind the helper contract, or undefined when it is not built. */
export function nativeHelper(): SysfsHelper | undefined {
  const { addon } = loadAddon();
  if (!addon) return undefined;
  return {
    implementation: 'native',
    async readTree(root: string, opts?: ReadTreeOptions) {
      const raw = await addon.readTree(root, opts?.skipDirs ?? [], opts?.skipContent ?? [], opts?.modes === false);
      if (raw.errno !== 0) throw new SysfsError({ code: errnoName(raw.errno), errno: raw.errno, stage: 'read', path: root });
      return unpackTree(raw);
    },
    async mgmt(path: string, command: string, opts: MgmtOptions = {}) {
      const r = await addon.mgmt(path, Buffer.from(command, 'utf8'), opts.resultFile ?? '',
        opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.pollMs ?? DEFAULT_POLL_MS);
      if (r.errno === 0) return;
      throw new SysfsError({ code: errnoName(r.errno), errno: r.errno, stage: r.stage as SysfsStage, path });
    },
  };
}

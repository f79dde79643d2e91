/**
 * Entry of the single executable (Node's single executable application): the native sysfs
 * helper it carries is written once to a private directory (0700, owned by this user, checked
 * byte for byte before use) and loaded from there; when that cannot be done the JavaScript reader
 * is used and sanform says so on stderr. Hooks and the demo's launcher start the executable alone.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../cli/entry.js';
import { ADDON_ASSET } from './sea-assets.js';

interface SeaApi {
  isSea(): boolean;
  getAsset(key: string): ArrayBuffer;
  getAsset(key: string, encoding: string): string;
}

/** Writes the carried addon where it can be loaded; returns its path or why not. */
function extractAddon(sea: SeaApi): { path?: string; reason?: string } {
  let bytes: Buffer;
  try {
    bytes = Buffer.from(sea.getAsset(ADDON_ASSET));
  } catch {
    return { reason: 'this executable carries no native helper' };
  }
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const uid = process.getuid?.() ?? 0;
  const dir = join(process.env.SANFORM_RUNTIME_DIR || tmpdir(), `sanform-${uid}-${digest}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    // another user's directory (or a link) in a shared /tmp must never be loaded from
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) return { reason: `${dir} is not a private directory of this user` };
    const path = join(dir, ADDON_ASSET);
    let same = false;
    try {
      same = readFileSync(path).equals(bytes);
    } catch {
      same = false;
    }
    if (!same) {
      const tmp = `${path}.${process.pid}`;
      writeFileSync(tmp, bytes, { mode: 0o500 });
      chmodSync(tmp, 0o500);
      renameSync(tmp, path);
    }
    return { path };
  } catch (e) {
    return { reason: `the native helper could not be written to ${dir}: ${(e as Error).message}` };
  }
}

async function main(): Promise<void> {
  // node:sea exists where single executables do (Node >= 20.12); this file runs only inside one
  const sea = createRequire(process.execPath)('node:sea') as SeaApi;
  if (!process.env.SANFORM_ADDON && process.env.SANFORM_NATIVE !== '0') {
    const addon = extractAddon(sea);
    if (addon.path) process.env.SANFORM_ADDON = addon.path;
    else process.env.SANFORM_ADDON_UNAVAILABLE = addon.reason;
  }
  const resource = (rel: string): string | undefined => {
    try {
      return sea.getAsset(rel, 'utf8');
    } catch {
      return undefined;
    }
  };
  process.exitCode = await run(process.argv.slice(2), { argv: [process.execPath], kind: 'single executable', resource });
}

void main();

import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { writeDurable } from './fs.js';

/**
 * The git hooks sanform installs in the state repo. Each is a tiny shell script that execs ONE
 * sanform process (`sanform hook pre-receive|post-receive`): Node starts once per push, never once
 * per ref or file. git passes the pushed refs on stdin, which exec hands through unchanged.
 */
export type HookName = 'pre-receive' | 'post-receive';
export const HOOKS: readonly HookName[] = ['pre-receive', 'post-receive'];

/** Quotes one argument for a POSIX shell (single quotes; embedded quotes escaped). */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The text of one hook; `sanform` is the argv that starts sanform (node + bin/sanform.js, node + bin/sanform-dev.js, or the single executable: cli/self.ts). */
export function hookScript(name: HookName, sanform: string[]): string {
  return [
    '#!/bin/sh',
    `# sanform ${name} hook, installed by \`sanform init\`. Do not edit: re-run init --hooks-only.`,
    `exec ${[...sanform, 'hook', name].map(shellQuote).join(' ')}`,
    '',
  ].join('\n');
}

/** Writes (or rewrites) both hooks into `<gitdir>/hooks`, executable. */
export async function installHooks(gitdir: string, sanform: string[]): Promise<string[]> {
  const dir = join(gitdir, 'hooks');
  await fsp.mkdir(dir, { recursive: true });
  const written = [];
  for (const name of HOOKS) {
    const path = join(dir, name);
    await writeDurable(path, hookScript(name, sanform), 0o755);
    written.push(path);
  }
  return written;
}

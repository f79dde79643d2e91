/**
 * Reads many small files of a repository in two git processes, whatever their number: `git
 * for-each-ref` for the ref tips, `git cat-file --batch` for `<rev>:<path>` blobs. Fleet status
 * reads 2 records per node this way (isomorphic-git would resolve each ref and walk each tree
 * on its own).
 */
import { execa } from 'execa';

export interface Tip {
  commit: string;
  /** committer time, seconds since the epoch. */
  time: number;
}

/** `refname -> tip` for every ref under `prefix`. */
export async function refTips(gitdir: string, prefix: string): Promise<Map<string, Tip>> {
  const r = await execa('git', ['--git-dir', gitdir, 'for-each-ref', '--format=%(objectname) %(committerdate:unix) %(refname)', prefix]);
  const out = new Map<string, Tip>();
  for (const line of r.stdout.split('\n')) {
    const [commit, time, ref] = line.split(' ');
    if (ref) out.set(ref, { commit: commit!, time: Number(time) });
  }
  return out;
}

/** The text of each `<rev>:<path>` asked for; absent ones are left out. */
export async function readBlobs(gitdir: string, specs: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (specs.length === 0) return out;
  const r = await execa('git', ['--git-dir', gitdir, 'cat-file', '--batch'], { input: `${specs.join('\n')}\n`, encoding: 'buffer', stripFinalNewline: false });
  const buf = Buffer.from(r.stdout);
  let at = 0;
  for (const spec of specs) {
    const eol = buf.indexOf(10, at);
    const header = buf.subarray(at, eol).toString('utf8');
    at = eol + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
    const size = Number(header.split(' ')[2]);
    out.set(spec, buf.subarray(at, at + size).toString('utf8'));
    at += size + 1;
  }
  return out;
}

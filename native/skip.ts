/**
 * The skip patterns of readTree (types.ts ReadTreeOptions) for walks written in JavaScript: the
 * fallback here, and the emulators through reconciler/host/. src/tree.cc implements the same
 * rules. A pattern is a path relative to the walk's root where a `*` segment matches any one
 * name; a pattern without `/` matches that name at any depth, a leading `/` anchors it at the
 * root: `mgmt`, `/handlers`, `/devices/DEV/exported` written with `*` for DEV.
 */
import type { ReadTreeOptions } from './types.js';

/** Answers, for a path relative to the root, whether the walk may leave it unread. */
export interface SkipMatcher {
  /** a directory whose contents are left out. */
  dir(path: string): boolean;
  /** a file listed without its content. */
  content(path: string): boolean;
}

interface Rules {
  names: Set<string>;
  /** anchored patterns by segment count. */
  byDepth: Map<number, string[][]>;
  /** last segments of the anchored patterns, and whether one of them is `*`. */
  lastNames: Set<string>;
  wildLast: boolean;
}

function compile(patterns: readonly string[] = []): Rules {
  const names = new Set<string>();
  const byDepth = new Map<number, string[][]>();
  const lastNames = new Set<string>();
  let wildLast = false;
  for (const p of patterns) {
    const segs = p.split('/').filter((s) => s !== '');
    if (segs.length === 0) continue;
    if (!p.includes('/')) names.add(p);
    else {
      const last = segs[segs.length - 1];
      if (last === '*') wildLast = true;
      else lastNames.add(last);
      const list = byDepth.get(segs.length);
      if (list) list.push(segs);
      else byDepth.set(segs.length, [segs]);
    }
  }
  return { names, byDepth, lastNames, wildLast };
}

function matches(r: Rules, path: string): boolean {
  if (path === '') return false;
  const slash = path.lastIndexOf('/');
  const base = slash < 0 ? path : path.slice(slash + 1);
  if (r.names.has(base)) return true;
  // most entries end in a name no anchored pattern ends in: no need to look at the rest
  if (r.byDepth.size === 0 || (!r.wildLast && !r.lastNames.has(base))) return false;
  let depth = 1;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) depth++;
  const candidates = r.byDepth.get(depth);
  if (!candidates) return false;
  const segs = path.split('/');
  return candidates.some((p) => p.every((s, i) => s === '*' || s === segs[i]));
}

/** The matcher for `opts`, or undefined when nothing may be skipped (the common fast path). */
export function skipMatcher(opts?: ReadTreeOptions): SkipMatcher | undefined {
  if (!opts?.skipDirs?.length && !opts?.skipContent?.length) return undefined;
  const dirs = compile(opts.skipDirs);
  const files = compile(opts.skipContent);
  return { dir: (p) => matches(dirs, p), content: (p) => matches(files, p) };
}

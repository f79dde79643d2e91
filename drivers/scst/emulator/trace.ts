/**
 * `trace_level` files (§1.1, §2.9): active tokens joined by ` | ` then usage text; writes take
 * `all`, `none`/`null`, `default`, `value N`, `add TOKEN`, `del TOKEN` (unknown token: EINVAL).
 * Levels are kept as token lists in the state (key `trace_level` of the owner's attrs).
 */
import type { FileNode } from './node.js';
import { rw } from './node.js';
import { fail, lexems, parseUnsigned } from './lexer.js';

const TOKENS = [
  'out_of_mem', 'minor', 'sg', 'mem', 'buff', 'entryexit', 'pid', 'line', 'function', 'debug', 'special',
  'scsi', 'mgmt', 'mgmt_dbg', 'flow_control', 'pr', 'retry', 'scsi_serializing', 'data_send', 'data_received', 'block',
];
/** Emulator's choice of default flags (the real default depends on the build). */
const DEFAULT = ['out_of_mem', 'minor', 'pid', 'line', 'function', 'special', 'mgmt', 'mgmt_dbg'];

const USAGE = [
  '',
  '',
  '',
  'Usage:',
  '\techo "all|none|default" >trace_level',
  '\techo "value DEC|0xHEX|0OCT" >trace_level',
  '\techo "add|del TOKEN" >trace_level',
  '',
  `where TOKEN is one of [${TOKENS.join(', ')}]`,
  '',
].join('\n');

function parse(current: string[], data: string): string[] {
  const [verb = '', arg = ''] = lexems(data);
  switch (verb.toLowerCase()) {
    case 'all':
      return [...TOKENS];
    case 'none':
    case 'null':
      return [];
    case 'default':
      return [...DEFAULT];
    case 'value': {
      const n = parseUnsigned(arg);
      return TOKENS.filter((_t, i) => (n >>> i) & 1);
    }
    case 'add':
    case 'del': {
      const t = TOKENS.find((x) => x === arg.toLowerCase());
      if (!t) fail('EINVAL', `unknown trace token ${arg}`);
      const rest = current.filter((x) => x !== t);
      return verb.toLowerCase() === 'add' ? TOKENS.filter((x) => rest.includes(x) || x === t) : rest;
    }
    default:
      return fail('EINVAL', `unknown trace action ${verb}`);
  }
}

/** A trace_level file whose level lives in `attrs.trace_level` (space-separated tokens). */
export function traceLevelFile(attrs: Record<string, string>): FileNode {
  const current = (): string[] => (attrs.trace_level === undefined ? [...DEFAULT] : attrs.trace_level.split(' ').filter(Boolean));
  return rw(
    () => `${current().join(' | ')}${USAGE}`,
    (d) => void (attrs.trace_level = parse(current(), d).join(' ')),
  );
}

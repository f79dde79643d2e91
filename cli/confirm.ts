/**
 * The question asked before a command changes the machine (apply, rollback): on a terminal the
 * user types `yes`; when stdin is not a terminal nothing is asked and the command refuses unless
 * `--auto-approve` was given, so a script never changes a machine by accident.
 */
import { createInterface } from 'node:readline/promises';
import type { CommandIO } from './command.js';

/** What the question and the refusals say; the defaults are apply's. */
export interface ConfirmText {
  /** the command, as in `sanform apply: ...`. */
  cmd: string;
  /** what `--auto-approve` lets the command do, after "pass --auto-approve to". */
  doing: string;
  question: string;
  /** printed when the answer is not `yes`. */
  cancelled: string;
}

export const APPLY_CONFIRM: ConfirmText = {
  cmd: 'apply',
  doing: 'apply without asking',
  question: 'Apply these changes?',
  cancelled: 'Apply cancelled.',
};

/** Asks on stderr and reads one line of stdin; only the exact answer `yes` approves. */
export async function askYes(io: CommandIO, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await rl.question(`${question} Only "yes" is accepted: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/**
 * Whether the command may go on to change the machine: yes with `autoApprove`; otherwise asks on
 * a terminal, and refuses (saying to pass --auto-approve) when stdin is not one. A refusal or a
 * cancel is printed here; the caller exits 1.
 */
export async function approved(o: { io: CommandIO; autoApprove: boolean; text?: ConfirmText }): Promise<boolean> {
  const t = o.text ?? APPLY_CONFIRM;
  if (o.autoApprove) return true;
  if (!o.io.stdin.isTTY) {
    o.io.stderr.write(`sanform ${t.cmd}: stdin is not a terminal; pass --auto-approve to ${t.doing}.\n`);
    return false;
  }
  if (await askYes(o.io, t.question)) return true;
  o.io.stderr.write(`${t.cancelled}\n`);
  return false;
}

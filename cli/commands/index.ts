import type { Command } from '../command.js';

/**
 * The command table, sorted by name. A command's module (and everything it imports: git, the
 * watcher, the emulator...) is loaded only when that command runs, so `sanform plan` does not pay
 * for `watch`. The summary is repeated here for the overview; a test keeps it equal to the
 * module's own.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const commands: CommandEntry[] = [
  { name: 'apply', summary: 'converge the machine to the desired state', load: async () => (await import('./apply.js')).applyCommand },
  { name: 'demo', summary: 'converge a fresh emulated SCST host from an example, show drift detection and a snapshot set', load: async () => (await import('./demo.js')).demoCommand },
  { name: 'drift', summary: 'report where the live system differs from the desired state', load: async () => (await import('./drift.js')).driftCommand },
  { name: 'export', summary: 'write the desired state in another format (scst.conf for scstadmin)', load: async () => (await import('./export.js')).exportCommand },
  { name: 'fleet', summary: 'fleet status: one line per node from the records in the central repository', load: async () => (await import('./fleet.js')).fleetCommand },
  { name: 'hook', summary: 'run a git hook of the state repository (called by the hooks init installs)', load: async () => (await import('./hook.js')).hookCommand },
  { name: 'import', summary: 'write the YAML for what is live now (or for an scst.conf)', load: async () => (await import('./import.js')).importCommand },
  { name: 'init', summary: 'create the state repository (bare git repo with push hooks) on the boot medium', load: async () => (await import('./init.js')).initCommand },
  { name: 'log', summary: "show a node's apply and drift records from the state repository", load: async () => (await import('./log.js')).logCommand },
  { name: 'observe', summary: 'read the live state into a snapshot file (for offline plans)', load: async () => (await import('./observe.js')).observeCommand },
  { name: 'plan', summary: 'show what apply would change, in order, with impact', load: async () => (await import('./plan.js')).planCommand },
  { name: 'rollback', summary: 'apply an earlier desired revision and record it as a new commit on main', load: async () => (await import('./rollback.js')).rollbackCommand },
  { name: 'schema', summary: 'print the JSON Schema of sanform.yaml (one self-contained document)', load: async () => (await import('./schema.js')).schemaCommand },
  { name: 'show', summary: 'print a saved plan (sanform plan --out FILE) as text, Markdown or JSON', load: async () => (await import('./show.js')).showCommand },
  { name: 'sim', summary: 'create, inspect and drive an emulated SCST machine', load: async () => (await import('./sim.js')).sim },
  { name: 'snapshot', summary: 'take, list, prune and replicate the snapshot sets of storage.snapshots', load: async () => (await import('./snapshot.js')).snapshotCommand },
  { name: 'validate', summary: 'check the desired-state file: schema, names and references, with file:line:col', load: async () => (await import('./validate.js')).validateCommand },
  { name: 'version', summary: 'print the versions of sanform and node, and whether the native sysfs helper is loaded', load: async () => (await import('./version.js')).versionCommand },
  { name: 'watch', summary: 'daemon: apply new commits, re-observe every drift interval, alert and correct drift', load: async () => (await import('./watch.js')).watchCommand },
];

export { renderText, changeText, type TextOptions } from './text.js';
export { renderCommands, opCommand, writeCommand, maskSecrets, type FingerprintOf } from './commands.js';
export { renderJson, parsePlan, PlanFormatError, PLAN_FORMAT_VERSION } from './json.js';
export { renderMarkdown } from './markdown.js';
export { summaryLine, badges, NO_CHANGES, noChanges } from './style.js';
export { renderSnapshotSets, snapshotSetsMarkdown, snapshotStepLines, snapshotStepsPending } from './snapshots.js';

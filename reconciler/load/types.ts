/**
 * Public types of the loader: what `loadDesired` / `loadDesiredTexts` return. A load either gives a
 * typed model (plus warnings) or every diagnostic found, never a thrown exception.
 */
import type { SanformModel } from '../../schema/model.js';
import type { SourceRef } from '../core/resource.js';

export type Severity = 'error' | 'warning';

/** One finding, located in the YAML source so editors and git hooks can point at it. */
export interface Diagnostic {
  file: string;
  /** 1-based line and column of the offending key or value (0 when the file itself is at fault). */
  line: number;
  col: number;
  /** YAML path, dotted: `scst.devices.d1.blocksize`; keys with dots are quoted: `iscsi["iqn.x"]`. */
  path: string;
  /** stable code, see `DiagnosticCode`; tests and tools match on it, never on the message. */
  code: DiagnosticCode;
  severity: Severity;
  /** says what is wrong and how to fix it. */
  message: string;
  hint?: string;
}

/**
 * Every code a diagnostic can carry. Grouped: YAML (the text), SCHEMA (shape, from the JSON
 * Schema), and rule codes (meaning, checked in code after the schema passed).
 */
export type DiagnosticCode =
  // files and YAML text
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'FILE_NOT_REGULAR'
  | 'FILE_TOO_LARGE'
  | 'NO_CONFIG_FILES'
  | 'YAML_SYNTAX'
  | 'DUPLICATE_KEY'
  | 'DUPLICATE_OBJECT'
  // shape
  | 'SCHEMA_TYPE'
  | 'SCHEMA_UNKNOWN_KEY'
  | 'SCHEMA_REQUIRED'
  | 'SCHEMA_ENUM'
  | 'SCHEMA_PATTERN'
  | 'SCHEMA_RANGE'
  | 'SCHEMA_LENGTH'
  | 'SCHEMA_INVALID'
  | 'SECRET_VALUE_INLINE'
  | 'SECRET_UNAVAILABLE'
  | 'SECRETS_NOT_COMPARED'
  | 'VALUE_NUL'
  | 'VALUE_ENCODING'
  | 'VALUE_CONTROL'
  | 'VALUE_WHITESPACE'
  | 'VALUE_EMPTY'
  | 'VALUE_LENGTH'
  | 'VALUE_LEXEM'
  // names and values
  | 'NAME_INVALID'
  | 'WWPN_CASE'
  | 'GID_CASE'
  | 'TARGET_NAME_FORM'
  | 'SIZE_INVALID'
  | 'BLOCKSIZE_INVALID'
  | 'SIZE_NOT_MULTIPLE'
  | 'DEVICE_OPTION_HANDLER'
  | 'DEVICE_OPTION_CONFLICT'
  | 'DEVICE_FILENAME_REQUIRED'
  | 'DRIVER_OPTION'
  // cross references
  | 'UNKNOWN_DEVICE'
  | 'UNKNOWN_SECRET'
  | 'UNKNOWN_NODE'
  | 'DRBD_CONFIG_INVALID'
  | 'UNKNOWN_TARGET'
  | 'UNKNOWN_BLOCK_DEVICE'
  | 'ALUA_DEVICE_TWICE'
  | 'ALUA_TARGET_TWICE'
  | 'INITIATOR_TWICE'
  | 'ADDRESS_INVALID'
  | 'CHAP_USER_TWICE'
  | 'REL_TGT_ID_TWICE'
  | 'UNKNOWN_LV'
  // fleet repositories (fleet.yaml and the per-node views)
  | 'FLEET_INVALID'
  | 'FLEET_UNKNOWN_GROUP'
  | 'FLEET_UNKNOWN_NODE'
  | 'FLEET_SIGNER_INVALID'
  | 'FLEET_NODE_FILES';

/** Where each YAML path of the merged desired state was written. */
export interface SourceIndex {
  /** the key (or value, for list items) that declared `path`; the nearest ancestor if unknown. */
  lookup(path: readonly (string | number)[]): SourceRef | undefined;
}

export type LoadResult =
  | { ok: true; model: SanformModel; diagnostics: Diagnostic[]; sources: SourceIndex; files: string[] }
  | { ok: false; diagnostics: Diagnostic[]; files: string[] };

/** One input file, by name and text (the pure entry point takes these). */
export interface SourceText {
  file: string;
  text: string;
  /**
   * fleet layer (0 shared, 1 group, 2 node: reconciler/fleet); a higher layer overrides a lower
   * one instead of clashing with it. Default 0.
   */
  layer?: number;
}

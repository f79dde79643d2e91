export {
  canonicalJson,
  knownKindHashes,
  observedHash,
  parseSnapshot,
  serializeSnapshot,
  snapshotToObject,
  sortKeys,
  SnapshotFormatError,
  SNAPSHOT_FORMAT_VERSION,
} from './canonical.js';
export { DuplicateAddressError, expandDesired, observe, startObserve, type ObservePass } from './observe.js';

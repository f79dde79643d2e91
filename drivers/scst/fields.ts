/**
 * Typed YAML fields (schema/model.ts) and the kernel attribute each one stands for. The mapping
 * is camelCase <-> snake_case for every field listed here; everything else lives under
 * `attributes:` with the kernel's name.
 */

export const DEVICE_FIELDS = [
  'filename', 'blocksize', 'readOnly', 'nvCache', 'oDirect', 'async', 'writeThrough', 'rotational',
  'thinProvisioned', 'removable', 'dummy', 'size', 'active', 'clusterMode', 'bindAluaState', 't10DevId',
  't10VendId', 'vendSpecificId', 'prodId', 'prodRevLvl', 'usn', 'naaId', 'eui64Id', 'scsiDeviceName',
  'threadsNum', 'threadsPoolType',
] as const;

export const TARGET_FIELDS = ['relTgtId', 'comment'] as const;

export const CORE_FIELDS = ['setupId', 'clusterName'] as const;

export const TG_FIELDS = ['groupId', 'state', 'preferred'] as const;

/** `readOnly` -> `read_only`, `t10DevId` -> `t10_dev_id`, `eui64Id` -> `eui64_id`. */
export const toKernelName = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);


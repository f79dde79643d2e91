/**
 * Device paths as the kernel knows them (shared by the storage drivers). Observe sees kernel names (`md1`, `dm-3`); the file
 * may name a device by a symlink (`/dev/md/data`, `/dev/vg/lv`). A plain `/dev/NAME` can be
 * compared with a kernel name; a symlinked path cannot be resolved without the machine, so such
 * a field is not compared after creation (it only decides what is created).
 */
export const kernelName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** `/dev/sdb` -> `sdb`; undefined for a path through a symlink directory (`/dev/md/data`). */
export const plainKernelName = (path: string): string | undefined => (/^\/dev\/[^/]+$/.test(path) ? path.slice(5) : undefined);

/** Whether a declared path and an observed one name the same device, as far as can be told. */
export function samePath(declared: string, observed: string): boolean {
  const d = plainKernelName(declared);
  const o = plainKernelName(observed);
  return d === undefined || o === undefined || d === o;
}

/**
 * Hardware that exists before any configuration: local SCSI devices appear under devices/ as
 * H:C:I:L with no handler (§1.3, §8.1 item 10). Targets for ports are seeded in targets.ts.
 */
import type { ScstState } from './state.js';
import type { ScsiDeviceType } from '../../sim/hardware.js';

export const SCSI_TYPE_NUMBER: Record<ScsiDeviceType, number> = {
  disk: 0, tape: 1, processor: 3, cdrom: 5, mod: 7, changer: 8, raid: 12,
};

export function passThroughSeed(st: ScstState): void {
  for (const s of st.hardware.scsiDevices)
    st.devices[s.hctl] = {
      handler: null, scsiType: SCSI_TYPE_NUMBER[s.type], attrs: { pr_file_name: `/var/lib/scst/pr/${s.hctl}` }, written: [], nextExport: 0, exports: {}, size: 0, passthrough: true,
    };
}

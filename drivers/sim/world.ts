/**
 * Everything an emulated machine is: the SCST emulator and the storage stack's kernel side
 * (drivers/sim/stack), wired so SCST opens the stack's block devices and the stack knows which
 * devices SCST holds open. One JSON state for persistence.
 */
import type { Probe } from '../scst/emulator/node.js';
import { liveProbe } from '../scst/emulator/backing.js';
import { ScstEmulator } from '../scst/emulator/emulator.js';
import type { HardwareProfile } from './hardware.js';
import { defaultHardware } from './hardware.js';
import { StackKernel, initialStackState, type StackState } from './stack/kernel.js';

export class SimWorld {
  constructor(
    readonly scst: ScstEmulator,
    readonly stack: StackKernel,
  ) {
    stack.scstOpen = (path) => {
      for (const [name, d] of Object.entries(scst.st.devices)) if (d.attrs.filename === path) return `SCST device ${name}`;
      return undefined;
    };
    scst.probe = this.liveProbe();
  }

  static fresh(hw: HardwareProfile = defaultHardware()): SimWorld {
    return new SimWorld(new ScstEmulator({ hardware: hw }), new StackKernel(initialStackState(hw)));
  }

  /** A saved state; a state written before the stack existed gets a fresh stack. */
  static fromJSON(j: unknown): SimWorld {
    const o = j as { scst?: unknown; stack?: StackState };
    if (o && typeof o === 'object' && 'scst' in o) {
      const scst = ScstEmulator.fromJSON(o.scst);
      return new SimWorld(scst, new StackKernel(o.stack ?? initialStackState(scst.st.hardware)));
    }
    const scst = ScstEmulator.fromJSON(j);
    return new SimWorld(scst, new StackKernel(initialStackState(scst.st.hardware)));
  }

  toJSON(): unknown {
    return { scst: this.scst.toJSON(), stack: this.stack.toJSON() };
  }

  get generation(): number {
    return this.scst.generation + this.stack.generation;
  }

  hardware(): HardwareProfile {
    return this.scst.st.hardware;
  }

  /** Backing stores SCST can open: the stack's block devices under /dev, real files elsewhere. */
  liveProbe(o: { filesRoot?: string } = {}): (path: string) => Probe {
    const files = liveProbe(this.scst.st.hardware, o);
    return (path) => {
      const d = this.stack.disks.get(path);
      if (d) return { kind: 'block', size: d.sizeBytes };
      if (path.startsWith('/dev/')) return { kind: 'missing', size: 0 };
      return files(path);
    };
  }
}

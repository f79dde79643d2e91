/**
 * The storage layers the emulated machine has, bottom-up. Each layer's emulator exports a
 * `SimLayer` (drivers/sim/stack/layer.ts); add yours here.
 */
import { mdLayer } from '../../md/emulator/index.js';
import { lvmLayer } from '../../lvm/emulator/index.js';
import { bcacheLayer } from '../../bcache/emulator/sim-layer.js';
import { btierLayer } from '../../btier/emulator/sim-layer.js';
import type { SimLayer } from './layer.js';

export const SIM_LAYERS: SimLayer[] = [mdLayer, lvmLayer, bcacheLayer, btierLayer];

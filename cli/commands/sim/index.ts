import type { SimAction } from './action.js';
import { ctl } from './ctl.js';
import { init } from './init.js';
import { show } from './show.js';

export type { SimAction } from './action.js';

/** The `sanform sim` actions: one line each, sorted by name. */
export const simActions: SimAction[] = [ctl, init, show];

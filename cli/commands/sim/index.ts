import type { SimAction } from './action.js';
import { ctl } from './ctl.js';
import { files } from './files.js';
import { init } from './init.js';
import { link } from './link.js';
import { materialize } from './materialize.js';
import { mount } from './mount.js';
import { show } from './show.js';
import { umount } from './umount.js';

export type { SimAction } from './action.js';

/** The `sanform sim` actions: one line each, sorted by name. */
export const simActions: SimAction[] = [ctl, files, init, link, materialize, mount, show, umount];

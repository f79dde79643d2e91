/**
 * Errno names and numbers for the whole project, Linux's full list (Node's os.constants.errno
 * misses some SCST and DRBD use: EBADSLT, EMEDIUMTYPE...). Drivers and emulators use these
 * instead of os.constants.errno.
 */
export { errnoName, errnoNumber } from '../../native/index.js';

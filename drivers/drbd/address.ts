/** Addresses of the DRBD driver: `drbd/resource/<name>`. */
export const KIND = 'drbd.resource';
export const resourceAddr = (name: string): string => `drbd/resource/${name}`;
export const resourceName = (address: string): string => address.slice('drbd/resource/'.length);
/** where a resource's file lives on every node. */
export const resourceFile = (name: string): string => `/etc/drbd.d/${name}.res`;

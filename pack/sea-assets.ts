/** Names of the assets the single executable carries (sea.ts stores them, sea-main.ts reads them). */
export const ADDON_ASSET = 'sanform_sysfs.node';

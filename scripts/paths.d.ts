export const ROOT: string;
export const CACHE_DIR: string;
export const DATA_DIR: string;
export const FERRETDB_SOURCE_DIR: string;
export const FERRETDB_BIN: string;
export const H5_DIST_DIR: string;
export const WEAPP_DIST_DIR: string;
export const ARTIFACTS_DIR: string;

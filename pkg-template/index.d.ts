export { OkerrProject, OkerrIndicator } from "./okerrupdate_types.js";
export type { OkerrOptions, IndicatorOptions, UpdateResult, UpdateDone, UpdateFailed, FlushResult, LogLevel, OkerrLogger, ThrottleStore } from "./okerrupdate_types.js";
export type { IndicatorInfo, IndicatorFields, UpdateLogEntry, CheckMethods, StatusPage, StatusPageItem } from "./okerrupdate_types.js";
export type { SyncSpec, SyncOptions, SyncResult, SyncChange, SyncDrift } from "./okerrupdate_types.js";
export { OkerrError } from "./okerr-error.js";
export type { OkerrErrorCode } from "./okerr-error.js";

// What the rest of main may use from platform/db. Services import types from here and never better-sqlite3 itself.
export { Database, DOVETAIL_APPLICATION_ID, type DatabaseOptions } from './database';
export type { Migration } from './migrate';
export { workspaceMigrations } from './migrations';
export type { BindArg, RunResult, SqlDatabase, SqlValue, Statement } from './types';

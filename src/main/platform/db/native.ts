// The desktop app runs better-sqlite3 built for Electron's ABI (scripts/electron-native.mjs builds it and passes
// its path in DOVETAIL_SQLITE_BINDING); plain Node (tests, CLI, browser mode) uses the package's own build.
import type BetterSqlite3 from 'better-sqlite3';

export function nativeBindingOption(): Pick<BetterSqlite3.Options, 'nativeBinding'> {
  const binding = process.env.DOVETAIL_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}

// better-sqlite3 is a native addon built for Node's ABI (tests, CLI, browser mode). The desktop app needs a second
// build for Electron's ABI; it lives in out/native/electron-<version>/ and is handed to main through
// DOVETAIL_SQLITE_BINDING (better-sqlite3's `nativeBinding` option), so the two builds coexist.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function ensureElectronSqlite(root, electronVersion) {
  const target = join(root, 'out', 'native', `electron-${electronVersion}`);
  const binding = join(target, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return { ok: true, path: binding };
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  // npm exposes its bundled node-gyp to scripts through npm_config_node_gyp.
  const nodeGyp = process.env.npm_config_node_gyp;
  if (!nodeGyp) return { ok: false, reason: 'node-gyp not found; run through `npm start`' };
  const work = join(target, 'better-sqlite3');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(source, work, { recursive: true, filter: (path) => !path.includes(`${join(source, 'build')}`) });
  const result = spawnSync(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: work, encoding: 'utf8' },
  );
  if (result.status !== 0 || !existsSync(binding)) {
    rmSync(target, { recursive: true, force: true });
    const line =
      `${result.stderr ?? ''}`.split('\n').find((l) => /ERR!/.test(l)) ?? `node-gyp exited with ${result.status}`;
    return { ok: false, reason: line.trim() };
  }
  return { ok: true, path: binding };
}

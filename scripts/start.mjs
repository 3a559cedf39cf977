// `npm start`: builds, then opens the desktop app; where the Electron runtime cannot be obtained (no network to
// its download host, unsupported platform), says so in one line and serves browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronSqlite } from './electron-native.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const passThrough = process.argv.slice(2);

run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], 'build');

const electron = obtainElectron();
if (electron.ok) {
  const binding = ensureElectronSqlite(root, electron.version);
  if (binding.ok) {
    const child = spawn(electron.path, [root, ...passThrough], {
      stdio: 'inherit',
      env: { ...process.env, DOVETAIL_SQLITE_BINDING: binding.path },
    });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    fallBack(`the database module could not be built for Electron ${electron.version} (${binding.reason})`);
  }
} else {
  fallBack(electron.reason);
}

function fallBack(reason) {
  console.log(`Dovetail: desktop runtime unavailable (${reason}); starting browser mode instead.`);
  const child = spawn(process.execPath, [join(root, 'out/main/web.js'), ...passThrough], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

function obtainElectron() {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  const located = locate(pkgDir);
  if (located) return { ok: true, path: located, version };
  // Electron's own installer downloads the runtime (npm 11 does not run it at install: see README).
  const install = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { encoding: 'utf8', timeout: 300_000 });
  const after = locate(pkgDir);
  if (after) return { ok: true, path: after, version };
  const lastLine = `${install.stderr ?? ''}${install.stdout ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /error|fail/i.test(l))[0];
  return {
    ok: false,
    reason: `Electron ${version} could not be downloaded: ${lastLine ?? `installer exited with ${install.status}`}`,
  };
}

function locate(pkgDir) {
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const executable = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : undefined;
}

function run(command, args, what) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) {
    console.error(`Dovetail: ${what} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

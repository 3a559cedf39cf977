// Browser-mode entry (`npm run web`, and npm start's fallback): the same services as the desktop app, served on
// loopback with a per-launch token. Prints the address to open.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../shared/errors';
import { composeApp } from './compose';
import { WebServer } from './host/web-server';
import { intFlag, parseArgs, stringFlag } from './platform/args';
import { defaultUserDataDir } from './platform/paths';
import { APP_VERSION } from './version';

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    port: 'string',
    'user-data': 'string',
    open: 'boolean',
    'no-open': 'boolean',
    help: 'boolean',
  });
  if (args.flags.has('help')) {
    console.log('Usage: npm run web -- [--port N] [--user-data DIR] [--open]');
    return;
  }
  const userData = stringFlag(args, 'user-data');
  const rendererDir = join(here, '../renderer');
  const composed = composeApp({
    shell: 'browser',
    version: APP_VERSION,
    userDataDir: userData ? resolve(userData) : defaultUserDataDir(),
    engineWorkerScript: join(here, 'engine-worker.js'),
    rendererDir,
  });
  const server = new WebServer(composed.dispatcher as never, {
    rendererDir,
    port: intFlag(args, 'port', 0, 65535) ?? 0,
  });
  const url = await server.listen();
  console.log(`Dovetail (browser mode): ${url}`);
  if (args.flags.has('open') && !args.flags.has('no-open')) openInBrowser(url);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await composed.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(command, [url], { stdio: 'ignore', detached: true })
    .on('error', () => undefined)
    .unref();
}

main().catch((error: unknown) => {
  if (error instanceof UserError) {
    console.error(`Dovetail: ${error.message}${error.hint ? ` (${error.hint})` : ''}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});

// `dovetail serve`: the open workspace's releases on the OpenAI-compatible endpoint, headless, until SIGINT or
// SIGTERM; optionally a new API key first (printed once: only its hash is kept).
import type { Api } from '../../shared/contract';
import { UserError } from '../../shared/errors';

export interface ServeOptions {
  host?: string;
  port?: number;
  allowNetwork: boolean;
  newKey?: string;
  /** Overrides of the endpoint's limits (checked by the contract, which names a bad one). */
  limits?: Record<string, number | boolean>;
  log: (...lines: string[]) => void;
  /** Resolves when serving should end; default: the first SIGINT or SIGTERM. */
  until?: Promise<void>;
}

export async function runServe(api: Api, options: ServeOptions): Promise<number> {
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535))
    throw new UserError('--port must be a whole number from 0 to 65535', {
      where: '--port',
      hint: 'For example --port 8089.',
    });
  const current = await api.workspace.current({});
  if (current === null)
    throw new UserError('No workspace to serve', { where: '--workspace', hint: 'Run with --workspace DIR.' });
  if (options.newKey) {
    const { secret, key } = await api.serving.createKey({ name: options.newKey });
    options.log(`New API key "${key.name}" (shown once, keep it): ${secret}`);
  }
  const status = await api.serving.start({
    ...(options.host ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    allowNetwork: options.allowNetwork,
    limits: options.limits ?? {},
  });
  if (status.warning) options.log(`Warning: ${status.warning}`);
  const models = await api.serving.models({});
  options.log(
    `Serving ${models.length} model id(s) at ${status.baseUrl} (Ctrl+C stops):`,
    ...models.map((m) => `  ${m.id}`),
    ...(models.length === 0 ? ['  (none yet: make a release in the Releases section; it is served at once)'] : []),
  );
  await (options.until ?? signalled());
  await api.serving.stop({});
  return 0;
}

function signalled(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

// What a caller of the engine sees when the worker goes away under its request: expected failures (UserError),
// each saying what happened to the engine and what to do next.
import { UserError } from '../../shared/errors';

export function crashedError(method: string, reason: string): UserError {
  return new UserError(`The engine stopped unexpectedly while running ${method} (${reason}); it has been restarted`, {
    code: 'engine-crashed',
    where: `engine.${method}`,
    hint: 'Try again. If it keeps happening, the model or batch may be too large for this machine’s memory.',
  });
}

export function restartedError(method: string): UserError {
  return new UserError(`The engine was restarted while running ${method}`, {
    code: 'engine-restarted',
    where: `engine.${method}`,
    hint: 'Run it again.',
  });
}

/** After a crash loop: automatic restarts have stopped until the user restarts the engine. */
export function givenUpError(
  method: string | undefined,
  reason: string,
  crashes: number,
  windowSeconds: number,
): UserError {
  const running = method === undefined ? '' : ` while running ${method}`;
  return new UserError(
    `The engine stopped unexpectedly${running} (${reason}) and was not restarted: it stopped ${crashes} times within ${windowSeconds} s`,
    {
      code: 'engine-stopped',
      ...(method === undefined ? {} : { where: `engine.${method}` }),
      hint: 'Restart the engine from the status bar. If it keeps stopping, restart Dovetail.',
    },
  );
}

/**
 * The engine went away under a request (crash, restart, crash loop): not the job's fault. Training jobs and experiment
 * runs both read as 'interrupted' then (and resume from their checkpoint or stored outputs), never 'failed'.
 */
export function isEngineInterruption(error: unknown): boolean {
  return error instanceof UserError && error.code !== undefined && ENGINE_INTERRUPTIONS.has(error.code);
}

const ENGINE_INTERRUPTIONS = new Set(['engine-crashed', 'engine-restarted', 'engine-stopped']);

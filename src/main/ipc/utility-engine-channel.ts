// The engine worker as an Electron utilityProcess (a separate OS process, so a crash or a kill cannot take main with
// it). Kept thin: it only adapts utilityProcess to EngineChannel. fork() works only after app 'ready'.
import { utilityProcess } from 'electron';
import type { ChannelExit, EngineChannel, SpawnEngine } from '../host/engine-channel';
import { engineWorkerEnv } from '../host/worker-env';

export const spawnUtilityProcess: SpawnEngine = (workerScript, args) => {
  const child = utilityProcess.fork(workerScript, [...args], {
    serviceName: 'Dovetail engine',
    stdio: 'inherit',
    env: engineWorkerEnv(process.env),
  });
  let error: string | undefined;
  child.on('error', (type, location) => {
    error = `${type} at ${location}`;
  });
  const channel: EngineChannel = {
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message)),
    onExit: (listener) =>
      child.once('exit', (code) => {
        const exit: ChannelExit = error === undefined ? { code } : { code, error };
        listener(exit);
      }),
    kill: () => void child.kill(),
  };
  return channel;
};

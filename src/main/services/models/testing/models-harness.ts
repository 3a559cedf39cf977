// Tests only: a ModelsService behind the dispatcher (validated arguments and results) in a fresh workspace in a temp
// folder, over a real engine worker that the test file starts; events and hash progress are recorded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  modelsContract,
  type ModelHashProgress,
  type ModelRecord,
  type ModelsChanged,
} from '../../../../shared/contract/models';
import type { CallResponse } from '../../../../shared/contract/wire';
import type { ErrorShape } from '../../../../shared/errors';
import { Dispatcher } from '../../../api/dispatcher';
import type { EngineHost } from '../../../host/engine-host';
import { WorkspaceService } from '../../workspace';
import { ModelsService } from '../models-service';

export const FIXTURES = fileURLToPath(new URL('../../../engine/models/__fixtures__/', import.meta.url));
export const DEMO = fileURLToPath(new URL('../../../../../resources/models/dovetail-wordnet-13m', import.meta.url));

export interface ModelsHarness {
  readonly dir: string;
  readonly workspace: WorkspaceService;
  readonly changes: ModelsChanged[];
  readonly progress: ModelHashProgress[];
  /** Runs before each progress event is recorded (tests cancel from here). */
  onProgress: (p: ModelHashProgress) => void;
  call(method: string, arg?: unknown): Promise<CallResponse>;
  ok<T = ModelRecord>(method: string, arg?: unknown): Promise<T>;
  error(method: string, arg?: unknown): Promise<ErrorShape>;
  /** Rows in the models table. */
  rows(): number;
  /** A writable copy of a fixture folder (or any folder) in the temp folder. */
  copy(from: string, name: string): string;
  dispose(): Promise<void>;
}

export async function modelsHarness(
  engine: EngineHost,
  options: { inlineRecheckBytes?: number } = {},
): Promise<ModelsHarness> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-models-')));
  let ids = 0;
  const workspace = new WorkspaceService({
    appDataDir: path.join(dir, 'app-data'),
    clock: () => new Date(),
    appVersion: 'test',
    events: { emit: () => undefined },
  });
  const harness: ModelsHarness = {
    dir,
    workspace,
    changes: [],
    progress: [],
    onProgress: () => undefined,
    call: (method, arg = {}) => dispatcher.handle({ service: 'models', method, arg }, { transport: 'test' }),
    async ok<T>(method: string, arg?: unknown): Promise<T> {
      const response = await harness.call(method, arg);
      if (!response.ok) throw new Error(`${method} failed: ${JSON.stringify(response.error)}`);
      return response.result as T;
    },
    async error(method, arg) {
      const response = await harness.call(method, arg);
      if (response.ok)
        throw new Error(`expected ${method} to fail, got ${JSON.stringify(response.result).slice(0, 200)}`);
      return response.error;
    },
    rows: () => (workspace.active.db.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n,
    copy: (from, name) => {
      const target = path.join(dir, name);
      fs.cpSync(from, target, { recursive: true });
      return target;
    },
    async dispose() {
      await workspace.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  const service = new ModelsService({
    workspace,
    engine,
    events: {
      emit: (event, payload) => {
        if (event === 'onChanged') harness.changes.push(payload as ModelsChanged);
        else {
          harness.onProgress(payload as ModelHashProgress);
          harness.progress.push(payload as ModelHashProgress);
        }
      },
    },
    clock: () => new Date(Date.UTC(2026, 0, 1, 0, 0, ids)),
    paths: { homeDir: dir, relativeTo: dir },
    newId: () => `model-${++ids}`,
    ...(options.inlineRecheckBytes === undefined ? {} : { inlineRecheckBytes: options.inlineRecheckBytes }),
  });
  const dispatcher = new Dispatcher({ models: modelsContract }, { models: service }, { validateResults: true });
  await workspace.create({ path: path.join(dir, 'ws'), name: 'Models test' });
  return harness;
}

// Every engine method's handler, assembled from one table per area; the worker entry serves this table.
// A new engine method = an entry in protocol.ts + its handler in an area table spread in here.
import type { EngineMethods } from '../protocol';
import { adapterHandlers } from './adapters';
import { jobExportHandlers } from './job-export';
import { diagnostics } from './diagnostics';
import { generationHandlers } from './generation';
import type { HandlerTable } from './handler';
import { modelHandlers } from './models';
import { providerHandlers } from './providers';
import { trainingHandlers } from './training';
import { weightHandlers } from './weights';

export const handlers: HandlerTable<EngineMethods> = {
  ...diagnostics,
  ...modelHandlers,
  ...generationHandlers,
  ...trainingHandlers,
  ...adapterHandlers,
  ...jobExportHandlers,
  ...providerHandlers,
  ...weightHandlers,
};

// The datasets service's import writes on their own worker thread (host/import-writer-worker.ts): inserting tens of
// thousands of rows in one transaction takes seconds, which on the main thread would hold up every other call.
import type { SqlDatabase } from '../platform/db';
import {
  DuplicateKeysError,
  type NewVersion,
  type VersionWriter,
  type WriteOutcome,
  type WriteTask,
} from '../services/datasets/write-version';
import { TaskWorker } from './task-worker';

export class ImportWriterHost implements VersionWriter {
  private readonly worker: TaskWorker<WriteTask>;

  constructor(script: string) {
    this.worker = new TaskWorker<WriteTask>(script, 'import writer');
  }

  async write(
    target: { readonly db: SqlDatabase; readonly file: string },
    v: NewVersion,
    spoolFile: string,
    keySource: string | null,
  ): Promise<{ version: number; duplicateCount: number }> {
    const outcome = (await this.worker.run({ file: target.file, v, spoolFile, keySource })) as WriteOutcome;
    if (outcome.kind === 'duplicates') throw new DuplicateKeysError(outcome.problems);
    return { version: outcome.version, duplicateCount: outcome.duplicateCount };
  }

  dispose(): Promise<void> {
    return this.worker.dispose();
  }
}

// Train/evaluation overlap with real dataset versions: a training set that repeats some evaluated inputs exactly and
// some only up to case and punctuation is warned about before training and in the experiment's results.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportDataset } from '../../../shared/contract/datasets';
import type { Experiment } from '../../../shared/contract/experiments';
import { DatasetsService } from '../datasets';
import { WorkspaceService } from '../workspace';
import { OverlapIndex, normaliseText } from './overlap';

let dir: string;
let workspace: WorkspaceService;
let datasets: DatasetsService;

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-overlap-')));
  workspace = new WorkspaceService({
    appDataDir: path.join(dir, 'app'),
    clock: () => new Date(),
    appVersion: 'test',
    events: { emit: () => undefined },
  });
  datasets = new DatasetsService({
    workspace,
    clock: () => new Date(),
    events: { emit: () => undefined },
    paths: { homeDir: dir, relativeTo: dir },
  });
  await workspace.create({ path: path.join(dir, 'ws'), name: 'Overlap' });
});
afterEach(async () => {
  await workspace.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function version(name: string, split: 'train' | 'test', texts: string[]): Promise<string> {
  const file = path.join(dir, `${name}.jsonl`);
  fs.writeFileSync(file, texts.map((text, i) => JSON.stringify({ id: `${name}-${i}`, text, answer: 'a' })).join('\n'));
  const result = await datasets.import(
    ImportDataset.parse({
      newName: name,
      files: [{ path: file, split }],
      split: { kind: 'given' },
      mapping: [
        { source: 'id', name: 'id', role: 'key' },
        { source: 'text', name: 'text', role: 'input' },
        { source: 'answer', name: 'answer', role: 'reference' },
      ],
    }),
  );
  return result.version.id;
}

const experiment = (datasetVersionId: string): Experiment =>
  ({
    id: 'e1',
    spec: { name: 'Held-out test', datasetVersionId, split: 'test', limit: null },
    cells: [],
  }) as unknown as Experiment;

describe('train/evaluation overlap', () => {
  it('normalises case, punctuation, symbols and spacing', () => {
    expect(normaliseText("  Where's my ORDER?!  #123 ")).toBe(normaliseText('wheres my order 123'));
  });

  it('warns before training and in the experiment results, with exact and near-duplicate counts', async () => {
    const evalId = await version('Eval', 'test', [
      'Where is my order?',
      'Refund please',
      'Cancel my plan',
      'Card declined',
    ]);
    const trainId = await version('Train', 'train', [
      'Where is my order?',
      'refund, please!!',
      'Change my address',
      'Reset my password',
      'Card declined',
    ]);
    const index = new OverlapIndex({ datasets });
    expect(
      index.overlap({ versionId: trainId, maxRows: null }, { versionId: evalId, split: 'test', limit: null }),
    ).toEqual({ exact: 2, near: 1, trainRows: 5, evalRows: 4 });

    const [warning, ...others] = index.trainingWarnings(trainId, null, [experiment(evalId)]);
    expect(others).toEqual([]);
    expect(warning).toContain(
      '3 of 5 training rows (2 exact, 1 near-duplicate (same text after normalising case, punctuation and spacing)) repeat inputs of the 4 test rows of Eval v1 that experiment "Held-out test" evaluates on',
    );
    // The first two training rows only: one exact repeat.
    expect(
      index.overlap({ versionId: trainId, maxRows: 2 }, { versionId: evalId, split: 'test', limit: null }),
    ).toMatchObject({ exact: 1, near: 1, trainRows: 2 });

    const results = index.experimentWarnings(experiment(evalId), [
      { name: 'Triage LoRA', datasetVersionId: trainId, maxRows: null },
    ]);
    expect(results).toEqual([
      expect.stringContaining(
        'The adapter "Triage LoRA" was trained on rows that repeat inputs evaluated here: 3 of 5 training rows',
      ),
    ]);
  });

  it('says nothing when the sets are disjoint', async () => {
    const evalId = await version('Eval', 'test', ['Where is my order?']);
    const trainId = await version('Train', 'train', ['Change my address']);
    expect(new OverlapIndex({ datasets }).trainingWarnings(trainId, null, [experiment(evalId)])).toEqual([]);
  });
});

// A project's failure categories across stages, on the real categorisation (the JSON-validity metric), Wilson
// intervals and McNemar tests: which cell stands for each stage, the rates per column, and the paired change on the
// rows two stages share (by row content, whatever their order).
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../../shared/contract/experiments';
import type { Project } from '../../../shared/contract/projects';
import { mcnemarFromCounts, wilsonInterval } from '../../eval';
import type { Collected } from '../experiments/results';
import { categoriesOf } from './failure-modes';
import { stageColumns, stageFailureModes, type StageColumn } from './stage-failure-modes';

const N = 20;
const VALID = '{"category": "billing"}';
const INVALID = 'category: billing';

function experiment(id: string, kind: 'compare' | 'ablation', cells: string[][]): Experiment {
  return {
    id,
    name: id,
    state: 'completed',
    spec: { design: { kind }, metrics: [{ kind: 'json_valid' }] },
    cells: cells.map((components, i) => ({ label: `${id} cell ${i}`, specializationId: `${id}-s${i}`, components })),
  } as unknown as Experiment;
}

/** Outputs of each cell: row i is invalid JSON when invalid(cell, i); rows in the given order of row ids. */
function collected(cells: number, rows: readonly number[], invalid: (cell: number, row: number) => boolean): Collected {
  return {
    examples: {
      facts: {},
      examples: rows.map((r, idx) => ({ idx, key: `k${r}`, hash: `h${r}`, data: {}, reference: null })),
    },
    outputs: Array.from({ length: cells }, (_, c) =>
      rows.map((r) => ({ text: invalid(c, r) ? INVALID : VALID, generatedTokens: 5, finishReason: 'stop' })),
    ),
  } as unknown as Collected;
}

const rows = Array.from({ length: N }, (_, i) => i);
const baseline = experiment('e-base', 'compare', [[], ['template']]);
const prompt = experiment('e-prompt', 'compare', [['template'], ['template', 'demonstrations']]);
const adapter = experiment('e-adapter', 'compare', [['template'], ['template', 'lora']]);
const hybrid = experiment('e-hybrid', 'ablation', [[], ['template'], ['lora'], ['template', 'lora']]);
const project = {
  id: 'p-1',
  stages: [
    { stage: 'baseline', status: 'done', runs: [{ kind: 'experiment', id: 'e-base' }] },
    { stage: 'prompt', status: 'done', runs: [{ kind: 'experiment', id: 'e-prompt' }] },
    {
      stage: 'adapter',
      status: 'done',
      runs: [
        { kind: 'training', id: 'job-1' },
        { kind: 'experiment', id: 'e-adapter' },
      ],
    },
    { stage: 'hybrid', status: 'done', runs: [{ kind: 'experiment', id: 'e-hybrid' }] },
    { stage: 'decision', status: 'todo', runs: [] },
  ],
} as unknown as Project;

describe("a project's failure modes across stages", () => {
  it('takes the baseline cells, the cell each later stage tried and the ablation cell with every part on', () => {
    const all = new Map([baseline, prompt, adapter, hybrid].map((e) => [e.id, e]));
    expect(stageColumns(project, all)).toEqual<StageColumn[]>([
      { stage: 'baseline', experimentId: 'e-base', cell: 0 },
      { stage: 'baseline', experimentId: 'e-base', cell: 1 },
      { stage: 'prompt', experimentId: 'e-prompt', cell: 1 },
      { stage: 'adapter', experimentId: 'e-adapter', cell: 1 },
      { stage: 'hybrid', experimentId: 'e-hybrid', cell: 3 },
    ]);
    // A stage whose experiment is still running (or was removed) has no column yet.
    all.set('e-hybrid', { ...hybrid, state: 'running' });
    all.delete('e-prompt');
    expect(stageColumns(project, all).map((c) => c.stage)).toEqual(['baseline', 'baseline', 'adapter']);
  });

  it('rates each category per stage with Wilson intervals and tests the change on the shared rows (McNemar)', () => {
    // Invalid JSON: the base model on every row, the baseline prompt on 15, demonstrations on 12, the adapter on 1
    // (one of those 12); the hybrid run measured only 10 rows, in reverse order, with the same single failure.
    const inputs = [
      {
        column: { stage: 'baseline', experimentId: 'e-base', cell: 0 },
        e: baseline,
        c: collected(2, rows, (c, r) => c === 0 || r < 15),
      },
      {
        column: { stage: 'baseline', experimentId: 'e-base', cell: 1 },
        e: baseline,
        c: collected(2, rows, (c, r) => c === 0 || r < 15),
      },
      {
        column: { stage: 'prompt', experimentId: 'e-prompt', cell: 1 },
        e: prompt,
        c: collected(2, rows, (c, r) => r < (c === 0 ? 15 : 12)),
      },
      {
        column: { stage: 'adapter', experimentId: 'e-adapter', cell: 1 },
        e: adapter,
        c: collected(2, rows, (c, r) => r < (c === 0 ? 12 : 1)),
      },
      {
        column: { stage: 'hybrid', experimentId: 'e-hybrid', cell: 3 },
        e: hybrid,
        c: collected(4, [...rows.slice(0, 10)].reverse(), (_, r) => r < 1),
      },
    ] as const;
    const view = stageFailureModes(
      'p-1',
      inputs.map(({ column, e, c }) => ({
        column,
        experiment: e,
        collected: c,
        categories: categoriesOf(e, c, [])[column.cell] ?? [],
      })),
    );
    expect(view.columns.map((c) => [c.stage, c.label, c.n])).toEqual([
      ['baseline', 'e-base cell 0', 20],
      ['baseline', 'e-base cell 1', 20],
      ['prompt', 'e-prompt cell 1', 20],
      ['adapter', 'e-adapter cell 1', 20],
      ['hybrid', 'e-hybrid cell 3', 10],
    ]);
    expect(view.categories.map((c) => c.category)).toEqual(['invalid JSON']);
    const invalid = view.categories[0];
    expect(invalid?.rates.map((r) => [r.count, r.n])).toEqual([
      [20, 20],
      [15, 20],
      [12, 20],
      [1, 20],
      [1, 10],
    ]);
    expect(invalid?.rates[3]?.ci).toEqual(wilsonInterval(1, 20));
    expect(invalid?.rates[3]?.ci[0]).toBeCloseTo(0.0089, 4);
    expect(invalid?.rates[3]?.ci[1]).toBeCloseTo(0.2361, 4);
    // Base model -> baseline prompt: 5 rows fixed, none broken: exact McNemar p = 2 / 2^5.
    expect(invalid?.changes[0]).toEqual({ delta: -5 / 20, p: 2 / 32, n: 20 });
    // Demonstrations -> adapter: 11 rows fixed: p = 2 / 2^11, clearly below 0.05.
    expect(invalid?.changes[2]).toEqual({ delta: -11 / 20, p: mcnemarFromCounts(0, 11).p, n: 20 });
    expect(invalid?.changes[2]?.p).toBeCloseTo(2 / 2048, 10);
    // Adapter -> hybrid on the 10 rows both measured: the same single failure, no change.
    expect(invalid?.changes[3]).toEqual({ delta: 0, p: 1, n: 10 });
  });
});

// The format comparison's arithmetic on hand-made outputs: the change and its paired CI per metric, McNemar's p from
// the discordant rows, rows missing at either precision left out (and the format marked incomplete), and which cells
// an ablation's check keeps for the format picker (the full one only).
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../../shared/contract/experiments';
import { mcnemarTest } from '../../eval';
import type { StoredOutput } from './experiment-store';
import { compareFormats, taskQualityEntries } from './format-comparison';
import type { Collected } from './results';

const N = 20;
const examples = Array.from({ length: N }, (_, i) => ({
  idx: i,
  key: `r${i}`,
  hash: `h${i}`,
  data: {},
  reference: 'yes',
}));

function outputs(texts: readonly (string | null)[][]): Collected {
  const output = (text: string): StoredOutput =>
    ({ text, generatedTokens: 1, promptTokens: 1, totalMs: 1 }) as unknown as StoredOutput;
  return {
    examples: { facts: {} as Collected['examples']['facts'], examples },
    outputs: texts.map((cell) => cell.map((t) => (t === null ? null : output(t)))),
  };
}

function experiment(design: Experiment['spec']['design'], cells: number): Experiment {
  return {
    id: 'e1',
    name: 'Check',
    spec: { datasetVersionId: 'v1', split: 'test', design, seed: 3, metrics: [{ kind: 'exact_match' }] },
    cells: Array.from({ length: cells }, (_, k) => ({
      specializationId: `s${k}`,
      label: k === cells - 1 ? 'full' : `cell ${k}`,
      components: [],
      mask: null,
    })),
  } as unknown as Experiment;
}

describe('compareFormats', () => {
  it('pairs each row with the stored precision: change, bootstrap CI, McNemar p, changed outputs', () => {
    // Stored: 15 of 20 right. 8-bit: rows 0-3 turn wrong, row 19 turns right, row 5 adds a space (wrong for exact match).
    const stored = Array.from({ length: N }, (_, i) => (i < 15 ? 'yes' : 'no'));
    const q8 = stored.map((t, i) => (i < 4 ? 'no' : i === 19 ? 'yes' : i === 5 ? 'yes ' : t));
    const e = experiment({ kind: 'compare', specializationIds: ['s0'] }, 1);
    const [f] = compareFormats(e, outputs([stored]), [{ format: 'q8', collected: outputs([q8]) }]).formats;
    const m = f?.cells[0]?.metrics[0];
    expect(f?.complete).toBe(true);
    expect(f?.cells[0]).toMatchObject({ compared: N, changed: 6 });
    expect(m).toMatchObject({ n: N, binary: true, higherIsBetter: true });
    expect(m?.stored).toBeCloseTo(15 / N, 12);
    expect(m?.value).toBeCloseTo(11 / N, 12);
    expect(m?.diff).toBeCloseTo(-4 / N, 12);
    expect(m?.p).toBeCloseTo(
      mcnemarTest(
        q8.map((t) => t === 'yes'),
        stored.map((t) => t === 'yes'),
      ).p,
      12,
    );
    expect(m?.ci?.[0]).toBeLessThan(m?.diff ?? NaN);
    expect(m?.ci?.[1]).toBeGreaterThan(m?.diff ?? NaN);
  });

  it('leaves out rows missing at either precision and marks the format incomplete; skips formats never run', () => {
    const stored: (string | null)[] = Array.from({ length: N }, () => 'yes');
    const q4: (string | null)[] = stored.map((t, i) => (i < 5 ? null : t));
    stored[19] = null;
    const e = experiment({ kind: 'compare', specializationIds: ['s0'] }, 1);
    const c = compareFormats(e, outputs([stored]), [
      { format: 'q8', collected: outputs([stored.map(() => null)]) },
      { format: 'q4', collected: outputs([q4]) },
    ]);
    expect(c.formats.map((f) => f.format)).toEqual(['q4']);
    expect(c.formats[0]).toMatchObject({ complete: false });
    expect(c.formats[0]?.cells[0]).toMatchObject({ compared: N - 6, changed: 0 });
    expect(c.formats[0]?.cells[0]?.metrics[0]).toMatchObject({ n: N - 6, diff: 0, p: 1 });
  });

  it("keeps an ablation's full cell for the format picker, named after the ablated specialization", () => {
    const e = experiment({ kind: 'ablation', specializationId: 'root' }, 4);
    const texts = Array.from({ length: 4 }, () => Array.from({ length: N }, () => 'yes'));
    const comparison = compareFormats(e, outputs(texts), [{ format: 'q4', collected: outputs(texts) }]);
    const entries = taskQualityEntries(e, comparison, {
      rows: 'Support triage v1, test split',
      specializationName: (id) => (id === 'root' ? 'Triage demo' : id),
      now: new Date('2026-12-08T00:00:00Z'),
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      specializationId: 's3',
      cell: 'Triage demo, full',
      format: 'q4',
      kind: 'exact_match',
      n: N,
      delta: 0,
      changed: 0,
      seed: 3,
    });
  });
});

// What 8-bit and 4-bit weights change on a task: an experiment's cells generated again at a quantized format, each
// metric's per-row scores paired with the same rows at the stored precision. A pass/fail metric gets McNemar's test;
// every metric gets the seeded paired bootstrap CI of the change in its mean (the mean of per-row scores: accuracy,
// pass rate, mean similarity), and each cell counts the outputs whose text changed at all.
import type { Experiment, FormatComparison, FormatMetric } from '../../../shared/contract/experiments';
import type { TaskQuality } from '../../../shared/contract/models';
import { METRIC_BINARY, METRIC_DIRECTION, metricLabel, type MetricSpec } from '../../../shared/metrics';
import type { QuantizedWeightFormat } from '../../../shared/weight-format';
import { pairedChange } from '../../eval';
import { RESAMPLES, scoreAll, type Collected } from './results';

/** Bootstrap streams under the experiment's seed, apart from the results' and the drift audits'. */
const STREAM = 900;

export interface FormatOutputs {
  format: QuantizedWeightFormat;
  collected: Collected;
}

export function compareFormats(
  experiment: Experiment,
  stored: Collected,
  formats: readonly FormatOutputs[],
): FormatComparison {
  const metrics = experiment.spec.metrics as MetricSpec[];
  const seed = experiment.spec.seed;
  const rows = stored.examples.examples.length;
  const reference = scoreAll(metrics, stored);
  return {
    experimentId: experiment.id,
    rows,
    seed,
    formats: formats
      .filter((f) => f.collected.outputs.some((cell) => cell.some((o) => o !== null)))
      .map((f, fi) => {
        const scores = scoreAll(metrics, f.collected);
        const complete =
          rows > 0 &&
          [stored, f.collected].every((c) => c.outputs.every((cell) => cell.length === rows && cell.every(Boolean)));
        return {
          format: f.format,
          complete,
          cells: experiment.cells.map((cell, k) => {
            const before = stored.outputs[k] ?? [];
            const after = f.collected.outputs[k] ?? [];
            const both = before.flatMap((o, i) => {
              const a = after[i];
              return o && a ? [{ i, changed: o.text !== a.text }] : [];
            });
            return {
              label: cell.label,
              specializationId: cell.specializationId,
              compared: both.length,
              changed: both.filter((b) => b.changed).length,
              metrics: metrics.map((m, mi) =>
                metricAt(
                  m,
                  both.map((b) => [reference[mi]?.[k]?.[b.i]?.score ?? null, scores[mi]?.[k]?.[b.i]?.score ?? null]),
                  seed,
                  STREAM + fi * metrics.length + mi,
                ),
              ),
            };
          }),
        };
      }),
  };
}

function metricAt(
  m: MetricSpec,
  pairs: readonly (readonly [number | null, number | null])[],
  seed: number,
  stream: number,
): FormatMetric {
  const scored = pairs.filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
  const binary = METRIC_BINARY[m.kind];
  const base = {
    label: metricLabel(m),
    kind: m.kind,
    binary,
    higherIsBetter: METRIC_DIRECTION[m.kind] === 'higher',
    n: scored.length,
  };
  if (scored.length === 0) return { ...base, stored: null, value: null, diff: null, ci: null, p: null };
  const change = pairedChange(
    scored.map((s) => s[1]),
    scored.map((s) => s[0]),
    { binary, seed, resamples: RESAMPLES, stream },
  );
  return { ...base, stored: change.before, value: change.after, diff: change.diff, ci: change.ci, p: change.p };
}

/**
 * What the format pickers show of a complete format check: the main metric of each judged cell (an ablation's full
 * cell, or every cell of a comparison) at each format, tagged with the cell's specialization (its model keeps it).
 */
export function taskQualityEntries(
  experiment: Experiment,
  comparison: FormatComparison,
  o: { rows: string; specializationName: (id: string) => string; now: Date },
): (TaskQuality & { specializationId: string })[] {
  const judged = experiment.spec.design.kind === 'ablation' ? experiment.cells.length - 1 : 0;
  return comparison.formats
    .filter((f) => f.complete)
    .flatMap((f) =>
      f.cells.slice(judged).flatMap((cell) => {
        const m = cell.metrics[0];
        if (!m || m.stored === null || m.value === null || m.diff === null || m.ci === null) return [];
        const design = experiment.spec.design;
        const name = o.specializationName(design.kind === 'ablation' ? design.specializationId : cell.specializationId);
        return [
          {
            specializationId: cell.specializationId,
            format: f.format,
            experimentId: experiment.id,
            experimentName: experiment.name,
            datasetVersionId: experiment.spec.datasetVersionId,
            rows: o.rows,
            cell: design.kind === 'ablation' ? `${name}, ${cell.label}` : name,
            metric: m.label,
            kind: m.kind,
            higherIsBetter: m.higherIsBetter,
            n: m.n,
            stored: m.stored,
            value: m.value,
            delta: m.diff,
            low: m.ci[0],
            high: m.ci[1],
            p: m.p,
            changed: cell.changed,
            seed: comparison.seed,
            measuredAt: o.now.toISOString(),
          },
        ];
      }),
    );
}

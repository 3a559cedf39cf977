// A drift audit's comparison: the release's recorded outputs on its audit set against the outputs it gives now, on
// the same examples. Quality per metric (McNemar for pass/fail metrics, else a paired bootstrap CI), each failure
// category (McNemar on having it), latency (paired bootstrap on decode ms per token) and how many outputs changed.
// Drift fails the audit: a metric worse or a category more frequent at p < 0.05. Warnings: outputs that changed at
// all (greedy decoding of an unchanged release gives the same text), latency up by half or more.
import type { DriftComparison, DriftFlag, FailureRule } from '../../../shared/contract/robustness';
import { METRIC_BINARY, METRIC_DIRECTION, metricLabel, type MetricSpec } from '../../../shared/metrics';
import { mcnemarTest, pairedBootstrapDiffCI, pairedChange, scoreExample } from '../../eval';
import type { StoredOutput } from '../experiments/experiment-store';
import type { Collected } from '../experiments/results';
import { categorize } from './categories';

export const DRIFT_ALPHA = 0.05;
/** Latency flagged when the mean rises by this fraction with the CI above zero. */
export const LATENCY_RISE = 0.5;
const RESAMPLES = 2000;
const EXAMPLES = 5;

const norm = (t: string): string => t.trim().replace(/\s+/g, ' ');

export function compareRuns(
  recorded: Collected,
  now: Collected,
  metrics: readonly MetricSpec[],
  rules: readonly FailureRule[],
  seed: number,
): { comparison: DriftComparison; flags: DriftFlag[] } {
  const nowByHash = new Map(now.examples.examples.map((e, i) => [e.hash, now.outputs[0]?.[i] ?? null]));
  const pairs: { key: string; reference: string | null; a: StoredOutput; b: StoredOutput }[] = [];
  recorded.examples.examples.forEach((e, i) => {
    const a = recorded.outputs[0]?.[i];
    const b = nowByHash.get(e.hash);
    if (a && b) pairs.push({ key: e.key, reference: e.reference, a, b });
  });
  const flags: DriftFlag[] = [];
  const score = (m: MetricSpec, o: StoredOutput, ref: string | null) =>
    scoreExample(m, { output: o.text, reference: ref, outputTokens: o.generatedTokens }).score;

  const metricRows = metrics.map((m, k) => {
    const scored = pairs
      .map((p) => [score(m, p.a, p.reference), score(m, p.b, p.reference)] as const)
      .filter((s): s is readonly [number, number] => s[0] !== null && s[1] !== null);
    const label = metricLabel(m);
    if (scored.length === 0) return { label, recorded: null, now: null, diff: null, ci: null, p: null, test: 'none' };
    const binary = METRIC_BINARY[m.kind];
    const change = pairedChange(
      scored.map((s) => s[1]),
      scored.map((s) => s[0]),
      { binary, seed, resamples: RESAMPLES, stream: 700 + k },
    );
    const { diff, ci, p } = change;
    const worse = METRIC_DIRECTION[m.kind] === 'higher' ? diff < 0 : diff > 0;
    const significant = binary ? (p ?? 1) < DRIFT_ALPHA : ci !== null && (ci[0] > 0 || ci[1] < 0);
    if (worse && significant)
      flags.push({
        severity: 'drift',
        aspect: 'quality',
        message: `${label} fell from ${fmt(change.before)} to ${fmt(change.after)} on ${scored.length} examples${p === null ? ` (95% CI of the change ${fmt(ci?.[0] ?? 0)} to ${fmt(ci?.[1] ?? 0)})` : ` (McNemar p=${p.toPrecision(2)})`}.`,
      });
    return {
      label,
      recorded: change.before,
      now: change.after,
      diff,
      ci,
      p,
      test: binary ? 'mcnemar' : 'paired bootstrap',
    };
  });

  const catsOf = (o: StoredOutput, ref: string | null) =>
    new Set(
      categorize(
        { text: o.text, reference: ref, generatedTokens: o.generatedTokens, finishReason: o.finishReason },
        metrics,
        rules,
      ).map((c) => c.name),
    );
  const cats = pairs.map((p) => ({ a: catsOf(p.a, p.reference), b: catsOf(p.b, p.reference) }));
  const names = [...new Set(cats.flatMap((c) => [...c.a, ...c.b]))].sort();
  const categories = names.map((category) => {
    const before = cats.map((c) => c.a.has(category));
    const after = cats.map((c) => c.b.has(category));
    const p = mcnemarTest(after, before).p;
    const recordedCount = before.filter(Boolean).length;
    const nowCount = after.filter(Boolean).length;
    if (nowCount > recordedCount && p < DRIFT_ALPHA)
      flags.push({
        severity: 'drift',
        aspect: 'failure-category',
        message: `"${category}" rose from ${recordedCount} to ${nowCount} of ${pairs.length} outputs (McNemar p=${p.toPrecision(2)}).`,
      });
    return { category, recorded: recordedCount, now: nowCount, p };
  });

  // Decode time per token after the first: the first call of a run also loads the model and adapters into a fresh
  // worker, which would read as a slower release when it is only a cold start.
  const decode = (o: StoredOutput): number | null =>
    o.timeToFirstTokenMs === null || o.generatedTokens < 2
      ? null
      : (o.totalMs - o.timeToFirstTokenMs) / (o.generatedTokens - 1);
  const timed = pairs
    .map((p) => [decode(p.a), decode(p.b)] as const)
    .filter((t): t is readonly [number, number] => t[0] !== null && t[1] !== null);
  const before = timed.map((t) => t[0]);
  const after = timed.map((t) => t[1]);
  const latencyCi =
    timed.length >= 2 ? pairedBootstrapDiffCI(after, before, { seed, resamples: RESAMPLES, stream: 799 }).ci : null;
  const recordedMs = timed.length === 0 ? null : mean(before);
  const nowMs = timed.length === 0 ? null : mean(after);
  if (
    recordedMs !== null &&
    nowMs !== null &&
    latencyCi !== null &&
    nowMs > recordedMs * (1 + LATENCY_RISE) &&
    latencyCi[0] > 0
  )
    flags.push({
      severity: 'warning',
      aspect: 'latency',
      message: `Each generated token takes ${nowMs.toFixed(1)} ms on average, against ${recordedMs.toFixed(1)} ms recorded.`,
    });

  const changed = pairs.filter((p) => norm(p.a.text) !== norm(p.b.text));
  if (changed.length > 0)
    flags.push({
      severity: 'warning',
      aspect: 'outputs',
      message: `${changed.length} of ${pairs.length} outputs differ from the recorded ones.`,
    });
  return {
    comparison: {
      n: pairs.length,
      notes: [],
      metrics: metricRows,
      categories,
      latency: { recordedMsPerToken: recordedMs, nowMsPerToken: nowMs, n: timed.length, ci: latencyCi },
      changedOutputs: changed.length,
      examples: changed.slice(0, EXAMPLES).map((p) => ({ key: p.key, recorded: p.a.text, now: p.b.text })),
    },
    flags,
  };
}

function mean(v: readonly number[]): number {
  return v.length === 0 ? 0 : v.reduce((s, x) => s + x, 0) / v.length;
}

function fmt(v: number): string {
  return Math.abs(v) <= 1 ? `${(v * 100).toFixed(1)}%` : v.toFixed(2);
}

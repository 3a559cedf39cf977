// A probe's variants and their analysis. Variants: each source row once per kind, its input fields perturbed, the
// kind and the source row's key kept beside them. Analysis: per specialization and kind, consistency (the same
// answer as on the clean row, as the accuracy measure reads it) and accuracy on the variants against the same rows clean, Wilson 95% CIs,
// McNemar on the paired accuracy; findings in plain sentences with examples. Pure.
import type { ExperimentCell } from '../../../shared/contract/experiments';
import type { PerturbationKind, ProbeRow } from '../../../shared/contract/robustness';
import type { MetricSpec } from '../../../shared/metrics';
import { mcnemarTest, normalizeText, wilsonInterval } from '../../eval';
import { readLabel } from '../../eval/metrics/classification';
import type { Collected } from '../experiments/results';
import type { ReaderRow } from '../templates';
import { passed } from './failure-modes';
import { perturb } from './perturb';

export const PROBE_KIND_FIELD = 'probe_kind';
export const PROBE_SOURCE_FIELD = 'probe_source_key';
const EXAMPLES_PER_ROW = 3;
/** Consistency below this (CI's upper end) is called brittle. */
export const BRITTLE_BELOW = 0.9;

/** The variant rows of `rows` (data only, for writing as JSON Lines), kind by kind in the given order. */
export function variantRows(
  rows: readonly ReaderRow[],
  roles: { input: readonly string[]; key: string | null },
  kinds: readonly PerturbationKind[],
  seed: number,
): Record<string, unknown>[] {
  return kinds.flatMap((kind) =>
    rows.map((row) => {
      const data: Record<string, unknown> = { ...row.data };
      for (const field of roles.input) {
        const v = data[field];
        if (typeof v === 'string') data[field] = perturb(kind, v, seed, `${row.key}\u0000${field}`);
      }
      if (roles.key !== null) data[roles.key] = `${row.key}~${kind}`;
      data[PROBE_KIND_FIELD] = kind;
      data[PROBE_SOURCE_FIELD] = row.key;
      return data;
    }),
  );
}

/**
 * The answer in an output, as the accuracy measure reads it: a classification's label, a json_fields metric's
 * fields, else the normalised text (case, spacing, surrounding quotes and punctuation aside). Two outputs with the
 * same answer are consistent even when their wording differs elsewhere.
 */
export function answerOf(m: MetricSpec, text: string): string {
  if (m.kind === 'classification') return readLabel(text, m.field) ?? '';
  if (m.kind === 'json_fields') return JSON.stringify(m.fields.map((f) => readLabel(text, f) ?? null));
  return normalizeText(text);
}

function rate(k: number, n: number): ProbeRow['consistency'] {
  return { k, n, rate: n === 0 ? null : k / n, ci: n === 0 ? null : wilsonInterval(k, n) };
}

export function analyzeProbe(
  cells: readonly ExperimentCell[],
  clean: Collected,
  probed: Collected,
  kinds: readonly PerturbationKind[],
  primary: MetricSpec,
  inputFields: readonly string[],
): { rows: ProbeRow[]; findings: string[] } {
  const cleanIdx = new Map(clean.examples.examples.map((e, i) => [e.key, i]));
  const rows: ProbeRow[] = [];
  const findings: string[] = [];
  cells.forEach((cell, c) => {
    for (const kind of kinds) {
      let same = 0;
      let n = 0;
      const now: boolean[] = [];
      const before: boolean[] = [];
      const examples: ProbeRow['examples'] = [];
      probed.examples.examples.forEach((e, i) => {
        if (e.data[PROBE_KIND_FIELD] !== kind) return;
        const j = cleanIdx.get(String(e.data[PROBE_SOURCE_FIELD]));
        const out = probed.outputs[c]?.[i];
        const base = j === undefined ? null : clean.outputs[c]?.[j];
        if (j === undefined || !out || !base) return;
        n++;
        const consistent = answerOf(primary, out.text) === answerOf(primary, base.text);
        if (consistent) same++;
        else if (examples.length < EXAMPLES_PER_ROW) {
          const source = clean.examples.examples[j]?.data ?? {};
          examples.push({
            key: e.key,
            clean: inputFields.map((f) => String(source[f] ?? '')).join('\n'),
            perturbed: inputFields.map((f) => String(e.data[f] ?? '')).join('\n'),
            cleanOutput: base.text,
            output: out.text,
          });
        }
        const p = passed(primary, out.text, e.reference, out.generatedTokens);
        const q = passed(primary, base.text, clean.examples.examples[j]?.reference ?? null, base.generatedTokens);
        if (p !== null && q !== null) {
          now.push(p);
          before.push(q);
        }
      });
      const row: ProbeRow = {
        specializationId: cell.specializationId,
        label: cell.label,
        kind,
        consistency: rate(same, n),
        accuracy: rate(now.filter(Boolean).length, now.length),
        cleanAccuracy: rate(before.filter(Boolean).length, before.length),
        examples,
      };
      rows.push(row);
      const ci = row.consistency.ci;
      if (ci !== null && ci[1] < BRITTLE_BELOW)
        findings.push(
          `${cell.label} is brittle to ${kind}: the same answer on ${pct(row.consistency.rate)} of ${n} inputs (95% CI ${pct(ci[0])}-${pct(ci[1])}).`,
        );
      if (now.length > 0) {
        const test = mcnemarTest(now, before);
        const drop = (row.cleanAccuracy.rate ?? 0) - (row.accuracy.rate ?? 0);
        if (drop > 0 && test.p < 0.05)
          findings.push(
            `${cell.label} underperforms on ${kind} inputs: accuracy ${pct(row.accuracy.rate)} against ${pct(row.cleanAccuracy.rate)} clean (n=${now.length}, McNemar p=${test.p.toPrecision(2)}).`,
          );
      }
    }
  });
  return { rows, findings };
}

const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(0)}%`);

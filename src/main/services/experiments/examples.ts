// The examples of an experiment: the rows of its dataset split (the first `limit` in dataset order), each with a
// content hash over what a prompt is made from (the row's data and the input roles), so that outputs are reused
// across experiments and re-imports of the same rows, and never across different rows.
import { createHash } from 'node:crypto';
import type { ExperimentSpec } from '../../../shared/contract/experiments';
import type { DatasetReader, ReaderRow, ReaderVersionFacts } from '../templates';

export interface Example {
  idx: number;
  key: string;
  hash: string;
  data: Record<string, unknown>;
  reference: string | null;
}

export interface ExperimentExamples {
  facts: ReaderVersionFacts;
  examples: Example[];
}

export function loadExamples(
  datasets: DatasetReader,
  spec: Pick<ExperimentSpec, 'datasetVersionId' | 'split' | 'limit'>,
): ExperimentExamples {
  const facts = datasets.versionFacts(spec.datasetVersionId);
  const rows = datasets.readRows(spec.datasetVersionId, spec.split, spec.limit === null ? {} : { limit: spec.limit });
  return { facts, examples: rows.map((row, i) => toExample(row, i, facts)) };
}

function toExample(row: ReaderRow, idx: number, facts: ReaderVersionFacts): Example {
  const ref = facts.roles.reference === null ? undefined : row.data[facts.roles.reference];
  const hash = createHash('sha256')
    .update(stableJson(['example/1', facts.roles.input, row.data]))
    .digest('hex');
  return {
    idx,
    key: row.key,
    hash,
    data: row.data,
    reference: ref === undefined || ref === null ? null : typeof ref === 'string' ? ref : JSON.stringify(ref),
  };
}

/** JSON with object keys sorted at every level (one spelling per value, for hashing). */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// Train/evaluation overlap: rows whose inputs are the same text (exact) or the same after normalising case,
// punctuation, symbols and spacing (near-duplicate), across a training set and an evaluation split, possibly of two
// different dataset versions. Hash sets per (version, split, limit) are kept: versions are immutable.
import { createHash } from 'node:crypto';
import type { SplitName } from '../../../shared/contract/datasets';
import type { Experiment } from '../../../shared/contract/experiments';
import type { DatasetRow, DatasetVersionFacts } from '../datasets';

export interface OverlapDeps {
  readonly datasets: {
    versionFacts(versionId: string): DatasetVersionFacts;
    readRows(versionId: string, split: SplitName | null, options?: { limit?: number; offset?: number }): DatasetRow[];
  };
}

interface Hashed {
  readonly exact: string[];
  readonly near: string[];
}

export interface Overlap {
  /** Training rows whose input equals an evaluation row's: exactly, or only after normalising. */
  readonly exact: number;
  readonly near: number;
  readonly trainRows: number;
  readonly evalRows: number;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Case, punctuation, symbols and runs of spaces ignored: "Where's my order?!" and "wheres my order" meet. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export class OverlapIndex {
  private readonly cache = new Map<string, Hashed>();

  constructor(private readonly deps: OverlapDeps) {}

  /** How many of the training rows (the train split, first `maxRows`) repeat an input of the evaluation rows. */
  overlap(
    train: { versionId: string; maxRows: number | null },
    evaluated: { versionId: string; split: SplitName; limit: number | null },
  ): Overlap {
    const a = this.hashed(train.versionId, 'train', train.maxRows);
    const b = this.hashed(evaluated.versionId, evaluated.split, evaluated.limit);
    const exactSet = new Set(b.exact);
    const nearSet = new Set(b.near);
    let exact = 0;
    let near = 0;
    a.exact.forEach((h, i) => {
      if (exactSet.has(h)) exact++;
      else if (nearSet.has(a.near[i] ?? '')) near++;
    });
    return { exact, near, trainRows: a.exact.length, evalRows: b.exact.length };
  }

  /** Warnings for training on `versionId`: one per experiment whose evaluated rows its training rows repeat. */
  trainingWarnings(versionId: string, maxRows: number | null, experiments: readonly Experiment[]): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const e of experiments) {
      const id = `${e.spec.datasetVersionId}/${e.spec.split}/${e.spec.limit ?? ''}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const o = this.safeOverlap(
        { versionId, maxRows },
        { versionId: e.spec.datasetVersionId, split: e.spec.split, limit: e.spec.limit },
      );
      if (o && o.exact + o.near > 0) {
        const facts = this.deps.datasets.versionFacts(e.spec.datasetVersionId);
        out.push(
          `${describe(o)} of the ${o.evalRows} ${e.spec.split} rows of ${facts.name} v${facts.version} that experiment "${e.spec.name}" evaluates on: its scores for this adapter would look better than they are.`,
        );
      }
    }
    return out;
  }

  /** Warnings for an experiment's results: one per adapter whose training rows repeat the rows it evaluates. */
  experimentWarnings(
    experiment: Experiment,
    adapters: readonly { name: string; datasetVersionId: string; maxRows: number | null }[],
  ): string[] {
    const evaluated = {
      versionId: experiment.spec.datasetVersionId,
      split: experiment.spec.split,
      limit: experiment.spec.limit,
    };
    return adapters.flatMap((a) => {
      const o = this.safeOverlap({ versionId: a.datasetVersionId, maxRows: a.maxRows }, evaluated);
      return o && o.exact + o.near > 0
        ? [
            `The adapter "${a.name}" was trained on rows that repeat inputs evaluated here: ${describe(o)} of these ${o.evalRows} ${experiment.spec.split} rows. Its scores look better than they would on new inputs.`,
          ]
        : [];
    });
  }

  /** Null when a version is gone (removed since): nothing to compare. */
  private safeOverlap(...args: Parameters<OverlapIndex['overlap']>): Overlap | null {
    try {
      return this.overlap(...args);
    } catch {
      return null;
    }
  }

  private hashed(versionId: string, split: SplitName, limit: number | null): Hashed {
    const key = `${versionId}/${split}/${limit ?? ''}`;
    let entry = this.cache.get(key);
    if (!entry) {
      const facts = this.deps.datasets.versionFacts(versionId);
      const fields =
        facts.roles.input.length > 0
          ? facts.roles.input
          : facts.fields.filter((f) => f.role !== 'reference' && f.role !== 'key').map((f) => f.name);
      const rows = this.deps.datasets.readRows(versionId, split, limit === null ? {} : { limit });
      const texts = rows.map((r) => fields.map((f) => textOf(r.data[f])).join('\u0000'));
      entry = { exact: texts.map(sha), near: texts.map((t) => sha(normaliseText(t))) };
      if (this.cache.size > 32) this.cache.clear();
      this.cache.set(key, entry);
    }
    return entry;
  }
}

function describe(o: Overlap): string {
  const parts = [
    o.exact > 0 ? `${o.exact} exact` : '',
    o.near > 0
      ? `${o.near} near-duplicate${o.near === 1 ? '' : 's'} (same text after normalising case, punctuation and spacing)`
      : '',
  ].filter(Boolean);
  const n = o.exact + o.near;
  return `${n} of ${o.trainRows} training row${o.trainRows === 1 ? '' : 's'} (${parts.join(', ')}) repeat${n === 1 ? 's' : ''} inputs`;
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

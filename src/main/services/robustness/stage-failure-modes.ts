// A project's failure categories across its stages (pure): which cell stands for each stage (the baseline's two
// cells, the cell each compare stage tried, the ablation's cell with every part on), each category's rate per column
// with a Wilson 95% CI, and its change from the column before on the rows both measured (McNemar, paired by row).
import type { Experiment } from '../../../shared/contract/experiments';
import type { Project, Stage } from '../../../shared/contract/projects';
import type { StageFailureModes } from '../../../shared/contract/robustness';
import { mcnemarTest, wilsonInterval } from '../../eval';
import type { Collected } from '../experiments/results';
import type { Category } from './categories';

export interface StageColumn {
  stage: Stage;
  experimentId: string;
  /** The cell's place in its experiment. */
  cell: number;
}

/** The columns of a project's view: its stages in the user's order, each by its last completed experiment. */
export function stageColumns(project: Project, experiments: ReadonlyMap<string, Experiment>): StageColumn[] {
  return project.stages.flatMap(({ stage, runs }) => {
    const last = runs
      .filter((r) => r.kind === 'experiment')
      .map((r) => experiments.get(r.id))
      .filter((e): e is Experiment => e?.state === 'completed')
      .at(-1);
    if (!last || last.cells.length === 0) return [];
    const column = (cell: number): StageColumn => ({ stage, experimentId: last.id, cell });
    if (last.spec.design.kind === 'ablation') {
      const full = last.cells.reduce(
        (best, c, i) => (c.components.length > (last.cells[best]?.components.length ?? 0) ? i : best),
        0,
      );
      return [column(full)];
    }
    // The baseline measures the base model and the baseline prompt; a later stage's new cell is its last.
    return stage === 'baseline' ? last.cells.map((_, i) => column(i)) : [column(last.cells.length - 1)];
  });
}

/** One column's outputs: their categories by row (the example's content hash; null: no output). */
export interface ColumnOutputs {
  column: StageColumn;
  experiment: Experiment;
  collected: Collected;
  categories: (Category[] | null)[];
}

export function stageFailureModes(projectId: string, columns: readonly ColumnOutputs[]): StageFailureModes {
  const byRow = columns.map((c) => {
    const m = new Map<string, Category[]>();
    c.collected.examples.examples.forEach((e, i) => {
      const cats = c.categories[i];
      if (cats !== null && cats !== undefined) m.set(e.hash, cats);
    });
    return m;
  });
  const names = new Map<string, Category>();
  for (const m of byRow) for (const cats of m.values()) for (const cat of cats) names.set(cat.name, cat);
  const has = (m: ReadonlyMap<string, Category[]>, row: string, name: string) =>
    (m.get(row) ?? []).some((c) => c.name === name);
  const categories = [...names.values()].map((cat) => {
    const rates = byRow.map((m) => {
      const count = [...m.keys()].filter((row) => has(m, row, cat.name)).length;
      return { count, n: m.size, rate: m.size === 0 ? 0 : count / m.size, ci: wilsonInterval(count, m.size) };
    });
    const changes = byRow.slice(1).map((now, k) => {
      const before = byRow[k] as Map<string, Category[]>;
      const shared = [...now.keys()].filter((row) => before.has(row));
      if (shared.length === 0) return null;
      const a = shared.map((row) => has(now, row, cat.name));
      const b = shared.map((row) => has(before, row, cat.name));
      const delta = (a.filter(Boolean).length - b.filter(Boolean).length) / shared.length;
      return { delta, p: mcnemarTest(a, b).p, n: shared.length };
    });
    return { category: cat.name, source: cat.source, rates, changes };
  });
  // The categories that matter most first: the highest rate in any column.
  categories.sort(
    (x, y) =>
      Math.max(...y.rates.map((r) => r.rate)) - Math.max(...x.rates.map((r) => r.rate)) ||
      x.category.localeCompare(y.category),
  );
  return {
    projectId,
    columns: columns.map((c, i) => {
      const cell = c.experiment.cells[c.column.cell];
      return {
        stage: c.column.stage,
        label: cell?.label ?? '',
        experimentId: c.experiment.id,
        specializationId: cell?.specializationId ?? '',
        n: byRow[i]?.size ?? 0,
      };
    }),
    categories,
  };
}

// An experiment's results: the verdict first (each cell against the base model, why an all-0% main metric may be,
// the ablation's sentences), then the charts (cell means with CIs; effects around zero), the per-cell metrics with the
// performance figures and budget beside them, effects, comparisons, context cost, confusion matrices, latency, tokens.
import { Alert, AlertTitle, Box, Chip, Stack, Typography } from '@mui/material';
import type { Experiment, ExperimentResults } from '../../../../shared/contract';
import { METRIC_DIRECTION, type MetricSpec } from '../../../../shared/metrics';
import { describeWeightFormats } from '../../../../shared/weight-format';
import { describeRemoteServer } from '../../../../shared/remote-engine';
import { ConfusionMatrices } from './ConfusionMatrix';
import { termLabel } from './format';
import { CellMeansChart, EffectsChart } from './ResultCharts';
import { BudgetTable } from './BudgetTable';
import { CellContextCosts } from './ContextCostTable';
import { VersusBasePanel } from './VersusBasePanel';
import { ComparisonsTable, CostTable, EffectsTable, MetricsTable, Section } from './ResultTables';

export function ResultsView({ experiment, results }: { experiment: Experiment; results: ExperimentResults }) {
  const metrics = experiment.spec.metrics as MetricSpec[];
  const primary = metrics[0];
  if (!primary) return null;
  const ablation = results.ablation;
  const labels = uniqueLabels(results.cells.map((c) => c.cell.label));
  const cellBars = results.cells.map((c, k) => ({
    label: labels[k] ?? c.cell.label,
    value: c.metrics[0]?.value ?? null,
    ci: c.metrics[0]?.ci ?? null,
  }));
  const effectBars = (ablation?.effects ?? []).map((e) => ({ label: termLabel(e.terms), value: e.estimate, ci: e.ci }));
  const classification = metrics
    .map((m, i) => ({ m, i }))
    .filter(({ m, i }) => m.kind === 'classification' && results.cells.some((c) => c.metrics[i]?.confusion));
  const total =
    experiment.progress?.total === undefined ? null : experiment.progress.total / Math.max(1, experiment.cells.length);
  return (
    <Stack spacing={2} data-testid="results">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="body2" data-testid="results-n">
          n = {results.n} paired example{results.n === 1 ? '' : 's'}
          {total !== null && !results.complete ? ` of ${total}` : ''}
        </Typography>
        {!results.complete && (
          <Chip size="small" color="warning" variant="outlined" label="incomplete: results so far" />
        )}
        {results.budgetPassed !== null && (
          <Chip
            size="small"
            color={results.budgetPassed ? 'success' : 'error'}
            label={results.budgetPassed ? 'within the performance budget' : 'misses the performance budget'}
            data-testid="results-budget"
          />
        )}
        {results.passed !== null && (
          <Chip
            size="small"
            color={results.passed ? 'success' : 'error'}
            label={results.passed ? 'meets every threshold' : 'misses a threshold'}
            data-testid="results-passed"
          />
        )}
        {experiment.spec.remote ? (
          // The server's weights generated the outputs: this machine's precision says nothing about them.
          <Chip
            size="small"
            variant="outlined"
            label={`generated on ${describeRemoteServer(experiment.spec.remote)}`}
            data-testid="results-server"
          />
        ) : (
          <Chip
            size="small"
            variant="outlined"
            label={`weights: ${describeWeightFormats(results.cells.map((c) => c.cell))}`}
            data-testid="results-weights"
          />
        )}
        <Typography variant="caption" color="text.secondary">
          95% bootstrap CIs
          {ablation ? `, ${ablation.resamples.toLocaleString('en-US')} resamples, seed ${ablation.seed}` : ''}
        </Typography>
      </Stack>
      <VersusBasePanel results={results} metrics={metrics} />
      {ablation && ablation.verdict.length > 0 && (
        <Alert
          severity="info"
          variant="outlined"
          icon={false}
          data-testid="ablation-verdict"
          sx={{ '& .MuiAlert-message': { width: '100%' } }}
        >
          <AlertTitle sx={{ fontWeight: 600 }}>
            Verdict on {ablation.metric} (n = {ablation.n})
          </AlertTitle>
          {ablation.verdict.map((sentence) => (
            <Typography key={sentence} variant="body1" sx={{ mb: 0.5 }}>
              {sentence}
            </Typography>
          ))}
        </Alert>
      )}
      {experiment.spec.design.kind === 'ablation' && !ablation && (
        <Alert severity="info">
          The effects and the verdict appear once every cell has answered at least two examples.
        </Alert>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: ablation ? { xs: '1fr', xl: '1fr 1fr' } : '1fr', gap: 2 }}>
        <Section
          title={`Cell means: ${results.cells[0]?.metrics[0]?.label ?? ''}`}
          note="Bars: the mean; whiskers: its 95% CI."
        >
          <CellMeansChart
            bars={cellBars}
            kind={primary.kind}
            metric={results.cells[0]?.metrics[0]?.label ?? ''}
            threshold={primary.threshold}
          />
        </Section>
        {ablation && (
          <Section
            title="Effects"
            note="Main effects and interactions with 95% CIs; a CI crossing zero means no clear effect."
          >
            <EffectsChart
              bars={effectBars}
              kind={primary.kind}
              higherIsBetter={METRIC_DIRECTION[primary.kind] === 'higher'}
            />
          </Section>
        )}
      </Box>
      <Section title="Metrics per cell" testId="metrics-section" note="Value with its 95% CI; hover for n.">
        <MetricsTable cells={results.cells} metrics={metrics} />
      </Section>
      <Section
        title={experiment.spec.budget ? 'Performance budget per cell' : 'Performance per cell'}
        testId="budget-section"
        note="p95 over the cell's calls; speed: mean tokens/s after the first token; memory: the engine's peak while generating."
      >
        <BudgetTable cells={results.cells} budget={experiment.spec.budget} />
      </Section>
      {ablation && (
        <>
          <Section
            title="Effects and interactions"
            note={`On ${ablation.metric}; p-values Holm-corrected together (bold: Holm p < 0.05).`}
          >
            <EffectsTable ablation={ablation} kind={primary.kind} />
          </Section>
          {ablation.comparisons.length > 0 && (
            <Section
              title="Paired comparisons"
              note="Full minus full-without-each part, and each part alone minus the base."
            >
              <ComparisonsTable ablation={ablation} kind={primary.kind} />
            </Section>
          )}
        </>
      )}
      {classification.map(({ i }) => (
        <Section key={i} title="Confusion matrix" note="Rows: true class; columns: predicted. Tint: share of the row.">
          <ConfusionMatrices cells={results.cells} metric={i} />
        </Section>
      ))}
      <Section
        title="Context cost per component"
        testId="context-cost-section"
        note="Tokens each part adds to a call, counted on this experiment's rows (at most 200); a soft prompt adds its virtual tokens."
      >
        <CellContextCosts experiment={experiment} />
      </Section>
      <Section title="Latency and tokens per cell" note="Means per example.">
        <CostTable cells={results.cells} />
      </Section>
    </Stack>
  );
}

/** Chart categories must be distinct: two compared specializations may share a name. */
function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}

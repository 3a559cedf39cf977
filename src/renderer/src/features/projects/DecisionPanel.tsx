// The decision panel: the editable criteria, the recommendation they give (which option, which criterion decided it,
// why in plain words), each option's quality with its 95% interval beside its measured costs and the budgets, and the
// decisions recorded (immutable, with their hash, so a release can cite them).
import { Alert, Box, Button, Chip, FormControlLabel, Paper, Switch, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import type { Decision, DecisionCriteria, OptionEvidence, Project, Recommendation } from '../../../../shared/contract';
import { OPTION_LABELS } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { StatisticsTable } from '../../components/StatisticsTable';
import { useSubmit } from '../../components/useSubmit';

const CRITERION_LABELS: Record<Recommendation['decidedBy'], string> = {
  budget: 'the budgets',
  escalation: 'the escalation rule',
  combination: 'the combination gain',
  cost: 'the cost of combining',
};
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const or = (v: number | null, show: (v: number) => string): string => (v === null ? 'not measured' : show(v));
const mib = (v: number): string => `${(v / 2 ** 20).toFixed(1)} MiB`;

export function DecisionPanel(props: { project: Project; onDecided: (p: Project) => void; recordedOnly?: boolean }) {
  const { project } = props;
  const api = useApi();
  const [criteria, setCriteria] = useState<DecisionCriteria>(project.spec.criteria);
  const rec = useLoad(
    (a) => (props.recordedOnly ? Promise.resolve(null) : a.projects.recommend({ id: project.id, criteria })),
    [project.id, criteria.escalationMargin, criteria.minCombinationGain, criteria.enforceBudgets, props.recordedOnly],
  );
  const decisions = useLoad((a) => a.projects.decisions({ id: project.id }), [project.id, project.updatedAt]);
  const record = useSubmit(async () => {
    await api.projects.update({ id: project.id, criteria });
    await api.projects.decide({ id: project.id });
    props.onDecided(await api.projects.get({ id: project.id }));
  });
  const points = (key: 'escalationMargin' | 'minCombinationGain', label: string, help: string) => (
    <TextField
      size="small"
      type="number"
      label={label}
      helperText={help}
      value={Math.round(criteria[key] * 1000) / 10}
      onChange={(e) => {
        const v = Number(e.target.value);
        if (Number.isFinite(v) && v >= 0 && v <= 100) setCriteria((c) => ({ ...c, [key]: v / 100 }));
      }}
      slotProps={{ htmlInput: { 'data-testid': `decision-${key}`, min: 0, max: 100, step: 0.5 } }}
    />
  );
  const r = rec.data;
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="decision-panel">
      {!props.recordedOnly && (
        <>
          <Typography variant="subtitle1" component="h3">
            The criteria
          </Typography>
          <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', my: 1 }}>
            {points(
              'escalationMargin',
              'Escalation margin (points)',
              'Escalate to an adapter when the best prompt misses the threshold by more than this, with 95% confidence.',
            )}
            {points(
              'minCombinationGain',
              'Minimum gain of both (points)',
              'Keep the prompt with the adapter only when it adds at least this, with 95% confidence.',
            )}
            <FormControlLabel
              control={
                <Switch
                  checked={criteria.enforceBudgets}
                  onChange={(e) => setCriteria((c) => ({ ...c, enforceBudgets: e.target.checked }))}
                />
              }
              label="Options over a budget are ruled out"
            />
          </Box>
          <ErrorAlert error={rec.error} />
          {r && <RecommendationView r={r} />}
          <ErrorAlert error={record.error} />
          <Button
            variant="contained"
            sx={{ mt: 1 }}
            disabled={!r || record.busy}
            onClick={() => void record.submit()}
            data-testid="decision-record"
          >
            Record this decision
          </Button>
        </>
      )}
      {decisions.data && decisions.data.length > 0 && <Recorded decisions={decisions.data} />}
    </Paper>
  );
}

function RecommendationView({ r }: { r: Recommendation }) {
  return (
    <Box data-testid="decision-recommendation" data-option={r.option} data-decided-by={r.decidedBy}>
      <Alert severity="success" icon={false} sx={{ my: 1 }}>
        <Typography variant="h6" component="p">
          Recommended: {OPTION_LABELS[r.option]}
        </Typography>
        <Chip size="small" label={`decided by ${CRITERION_LABELS[r.decidedBy]}`} data-testid="decision-decided-by" />
        <Box component="ul" sx={{ pl: 2, mb: 0 }} data-testid="decision-explanation">
          {r.explanation.map((line) => (
            <li key={line}>
              <Typography variant="body2">{line}</Typography>
            </li>
          ))}
        </Box>
      </Alert>
      <Typography variant="body2" color="text.secondary">
        {r.metric} on {r.n} rows, threshold {r.threshold === null ? 'none' : pct(r.threshold)}; costs measured in the
        same runs.
      </Typography>
      <StatisticsTable<OptionEvidence>
        rows={r.options}
        rowKey={(o) => o.option}
        testId="decision-options"
        rowTestId="decision-option"
        columns={[
          { header: 'Option', cell: (o) => OPTION_LABELS[o.option], strong: (o) => o.option === r.option },
          { header: r.metric, cell: (o) => pct(o.mean), numeric: true },
          { header: '95% CI', cell: (o) => `${pct(o.ci[0])} to ${pct(o.ci[1])}`, numeric: true },
          {
            header: 'Context tokens / call',
            cell: (o) => o.costs.contextTokens.toFixed(0),
            numeric: true,
            testId: 'decision-cost-context',
          },
          {
            header: 'Latency / call',
            cell: (o) => or(o.costs.latencyMs, (v) => `${v.toFixed(0)} ms`),
            numeric: true,
            testId: 'decision-cost-latency',
          },
          { header: 'Tokens/s', cell: (o) => or(o.costs.tokensPerSecond, (v) => v.toFixed(0)), numeric: true },
          {
            header: 'Training memory',
            cell: (o) => (o.option === 'prompt' ? 'none' : or(o.costs.memoryBytes, mib)),
            numeric: true,
          },
          {
            header: 'Training time',
            cell: (o) => or(o.costs.trainingSeconds, (v) => `${v.toFixed(0)} s`),
            numeric: true,
            testId: 'decision-cost-training',
          },
          { header: 'Disk', cell: (o) => or(o.costs.diskBytes, mib), numeric: true },
          { header: 'Budgets', cell: (o) => (o.overBudget.length === 0 ? 'within' : o.overBudget.join('; ')) },
        ]}
      />
    </Box>
  );
}

function Recorded({ decisions }: { decisions: readonly Decision[] }) {
  return (
    <Box sx={{ mt: 2 }} data-testid="decision-recorded">
      <Typography variant="subtitle1" component="h3">
        Recorded decisions
      </Typography>
      {decisions.map((d) => (
        <Typography
          key={d.id}
          variant="body2"
          data-testid="decision-recorded-item"
          data-hash={d.hash}
          data-specialization={d.options.find((o) => o.option === d.option)?.specializationId}
        >
          {new Date(d.decidedAt).toLocaleString()}: {OPTION_LABELS[d.option]}, decided by{' '}
          {CRITERION_LABELS[d.decidedBy]} ({d.actor}; sha256 {d.hash.slice(0, 12)}…)
        </Typography>
      ))}
    </Box>
  );
}

// The workspace's robustness probes, newest first; the chosen one's consistency table (same answer as on the clean
// input) and accuracy on the variants against the same rows clean, with Wilson 95% CIs, its findings and examples.
import { MenuItem, Paper, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { ProbeRow } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { StatisticsTable } from '../../components/StatisticsTable';
import { rateText } from './format';

export function ProbesPanel({ reloadKey }: { reloadKey: number }) {
  const probes = useLoad((a) => a.robustness.probes({}), [reloadKey]);
  const [chosen, setChosen] = useState('');
  const probe = probes.data?.find((p) => p.id === chosen) ?? probes.data?.[0];
  if (probes.error !== undefined) return <ErrorAlert error={probes.error} testId="probes-error" />;
  return (
    <Paper variant="outlined" sx={{ p: 2, mb: 2 }} data-testid="probes">
      <Typography variant="h6" component="h2">
        Robustness probes
      </Typography>
      {!probe ? (
        <Typography variant="body2" color="text.secondary">
          No probe yet: probe this experiment's specializations above.
        </Typography>
      ) : (
        <>
          <TextField
            select
            size="small"
            label="Probe"
            value={probe.id}
            onChange={(e) => setChosen(e.target.value)}
            sx={{ minWidth: 320, my: 1 }}
          >
            {(probes.data ?? []).map((p) => (
              <MenuItem key={p.id} value={p.id}>
                {p.spec.name} ({new Date(p.createdAt).toLocaleString()})
              </MenuItem>
            ))}
          </TextField>
          <ProbeTable id={probe.id} reloadKey={reloadKey} />
        </>
      )}
    </Paper>
  );
}

function ProbeTable({ id, reloadKey }: { id: string; reloadKey: number }) {
  const api = useApi();
  // The probe's two experiments run in the background: read the table again whenever one of them changes state.
  const [runs, setRuns] = useState(0);
  const results = useLoad((a) => a.robustness.probeResults({ id }), [id, reloadKey, runs]);
  const probe = results.data?.probe;
  const clean = probe?.cleanExperimentId;
  const probed = probe?.probeExperimentId;
  useEffect(() => {
    if (clean === undefined) return undefined;
    const off = api.experiments.onChanged(({ id: changed }) => {
      if (changed === clean || changed === probed) setRuns((n) => n + 1);
    });
    // Once more now: a run may have ended between the first read and this subscription.
    setRuns((n) => n + 1);
    return off;
  }, [api, clean, probed]);
  if (results.error !== undefined) return <ErrorAlert error={results.error} testId="probe-error" />;
  if (results.data === undefined) return null;
  const r = results.data;
  return (
    <>
      <Typography variant="body2" color="text.secondary">
        Seed {r.probe.spec.seed}; {r.probe.spec.kinds.join(', ')}.{' '}
        {r.complete ? '' : 'Still running: the table fills in as outputs arrive.'}
      </Typography>
      <StatisticsTable<ProbeRow>
        rows={r.rows}
        rowKey={(x) => `${x.specializationId}:${x.kind}`}
        testId="probe-table"
        rowTestId="probe-row"
        columns={[
          { header: 'Specialization', cell: (x) => x.label },
          { header: 'Perturbation', cell: (x) => x.kind },
          {
            header: 'Consistency [95% CI]',
            numeric: true,
            cell: (x) => rateText(x.consistency.rate, x.consistency.ci),
          },
          { header: 'Accuracy [95% CI]', numeric: true, cell: (x) => rateText(x.accuracy.rate, x.accuracy.ci) },
          { header: 'Clean', numeric: true, cell: (x) => rateText(x.cleanAccuracy.rate, x.cleanAccuracy.ci) },
          { header: 'n', numeric: true, cell: (x) => String(x.consistency.n) },
          {
            header: 'Example of a changed answer',
            cell: (x) =>
              x.examples[0] ? `"${x.examples[0].perturbed.slice(0, 60)}" → ${x.examples[0].output.slice(0, 40)}` : '—',
          },
        ]}
      />
      {r.findings.map((f) => (
        <Typography key={f} variant="body2" sx={{ mt: 0.5 }} data-testid="probe-finding">
          {f}
        </Typography>
      ))}
    </>
  );
}

// Drift audits on a release's page: its audit set (taken from an attached experiment's rows and metrics, with a
// schedule), "Audit now", and each audit's outcome with its flags. DriftAuditList is the Audit section's view of the
// latest audits of every release.
import { Alert, Button, Chip, MenuItem, Paper, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { DriftAudit, Release } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { AUDIT_STATES, pct } from './format';

export function DriftPanel({ release }: { release: Release }) {
  const api = useApi();
  const sets = useLoad((a) => a.robustness.auditSets({}), [release.id]);
  const audits = useLoad((a) => a.robustness.audits({ releaseId: release.id }), [release.id]);
  const { reload: reloadSets } = sets;
  const { reload: reloadAudits } = audits;
  useEffect(
    () =>
      api.robustness.onChanged(() => {
        reloadSets();
        reloadAudits();
      }),
    [api, reloadSets, reloadAudits],
  );
  const set = sets.data?.find((s) => s.releaseId === release.id);
  const experiments = release.evidence.flatMap((e) => (e.kind === 'experiment' ? [e] : []));
  const [from, setFrom] = useState('');
  const [everyDays, setEveryDays] = useState('30');
  const attach = useSubmit(async () => {
    const source = await api.experiments.get({ id: from || (experiments[0]?.experimentId ?? '') });
    await api.robustness.setAuditSet({
      releaseId: release.id,
      datasetVersionId: source.spec.datasetVersionId,
      split: source.spec.split,
      limit: source.spec.limit,
      metrics: source.spec.metrics,
      everyDays: everyDays === '' ? null : Number(everyDays),
    });
  });
  const run = useSubmit(async () => {
    const started = await api.robustness.startAudit({ releaseId: release.id });
    await api.robustness.audit({ id: started.id });
  });
  return (
    <Paper variant="outlined" sx={{ p: 2, mt: 2 }} data-testid="release-drift">
      <Typography variant="subtitle2">Drift audits</Typography>
      {set ? (
        <Stack direction="row" sx={{ alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
          <Typography variant="body2" sx={{ flex: 1 }}>
            Audit set: {set.split} split{set.limit === null ? '' : `, first ${set.limit} rows`};{' '}
            {set.everyDays === null ? 'on demand' : `every ${set.everyDays} days`}
            {set.due ? ' (due)' : ''}; recorded with weights {set.recordedFormat}.
          </Typography>
          <Button
            size="small"
            variant="outlined"
            disabled={run.busy}
            onClick={() => void run.submit()}
            data-testid="drift-audit-now"
          >
            {run.busy ? 'Auditing…' : 'Audit now'}
          </Button>
        </Stack>
      ) : experiments.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          Attach an experiment as evidence first: its rows and metrics become the audit set.
        </Typography>
      ) : (
        <Stack direction="row" sx={{ alignItems: 'center', gap: 1, flexWrap: 'wrap', mt: 1 }}>
          <TextField
            select
            size="small"
            label="Audit on the rows of"
            value={from || experiments[0]?.experimentId}
            onChange={(e) => setFrom(e.target.value)}
          >
            {experiments.map((e) => (
              <MenuItem key={e.experimentId} value={e.experimentId}>
                {e.name}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            size="small"
            label="Every (days; empty: on demand)"
            value={everyDays}
            onChange={(e) => setEveryDays(e.target.value.replace(/\D/g, ''))}
          />
          <Button
            size="small"
            variant="outlined"
            disabled={attach.busy}
            onClick={() => void attach.submit()}
            data-testid="drift-set-audit-set"
          >
            Set audit set
          </Button>
        </Stack>
      )}
      <ErrorAlert error={attach.error ?? run.error} testId="release-drift-error" />
      {(audits.data ?? []).slice(0, 5).map((a) => (
        <AuditOutcome key={a.id} audit={a} />
      ))}
    </Paper>
  );
}

function AuditOutcome({ audit }: { audit: DriftAudit }) {
  const state = AUDIT_STATES[audit.state];
  const c = audit.comparison;
  return (
    <Stack sx={{ mt: 1 }} data-testid="drift-audit">
      <Stack direction="row" sx={{ gap: 1, alignItems: 'center' }}>
        <Chip size="small" color={state.color} label={state.label} data-testid="drift-audit-state" />
        <Typography variant="body2">
          {new Date(audit.startedAt).toLocaleString()} ({audit.trigger})
          {c
            ? ` · ${c.metrics.map((m) => `${m.label} ${pct(m.recorded)} → ${pct(m.now)}`).join(', ')} · ${c.changedOutputs} of ${c.n} outputs changed`
            : ''}
        </Typography>
      </Stack>
      {audit.error && <Alert severity="error">{audit.error}</Alert>}
      {audit.flags.map((f) => (
        <Alert key={f.message} severity={f.severity === 'drift' ? 'error' : 'warning'} sx={{ mt: 0.5 }}>
          {f.message}
        </Alert>
      ))}
      {c?.notes.map((n) => (
        <Typography key={n} variant="body2" color="text.secondary">
          {n}
        </Typography>
      ))}
    </Stack>
  );
}

/** The latest drift audits of every release, for the Audit section. */
export function DriftAuditList() {
  const audits = useLoad((a) => a.robustness.audits({}), []);
  const releases = useLoad((a) => a.releases.list({}), []);
  if (!audits.data || audits.data.length === 0) return null;
  const name = (id: string) => {
    const r = releases.data?.find((x) => x.id === id);
    return r ? `${r.name} ${r.version}` : id;
  };
  return (
    <Paper variant="outlined" sx={{ p: 2, mb: 2 }} data-testid="audit-drift">
      <Typography variant="subtitle1">Drift audits of releases</Typography>
      {audits.data.slice(0, 10).map((a) => (
        <Stack key={a.id} sx={{ mt: 1 }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {name(a.releaseId)}
          </Typography>
          <AuditOutcome audit={a} />
        </Stack>
      ))}
    </Paper>
  );
}

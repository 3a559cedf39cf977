// Retention in the Audit section: how many days outputs, review comments and dataset rows are kept (blank: for ever;
// admins change it), a preview of what applying the policy now would delete, and Apply, which deletes exactly that
// preview (main refuses it if the data changed since) and is itself recorded in the log.
import { Alert, Box, Button, Paper, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { RetentionPolicy, RetentionPreview } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { RETENTION_LABELS, policyFromDraft, policyToDraft, type PolicyDraft } from './retention-form';

const FIELDS = Object.entries(RETENTION_LABELS).map(([key, label]) => ({ key: key as keyof PolicyDraft, label }));

export function RetentionPanel({ onApplied }: { onApplied: () => void }) {
  const api = useApi();
  const saved = useLoad((a) => a.audit.retention({}), []);
  const [draft, setDraft] = useState<PolicyDraft | undefined>(undefined);
  const [preview, setPreview] = useState<RetentionPreview | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const { busy, error, submit } = useSubmit();
  useEffect(() => {
    if (saved.data) setDraft(policyToDraft(saved.data));
  }, [saved.data]);
  if (!draft) return null;
  const parsed = policyFromDraft(draft);

  const act = (fn: () => Promise<void>) => {
    setDone(undefined);
    return submit(fn);
  };
  const save = (policy: RetentionPolicy) =>
    act(async () => {
      saved.set(await api.audit.setRetention(policy));
      setPreview(undefined);
      onApplied();
    });
  const showPreview = () => act(async () => setPreview(await api.audit.previewRetention({})));
  const apply = (p: RetentionPreview) =>
    act(async () => {
      const deleted = await api.audit.applyRetention({ asOf: p.asOf, expected: p.counts });
      setPreview(undefined);
      setDone(
        `Deleted ${deleted.outputs} outputs, ${deleted.reviewComments} review comments and ${deleted.datasetRows} dataset rows.`,
      );
      onApplied();
    });
  const nothing = preview && preview.counts.outputs + preview.counts.reviewComments + preview.counts.datasetRows === 0;

  return (
    <Paper variant="outlined" sx={{ p: 2, mb: 2 }} data-testid="retention-panel">
      <Typography variant="subtitle1" component="h2">
        Retention
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
        How long this workspace keeps generated outputs (made again when an experiment runs again), the comments of
        review votes (the verdicts stay) and the rows of dataset versions (the version's record stays). Blank: kept for
        ever.
      </Typography>
      <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        {FIELDS.map(({ key, label }) => (
          <TextField
            key={key}
            size="small"
            label={label}
            value={draft[key]}
            onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
            error={typeof parsed === 'string' && parsed.startsWith(label)}
            slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': `retention-${key}` } }}
          />
        ))}
        <Button
          variant="outlined"
          disabled={busy || typeof parsed === 'string'}
          onClick={() => typeof parsed !== 'string' && void save(parsed)}
          data-testid="retention-save"
        >
          Save policy
        </Button>
        <Button disabled={busy} onClick={() => void showPreview()} data-testid="retention-preview">
          Preview
        </Button>
      </Stack>
      {typeof parsed === 'string' && (
        <Typography variant="body2" color="error" sx={{ mt: 1 }}>
          {parsed}
        </Typography>
      )}
      {preview && (
        <Alert
          severity={nothing ? 'info' : 'warning'}
          sx={{ mt: 1.5 }}
          data-testid="retention-preview-result"
          action={
            nothing ? undefined : (
              <Button color="inherit" disabled={busy} onClick={() => void apply(preview)} data-testid="retention-apply">
                Delete now
              </Button>
            )
          }
        >
          {nothing ? (
            'Nothing is old enough to delete under the saved policy.'
          ) : (
            <>
              Applying the saved policy now deletes {preview.counts.outputs} outputs, empties{' '}
              {preview.counts.reviewComments} review comments and deletes {preview.counts.datasetRows} dataset rows
              {preview.datasetVersions.length > 0
                ? ` (${preview.datasetVersions.map((v) => `${v.name} v${v.version}: ${v.rows}`).join(', ')})`
                : ''}
              .
            </>
          )}
        </Alert>
      )}
      {done && (
        <Alert severity="success" sx={{ mt: 1.5 }} data-testid="retention-done">
          {done}
        </Alert>
      )}
      {error !== undefined && (
        <Box sx={{ mt: 1.5 }}>
          <ErrorAlert error={error} testId="retention-error" />
        </Box>
      )}
    </Paper>
  );
}

// The Robustness section: pick an experiment to see its failure modes (categories per cell with rates, CIs, the
// examples behind each and the change from the first cell; pass rates by input length and word rarity), probe its
// specializations with perturbed inputs, read each probe's consistency table, and edit the workspace's failure rules.
import { Box, Button, LinearProgress, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useApi, useLoad } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import type { Section } from '../shell/sections';
import { FailureModesPanel } from './FailureModesPanel';
import { ProbesPanel } from './ProbesPanel';
import { RulesPanel } from './RulesPanel';
import { probeOf } from './format';

export function RobustnessSection({ section }: { section: Section }) {
  const api = useApi();
  const experiments = useLoad((a) => a.experiments.list({}), []);
  const [experimentId, setExperimentId] = useState<string>('');
  const [probeReload, setProbeReload] = useState(0);
  const completed = (experiments.data ?? []).filter((e) => e.state === 'completed');
  const selected = completed.find((e) => e.id === experimentId) ?? completed[0];
  const probe = useSubmit(async () => {
    if (selected) await api.robustness.startProbe(probeOf(selected));
    setProbeReload((n) => n + 1);
  });
  useEffect(() => api.robustness.onChanged(() => setProbeReload((n) => n + 1)), [api]);

  if (experiments.data === undefined)
    return experiments.error ? (
      <ErrorAlert error={experiments.error} testId="robustness-error" />
    ) : (
      <LinearProgress aria-label="Loading experiments" />
    );
  if (!selected)
    return (
      <EmptyState
        icon={section.icon}
        title={section.emptyTitle}
        description={`${section.description} Run an experiment first.`}
        testId="empty-robustness"
      />
    );
  return (
    <Box sx={{ p: 3, maxWidth: 1400, mx: 'auto' }} data-testid="robustness-screen">
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        Failure modes and robustness
      </Typography>
      <Stack direction="row" sx={{ gap: 2, alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <TextField
          select
          size="small"
          label="Experiment"
          value={selected.id}
          onChange={(e) => setExperimentId(e.target.value)}
          sx={{ minWidth: 320 }}
          slotProps={{ htmlInput: { 'data-testid': 'robustness-experiment' } }}
        >
          {completed.map((e) => (
            <MenuItem key={e.id} value={e.id}>
              {e.name}
            </MenuItem>
          ))}
        </TextField>
        <Button
          variant="outlined"
          disabled={probe.busy}
          onClick={() => void probe.submit()}
          data-testid="robustness-probe"
        >
          Probe with perturbed inputs
        </Button>
      </Stack>
      <ErrorAlert error={probe.error} testId="robustness-probe-error" />
      <FailureModesPanel experimentId={selected.id} />
      <ProbesPanel reloadKey={probeReload} />
      <RulesPanel />
    </Box>
  );
}

// An experiment's "Failure modes" tab: its failure modes (categories per cell with rates, CIs, the examples behind
// each and the change from the first cell; pass rates by input length and word rarity), a probe of its
// specializations with perturbed inputs and the probes' consistency tables, and the workspace's failure rules.
import { Box, Button, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { Experiment } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { FailureModesPanel } from './FailureModesPanel';
import { ProbesPanel } from './ProbesPanel';
import { RulesPanel } from './RulesPanel';
import { probeOf, PROBE_ROWS } from './format';

export function FailureModesTab({ experiment }: { experiment: Experiment }) {
  const api = useApi();
  const [reloadKey, setReloadKey] = useState(0);
  const probe = useSubmit(async () => {
    await api.robustness.startProbe(probeOf(experiment));
  });
  useEffect(() => api.robustness.onChanged(() => setReloadKey((n) => n + 1)), [api]);
  if (experiment.state !== 'completed')
    return (
      <Typography color="text.secondary" sx={{ p: 2 }}>
        Failure modes are shown once the experiment has completed.
      </Typography>
    );
  return (
    <Box data-testid="failure-modes-tab">
      <FailureModesPanel experimentId={experiment.id} reloadKey={reloadKey} />
      <Stack direction="row" sx={{ alignItems: 'center', gap: 2, mb: 1 }}>
        <Button
          variant="outlined"
          disabled={probe.busy}
          onClick={() => void probe.submit()}
          data-testid="robustness-probe"
        >
          Probe with perturbed inputs
        </Button>
        <Typography variant="body2" color="text.secondary">
          Typos, casing, spacing, reordered clauses, truncation, a distractor sentence, repetition and look-alike
          letters, on the first {PROBE_ROWS} rows at most; seeded with the experiment&apos;s seed.
        </Typography>
      </Stack>
      <ErrorAlert error={probe.error} testId="robustness-probe-error" />
      <ProbesPanel reloadKey={reloadKey} />
      <RulesPanel onChanged={() => setReloadKey((n) => n + 1)} />
    </Box>
  );
}

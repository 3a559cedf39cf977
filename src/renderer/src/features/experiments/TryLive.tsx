// "Try live": 2-4 specializations answer the same input at once, streaming side by side. The input has one box per
// field the chosen templates read (one "input" box when none has a template). Ctrl/Cmd+Enter runs, Esc cancels.
import { Autocomplete, Box, Button, Chip, Paper, Stack, TextField, Typography } from '@mui/material';
import { useMemo, useState, type ReactNode } from 'react';
import type { Specialization, TemplateVersion } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { MOD_KEY_LABEL } from '../shell/useShortcuts';
import { formatMs } from './format';
import { PartChips, useSpecializationLookups } from './SpecializationsPanel';
import { useLiveRuns, type LiveRun } from './useLiveRuns';
import { useRunShortcuts } from '../../components/useRunShortcuts';

const MAX_LIVE = 4;

/** The fields to ask for: what the templates read (demonstration loops aside), or one 'input'. */
export function liveFields(versions: readonly (TemplateVersion | null)[]): string[] {
  const names = new Set<string>();
  for (const v of versions) for (const f of v?.fields ?? []) if (f !== 'examples') names.add(f);
  return names.size === 0 ? ['input'] : [...names];
}

export function TryLive({ specializations }: { specializations: readonly Specialization[] }) {
  const options = specializations.filter((s) => s.derivedFrom === null);
  // Until the user picks, the first two specializations (also when they arrive after the tab opened).
  const [picked, setPicked] = useState<string[] | null>(null);
  const chosenIds = picked ?? options.slice(0, 2).map((s) => s.id);
  const chosen = chosenIds
    .map((id) => options.find((s) => s.id === id))
    .filter((s): s is Specialization => s !== undefined);
  const lookups = useSpecializationLookups(chosen);
  const templateIds = chosen.map((s) => s.templateVersionId ?? '').join(',');
  const versions = useLoad(
    (a) =>
      Promise.all(
        chosen.map((s) => (s.templateVersionId === null ? null : a.templates.version({ id: s.templateVersionId }))),
      ),
    [templateIds],
  );
  const fields = useMemo(() => liveFields(versions.data ?? []), [versions.data]);
  const [values, setValues] = useState<Record<string, string>>({});
  const { runs, start, cancel, busy } = useLiveRuns();
  const canRun = !busy && chosen.length >= 2 && fields.some((f) => (values[f] ?? '').trim() !== '');

  const run = () => {
    if (!canRun) return;
    start(
      chosen.map((s) => s.id),
      Object.fromEntries(fields.map((f) => [f, values[f] ?? ''])),
    );
  };
  useRunShortcuts({ run, cancel, busy }, 'window');

  if (options.length < 2) {
    return (
      <Paper variant="outlined" sx={{ p: 4, textAlign: 'center' }} data-testid="try-live-empty">
        <Typography variant="subtitle1">Two specializations are needed to compare live</Typography>
        <Typography color="text.secondary" sx={{ mt: 1 }}>
          Create them in the Specializations tab: for example the base model alone and the same model with your
          template.
        </Typography>
      </Paper>
    );
  }
  return (
    <Box data-testid="try-live">
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <Autocomplete
          multiple
          size="small"
          options={options}
          getOptionLabel={(s) => s.name}
          value={chosen}
          onChange={(_e, v) => setPicked(v.slice(0, MAX_LIVE).map((s) => s.id))}
          getOptionDisabled={() => chosen.length >= MAX_LIVE}
          disabled={busy}
          renderInput={(params) => (
            <TextField
              {...params}
              label={`Specializations (2-${MAX_LIVE})`}
              helperText={chosen.length < 2 ? 'Choose at least two' : ' '}
            />
          )}
          data-testid="try-live-specializations"
        />
        <Stack spacing={1.5} sx={{ mt: 1 }}>
          {fields.map((f, i) => (
            <TextField
              key={f}
              label={f}
              multiline
              minRows={fields.length === 1 ? 3 : 1}
              maxRows={8}
              autoFocus={i === 0}
              value={values[f] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
              slotProps={{ htmlInput: { 'data-testid': `try-field-${f}` } }}
            />
          ))}
        </Stack>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mt: 2 }}>
          <Button variant="contained" onClick={run} disabled={!canRun} data-testid="try-run">
            Run all
          </Button>
          <Button onClick={cancel} disabled={!busy} data-testid="try-cancel">
            Cancel
          </Button>
          <Typography variant="caption" color="text.secondary">
            {MOD_KEY_LABEL}+Enter runs · Esc cancels
          </Typography>
        </Stack>
      </Paper>
      <Box
        sx={{ display: 'grid', gridTemplateColumns: `repeat(${Math.max(2, chosen.length)}, minmax(0, 1fr))`, gap: 2 }}
      >
        {chosen.map((s) => (
          <LiveAnswer key={s.id} spec={s} run={runs[s.id]} chips={<PartChips spec={s} lookups={lookups} />} />
        ))}
      </Box>
    </Box>
  );
}

function LiveAnswer({ spec, run, chips }: { spec: Specialization; run: LiveRun | undefined; chips: ReactNode }) {
  const row = run?.row ?? null;
  const status = !run
    ? ' '
    : run.phase === 'starting'
      ? 'starting…'
      : run.phase === 'running'
        ? `${run.generatedTokens} tokens…`
        : run.phase === 'failed'
          ? 'failed'
          : `${row?.generatedTokens ?? run.generatedTokens} tokens · first token ${formatMs(row?.timeToFirstTokenMs)} · total ${formatMs(row?.totalMs)}${row?.finishReason ? ` · ended: ${row.finishReason}` : ''}`;
  return (
    <Paper
      variant="outlined"
      sx={{ p: 1.5, display: 'flex', flexDirection: 'column', minHeight: 220 }}
      data-testid="try-answer"
      data-phase={run?.phase ?? 'idle'}
    >
      <Typography variant="subtitle2" noWrap title={spec.name}>
        {spec.name}
      </Typography>
      <Box sx={{ my: 0.5 }}>{chips}</Box>
      <Box
        sx={{
          flex: 1,
          fontFamily: 'monospace',
          fontSize: 13,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
          bgcolor: 'action.hover',
          borderRadius: 1,
          p: 1,
          minHeight: 120,
        }}
        data-testid="try-output"
      >
        {run?.text ?? ''}
        {run?.phase === 'running' && (
          <Box component="span" sx={{ opacity: 0.5 }}>
            ▍
          </Box>
        )}
      </Box>
      {run?.phase === 'failed' && (
        <Box sx={{ mt: 1 }}>
          <ErrorAlert error={run.error} testId="try-error" />
        </Box>
      )}
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mt: 1, minHeight: 24 }}>
        <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }}>
          {status}
        </Typography>
        {run?.prompt && <Chip size="small" variant="outlined" label="prompt" title={run.prompt} />}
      </Stack>
    </Paper>
  );
}

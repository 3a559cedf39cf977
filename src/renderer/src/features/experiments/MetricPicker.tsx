// The metrics of a new experiment: one row per metric (kind, its settings, an optional threshold), reorderable; the
// first is the primary one. Presets come from the dataset's references; any kind can be added.
import AddIcon from '@mui/icons-material/Add';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import DeleteIcon from '@mui/icons-material/Delete';
import { Box, Button, Chip, IconButton, Menu, MenuItem, Stack, TextField, Tooltip, Typography } from '@mui/material';
import { useState, type ReactNode } from 'react';
import type { MetricKind } from '../../../../shared/metrics';
import { thresholdInput } from './format';
import { draftOf, METRIC_KINDS, type MetricDraft } from './metric-drafts';

const THRESHOLD_LABEL = {
  percent: 'Threshold %',
  fraction: 'Threshold 0-1',
  count: 'At most',
  score: 'At least',
} as const;

export interface MetricPickerProps {
  readonly metrics: readonly MetricDraft[];
  readonly errors: Record<number, string> | undefined;
  readonly error: string | undefined;
  /** What the presets were chosen for ("JSON references with fields category, priority"), or null. */
  readonly presetNote: string | null;
  onChange(metrics: MetricDraft[]): void;
  onPresets(): void;
  /** More buttons beside "Add metric" (importing metrics from another tool). */
  readonly actions?: ReactNode;
}

export function MetricPicker({ metrics, errors, error, presetNote, onChange, onPresets, actions }: MetricPickerProps) {
  const [menu, setMenu] = useState<HTMLElement | null>(null);
  const update = (i: number, over: Partial<MetricDraft>) =>
    onChange(metrics.map((m, j) => (j === i ? { ...m, ...over } : m)));
  const remove = (i: number) => onChange(metrics.filter((_, j) => j !== i));
  const up = (i: number) =>
    onChange(
      metrics.map((m, j) =>
        j === i - 1 ? (metrics[i] as MetricDraft) : j === i ? (metrics[i - 1] as MetricDraft) : m,
      ),
    );
  const add = (kind: MetricKind) => {
    onChange([...metrics, draftOf(kind)]);
    setMenu(null);
  };
  return (
    <Box data-testid="metric-picker">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
        <Typography variant="subtitle2" sx={{ flex: 1 }}>
          Metrics
        </Typography>
        {actions}
        <Button size="small" onClick={onPresets} disabled={presetNote === null} data-testid="metrics-presets">
          Use suggested
        </Button>
        <Button
          size="small"
          startIcon={<AddIcon />}
          onClick={(e) => setMenu(e.currentTarget)}
          disabled={metrics.length >= 16}
          data-testid="metrics-add"
        >
          Add metric
        </Button>
        <Menu anchorEl={menu} open={menu !== null} onClose={() => setMenu(null)}>
          {METRIC_KINDS.filter((k) => k.importOnly !== true).map((k) => (
            <MenuItem key={k.kind} onClick={() => add(k.kind)} data-testid={`metrics-add-${k.kind}`}>
              <Box>
                <Typography variant="body2">{k.label}</Typography>
                <Typography variant="caption" color="text.secondary">
                  {k.help}
                </Typography>
              </Box>
            </MenuItem>
          ))}
        </Menu>
      </Stack>
      <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
        The first metric is the primary one: the ablation’s effects and verdict, the score tint and the “failures”
        filter use it.
        {presetNote ? ` Suggested for ${presetNote}.` : ''}
      </Typography>
      <Stack spacing={1}>
        {metrics.map((m, i) => (
          <Stack key={i} direction="row" spacing={1} sx={{ alignItems: 'flex-start' }} data-testid="metric-row">
            <Box sx={{ width: 72, pt: 1 }}>
              {i === 0 ? (
                <Chip size="small" color="primary" label="primary" />
              ) : (
                <Typography variant="body2" color="text.secondary" sx={{ pl: 1 }}>
                  {i + 1}
                </Typography>
              )}
            </Box>
            <TextField
              select
              size="small"
              label="Metric"
              value={m.kind}
              onChange={(e) => update(i, { kind: e.target.value as MetricKind })}
              sx={{ width: 190 }}
            >
              {METRIC_KINDS.filter((k) => k.importOnly !== true || k.kind === m.kind).map((k) => (
                <MenuItem key={k.kind} value={k.kind}>
                  {k.label}
                </MenuItem>
              ))}
            </TextField>
            <Box sx={{ flex: 1, display: 'flex', gap: 1 }}>
              {m.imported?.kind === m.kind && m.imported.name !== undefined && (
                <Chip size="small" variant="outlined" label={m.imported.name} sx={{ mt: 1 }} />
              )}
              {m.kind === 'json_fields' && (
                <TextField
                  size="small"
                  fullWidth
                  label="Fields (comma-separated)"
                  value={m.fields}
                  onChange={(e) => update(i, { fields: e.target.value })}
                />
              )}
              {m.kind === 'classification' && (
                <>
                  <TextField
                    size="small"
                    label="JSON field"
                    placeholder="whole text"
                    value={m.field}
                    onChange={(e) => update(i, { field: e.target.value })}
                    sx={{ width: 160 }}
                  />
                  <TextField
                    size="small"
                    fullWidth
                    label="Labels"
                    placeholder="from the references"
                    value={m.labels}
                    onChange={(e) => update(i, { labels: e.target.value })}
                  />
                </>
              )}
              {m.kind === 'regex' && (
                <TextField
                  size="small"
                  fullWidth
                  label="Pattern"
                  value={m.pattern}
                  onChange={(e) => update(i, { pattern: e.target.value })}
                  slotProps={{ htmlInput: { spellCheck: false } }}
                />
              )}
              {m.kind === 'length' && (
                <TextField
                  select
                  size="small"
                  label="Unit"
                  value={m.unit}
                  onChange={(e) => update(i, { unit: e.target.value as 'chars' | 'tokens' })}
                  sx={{ width: 140 }}
                >
                  <MenuItem value="tokens">tokens</MenuItem>
                  <MenuItem value="chars">characters</MenuItem>
                </TextField>
              )}
            </Box>
            <TextField
              size="small"
              label={THRESHOLD_LABEL[thresholdInput(m.kind)]}
              placeholder="none"
              value={m.threshold}
              onChange={(e) => update(i, { threshold: e.target.value })}
              sx={{ width: 120 }}
              slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': `metric-threshold-${i}` } }}
            />
            <Tooltip title="Move up (make it primary when first)">
              <span>
                <IconButton size="small" onClick={() => up(i)} disabled={i === 0} aria-label="Move up">
                  <ArrowUpwardIcon fontSize="small" />
                </IconButton>
              </span>
            </Tooltip>
            <IconButton size="small" onClick={() => remove(i)} aria-label="Remove metric">
              <DeleteIcon fontSize="small" />
            </IconButton>
          </Stack>
        ))}
        {metrics.map(
          (_, i) =>
            errors?.[i] && (
              <Typography key={`e${i}`} variant="caption" color="error" data-testid="metric-error">
                Metric {i + 1}: {errors[i]}
              </Typography>
            ),
        )}
        {error && (
          <Typography variant="caption" color="error" data-testid="metrics-error">
            {error}
          </Typography>
        )}
      </Stack>
    </Box>
  );
}

// The preview's model side: which model (and adapter of it) counts and answers, the prompt's tokens against the
// model's context window (amber above 80%, red past it: the row would be cut), and a Run button that streams the
// model's greedy answer to the previewed row (Ctrl/Cmd+Enter in the preview runs, Esc stops).
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import StopIcon from '@mui/icons-material/Stop';
import { Box, Button, LinearProgress, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { AdapterRecord, ModelRecord } from '../../../../shared/contract';
import { ErrorAlert } from '../../components/ErrorReporter';
import { IS_MAC } from '../shell/useShortcuts';
import { TextBlock } from './TextBlock';
import type { PromptRunView } from './usePromptRun';

/** Above this share of the context window the bar turns amber. */
const WARN_SHARE = 0.8;

export function ModelPickers(props: {
  models: readonly ModelRecord[];
  modelId: string;
  onModel: (id: string) => void;
  adapters: readonly AdapterRecord[];
  adapterId: string | null;
  onAdapter: (id: string | null) => void;
  disabled: boolean;
}) {
  const { models, modelId, onModel, adapters, adapterId, onAdapter, disabled } = props;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
      <TextField
        select
        size="small"
        label="Model"
        value={modelId}
        onChange={(e) => onModel(e.target.value)}
        sx={{ minWidth: 160, flex: 1 }}
        disabled={disabled || models.length === 0}
        helperText={models.length === 0 ? 'Add a model in Models to count tokens and run.' : undefined}
        slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'preview-model' } as object } }}
      >
        {models.map((m) => (
          <MenuItem key={m.id} value={m.id}>
            {m.name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label="Adapter"
        value={adapterId ?? ''}
        onChange={(e) => onAdapter(e.target.value === '' ? null : e.target.value)}
        sx={{ minWidth: 160, flex: 1 }}
        disabled={disabled || modelId === ''}
        slotProps={{
          select: { displayEmpty: true, SelectDisplayProps: { 'data-testid': 'preview-adapter' } as object },
          inputLabel: { shrink: true },
        }}
      >
        <MenuItem value="">None (the base model)</MenuItem>
        {adapters.map((a) => (
          <MenuItem key={a.id} value={a.id}>
            {a.name} ({a.method === 'both' ? 'LoRA + soft prompt' : a.method === 'lora' ? 'LoRA' : 'soft prompt'})
          </MenuItem>
        ))}
      </TextField>
    </Stack>
  );
}

export function TokenBudget({ tokens, contextLength }: { tokens: number; contextLength: number }) {
  const share = contextLength > 0 ? tokens / contextLength : 1;
  const color = share > 1 ? 'error' : share > WARN_SHARE ? 'warning' : 'primary';
  const level = share > 1 ? 'over' : share > WARN_SHARE ? 'near' : 'ok';
  return (
    <Box data-testid="preview-tokens" data-level={level}>
      <Typography variant="body2" color={share > 1 ? 'error' : 'text.secondary'} data-testid="preview-token-count">
        {tokens.toLocaleString('en-US')} / {contextLength.toLocaleString('en-US')} tokens
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, share * 100)}
        color={color}
        aria-label="Prompt tokens of the context window"
        sx={{ mt: 0.5 }}
      />
      {share > 1 && (
        <Typography variant="caption" color="error" component="p" sx={{ mt: 0.5 }} data-testid="preview-token-over">
          Longer than the model's context window: this row would be cut.
        </Typography>
      )}
    </Box>
  );
}

export function RunOutput({
  view,
  canRun,
  onRun,
  onCancel,
}: {
  view: PromptRunView;
  canRun: boolean;
  onRun: () => void;
  onCancel: () => void;
}) {
  const busy = view.phase === 'starting' || view.phase === 'running';
  const keys = IS_MAC ? '⌘+Enter' : 'Ctrl+Enter';
  const status = {
    idle: `${keys} in the preview runs; Esc stops.`,
    starting: 'Starting…',
    running: 'Generating…',
    finished: `Done (${view.generatedTokens} tokens).`,
    cancelled: 'Stopped.',
    failed: '',
  }[view.phase];
  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        {busy ? (
          <Button
            variant="outlined"
            color="inherit"
            startIcon={<StopIcon />}
            onClick={onCancel}
            data-testid="preview-stop"
          >
            Stop
          </Button>
        ) : (
          <Button
            variant="contained"
            startIcon={<PlayArrowIcon />}
            onClick={onRun}
            disabled={!canRun}
            data-testid="preview-run"
          >
            Run
          </Button>
        )}
        <Typography
          variant="body2"
          color="text.secondary"
          data-testid="preview-run-status"
          data-phase={view.phase}
          data-run={view.runId ?? ''}
        >
          {status}
        </Typography>
      </Stack>
      <ErrorAlert error={view.phase === 'failed' ? view.error : undefined} testId="preview-run-error" />
      {view.phase !== 'idle' && view.phase !== 'failed' && (
        <TextBlock label="The model's answer (greedy)" text={view.text} testId="preview-run-output" />
      )}
    </Stack>
  );
}

// "Run on" in the New experiment dialog: this computer, or an OpenAI-compatible server (vLLM with LoRA model names,
// another Dovetail's endpoint, or another server). "Check server" lists what it serves; each cell's model name is
// filled from the workspace's releases and checked against that list; a soft prompt on vLLM offers the LoRA-only
// variant of the specialization.
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Chip,
  MenuItem,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import type { Specialization } from '../../../../shared/contract';
import { describeRemoteServer, REMOTE_KIND_NAMES, type RemoteIdentity } from '../../../../shared/remote-engine';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { cellProblem, filledModels, loraOnlyVariant, type RemoteDraft, type RemoteKind } from './remote-form';

const KIND_HELP: Record<RemoteKind, string> = {
  vllm: 'Started with --enable-lora: each LoRA is a model name (a release page gives the command)',
  dovetail: "Another Dovetail's serving endpoint: each release is a model name, name@version",
  'openai-compatible': 'Any server of the OpenAI API; Dovetail renders each prompt and sends it as text',
};

const TEXT_FIELDS = {
  baseUrl: {
    label: 'Base URL',
    placeholder: 'http://gpu-host:8000/v1',
    help: "The server's OpenAI address, ending in /v1",
    testId: 'remote-url',
  },
  apiKeyEnv: {
    label: 'API key variable',
    placeholder: 'VLLM_API_KEY',
    help: 'An environment variable of this app holding the key (never stored); empty: no key',
    testId: 'remote-key-env',
  },
} as const;

export interface RemoteEngineFieldsProps {
  readonly value: RemoteDraft;
  onChange(value: RemoteDraft): void;
  /** The specializations the cells run (a comparison's, in order). */
  readonly cells: readonly Specialization[];
  /** Every specialization of the workspace (a release names one). */
  readonly specializations: readonly Specialization[];
  readonly ablation: boolean;
  readonly error: string | undefined;
  /** Puts `variant` in the comparison in place of the cell `replaced`. */
  onVariant(replaced: string, variant: Specialization): void;
}

export function RemoteEngineFields(p: RemoteEngineFieldsProps) {
  const api = useApi();
  const { value: v, onChange, cells, specializations } = p;
  const server = v.runOn === 'server';
  const releases = useLoad((a) => a.releases.list({}));
  const [identity, setIdentity] = useState<RemoteIdentity | null>(null);
  const check = useSubmit();
  const variant = useSubmit();
  const served = identity?.models ?? null;
  const set = (change: Partial<RemoteDraft>) => onChange({ ...v, ...change });

  // A cell without a model name gets the one the releases (and the served list) suggest, once per server kind and
  // served list: a name the user cleared is not filled again while they type.
  const tried = useRef(new Set<string>());
  useEffect(() => {
    if (!server || !releases.data) return;
    const key = `${v.kind}|${served?.map((m) => m.id).join(',') ?? ''}`;
    const fresh = cells.filter((c) => !tried.current.has(`${key}|${c.id}`));
    if (fresh.length === 0) return;
    for (const c of fresh) tried.current.add(`${key}|${c.id}`);
    const filled = filledModels(v, fresh, releases.data, specializations, served);
    if (filled !== v) onChange(filled);
  }, [server, releases.data, cells, specializations, served, v, onChange]);

  const checkServer = () =>
    void check.submit(async () => {
      setIdentity(null);
      const apiKeyEnv = v.apiKeyEnv.trim() === '' ? null : v.apiKeyEnv.trim();
      setIdentity(await api.experiments.checkRemote({ kind: v.kind, baseUrl: v.baseUrl.trim(), apiKeyEnv }));
    });
  const textField = (key: keyof typeof TEXT_FIELDS, flex: number) => (
    <TextField
      label={TEXT_FIELDS[key].label}
      size="small"
      sx={{ flex }}
      placeholder={TEXT_FIELDS[key].placeholder}
      value={v[key]}
      onChange={(e) => {
        setIdentity(null); // what was checked was another server, or with another key
        set({ [key]: e.target.value });
      }}
      helperText={TEXT_FIELDS[key].help}
      slotProps={{ htmlInput: { 'data-testid': TEXT_FIELDS[key].testId } }}
    />
  );
  const swapForVariant = (cell: Specialization) =>
    void variant.submit(async () => p.onVariant(cell.id, await api.specializations.create(loraOnlyVariant(cell))));

  return (
    <Box data-testid="remote-fields">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Typography variant="subtitle2">Run on</Typography>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={v.runOn}
          onChange={(_e, runOn: RemoteDraft['runOn'] | null) => runOn && set({ runOn })}
        >
          <ToggleButton value="local" data-testid="run-on-local">
            This computer
          </ToggleButton>
          <ToggleButton value="server" data-testid="run-on-server">
            A server
          </ToggleButton>
        </ToggleButtonGroup>
      </Stack>
      {server && p.ablation && (
        <Alert severity="info" sx={{ mt: 1 }}>
          An ablation runs on this computer only: its cells are made when it is created. Compare specializations to run
          them on a server.
        </Alert>
      )}
      {server && !p.ablation && (
        <Stack spacing={1.5} sx={{ mt: 1.5 }}>
          <Stack direction="row" spacing={2}>
            <TextField
              select
              label="Server"
              size="small"
              sx={{ flex: 1 }}
              value={v.kind}
              onChange={(e) => {
                setIdentity(null);
                set({ kind: e.target.value as RemoteKind, models: {} });
              }}
              helperText={KIND_HELP[v.kind]}
              slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'remote-kind' } as object } }}
            >
              {(Object.keys(REMOTE_KIND_NAMES) as RemoteKind[]).map((k) => (
                <MenuItem key={k} value={k}>
                  {REMOTE_KIND_NAMES[k]}
                </MenuItem>
              ))}
            </TextField>
            {textField('baseUrl', 2)}
            {textField('apiKeyEnv', 1)}
          </Stack>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <Button
              variant="outlined"
              size="small"
              disabled={check.busy || v.baseUrl.trim() === ''}
              onClick={checkServer}
              data-testid="remote-check"
            >
              {check.busy ? 'Checking…' : 'Check server'}
            </Button>
            {identity && (
              <Typography variant="body2" data-testid="remote-identity">
                {describeRemoteServer({ ...v, baseUrl: identity.baseUrl, identity })} serves:
              </Typography>
            )}
            {identity?.models.map((m) => (
              <Chip
                key={m.id}
                size="small"
                variant="outlined"
                label={m.parent ? `${m.id} (LoRA of ${m.parent})` : m.id}
                data-testid="remote-served"
              />
            ))}
          </Stack>
          <ErrorAlert error={check.error} testId="remote-check-error" />
          {cells.map((cell) => {
            const problem = cellProblem(v, cell, served);
            return (
              <Stack
                key={cell.id}
                direction="row"
                spacing={2}
                sx={{ alignItems: 'flex-start' }}
                data-testid="remote-cell"
                data-cell={cell.name}
              >
                <Typography variant="body2" sx={{ flex: 1, pt: 1 }} noWrap title={cell.name}>
                  {cell.name}
                </Typography>
                <Autocomplete
                  freeSolo
                  size="small"
                  sx={{ flex: 2 }}
                  options={(served ?? []).map((m) => m.id)}
                  inputValue={v.models[cell.id] ?? ''}
                  onInputChange={(_e, name) => set({ models: { ...v.models, [cell.id]: name } })}
                  renderInput={(params) => (
                    <TextField
                      {...params}
                      label="Model name on the server"
                      error={problem !== null}
                      helperText={problem?.text ?? ' '}
                      slotProps={{
                        ...params.slotProps,
                        htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'remote-model' } as object,
                        formHelperText: { 'data-testid': 'remote-problem' } as object,
                      }}
                    />
                  )}
                />
                {problem?.kind === 'soft-prompt' && problem.hasLora && (
                  <Button
                    size="small"
                    sx={{ mt: 0.5 }}
                    disabled={variant.busy}
                    onClick={() => swapForVariant(cell)}
                    data-testid="remote-lora-only"
                  >
                    Use the LoRA-only variant
                  </Button>
                )}
              </Stack>
            );
          })}
          <ErrorAlert error={variant.error} testId="remote-variant-error" />
        </Stack>
      )}
      {p.error !== undefined && (
        <Typography variant="caption" color="error" data-testid="remote-error">
          {p.error}
        </Typography>
      )}
    </Box>
  );
}

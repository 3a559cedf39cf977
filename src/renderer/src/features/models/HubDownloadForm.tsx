// Add a model from the Hugging Face Hub by repo id (and revision), or pick one of the recommended small models. The
// download runs as a job listed under Downloads (progress, pause, resume, cancel); once its files are verified the
// model is added here.
import {
  Box,
  Button,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useState, type FormEvent } from 'react';
import type { DownloadJob } from '../../../../shared/contract';
import { estimatedTokensPerSecond, HUB_CATALOGUE } from '../../../../shared/hub-catalogue';
import { useApi } from '../../api';
import { formErrors } from '../../components/error-text';
import { useSubmit } from '../../components/useSubmit';
import { ModelErrorAlert } from './ModelErrorAlert';

const FIELDS = ['repo', 'revision', 'name'] as const;

export function HubDownloadForm({ onStarted }: { onStarted: (job: DownloadJob) => void }) {
  const api = useApi();
  const [repo, setRepo] = useState('');
  const [revision, setRevision] = useState('');
  const action = useSubmit();
  const errors = formErrors(action.error, 'hub.download', FIELDS);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.submit(async () => {
      onStarted(await api.hub.download({ repo, ...(revision.trim() ? { revision } : {}) }));
    });
  };

  return (
    <Box component="form" noValidate onSubmit={submit} data-testid="hub-download-form" sx={{ textAlign: 'left' }}>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        The repo id as on its Hub page (owner/name). Dovetail downloads the configuration, tokenizer and safetensors
        weights into your user folder, checks every file against the Hub&apos;s checksums, then adds the model.
      </Typography>
      <Stack direction="row" spacing={2}>
        <TextField
          label="Hub repo id"
          placeholder="HuggingFaceTB/SmolLM2-135M-Instruct"
          fullWidth
          value={repo}
          disabled={action.busy}
          onChange={(e) => {
            setRepo(e.target.value);
            action.clear();
          }}
          error={errors.byField.repo !== undefined}
          helperText={errors.byField.repo}
          slotProps={{ htmlInput: { 'data-testid': 'hub-repo' } }}
        />
        <TextField
          label="Revision"
          placeholder="main"
          sx={{ width: 200 }}
          value={revision}
          disabled={action.busy}
          onChange={(e) => setRevision(e.target.value)}
          error={errors.byField.revision !== undefined}
          helperText={errors.byField.revision ?? 'Branch, tag or commit'}
          slotProps={{ htmlInput: { 'data-testid': 'hub-revision' } }}
        />
      </Stack>
      <Button
        type="submit"
        variant="contained"
        sx={{ mt: 2 }}
        disabled={action.busy || repo.trim() === ''}
        data-testid="hub-download-submit"
      >
        Download and add
      </Button>
      <Box sx={{ mt: 2 }}>
        <ModelErrorAlert error={errors.rest} testId="hub-download-error" />
      </Box>
      <Catalogue onPick={(id) => setRepo(id)} />
    </Box>
  );
}

function Catalogue({ onPick }: { onPick: (repo: string) => void }) {
  return (
    <Box sx={{ mt: 3 }} data-testid="hub-catalogue">
      <Typography variant="subtitle2">Recommended small models</Typography>
      <Typography variant="caption" color="text.secondary" component="p">
        Speed is an estimate, not a measurement: generating a token reads every weight once, so it is about 8 GB/s (two
        laptop cores) over the weights&apos; bytes at 32 bits; 8-bit and 4-bit weights are 2-3x faster.
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Model</TableCell>
            <TableCell align="right">Download</TableCell>
            <TableCell>Licence</TableCell>
            <TableCell align="right">About</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {HUB_CATALOGUE.map((m) => (
            <TableRow key={m.repo} data-testid="hub-catalogue-row">
              <TableCell>
                <Typography variant="body2">{m.label}</Typography>
                <Typography variant="caption" color="text.secondary">
                  {m.repo} · {m.note}
                </Typography>
              </TableCell>
              <TableCell align="right">{(m.bytes / 1e9).toFixed(m.bytes < 1e9 ? 2 : 1)} GB</TableCell>
              <TableCell>
                {m.licence} {m.gated && <Chip size="small" label="gated" />}
              </TableCell>
              <TableCell align="right">{formatSpeed(estimatedTokensPerSecond(m.parameters))}</TableCell>
              <TableCell>
                <Button size="small" onClick={() => onPick(m.repo)}>
                  Use
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

function formatSpeed(tokensPerSecond: number): string {
  return `${tokensPerSecond >= 10 ? tokensPerSecond.toFixed(0) : tokensPerSecond.toFixed(1)} tokens/s`;
}

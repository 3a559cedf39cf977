// "New review round": an experiment, 2+ of its cells, the sample (random, stratified by a field, disagreements only),
// reviewers, items per reviewer, overlap, failure tags, mode, share of swapped repeats and the seed.
import {
  Alert,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  FormGroup,
  FormLabel,
  MenuItem,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
} from '@mui/material';
import { useState } from 'react';
import type { CreateRoundIn, Round } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

type SampleKind = 'random' | 'stratified' | 'disagreements';

export function NewRoundDialog({ onClose, onCreated }: { onClose(): void; onCreated(round: Round): void }) {
  const api = useApi();
  const experiments = useLoad((a) => a.experiments.list({}), []);
  const users = useLoad((a) => a.users.list({}), []);
  const specializations = useLoad((a) => a.specializations.list({}), []);
  const [experimentId, setExperimentId] = useState('');
  const [cells, setCells] = useState<string[]>([]);
  const [reviewers, setReviewers] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [sample, setSample] = useState<SampleKind>('random');
  const [field, setField] = useState('');
  const [items, setItems] = useState('10');
  const [overlap, setOverlap] = useState('2');
  const [tags, setTags] = useState('wrong, incomplete, verbose, off-format');
  const [mode, setMode] = useState<'pairwise' | 'single'>('pairwise');
  const [repeat, setRepeat] = useState('10');
  const [seed, setSeed] = useState('');
  const { busy, error, submit } = useSubmit();
  const list = (experiments.data ?? []).filter((e) => e.state === 'completed');
  const experiment = list.find((e) => e.id === experimentId);
  const specName = (id: string, label: string) => specializations.data?.find((s) => s.id === id)?.name ?? label;
  const toggle = (xs: string[], x: string) => (xs.includes(x) ? xs.filter((y) => y !== x) : [...xs, x]);

  const create = () =>
    submit(async () => {
      const spec: CreateRoundIn = {
        name: name.trim() || `Review of ${experiment?.name ?? 'experiment'}`,
        experimentId,
        specializationIds: cells,
        reviewerIds: reviewers,
        itemsPerReviewer: Number(items),
        overlap: Number(overlap),
        mode,
        repeatShare: Number(repeat) / 100,
        ...(seed.trim() === '' ? {} : { seed: Number(seed) }),
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
        sample: sample === 'stratified' ? { kind: 'stratified', field: field.trim() } : { kind: sample },
      };
      onCreated(await api.reviews.createRound(spec));
    });

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="round-dialog">
      <DialogTitle>New review round</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {experiments.data && list.length === 0 && (
            <Alert severity="info">Run an experiment first: a round reviews its outputs.</Alert>
          )}
          <TextField
            select
            label="Experiment"
            value={experimentId}
            onChange={(e) => {
              setExperimentId(e.target.value);
              setCells([]);
            }}
            slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'round-experiment' } as object } }}
          >
            {list.map((e) => (
              <MenuItem key={e.id} value={e.id} data-testid="round-experiment-option">
                {e.name}
              </MenuItem>
            ))}
          </TextField>
          {experiment && (
            <FormGroup>
              <FormLabel>Compare (2 or more)</FormLabel>
              {experiment.cells.map((c) => (
                <FormControlLabel
                  key={c.specializationId}
                  label={specName(c.specializationId, c.label)}
                  control={
                    <Checkbox
                      checked={cells.includes(c.specializationId)}
                      onChange={() => setCells(toggle(cells, c.specializationId))}
                      data-testid="round-cell"
                    />
                  }
                />
              ))}
            </FormGroup>
          )}
          <FormGroup>
            <FormLabel>Reviewers</FormLabel>
            {(users.data ?? []).map((u) => (
              <FormControlLabel
                key={u.id}
                label={`${u.name} (${u.role})`}
                control={
                  <Checkbox
                    checked={reviewers.includes(u.id)}
                    onChange={() => setReviewers(toggle(reviewers, u.id))}
                    data-testid="round-reviewer"
                    data-user={u.name}
                  />
                }
              />
            ))}
          </FormGroup>
          <ToggleButtonGroup
            exclusive
            size="small"
            value={mode}
            onChange={(_, v: 'pairwise' | 'single' | null) => v && setMode(v)}
            aria-label="Mode"
          >
            <ToggleButton value="pairwise" data-testid="round-mode-pairwise">
              Pairwise
            </ToggleButton>
            <ToggleButton value="single" data-testid="round-mode-single">
              Single output (pass/fail)
            </ToggleButton>
          </ToggleButtonGroup>
          <Stack direction="row" spacing={1}>
            <TextField
              select
              label="Sample"
              value={sample}
              onChange={(e) => setSample(e.target.value as SampleKind)}
              sx={{ flex: 1 }}
            >
              <MenuItem value="random">Random</MenuItem>
              <MenuItem value="stratified">Stratified by a field</MenuItem>
              <MenuItem value="disagreements">Disagreements only</MenuItem>
            </TextField>
            {sample === 'stratified' && (
              <TextField label="Field" value={field} onChange={(e) => setField(e.target.value)} sx={{ flex: 1 }} />
            )}
          </Stack>
          <Stack direction="row" spacing={1}>
            <TextField
              label="Items per reviewer"
              type="number"
              value={items}
              onChange={(e) => setItems(e.target.value)}
              slotProps={{ htmlInput: { 'data-testid': 'round-items', min: 1 } }}
            />
            <TextField
              label="Overlap (reviewers per item)"
              type="number"
              value={overlap}
              onChange={(e) => setOverlap(e.target.value)}
              slotProps={{ htmlInput: { 'data-testid': 'round-overlap', min: 1 } }}
            />
          </Stack>
          <Stack direction="row" spacing={1}>
            <TextField
              label="Repeated with sides swapped (%)"
              type="number"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
              slotProps={{ htmlInput: { 'data-testid': 'round-repeat', min: 0, max: 50 } }}
            />
            <TextField
              label="Seed (optional)"
              type="number"
              value={seed}
              onChange={(e) => setSeed(e.target.value)}
              placeholder="random"
              helperText="Empty: a random seed, kept secret until the round is closed (whoever knows it can rebuild the plan)"
              slotProps={{ htmlInput: { 'data-testid': 'round-seed' } }}
            />
          </Stack>
          <TextField
            label="Failure tags (comma-separated)"
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'round-tags' } }}
          />
          <TextField
            label="Name"
            value={name}
            placeholder={experiment ? `Review of ${experiment.name}` : ''}
            onChange={(e) => setName(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'round-name' } }}
          />
          {error !== undefined && <ErrorAlert error={error} testId="round-error" />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={busy || !experiment || cells.length < 2 || reviewers.length === 0}
          onClick={() => void create()}
          data-testid="round-create"
        >
          Create round
        </Button>
      </DialogActions>
    </Dialog>
  );
}

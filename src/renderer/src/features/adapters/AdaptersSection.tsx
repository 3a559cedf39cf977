// The Adapters screen: adapter versions (method, base model, created, final loss, active check, vLLM), details with
// lineage and loss curve, the training wizard, live training panels, and PEFT import. Empty: says what to do.
import {
  Box,
  Button,
  Chip,
  CircularProgress,
  List,
  ListItemButton,
  ListItemText,
  Paper,
  Stack,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorReporter';
import type { Section } from '../shell/sections';
import { AdapterDetailsView } from './AdapterDetailsView';
import { loss } from './format';
import { ImportDialog } from './ImportDialog';
import { JobPanel } from './JobPanel';
import { TrainWizard } from './TrainWizard';
import { useAdapters } from './useAdapters';

const SHOWN_JOB_STATES = new Set(['running', 'pausing', 'checking', 'paused', 'interrupted', 'failed']);

export function AdaptersSection({ section }: { section: Section }) {
  const { adapters, jobs, models } = useAdapters();
  const [dialog, setDialog] = useState<'train' | 'import' | null>(null);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const list = adapters.data;
  const modelList = models.data ?? [];
  const activeJobs = (jobs.data ?? []).filter((j) => SHOWN_JOB_STATES.has(j.state));
  if (list === undefined) {
    return (
      <Box sx={{ p: 3 }}>
        {adapters.error ? <ErrorAlert error={adapters.error} /> : <CircularProgress aria-label="Loading adapters" />}
      </Box>
    );
  }
  const actions = (
    <Stack direction="row" spacing={1} sx={{ justifyContent: 'center' }}>
      <Button
        variant="contained"
        disabled={modelList.length === 0}
        onClick={() => setDialog('train')}
        data-testid="adapters-train-open"
      >
        Train an adapter
      </Button>
      <Button
        variant="outlined"
        disabled={modelList.length === 0}
        onClick={() => setDialog('import')}
        data-testid="adapters-import-open"
      >
        Import PEFT adapter
      </Button>
    </Stack>
  );
  const dialogs = (
    <>
      {dialog === 'train' && (
        <TrainWizard
          models={modelList}
          onClose={() => setDialog(null)}
          onStarted={() => {
            setDialog(null);
            jobs.reload();
          }}
        />
      )}
      {dialog === 'import' && (
        <ImportDialog
          models={modelList}
          onClose={() => setDialog(null)}
          onImported={(id) => {
            setDialog(null);
            setSelectedId(id);
            adapters.reload();
          }}
        />
      )}
    </>
  );
  const jobPanels = activeJobs.map((j) => <JobPanel key={j.id} job={j} />);
  if (list.length === 0 && activeJobs.length === 0) {
    const hint =
      modelList.length === 0
        ? ' First add a base model on the Models screen.'
        : ' Start with "Train an adapter" on one of the workspace\'s datasets and a saved template.';
    return (
      <EmptyState
        icon={section.icon}
        title={section.emptyTitle}
        description={`${section.description}${hint}`}
        testId="empty-adapters"
      >
        <Box sx={{ mt: 3 }}>{actions}</Box>
        {dialogs}
      </EmptyState>
    );
  }
  const selected = list.find((a) => a.id === selectedId) ?? list[0];
  return (
    <Box sx={{ p: 3, maxWidth: 1280, mx: 'auto' }} data-testid="adapters-screen">
      <Stack direction="row" sx={{ alignItems: 'center', mb: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Adapters
        </Typography>
        {actions}
      </Stack>
      {jobPanels}
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
        <Paper variant="outlined" sx={{ width: 380 }}>
          <List dense data-testid="adapter-list">
            {list.map((a) => (
              <ListItemButton
                key={a.id}
                selected={a.id === selected?.id}
                onClick={() => setSelectedId(a.id)}
                data-testid="adapter-item"
              >
                <ListItemText
                  primary={a.name}
                  secondary={`${a.method} · ${modelList.find((m) => m.id === a.modelId)?.name ?? 'model removed'} · ${a.createdAt.slice(0, 16).replace('T', ' ')} · loss ${loss(a.finalLoss)}`}
                />
                <Stack spacing={0.5}>
                  <Chip
                    size="small"
                    color={a.check.active ? 'success' : 'error'}
                    label={a.check.active ? 'active' : 'inactive'}
                  />
                  <Chip size="small" variant="outlined" label={a.vllm.compatible ? 'vLLM ok' : 'not vLLM'} />
                </Stack>
              </ListItemButton>
            ))}
          </List>
        </Paper>
        {selected && (
          <AdapterDetailsView
            key={selected.id}
            id={selected.id}
            onRemoved={() => {
              setSelectedId(undefined);
              adapters.reload();
            }}
          />
        )}
      </Stack>
      {dialogs}
    </Box>
  );
}

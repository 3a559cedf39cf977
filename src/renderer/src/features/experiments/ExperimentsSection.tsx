// The Experiments section: experiments (list, run, results, side by side), the specializations they evaluate, and
// "Try live" (several specializations answering one input at once). Empty: says what is missing and offers it.
import ScienceIcon from '@mui/icons-material/Science';
import {
  Alert,
  Box,
  Button,
  Chip,
  CircularProgress,
  LinearProgress,
  List,
  ListItemButton,
  ListItemText,
  Paper,
  Stack,
  Tab,
  Tabs,
  Tooltip,
} from '@mui/material';
import { useState } from 'react';
import type { DatasetSummary, Experiment } from '../../../../shared/contract';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorReporter';
import type { Section } from '../shell/sections';
import { sectionParam } from '../shell/useSection';
import { STATE_COLOR, ExperimentView } from './ExperimentView';
import { formatDate, percentDone } from './format';
import { NewExperimentDialog } from './NewExperimentDialog';
import { PromptfooImportDialog } from './PromptfooImportDialog';
import { NewSpecializationDialog } from './NewSpecializationDialog';
import { SpecializationsPanel } from './SpecializationsPanel';
import { TryLive } from './TryLive';
import { useDatasets, useExperiments, useSpecializations } from './useExperimentsData';

type TabId = 'experiments' | 'specializations' | 'live';

function datasetNameOf(datasets: readonly DatasetSummary[], versionId: string): string | undefined {
  for (const d of datasets) {
    const v = d.versions.find((x) => x.id === versionId);
    if (v) return `${d.name} v${v.version}`;
  }
  return undefined;
}

export function ExperimentsSection({ section }: { section: Section }) {
  const experiments = useExperiments();
  const specializations = useSpecializations();
  const datasets = useDatasets();
  const [tab, setTab] = useState<TabId>('experiments');
  const [dialog, setDialog] = useState<'experiment' | 'specialization' | 'promptfoo' | null>(null);
  // Another screen may link to one experiment (#/experiments?experiment=<id>): "Compare with the base model".
  const [selectedId, setSelectedId] = useState<string | undefined>(() => sectionParam('experiment') ?? undefined);
  const [skew, setSkew] = useState<string[]>([]);
  const list = experiments.data;
  const specs = specializations.data ?? [];
  const datasetList = datasets.data ?? [];
  const ownSpecs = specs.filter((s) => s.derivedFrom === null);
  const canCreate = ownSpecs.length > 0 && datasetList.length > 0;
  const whyNot =
    ownSpecs.length === 0
      ? 'Create a specialization first'
      : datasetList.length === 0
        ? 'Import a dataset first (Datasets)'
        : '';

  const newExperiment = (
    <Stack direction="row" spacing={1}>
      <Button onClick={() => setDialog('promptfoo')} data-testid="experiments-import-promptfoo">
        Import promptfoo config
      </Button>
      <Tooltip title={whyNot}>
        <span>
          <Button
            variant="contained"
            disabled={!canCreate}
            onClick={() => setDialog('experiment')}
            data-testid="experiments-new"
          >
            New experiment
          </Button>
        </span>
      </Tooltip>
    </Stack>
  );
  const dialogs = (
    <>
      {dialog === 'experiment' && (
        <NewExperimentDialog
          datasets={datasetList}
          specializations={specs}
          onClose={() => setDialog(null)}
          onCreated={(e: Experiment) => {
            setDialog(null);
            setSelectedId(e.id);
            setTab('experiments');
            experiments.reload();
            specializations.reload();
          }}
        />
      )}
      {dialog === 'promptfoo' && (
        <PromptfooImportDialog
          onClose={() => setDialog(null)}
          onImported={(id) => {
            setDialog(null);
            setSelectedId(id);
            setTab('experiments');
            experiments.reload();
            specializations.reload();
            datasets.reload();
          }}
        />
      )}
      {dialog === 'specialization' && (
        <NewSpecializationDialog
          onClose={() => setDialog(null)}
          onCreated={(created) => {
            setDialog(null);
            setSkew(created.warnings);
            specializations.reload();
          }}
        />
      )}
    </>
  );

  let body;
  if (tab === 'specializations') {
    body = (
      <>
        {skew.map((w) => (
          <Alert
            key={w}
            severity="warning"
            sx={{ mb: 1 }}
            onClose={() => setSkew([])}
            data-testid="specialization-warning"
          >
            {w}
          </Alert>
        ))}
        <SpecializationsPanel
          specializations={specializations.data}
          error={specializations.error}
          onNew={() => setDialog('specialization')}
        />
      </>
    );
  } else if (tab === 'live') {
    body = specializations.data ? (
      <TryLive specializations={specs} />
    ) : (
      <CircularProgress aria-label="Loading specializations" />
    );
  } else if (list === undefined) {
    body = experiments.error ? (
      <ErrorAlert error={experiments.error} />
    ) : (
      <Box sx={{ display: 'grid', placeItems: 'center', p: 6 }}>
        <CircularProgress aria-label="Loading experiments" />
      </Box>
    );
  } else if (list.length === 0) {
    const next =
      ownSpecs.length === 0
        ? ' Start with a specialization: a base model with the template, examples or adapters you want to measure.'
        : datasetList.length === 0
          ? ' Import a dataset with the expected answers in Datasets, then come back.'
          : ' Everything is ready: create the first experiment.';
    body = (
      <EmptyState
        icon={section.icon}
        title={section.emptyTitle}
        description={`${section.description}${next}`}
        testId={`empty-${section.id}`}
      >
        <Stack direction="row" spacing={1} sx={{ justifyContent: 'center', mt: 3 }}>
          {ownSpecs.length === 0 ? (
            <>
              <Button onClick={() => setDialog('promptfoo')} data-testid="experiments-import-promptfoo">
                Import promptfoo config
              </Button>
              <Button
                variant="contained"
                onClick={() => setDialog('specialization')}
                data-testid="experiments-new-specialization"
              >
                New specialization
              </Button>
            </>
          ) : (
            newExperiment
          )}
        </Stack>
      </EmptyState>
    );
  } else {
    const selected = list.find((e) => e.id === selectedId) ?? list[0];
    body = (
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
        <Paper variant="outlined" sx={{ width: 260, flexShrink: 0 }}>
          <List dense data-testid="experiment-list">
            {list.map((e) => (
              <ListItemButton
                key={e.id}
                selected={e.id === selected?.id}
                onClick={() => setSelectedId(e.id)}
                data-testid="experiment-item"
                sx={{ display: 'block' }}
              >
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <ListItemText
                    primary={e.name}
                    secondary={`${e.spec.design.kind === 'ablation' ? 'ablation' : 'comparison'} · ${e.cells.length} cells · ${formatDate(e.createdAt)}`}
                    slotProps={{ primary: { noWrap: true, title: e.name } }}
                  />
                  <Chip size="small" color={STATE_COLOR[e.state]} label={e.state} />
                </Stack>
                {e.state === 'running' && (
                  <LinearProgress
                    variant={e.progress ? 'determinate' : 'indeterminate'}
                    value={percentDone(e.progress)}
                    sx={{ mt: 0.5 }}
                  />
                )}
              </ListItemButton>
            ))}
          </List>
        </Paper>
        {selected && (
          <ExperimentView
            key={selected.id}
            experiment={selected}
            datasetName={datasetNameOf(datasetList, selected.spec.datasetVersionId)}
            onRemoved={() => {
              setSelectedId(undefined);
              experiments.reload();
            }}
          />
        )}
      </Stack>
    );
  }

  return (
    <Box sx={{ p: 3, maxWidth: 1600, mx: 'auto' }} data-testid="experiments-screen">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2, borderBottom: 1, borderColor: 'divider' }}>
        <ScienceIcon color="action" />
        <Tabs value={tab} onChange={(_e, v: TabId) => setTab(v)} sx={{ flex: 1 }} aria-label="Experiments views">
          <Tab
            value="experiments"
            label={`Experiments${list && list.length > 0 ? ` (${list.length})` : ''}`}
            data-testid="tab-experiments"
          />
          <Tab
            value="specializations"
            label={`Specializations${ownSpecs.length > 0 ? ` (${ownSpecs.length})` : ''}`}
            data-testid="tab-specializations"
          />
          <Tab value="live" label="Try live" data-testid="tab-live" />
        </Tabs>
        {tab === 'experiments' && list !== undefined && list.length > 0 && newExperiment}
      </Stack>
      {body}
      {dialogs}
    </Box>
  );
}

// The Datasets screen: the workspace's datasets with their versions, the selected version's facts and rows (grid with
// server-side pages, split and duplicate filters), its Personal data panel, Import (files -> mapping -> splits) and
// remove. Empty: says what to do. #/datasets?version=<id>&scan=1 opens a version and scans it (links from warnings).
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItemButton,
  ListItemText,
  ListSubheader,
  Paper,
  Stack,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { DatasetSummary, ImportResult, ImportWarning } from '../../../../shared/contract';
import { useApi } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorReporter';
import { ExportChatButton } from './ExportChatButton';
import type { Section } from '../shell/sections';
import { dateText, shortHash } from './format';
import { sectionParam } from '../shell/useSection';
import { ImportDialog } from './ImportDialog';
import { PrivacyPanel } from './PrivacyPanel';
import { RowsGrid } from './RowsGrid';
import { useDatasetList, useDatasetVersion } from './useDatasets';
import { VersionFacts } from './VersionFacts';

export function DatasetsSection({ section }: { section: Section }) {
  const list = useDatasetList();
  const [importing, setImporting] = useState(false);
  const [selectedVersionId, setSelectedVersionId] = useState<string | undefined>(
    () => sectionParam('version') ?? undefined,
  );
  const [scanRequested, setScanRequested] = useState(() => sectionParam('scan') === '1');
  const [warnings, setWarnings] = useState<ImportWarning[]>([]);
  const datasets = list.data;

  const imported = (result: ImportResult) => {
    setImporting(false);
    setSelectedVersionId(result.version.id);
    setWarnings(result.warnings);
    list.reload();
  };
  const dialog = importing && (
    <ImportDialog datasets={datasets ?? []} onClose={() => setImporting(false)} onImported={imported} />
  );
  const importButton = (
    <Button variant="contained" onClick={() => setImporting(true)} data-testid="datasets-import-open">
      Import dataset
    </Button>
  );

  if (datasets === undefined) {
    return (
      <Box sx={{ p: 3 }}>
        {list.error !== undefined ? (
          <ErrorAlert error={list.error} testId="datasets-error" />
        ) : (
          <CircularProgress aria-label="Loading datasets" />
        )}
      </Box>
    );
  }
  if (datasets.length === 0) {
    return (
      <EmptyState
        icon={section.icon}
        title={section.emptyTitle}
        description={section.description}
        testId="empty-datasets"
      >
        <Box sx={{ mt: 3 }}>{importButton}</Box>
        {dialog}
      </EmptyState>
    );
  }
  const allVersions = datasets.flatMap((d) => d.versions);
  const selectedId = allVersions.some((v) => v.id === selectedVersionId)
    ? selectedVersionId
    : datasets[0]?.versions[0]?.id;
  return (
    <Box sx={{ p: 3, maxWidth: 1600, mx: 'auto' }} data-testid="datasets-screen">
      <Stack direction="row" sx={{ alignItems: 'center', mb: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Datasets
        </Typography>
        {importButton}
      </Stack>
      {warnings.map((w) => (
        <Alert
          key={w.message}
          severity="warning"
          sx={{ mb: 1 }}
          onClose={() => setWarnings((all) => all.filter((x) => x !== w))}
          data-testid={`import-warning-${w.code}`}
          action={
            w.code === 'personal-data' ? (
              <Button
                color="inherit"
                size="small"
                onClick={() => setScanRequested(true)}
                data-testid="import-warning-scan"
              >
                Show the scan
              </Button>
            ) : undefined
          }
        >
          {w.message}
        </Alert>
      ))}
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
        <DatasetList datasets={datasets} selectedId={selectedId} onSelect={setSelectedVersionId} />
        {selectedId && (
          <VersionPanel
            key={`${selectedId}-${scanRequested ? 'scan' : ''}`}
            versionId={selectedId}
            datasets={datasets}
            autoScan={scanRequested}
            onRemoved={() => setSelectedVersionId(undefined)}
            onRedacted={(id) => {
              setScanRequested(false);
              setSelectedVersionId(id);
              list.reload();
            }}
          />
        )}
      </Stack>
      {dialog}
    </Box>
  );
}

function DatasetList({
  datasets,
  selectedId,
  onSelect,
}: {
  datasets: DatasetSummary[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}) {
  return (
    <Paper variant="outlined" sx={{ width: 300, flexShrink: 0 }}>
      <List dense data-testid="dataset-list" aria-label="Datasets">
        {datasets.map((d) => (
          <Box key={d.id} data-testid="dataset-item" data-name={d.name}>
            <ListSubheader disableSticky sx={{ lineHeight: 2.5 }} data-testid="dataset-item-name">
              {d.name}
            </ListSubheader>
            {d.versions.map((v) => (
              <ListItemButton
                key={v.id}
                selected={v.id === selectedId}
                onClick={() => onSelect(v.id)}
                sx={{ pl: 3 }}
                data-testid="dataset-version-item"
              >
                <ListItemText
                  primary={`v${v.version} · ${v.rowCount.toLocaleString()} rows`}
                  secondary={`${dateText(v.createdAt)} · ${shortHash(v.contentHash)}${v.message ? ` · ${v.message}` : ''}`}
                />
              </ListItemButton>
            ))}
          </Box>
        ))}
      </List>
    </Paper>
  );
}

function VersionPanel({
  versionId,
  datasets,
  autoScan,
  onRemoved,
  onRedacted,
}: {
  versionId: string;
  datasets: DatasetSummary[];
  autoScan: boolean;
  onRemoved: () => void;
  onRedacted: (versionId: string) => void;
}) {
  const api = useApi();
  const version = useDatasetVersion(versionId);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const v = version.data;
  if (!v) {
    return (
      <Box sx={{ flex: 1 }}>
        {version.error !== undefined ? (
          <ErrorAlert error={version.error} />
        ) : (
          <CircularProgress aria-label="Loading the version" />
        )}
      </Box>
    );
  }
  const versions = datasets.find((d) => d.id === v.datasetId)?.versions.length ?? 1;
  const remove = () => {
    api.datasets.remove({ id: v.datasetId }).then(() => {
      setConfirming(false);
      onRemoved();
    }, setError);
  };
  return (
    <Paper variant="outlined" sx={{ flex: 1, minWidth: 0, p: 2 }} data-testid="dataset-details">
      <Stack direction="row" sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="h6" component="h2" sx={{ flex: 1 }} data-testid="dataset-details-name">
          {v.name}{' '}
          <Typography component="span" color="text.secondary">
            v{v.version}
          </Typography>
        </Typography>
        <ExportChatButton version={v} />
        <Button color="error" onClick={() => setConfirming(true)} data-testid="dataset-remove">
          Remove dataset
        </Button>
      </Stack>
      <VersionFacts version={v} />
      <Box sx={{ mt: 2 }}>
        <RowsGrid version={v} />
      </Box>
      <PrivacyPanel version={v} autoScan={autoScan} onRedacted={onRedacted} />
      <Dialog open={confirming} onClose={() => setConfirming(false)} data-testid="dataset-remove-dialog">
        <DialogTitle>Remove {v.name}?</DialogTitle>
        <DialogContent>
          <Typography>
            Its {versions === 1 ? 'version' : `${versions} versions`} and all rows leave this workspace. The files it
            was imported from stay as they are.
          </Typography>
          <ErrorAlert error={error} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Keep</Button>
          <Button color="error" variant="contained" onClick={remove} data-testid="dataset-remove-confirm">
            Remove
          </Button>
        </DialogActions>
      </Dialog>
    </Paper>
  );
}

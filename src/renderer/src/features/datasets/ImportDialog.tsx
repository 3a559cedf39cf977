// "Import a dataset": files -> field mapping, splits and target -> import with a progress bar (cancellable). A bad
// file or row shows the server's error with its line number; nothing is imported then.
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  LinearProgress,
  MenuItem,
  Radio,
  RadioGroup,
  Stack,
  Step,
  StepLabel,
  Stepper,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import {
  SPLITS,
  type ChatMapping,
  type DatasetSummary,
  type FileInspection,
  type ImportProgress,
  type ImportResult,
  type SplitName,
} from '../../../../shared/contract';
import { useApi } from '../../api';
import { useSubmit } from '../../components/useSubmit';
import { ChatMappingPanel } from './ChatMappingPanel';
import { bytesText } from './format';
import { formProblem, initialForm, toImportArg, withInspection, type ImportForm } from './import-form';
import { ImportErrorPanel } from './ImportErrorPanel';
import { MappingTable } from './MappingTable';
import { SplitSettingsForm } from './SplitSettingsForm';

export interface ImportDialogProps {
  datasets: readonly DatasetSummary[];
  onClose: () => void;
  onImported: (result: ImportResult) => void;
}

function newImportId(): string {
  return `imp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function ImportDialog({ datasets, onClose, onImported }: ImportDialogProps) {
  const api = useApi();
  const [form, setForm] = useState<ImportForm>(initialForm);
  const [inspection, setInspection] = useState<FileInspection | null>(null);
  const { busy, error, submit, fail, clear } = useSubmit(); // a cancelled import's error shows nothing
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const importId = useRef<string | null>(null);
  const patch = (p: Partial<ImportForm>) => setForm((f) => ({ ...f, ...p }));
  const setFile = (index: number, p: Partial<ImportForm['files'][number]>) =>
    setForm((f) => ({ ...f, files: f.files.map((x, i) => (i === index ? { ...x, ...p } : x)) }));

  useEffect(
    () => api.datasets.onImportProgress((p) => (p.importId === importId.current ? setProgress(p) : undefined)),
    [api],
  );

  const inspect = async (chat?: ChatMapping) => {
    const first = form.files.find((f) => f.path.trim() !== '');
    if (!first) return fail(new Error('Give at least one file.'));
    await submit(async () => {
      const result = await api.datasets.inspectFile({
        path: first.path.trim(),
        ...(chat === undefined ? {} : { chat }),
      });
      setInspection(result);
      setForm((f) => withInspection(f, result));
    });
  };

  const start = () =>
    submit(async () => {
      const id = newImportId();
      importId.current = id;
      setProgress(null);
      try {
        onImported(await api.datasets.import(toImportArg(form, id)));
      } finally {
        importId.current = null;
        setProgress(null);
      }
    });
  const cancel = () => {
    if (importId.current) void api.datasets.cancelImport({ importId: importId.current });
  };

  const problem = inspection ? formProblem(form) : null;
  const fileFields = form.files.map((f, i) => (
    <Stack key={i} direction="row" spacing={1}>
      <TextField
        label={i === 0 ? 'File (.jsonl, .csv or .parquet)' : `File ${i + 1}`}
        size="small"
        fullWidth
        value={f.path}
        disabled={busy}
        onChange={(e) => setFile(i, { path: e.target.value })}
        slotProps={{ htmlInput: { 'data-testid': `import-file-${i}` } }}
      />
      {inspection && form.splitKind === 'given' && (
        <TextField
          select
          label="Split"
          size="small"
          value={f.split}
          onChange={(e) => setFile(i, { split: e.target.value as SplitName })}
          sx={{ minWidth: 140 }}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': `import-file-split-${i}` } as object } }}
        >
          {SPLITS.map((s) => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
      )}
    </Stack>
  ));

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="lg" fullWidth data-testid="dataset-import-dialog">
      <DialogTitle>Import a dataset</DialogTitle>
      <DialogContent>
        <Stepper activeStep={inspection ? 1 : 0} sx={{ mb: 2 }}>
          <Step>
            <StepLabel>Files</StepLabel>
          </Step>
          <Step>
            <StepLabel>Fields and splits</StepLabel>
          </Step>
        </Stepper>
        <Stack spacing={2}>
          <Stack spacing={1}>
            {fileFields}
            <Box>
              <Button
                size="small"
                disabled={busy}
                onClick={() => patch({ files: [...form.files, { path: '', split: '' }] })}
                data-testid="import-add-file"
              >
                Add another file
              </Button>
            </Box>
          </Stack>
          {inspection && (
            <>
              <Typography variant="body2" color="text.secondary" data-testid="import-inspection">
                {inspection.format.toUpperCase()} · {inspection.exact ? '' : 'about '}
                {inspection.rowEstimate.toLocaleString()} rows · {bytesText(inspection.bytes)}
              </Typography>
              {inspection.warnings.map((w) => (
                <Alert key={w.message} severity="info" data-testid={`import-inspection-warning-${w.code}`}>
                  {w.message}
                </Alert>
              ))}
              {inspection.problems.length > 0 && (
                <Alert severity="warning" data-testid="import-sample-problems">
                  The first rows already have problems; the import will stop on them:{' '}
                  {inspection.problems.slice(0, 3).map(problemText).join('; ')}
                  {inspection.problems[0]?.hint !== undefined && (
                    <Box sx={{ mt: 0.5 }}>{inspection.problems[0].hint}</Box>
                  )}
                </Alert>
              )}
              {inspection.chat && (
                <ChatMappingPanel chat={inspection.chat} disabled={busy} onChange={(chat) => void inspect(chat)} />
              )}
              <MappingTable
                mapping={form.mapping}
                sample={inspection.sample}
                onChange={(mapping) => patch({ mapping })}
              />
              <SplitSettingsForm form={form} columns={inspection.columns.map((c) => c.name)} onChange={patch} />
              <Stack spacing={1}>
                <RadioGroup
                  row
                  value={form.target}
                  onChange={(e) => patch({ target: e.target.value as ImportForm['target'] })}
                >
                  <FormControlLabel value="new" control={<Radio />} label="New dataset" />
                  <FormControlLabel
                    value="version"
                    control={<Radio />}
                    label="New version of a dataset"
                    disabled={datasets.length === 0}
                  />
                </RadioGroup>
                <Stack direction="row" spacing={1.5}>
                  {form.target === 'new' ? (
                    <TextField
                      label="Dataset name"
                      size="small"
                      value={form.newName}
                      onChange={(e) => patch({ newName: e.target.value })}
                      sx={{ minWidth: 280 }}
                      slotProps={{ htmlInput: { 'data-testid': 'import-name' } }}
                    />
                  ) : (
                    <TextField
                      select
                      label="Dataset"
                      size="small"
                      value={form.datasetId}
                      onChange={(e) => patch({ datasetId: e.target.value })}
                      sx={{ minWidth: 280 }}
                    >
                      {datasets.map((d) => (
                        <MenuItem key={d.id} value={d.id}>
                          {d.name}
                        </MenuItem>
                      ))}
                    </TextField>
                  )}
                  <TextField
                    label="Message (what changed, where it came from)"
                    size="small"
                    fullWidth
                    value={form.message}
                    onChange={(e) => patch({ message: e.target.value })}
                    slotProps={{ htmlInput: { 'data-testid': 'import-message' } }}
                  />
                </Stack>
              </Stack>
            </>
          )}
        </Stack>
      </DialogContent>
      {/* Outside the scrolling content, so progress and errors are in view whatever the scroll position. */}
      <Stack spacing={1} sx={{ px: 3, pt: 1, maxHeight: '40vh', overflow: 'auto' }}>
        {busy && progress && (
          <Box data-testid="import-progress">
            <LinearProgress
              variant={progress.phase === 'writing' || progress.bytesTotal === 0 ? 'indeterminate' : 'determinate'}
              value={progress.bytesTotal === 0 ? 0 : (100 * progress.bytesRead) / progress.bytesTotal}
            />
            <Typography variant="caption" color="text.secondary">
              {progress.phase === 'writing'
                ? `Saving ${progress.rowsRead.toLocaleString()} rows…`
                : `Read ${progress.rowsRead.toLocaleString()} rows (${progress.file})…`}
            </Typography>
          </Box>
        )}
        {problem && (
          <Typography variant="body2" color="warning.main" data-testid="import-form-problem">
            {problem}
          </Typography>
        )}
        <ImportErrorPanel error={error} testId="import-error" />
      </Stack>
      <DialogActions>
        {busy && inspection ? (
          <Button onClick={cancel} data-testid="import-cancel">
            Cancel import
          </Button>
        ) : (
          <Button onClick={onClose} data-testid="import-close">
            Close
          </Button>
        )}
        {inspection && (
          <Button
            disabled={busy}
            onClick={() => {
              setInspection(null);
              clear();
            }}
          >
            Back
          </Button>
        )}
        {inspection ? (
          <Button
            variant="contained"
            disabled={busy || problem !== null}
            onClick={() => void start()}
            data-testid="import-submit"
          >
            Import
          </Button>
        ) : (
          <Button
            variant="contained"
            disabled={busy || form.files.every((f) => f.path.trim() === '')}
            onClick={() => void inspect(undefined)}
            data-testid="import-next"
          >
            Next: fields
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

/** "line 4 has broken quoting", or for a problem of the whole file (line 0) "the file is a JSON array ...". */
function problemText(p: { line: number; unit?: 'line' | 'row'; reason: string }): string {
  return p.line > 0 ? `${p.unit ?? 'line'} ${p.line} ${p.reason}` : `the file ${p.reason}`;
}

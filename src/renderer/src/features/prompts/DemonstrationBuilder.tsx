// "New demonstration set" (or a new version of one): choose a dataset version, browse its training split a page at
// a time, tick rows (up to 64), put them in order, choose how each input gets its examples from them (all, seeded
// random k, most similar k), name the set and save it as an immutable version.
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import CloseIcon from '@mui/icons-material/Close';
import {
  Box,
  Button,
  Checkbox,
  CircularProgress,
  IconButton,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Paper,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import type { DatasetRoles, DemonstrationSelection, DemonstrationSetVersion } from '../../../../shared/contract';
import { useApi, useLoad, type Api } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { formErrors } from '../../components/error-text';
import { DatasetVersionSelect } from './DatasetVersionSelect';
import { MAX_DEMONSTRATIONS, movePick, pickOf, togglePick, type PickedRow } from './picks';
import { SelectionField } from './SelectionField';
import { useDatasetVersion, type DatasetOption } from './usePromptsData';
import { useSubmit } from '../../components/useSubmit';

const PAGE = 10;
/** Rows read per call when finding the rows of an existing set, and how many calls at most. */
const SCAN_PAGE = 1000;
const SCAN_PAGES = 50;

export interface DemonstrationBuilderProps {
  readonly options: readonly DatasetOption[];
  /** A set to add a version to (its rows start picked), or null for a new set. */
  readonly base: DemonstrationSetVersion | null;
  readonly onSaved: (saved: DemonstrationSetVersion) => void;
  readonly onCancel: () => void;
}

export function DemonstrationBuilder({ options, base, onSaved, onCancel }: DemonstrationBuilderProps) {
  const api = useApi();
  const [versionId, setVersionId] = useState<string | null>(base?.datasetVersionId ?? options[0]?.versionId ?? null);
  const [offset, setOffset] = useState(0);
  const [picks, setPicks] = useState<readonly PickedRow[]>([]);
  const [name, setName] = useState('');
  const [message, setMessage] = useState('');
  const [selection, setSelection] = useState<DemonstrationSelection>(base?.selection ?? { kind: 'fixed' });
  const { busy, error, submit, fail } = useSubmit();
  const dataset = useDatasetVersion(versionId);
  const roles = dataset.data?.roles;
  const page = useLoad(
    (a) =>
      versionId === null ? Promise.resolve(null) : a.datasets.rows({ versionId, split: 'train', offset, limit: PAGE }),
    [versionId, offset],
  );
  const errors = formErrors(error, 'templates.saveDemonstrations', ['name', 'message'] as const);
  const nameError = errors.byField.name;

  // A new version starts from the set's rows, found in the training split.
  useEffect(() => {
    if (!base || !roles) return;
    let current = true;
    void findRows(api, base.datasetVersionId, base.rowKeys, roles).then(
      (found) => current && setPicks(found),
      (e: unknown) => current && fail(e),
    );
    return () => {
      current = false;
    };
  }, [api, base, roles]);

  const chooseVersion = (id: string) => {
    setVersionId(id);
    setOffset(0);
    setPicks([]);
  };

  const save = () => {
    if (versionId === null) return;
    void submit(async () =>
      onSaved(
        await api.templates.saveDemonstrations({
          ...(base ? { setId: base.setId } : { name }),
          datasetVersionId: versionId,
          rowKeys: picks.map((p) => p.key),
          selection,
          message,
        }),
      ),
    );
  };

  const total = page.data?.total ?? 0;
  const full = picks.length >= MAX_DEMONSTRATIONS;
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="demo-builder">
      <Typography variant="h6" component="h2" sx={{ mb: 2 }}>
        {base ? `New version of ${base.name}` : 'New demonstration set'}
      </Typography>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', mb: 2 }}>
        {!base && (
          <TextField
            label="Name"
            size="small"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={nameError !== undefined}
            helperText={nameError ?? ' '}
            slotProps={{ htmlInput: { 'data-testid': 'demo-name' } }}
          />
        )}
        <DatasetVersionSelect
          options={options}
          value={versionId}
          onChange={chooseVersion}
          label="Dataset"
          testId="demo-dataset"
          disabled={base !== null}
        />
      </Stack>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <Box sx={{ flex: '3 1 420px', minWidth: 0 }}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
            <Typography variant="subtitle2" sx={{ flex: 1 }} data-testid="demo-rows-range">
              Training rows {total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, total)} of{' '}
              {total.toLocaleString('en-US')}
            </Typography>
            <Button
              size="small"
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
              disabled={offset === 0}
              data-testid="demo-rows-prev"
            >
              Previous
            </Button>
            <Button
              size="small"
              onClick={() => setOffset(offset + PAGE)}
              disabled={offset + PAGE >= total}
              data-testid="demo-rows-next"
            >
              Next
            </Button>
          </Stack>
          <ErrorAlert error={page.error ?? dataset.error} testId="demo-rows-error" />
          {page.data === undefined || !roles ? (
            versionId !== null && page.error === undefined && <CircularProgress size={24} aria-label="Loading rows" />
          ) : (
            <List dense disablePadding data-testid="demo-rows" aria-label="Training rows">
              {(page.data?.rows ?? []).map((row) => {
                const pick = pickOf(row, roles);
                const picked = picks.some((p) => p.key === row.key);
                return (
                  <ListItem key={row.key} disablePadding data-testid="demo-row" data-row-key={row.key}>
                    <ListItemIcon sx={{ minWidth: 40 }}>
                      <Checkbox
                        checked={picked}
                        disabled={!picked && full}
                        onChange={() => setPicks(togglePick(picks, pick))}
                        slotProps={{ input: { 'aria-label': `Use row ${row.idx + 1} as an example` } }}
                      />
                    </ListItemIcon>
                    <ListItemText
                      primary={pick.input}
                      secondary={pick.reference}
                      slotProps={{ primary: { noWrap: true }, secondary: { noWrap: true } }}
                    />
                  </ListItem>
                );
              })}
            </List>
          )}
        </Box>
        <Box sx={{ flex: '2 1 300px', minWidth: 0 }}>
          <Typography variant="subtitle2" sx={{ mb: 1 }} data-testid="demo-picked-count">
            {picks.length} of at most {MAX_DEMONSTRATIONS} examples, in the order the template shows them
          </Typography>
          <List dense disablePadding data-testid="demo-picks" aria-label="Chosen examples">
            {picks.map((p, i) => (
              <ListItem
                key={p.key}
                data-testid="demo-pick"
                data-row-key={p.key}
                secondaryAction={
                  <>
                    <IconButton
                      size="small"
                      aria-label="Move up"
                      disabled={i === 0}
                      onClick={() => setPicks(movePick(picks, i, -1))}
                    >
                      <ArrowUpwardIcon fontSize="small" />
                    </IconButton>
                    <IconButton
                      size="small"
                      aria-label="Move down"
                      disabled={i === picks.length - 1}
                      onClick={() => setPicks(movePick(picks, i, 1))}
                    >
                      <ArrowDownwardIcon fontSize="small" />
                    </IconButton>
                    <IconButton
                      size="small"
                      aria-label="Remove"
                      onClick={() => setPicks(picks.filter((x) => x.key !== p.key))}
                    >
                      <CloseIcon fontSize="small" />
                    </IconButton>
                  </>
                }
                sx={{ pr: 14 }}
              >
                <ListItemText
                  primary={`${i + 1}. ${p.input || p.key}`}
                  secondary={p.reference}
                  slotProps={{ primary: { noWrap: true }, secondary: { noWrap: true } }}
                />
              </ListItem>
            ))}
          </List>
        </Box>
      </Stack>
      <Box sx={{ mt: 2 }}>
        <SelectionField value={selection} onChange={setSelection} max={picks.length} />
      </Box>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start', mt: 2 }}>
        <TextField
          label="Version message"
          size="small"
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          sx={{ flex: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'demo-message', maxLength: 500 } }}
        />
        <Button
          variant="contained"
          onClick={() => void save()}
          disabled={busy || picks.length === 0 || versionId === null}
          data-testid="demo-save"
        >
          Save set
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </Stack>
      <Box sx={{ mt: errors.rest === undefined ? 0 : 2 }}>
        <ErrorAlert error={errors.rest} testId="demo-save-error" />
      </Box>
    </Paper>
  );
}

/** The rows with these keys in the training split, in the keys' order; a key not found stays, shown by its key. */
async function findRows(
  api: Api,
  versionId: string,
  keys: readonly string[],
  roles: DatasetRoles,
): Promise<PickedRow[]> {
  const found = new Map<string, PickedRow>();
  const wanted = new Set(keys);
  for (let i = 0, total = Infinity; i < SCAN_PAGES && i * SCAN_PAGE < total && found.size < wanted.size; i++) {
    const page = await api.datasets.rows({ versionId, split: 'train', offset: i * SCAN_PAGE, limit: SCAN_PAGE });
    total = page.total;
    for (const row of page.rows) if (wanted.has(row.key)) found.set(row.key, pickOf(row, roles));
  }
  return keys.map((key) => found.get(key) ?? { key, idx: -1, input: '', reference: '' });
}

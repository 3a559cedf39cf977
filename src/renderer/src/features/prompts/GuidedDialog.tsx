// Guided mode: a form for people who never write a template (a starting point from the library, instruction, output
// format, rules, examples on or off) with the template it makes shown live. Labels come from the preview dataset's
// rows. "Open in the editor" replaces the draft's text with it (asking first when that would lose text), to be saved
// as a version like any other.
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  MenuItem,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLoad } from '../../api';
import { composeTemplate, STARTERS, type GuidedDataset, type GuidedSpec, type OutputFormat } from './guided';
import { labelValues, replacesText, withLabels } from './guided-labels';
import { TextBlock } from './TextBlock';

/** Rows read for the label values (one page of the training split). */
const LABEL_ROWS = 1000;

export interface GuidedSource extends GuidedDataset {
  /** The preview dataset version whose label values are offered (null: none chosen). */
  readonly versionId: string | null;
  readonly name: string | null;
  readonly label: string | null;
}

type FormatKind = OutputFormat['kind'];

const splitList = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function GuidedDialog({
  dataset,
  current,
  onOpen,
  onClose,
}: {
  dataset: GuidedSource;
  current: string;
  onOpen: (source: string) => void;
  onClose: () => void;
}) {
  const first = STARTERS[0]!.spec;
  const [instruction, setInstruction] = useState(first.instruction);
  const [formatKind, setFormatKind] = useState<FormatKind>('label');
  const [list, setList] = useState(first.format.kind === 'label' ? first.format.labels.join(', ') : '');
  const [rules, setRules] = useState(first.constraints.join('\n'));
  const [examples, setExamples] = useState(true);
  const [confirming, setConfirming] = useState(false);

  const { versionId, label, reference } = dataset;
  const rows = useLoad(
    (a) =>
      versionId === null
        ? Promise.resolve(null)
        : a.datasets.rows({ versionId, split: 'train', offset: 0, limit: LABEL_ROWS }),
    [versionId],
  );
  const labels = useMemo(
    () =>
      rows.data
        ? labelValues(
            rows.data.rows.map((r) => r.data),
            { label, reference },
          )
        : null,
    [rows.data, label, reference],
  );
  // The dataset's labels replace the example ones once they arrive, unless the list was edited meanwhile.
  const listEdited = useRef(false);
  useEffect(() => {
    if (labels !== null && !listEdited.current) setList(labels.values.join(', '));
  }, [labels]);

  const start = (starter: GuidedSpec) => {
    const spec = withLabels(starter, labels);
    listEdited.current = false;
    setInstruction(spec.instruction);
    setFormatKind(spec.format.kind);
    setList(
      spec.format.kind === 'label'
        ? spec.format.labels.join(', ')
        : spec.format.kind === 'json'
          ? spec.format.fields.join(', ')
          : '',
    );
    setRules(spec.constraints.join('\n'));
    setExamples(spec.examples);
  };
  const format: OutputFormat =
    formatKind === 'free'
      ? { kind: 'free' }
      : formatKind === 'label'
        ? { kind: 'label', labels: splitList(list) }
        : { kind: 'json', fields: splitList(list) };
  const source = useMemo(
    () => composeTemplate({ instruction, format, constraints: rules.split('\n'), examples }, dataset),
    [instruction, format, rules, examples, dataset],
  );
  const listMissing = formatKind !== 'free' && splitList(list).length === 0;

  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth data-testid="guided-dialog">
      <DialogTitle>Guided template</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <Box>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              Start from:
            </Typography>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
              {STARTERS.map((s) => (
                <Chip
                  key={s.id}
                  label={s.title}
                  title={s.description}
                  onClick={() => start(s.spec)}
                  data-testid={`guided-starter-${s.id}`}
                />
              ))}
            </Stack>
          </Box>
          <TextField
            label="Instruction"
            size="small"
            multiline
            minRows={2}
            value={instruction}
            onChange={(e) => setInstruction(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'guided-instruction' } }}
          />
          <Stack direction="row" spacing={2}>
            <TextField
              select
              size="small"
              label="Output"
              value={formatKind}
              onChange={(e) => setFormatKind(e.target.value as FormatKind)}
              sx={{ minWidth: 200 }}
            >
              <MenuItem value="free">Free text</MenuItem>
              <MenuItem value="label">A label from a list</MenuItem>
              <MenuItem value="json">JSON with fields</MenuItem>
            </TextField>
            {formatKind !== 'free' && (
              <TextField
                size="small"
                sx={{ flex: 1 }}
                label={formatKind === 'label' ? 'Labels (comma-separated)' : 'JSON fields (comma-separated)'}
                value={list}
                error={listMissing}
                helperText={
                  listMissing
                    ? 'Give at least one.'
                    : formatKind === 'label' && labels !== null
                      ? `The values of ${dataset.name ?? 'the dataset'}'s field ${labels.field} (first ${LABEL_ROWS.toLocaleString('en-US')} training rows).`
                      : undefined
                }
                onChange={(e) => {
                  listEdited.current = true;
                  setList(e.target.value);
                }}
                slotProps={{ htmlInput: { 'data-testid': 'guided-list' } }}
              />
            )}
          </Stack>
          <TextField
            label="Rules (one a line)"
            size="small"
            multiline
            minRows={2}
            value={rules}
            onChange={(e) => setRules(e.target.value)}
          />
          <FormControlLabel
            control={<Switch checked={examples} onChange={(e) => setExamples(e.target.checked)} />}
            label="Show the demonstration set's examples before the input"
          />
          <TextBlock label="The template it makes" text={source} testId="guided-source" maxHeight={240} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={listMissing || instruction.trim() === ''}
          onClick={() => (replacesText(current, source) ? setConfirming(true) : onOpen(source))}
          data-testid="guided-open"
        >
          Open in the editor
        </Button>
      </DialogActions>
      {confirming && (
        <Dialog open onClose={() => setConfirming(false)} data-testid="guided-confirm">
          <DialogTitle>Replace the editor's text?</DialogTitle>
          <DialogContent>
            <DialogContentText>
              The editor holds a template that the guided one replaces. Text not saved as a version is lost.
            </DialogContentText>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setConfirming(false)} data-testid="guided-keep">
              Keep my text
            </Button>
            <Button variant="contained" color="warning" onClick={() => onOpen(source)} data-testid="guided-replace">
              Replace
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Dialog>
  );
}

// Guided mode: a form for people who never write a template (a starting point from the library, instruction, output
// format, rules, examples on or off) with the template it makes shown live; "Open in the editor" replaces the
// draft's text with it, to be saved as a version like any other.
import { Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, MenuItem, Stack, Switch, TextField, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import { composeTemplate, STARTERS, type GuidedDataset, type GuidedSpec, type OutputFormat } from './guided';
import { TextBlock } from './TextBlock';

type FormatKind = OutputFormat['kind'];

const splitList = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

export function GuidedDialog({ dataset, onOpen, onClose }: { dataset: GuidedDataset; onOpen: (source: string) => void; onClose: () => void }) {
  const [instruction, setInstruction] = useState(STARTERS[0]!.spec.instruction);
  const [formatKind, setFormatKind] = useState<FormatKind>('label');
  const [list, setList] = useState('billing, bug, account, other');
  const [rules, setRules] = useState(STARTERS[0]!.spec.constraints.join('\n'));
  const [examples, setExamples] = useState(true);

  const start = (spec: GuidedSpec) => {
    setInstruction(spec.instruction);
    setFormatKind(spec.format.kind);
    setList(spec.format.kind === 'label' ? spec.format.labels.join(', ') : spec.format.kind === 'json' ? spec.format.fields.join(', ') : '');
    setRules(spec.constraints.join('\n'));
    setExamples(spec.examples);
  };
  const format: OutputFormat = formatKind === 'free' ? { kind: 'free' } : formatKind === 'label' ? { kind: 'label', labels: splitList(list) } : { kind: 'json', fields: splitList(list) };
  const source = useMemo(() => composeTemplate({ instruction, format, constraints: rules.split('\n'), examples }, dataset), [instruction, format, rules, examples, dataset]);
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
                <Chip key={s.id} label={s.title} title={s.description} onClick={() => start(s.spec)} data-testid={`guided-starter-${s.id}`} />
              ))}
            </Stack>
          </Box>
          <TextField label="Instruction" size="small" multiline minRows={2} value={instruction} onChange={(e) => setInstruction(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'guided-instruction' } }} />
          <Stack direction="row" spacing={2}>
            <TextField select size="small" label="Output" value={formatKind} onChange={(e) => setFormatKind(e.target.value as FormatKind)} sx={{ minWidth: 200 }}>
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
                helperText={listMissing ? 'Give at least one.' : undefined}
                onChange={(e) => setList(e.target.value)}
                slotProps={{ htmlInput: { 'data-testid': 'guided-list' } }}
              />
            )}
          </Stack>
          <TextField label="Rules (one a line)" size="small" multiline minRows={2} value={rules} onChange={(e) => setRules(e.target.value)} />
          <FormControlLabel control={<Switch checked={examples} onChange={(e) => setExamples(e.target.checked)} />} label="Show the demonstration set's examples before the input" />
          <TextBlock label="The template it makes" text={source} testId="guided-source" maxHeight={240} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={listMissing || instruction.trim() === ''} onClick={() => onOpen(source)} data-testid="guided-open">
          Open in the editor
        </Button>
      </DialogActions>
    </Dialog>
  );
}

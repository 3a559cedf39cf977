// The field-mapping step: one row per detected column with keep, the stored name, the inferred type, the role, and
// the first sample values so the user sees what each column holds.
import {
  Checkbox,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import type { FieldRole, FileInspection } from '../../../../shared/contract';
import type { MappingEntry } from './import-form';

const ROLES: readonly { value: FieldRole; label: string }[] = [
  { value: 'input', label: 'Input' },
  { value: 'reference', label: 'Reference (expected output)' },
  { value: 'key', label: 'Key (row identity)' },
  { value: 'label', label: 'Label (class)' },
  { value: 'none', label: 'Data only' },
];

export interface MappingTableProps {
  mapping: MappingEntry[];
  sample: FileInspection['sample'];
  onChange: (mapping: MappingEntry[]) => void;
}

export function MappingTable({ mapping, sample, onChange }: MappingTableProps) {
  const update = (index: number, patch: Partial<MappingEntry>) =>
    onChange(mapping.map((m, i) => (i === index ? { ...m, ...patch } : m)));
  return (
    <Table size="small" data-testid="mapping-table" aria-label="Field mapping">
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox">Keep</TableCell>
          <TableCell>Column</TableCell>
          <TableCell>Name</TableCell>
          <TableCell>Type</TableCell>
          <TableCell>Role</TableCell>
          <TableCell>First values</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {mapping.map((m, i) => (
          <TableRow key={m.source} data-testid={`mapping-row-${m.source}`}>
            <TableCell padding="checkbox">
              <Checkbox
                checked={m.keep}
                onChange={(e) => update(i, { keep: e.target.checked })}
                slotProps={{
                  input: { 'aria-label': `Keep ${m.source}`, ...{ 'data-testid': `mapping-keep-${m.source}` } },
                }}
              />
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{m.source}</TableCell>
            <TableCell>
              <TextField
                size="small"
                value={m.name}
                disabled={!m.keep}
                onChange={(e) => update(i, { name: e.target.value })}
                slotProps={{
                  htmlInput: { 'aria-label': `Name of ${m.source}`, 'data-testid': `mapping-name-${m.source}` },
                }}
              />
            </TableCell>
            <TableCell>{m.type}</TableCell>
            <TableCell>
              <TextField
                select
                size="small"
                value={m.role}
                disabled={!m.keep}
                onChange={(e) => update(i, { role: e.target.value as FieldRole })}
                sx={{ minWidth: 200 }}
                slotProps={{
                  htmlInput: { 'aria-label': `Role of ${m.source}` },
                  select: { SelectDisplayProps: { 'data-testid': `mapping-role-${m.source}` } as object },
                }}
              >
                {ROLES.map((r) => (
                  <MenuItem key={r.value} value={r.value} data-testid={`role-option-${r.value}`}>
                    {r.label}
                  </MenuItem>
                ))}
              </TextField>
            </TableCell>
            <TableCell sx={{ maxWidth: 260 }}>
              <Typography variant="body2" color="text.secondary" noWrap title={preview(sample, m.source)}>
                {preview(sample, m.source)}
              </Typography>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function preview(sample: FileInspection['sample'], column: string): string {
  return (
    sample
      .slice(0, 3)
      // own only: a "constructor" column may be absent
      .map((s) => (Object.hasOwn(s.data, column) ? s.data[column] : null))
      .map((v) => (typeof v === 'string' ? v : JSON.stringify(v ?? null)))
      .join(' · ')
  );
}

// "New release": freezes a specialization under a name and the next semantic version, with its evidence.
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import type { Release } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { EvidencePicker, type EvidenceChoice } from './EvidencePicker';
import { nextVersion } from './format';

export function NewReleaseDialog({
  releases,
  onClose,
  onCreated,
}: {
  releases: readonly Release[];
  onClose(): void;
  onCreated(r: Release): void;
}) {
  const api = useApi();
  const specializations = useLoad((a) => a.specializations.list({}), []);
  const [specializationId, setSpecializationId] = useState('');
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [notes, setNotes] = useState('');
  const [evidence, setEvidence] = useState<EvidenceChoice>({ experimentIds: [], roundIds: [] });
  const own = (specializations.data ?? []).filter((s) => s.derivedFrom === null);
  const pick = (id: string) => {
    setSpecializationId(id);
    setEvidence({ experimentIds: [], roundIds: [] });
    const spec = own.find((s) => s.id === id);
    if (spec && name.trim() === '') {
      const suggested = spec.name.replace(/[^A-Za-z0-9 ._-]/g, '').trim() || 'release';
      setName(suggested);
      setVersion(nextVersion(releases, suggested));
    }
  };
  const create = useSubmit(async () => {
    onCreated(
      await api.releases.create({
        specializationId,
        name: name.trim(),
        version: version.trim() || nextVersion(releases, name.trim()),
        notes,
        ...evidence,
      }),
    );
  });
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="release-dialog">
      <DialogTitle>New release</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            select
            label="Specialization"
            value={specializationId}
            onChange={(e) => pick(e.target.value)}
            slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'release-spec' } as object } }}
            helperText="Its model, adapters, template, demonstrations and decoding are frozen with their content hashes."
          >
            {own.map((s) => (
              <MenuItem key={s.id} value={s.id} data-testid="release-spec-option" data-name={s.name} data-id={s.id}>
                {s.name}
              </MenuItem>
            ))}
          </TextField>
          <Stack direction="row" spacing={1}>
            <TextField
              label="Name"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setVersion(nextVersion(releases, e.target.value.trim()));
              }}
              sx={{ flex: 2 }}
              slotProps={{ htmlInput: { 'data-testid': 'release-name' } }}
            />
            <TextField
              label="Version"
              value={version}
              onChange={(e) => setVersion(e.target.value)}
              placeholder="1.0.0"
              sx={{ flex: 1 }}
              helperText="major.minor.patch"
              slotProps={{ htmlInput: { 'data-testid': 'release-version' } }}
            />
          </Stack>
          <TextField
            label="Notes"
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            multiline
            minRows={2}
            slotProps={{ htmlInput: { 'data-testid': 'release-notes' } }}
          />
          {specializationId !== '' && (
            <EvidencePicker specializationId={specializationId} value={evidence} onChange={setEvidence} />
          )}
          <ErrorAlert error={create.error} testId="release-error" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={create.busy || specializationId === '' || name.trim() === ''}
          onClick={() => void create.submit()}
          data-testid="release-create"
        >
          Create release
        </Button>
      </DialogActions>
    </Dialog>
  );
}

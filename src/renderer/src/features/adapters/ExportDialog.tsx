// Export an adapter as a PEFT folder (or a .zip when the name ends in .zip): adapter_config.json naming the base
// model, the weights, a README.md model card and the lineage. Shows where it went, or why it could not.
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useState } from 'react';
import type { AdapterExport } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { exportFolderFor, ExportFolderField } from './ExportFolderField';

export function ExportDialog({ adapterId, name, onClose }: { adapterId: string; name: string; onClose: () => void }) {
  const api = useApi();
  const [to, setTo] = useState(exportFolderFor(name));
  const [done, setDone] = useState<AdapterExport | null>(null);
  const run = useSubmit(async () => setDone(await api.adapters.export({ id: adapterId, to })));
  const { busy, error, submit } = run;
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="export-dialog">
      <DialogTitle>Export {name}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          A PEFT adapter folder that AutoPeftModelForCausalLM and vLLM load, with a model card. End the name in .zip for
          one file.
        </DialogContentText>
        <ExportFolderField
          label="New folder or .zip file"
          value={to}
          onChange={setTo}
          disabled={busy || done !== null}
          submit={run}
          testId="export-to"
        />
        {done && (
          <Alert severity="success" sx={{ mt: 2 }} data-testid="export-done" data-path={done.path}>
            Exported to {done.path} ({done.files.join(', ')}). Its base model: {done.baseModelNameOrPath}
          </Alert>
        )}
        <ErrorAlert error={error} testId="export-error" />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        {done === null && (
          <Button
            variant="contained"
            disabled={busy || !to.trim()}
            onClick={() => void submit()}
            data-testid="export-submit"
          >
            Export
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

// The "Add the bundled demo model" shortcut: models that ship with Dovetail (resources/models) and are not yet
// registered in this workspace, each added in one click.
import { Box, Button, Paper, Stack, Typography } from '@mui/material';
import type { BundledModel, ModelRecord } from '../../../../shared/contract';
import { useApi } from '../../api';
import { HashProgress } from './HashProgress';
import { ModelErrorAlert } from './ModelErrorAlert';
import { useSubmit } from '../../components/useSubmit';

export function BundledModels({
  bundled,
  onAdded,
}: {
  bundled: readonly BundledModel[];
  onAdded: (model: ModelRecord) => void;
}) {
  const missing = bundled.filter((b) => b.modelId === null);
  if (missing.length === 0) return null;
  return (
    <Stack spacing={1.5} data-testid="bundled-models">
      {missing.map((b) => (
        <BundledModelCard key={b.folder} model={b} onAdded={onAdded} />
      ))}
    </Stack>
  );
}

function BundledModelCard({ model, onAdded }: { model: BundledModel; onAdded: (model: ModelRecord) => void }) {
  const api = useApi();
  const { busy, error, submit } = useSubmit();

  const add = () =>
    submit(async () => {
      onAdded(await api.models.add({ folder: model.folder }));
    });

  return (
    <Paper variant="outlined" sx={{ p: 2, textAlign: 'left' }} data-testid="bundled-model">
      <Typography variant="subtitle1" component="h2">
        Demo model: {model.name}
      </Typography>
      {model.description && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
          {model.description}
        </Typography>
      )}
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mt: 1.5 }}>
        <Button variant="contained" onClick={() => void add()} disabled={busy} data-testid="add-demo-model">
          Add the bundled demo model
        </Button>
        {busy && <HashProgress folder={model.folder} />}
      </Stack>
      <Box sx={{ mt: error === undefined ? 0 : 1.5 }}>
        <ModelErrorAlert error={error} testId="demo-model-error" />
      </Box>
    </Paper>
  );
}

// "Export as OpenAI chat JSONL" on a dataset version: the rows as fine-tuning conversations (system and history
// fields when the version has them, the inputs as the user message, the reference as the answer), downloaded.
import { Alert, Button, Stack, Tooltip } from '@mui/material';
import { useState } from 'react';
import type { DatasetVersion } from '../../../../shared/contract';
import { useApi } from '../../api';
import { downloadText } from '../../components/download';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

export function ExportChatButton({ version }: { version: DatasetVersion }) {
  const api = useApi();
  const { busy, error, submit } = useSubmit();
  const [warnings, setWarnings] = useState<string[]>([]);
  const noReference = version.roles.reference === null;
  const exportChat = () =>
    submit(async () => {
      const file = await api.datasets.exportChat({ versionId: version.id });
      setWarnings(file.warnings);
      downloadText(file.fileName, file.text, 'application/x-ndjson');
    });
  return (
    <Stack spacing={1}>
      <Tooltip title={noReference ? 'The version needs a reference field: it becomes the assistant message.' : ''}>
        <span>
          <Button disabled={busy || noReference} onClick={() => void exportChat()} data-testid="dataset-export-chat">
            Export as OpenAI chat JSONL
          </Button>
        </span>
      </Tooltip>
      {warnings.map((w) => (
        <Alert key={w} severity="warning">
          {w}
        </Alert>
      ))}
      <ErrorAlert error={error} />
    </Stack>
  );
}

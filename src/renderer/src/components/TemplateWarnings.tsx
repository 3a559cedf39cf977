// Names a template reads that the row does not set: they render as empty text, which is easy to miss in a prompt,
// so the preview, the checks and the training wizard list them (the render itself goes on).
import { Alert } from '@mui/material';

export function TemplateWarnings({ warnings, testId }: { warnings: readonly string[] | undefined; testId: string }) {
  if (!warnings || warnings.length === 0) return null;
  return (
    <Alert severity="warning" data-testid={testId}>
      {warnings.map((w) => (
        <div key={w}>{w}</div>
      ))}
    </Alert>
  );
}

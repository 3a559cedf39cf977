// Shows errors that have no better place (no form field, no inline slot) in a snackbar, including unhandled
// promise rejections, so nothing fails silently. Cancellations are not failures and are not shown.
import { Alert, AlertTitle, Snackbar } from '@mui/material';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { describeError, isCancelled, type ErrorText } from './error-text';

type Report = (error: unknown) => void;

const ReportContext = createContext<Report>(() => undefined);

export function useReportError(): Report {
  return useContext(ReportContext);
}

export function ErrorReporter({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState<(ErrorText & { key: number }) | null>(null);
  const report = useCallback<Report>((error) => {
    if (isCancelled(error)) return;
    if (describeError(error).isBug) console.error(error);
    setShown({ ...describeError(error), key: Date.now() });
  }, []);

  useEffect(() => {
    const onRejection = (event: PromiseRejectionEvent) => report(event.reason);
    window.addEventListener('unhandledrejection', onRejection);
    return () => window.removeEventListener('unhandledrejection', onRejection);
  }, [report]);

  const close = () => setShown(null);
  return (
    <ReportContext.Provider value={report}>
      {children}
      <Snackbar
        key={shown?.key}
        open={shown !== null}
        onClose={close}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert severity="error" variant="filled" onClose={close} data-testid="error-snackbar" sx={{ maxWidth: 640 }}>
          <AlertTitle>{shown?.title}</AlertTitle>
          {shown?.detail}
        </Alert>
      </Snackbar>
    </ReportContext.Provider>
  );
}

/** An inline error block for a panel or form: same wording as the snackbar. */
export function ErrorAlert({ error, testId }: { error: unknown; testId?: string }) {
  if (error === undefined || error === null || isCancelled(error)) return null;
  const text = describeError(error);
  return (
    <Alert severity="error" data-testid={testId ?? 'error-inline'}>
      <AlertTitle>{text.title}</AlertTitle>
      {text.detail}
    </Alert>
  );
}

// A form's or button's action: busy while it runs, the error it ended with (raw, and as shown under a field), none
// after a success.
import { useState } from 'react';
import { describeError, type ErrorText } from './error-text';

export interface Submit {
  readonly busy: boolean;
  readonly error: unknown;
  readonly text: ErrorText | undefined;
  submit(): Promise<void>;
  clear(): void;
}

export function useSubmit(run: () => Promise<void>): Submit {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await run();
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, text: error === undefined ? undefined : describeError(error), submit, clear: () => setError(undefined) };
}

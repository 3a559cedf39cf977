// A form's or button's action: busy while it runs, the error it ended with (raw, and as shown under a field), none
// after a success. One at a time: a second submit while one runs is ignored (a double click saves once).
import { useCallback, useRef, useState } from 'react';
import { describeError, type ErrorText } from './error-text';

export interface Submit {
  readonly busy: boolean;
  readonly error: unknown;
  readonly text: ErrorText | undefined;
  /**
   * Runs the hook's action, or `action` when given: true when it succeeded, false when it failed or one was running.
   */
  submit(action?: () => Promise<unknown>): Promise<boolean>;
  clear(): void;
  /** Shows an error that arose outside the action (e.g. a folder picker's). */
  fail(error: unknown): void;
}

export function useSubmit(run?: () => Promise<unknown>): Submit {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const runRef = useRef(run);
  runRef.current = run;
  const submit = useCallback(async (action?: () => Promise<unknown>) => {
    const task = action ?? runRef.current;
    if (running.current || !task) return false;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      await task();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(undefined), []);
  return { busy, error, text: error === undefined ? undefined : describeError(error), submit, clear, fail: setError };
}

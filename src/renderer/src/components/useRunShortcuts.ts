// The run/cancel keys of every screen that runs something: Ctrl/Cmd+Enter runs (or submits a dialog), Esc cancels a
// run in progress. 'window' listens wherever the focus is while the screen is shown (Run takes the focus away when
// it disables itself); 'element' gives an onKeyDown for one panel or dialog.
import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';

export interface RunActions {
  run(): void;
  /** Absent: Esc is left to others (a dialog closes on it). */
  cancel?(): void;
  /** Esc cancels only while a run is in progress. */
  busy?: boolean;
}

type Keys = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** What a key press asks of a screen that runs something (pure). */
export function runShortcut(event: Keys, actions: Pick<RunActions, 'cancel' | 'busy'>): 'run' | 'cancel' | null {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) return 'run';
  if (event.key === 'Escape' && actions.cancel !== undefined && actions.busy === true) return 'cancel';
  return null;
}

export function useRunShortcuts(
  actions: RunActions,
  scope: 'window' | 'element' = 'element',
): (event: ReactKeyboardEvent) => void {
  const current = useRef(actions);
  current.current = actions;
  const handle = useRef((event: Keys & { preventDefault(): void }) => {
    const a = current.current;
    const what = runShortcut(event, a);
    if (what === null) return;
    event.preventDefault();
    if (what === 'run') a.run();
    else a.cancel?.();
  });
  useEffect(() => {
    if (scope !== 'window') return;
    const onKeyDown = (event: KeyboardEvent) => handle.current(event);
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [scope]);
  return handle.current;
}

// App-wide keyboard shortcuts: Ctrl/Cmd+1..9 and 0 (the tenth) jump to sections, Ctrl/Cmd+, opens settings, "?" the
// shortcut help. Listens in the capture phase so editors (Monaco) cannot swallow the section shortcuts.
import { useEffect } from 'react';
import { numberedSections, useSections, type SectionId } from './sections';

export const IS_MAC = /Mac|iPhone|iPad/.test(navigator.userAgent);
export const MOD_KEY_LABEL = IS_MAC ? '⌘' : 'Ctrl';

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof Element &&
    target.closest('input, textarea, select, [contenteditable="true"], .monaco-editor') !== null
  );
}

/** 1-based position named by a Digit/Numpad key regardless of keyboard layout (0 is the tenth), or null. */
function digitOf(event: KeyboardEvent): number | null {
  const match = /^(?:Digit|Numpad)([0-9])$/.exec(event.code) ?? /^([0-9])$/.exec(event.key);
  return match?.[1] ? Number(match[1]) || 10 : null;
}

/** `canNavigate` is false while no workspace is open (there are no sections to jump to). */
export function useShortcuts(options: {
  canNavigate: boolean;
  go: (id: SectionId) => void;
  showHelp: () => void;
  openSettings: () => void;
}): void {
  const { canNavigate, go, showHelp, openSettings } = options;
  const sections = useSections();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const mod = IS_MAC ? event.metaKey : event.ctrlKey;
      if (mod && !event.altKey && !event.shiftKey && event.key === ',') {
        event.preventDefault();
        event.stopPropagation();
        openSettings();
        return;
      }
      if (canNavigate && mod && !event.altKey && !event.shiftKey) {
        const digit = digitOf(event);
        const section = digit === null ? undefined : numberedSections(sections)[digit - 1];
        if (section) {
          event.preventDefault();
          event.stopPropagation();
          go(section.id);
        }
        return;
      }
      if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
        event.preventDefault();
        showHelp();
      }
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [canNavigate, go, showHelp, openSettings, sections]);
}

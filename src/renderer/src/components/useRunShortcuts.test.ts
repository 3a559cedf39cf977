import { describe, expect, it } from 'vitest';
import { runShortcut } from './useRunShortcuts';

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {},
) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('runShortcut', () => {
  it('runs on Ctrl+Enter or Cmd+Enter, not on Enter alone or with other modifiers', () => {
    expect(runShortcut(key('Enter', { ctrlKey: true }), {})).toBe('run');
    expect(runShortcut(key('Enter', { metaKey: true }), {})).toBe('run');
    expect(runShortcut(key('Enter'), {})).toBeNull();
    expect(runShortcut(key('Enter', { ctrlKey: true, shiftKey: true }), {})).toBeNull();
  });

  it('cancels on Esc only while busy and when there is something to cancel', () => {
    const cancel = () => {};
    expect(runShortcut(key('Escape'), { cancel, busy: true })).toBe('cancel');
    expect(runShortcut(key('Escape'), { cancel, busy: false })).toBeNull();
    expect(runShortcut(key('Escape'), { busy: true })).toBeNull();
  });
});

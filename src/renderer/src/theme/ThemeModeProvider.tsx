// Light/dark theme: follows the operating system until the user picks one; the pick is kept in localStorage.
import { CssBaseline, ThemeProvider, createTheme, useMediaQuery } from '@mui/material';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type ThemeMode = 'light' | 'dark';
type Preference = ThemeMode | 'system';

const STORAGE_KEY = 'dovetail.theme';

interface ThemeModeValue {
  readonly mode: ThemeMode;
  readonly preference: Preference;
  toggle(): void;
  follow(preference: Preference): void;
}

const ThemeModeContext = createContext<ThemeModeValue | null>(null);

export function useThemeMode(): ThemeModeValue {
  const value = useContext(ThemeModeContext);
  if (!value) throw new Error('useThemeMode must be used inside <ThemeModeProvider>');
  return value;
}

function readPreference(): Preference {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function ThemeModeProvider({ children }: { children: ReactNode }) {
  const systemDark = useMediaQuery('(prefers-color-scheme: dark)', { noSsr: true });
  const [preference, setPreference] = useState<Preference>(readPreference);
  const mode: ThemeMode = preference === 'system' ? (systemDark ? 'dark' : 'light') : preference;

  const follow = useCallback((next: Preference) => {
    if (next === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, next);
    setPreference(next);
  }, []);
  const toggle = useCallback(() => follow(mode === 'dark' ? 'light' : 'dark'), [follow, mode]);

  const theme = useMemo(
    () =>
      createTheme({
        palette: { mode, primary: { main: mode === 'dark' ? '#7cb5ff' : '#1f5fbf' } },
        typography: { fontFamily: 'Roboto, system-ui, sans-serif' },
      }),
    [mode],
  );
  const value = useMemo(() => ({ mode, preference, toggle, follow }), [mode, preference, toggle, follow]);
  return (
    <ThemeModeContext.Provider value={value}>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        {children}
      </ThemeProvider>
    </ThemeModeContext.Provider>
  );
}

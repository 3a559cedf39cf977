// Facts about this launch (version, desktop or browser, whether a native folder picker exists), loaded once.
// Until they arrive the app shows a short loading screen; if they cannot be loaded it says why.
import { Alert, AlertTitle, Box, CircularProgress } from '@mui/material';
import { createContext, useContext, type ReactNode } from 'react';
import type { AppInfo } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { describeError } from '../../components/error-text';

const AppInfoContext = createContext<AppInfo | null>(null);

export function useAppInfo(): AppInfo {
  const info = useContext(AppInfoContext);
  if (!info) throw new Error('useAppInfo must be used inside <AppInfoProvider>');
  return info;
}

export function AppInfoProvider({ children }: { children: ReactNode }) {
  const info = useLoad((api) => api.app.info({}));
  if (info.data) return <AppInfoContext.Provider value={info.data}>{children}</AppInfoContext.Provider>;
  if (info.error !== undefined) {
    const text = describeError(info.error);
    return (
      <Box sx={{ p: 4, maxWidth: 720 }}>
        <Alert severity="error" data-testid="startup-error">
          <AlertTitle>Dovetail could not start: {text.title}</AlertTitle>
          {text.detail}
          {text.detail ? ' ' : ''}
          If you opened Dovetail in a browser, use the full link it printed when it started (the link includes a
          one-time key).
        </Alert>
      </Box>
    );
  }
  return (
    <Box sx={{ display: 'grid', placeItems: 'center', height: '100vh' }} data-testid="starting">
      <CircularProgress aria-label="Starting Dovetail" />
    </Box>
  );
}

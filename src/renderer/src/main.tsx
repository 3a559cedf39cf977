// Renderer entry: connect to Dovetail's services (IPC or browser mode, decided once in api/) and mount the app; or,
// when opened from a review share link, portal mode: only that round's queue over the reviewer calls.
// Fonts are bundled (@fontsource): the app loads nothing from the network.
import '@fontsource/roboto/300.css';
import '@fontsource/roboto/400.css';
import '@fontsource/roboto/500.css';
import '@fontsource/roboto/700.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectEntry } from './api';
import { App } from './App';
import { PortalApp } from './features/portal/PortalApp';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const entry = connectEntry();
createRoot(root).render(
  <StrictMode>
    {entry.mode === 'portal' ? (
      <PortalApp connection={entry.connection} roundId={entry.roundId} />
    ) : (
      <App connection={entry.connection} />
    )}
  </StrictMode>,
);

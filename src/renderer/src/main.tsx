// Renderer entry: connect to Dovetail's services (IPC or browser mode, decided once here) and mount the app.
// Fonts are bundled (@fontsource): the app loads nothing from the network.
import '@fontsource/roboto/300.css';
import '@fontsource/roboto/400.css';
import '@fontsource/roboto/500.css';
import '@fontsource/roboto/700.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App connection={connectApi()} />
  </StrictMode>,
);

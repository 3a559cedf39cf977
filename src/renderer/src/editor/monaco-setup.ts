// Monaco bundled with the app (no CDN: the app works offline and under a strict CSP). The editor worker is built
// by vite as its own file; @monaco-editor/react is pointed at this copy instead of loading one from the network.
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { registerTemplateLanguage } from './template-language';

// Every language here uses the generic editor worker; no language-service workers are needed yet.
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });
registerTemplateLanguage(monaco);

export { monaco };

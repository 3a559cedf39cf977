// Fails early, with the command to run, when the build the tests drive is missing.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export default function globalSetup(): void {
  const missing = ['out/main/web.js', 'out/renderer/index.html'].filter((file) => !existsSync(resolve(file)));
  if (missing.length > 0) {
    throw new Error(
      `End-to-end tests need a build (${missing.join(', ')} missing): run \`npx electron-vite build\` first.`,
    );
  }
}

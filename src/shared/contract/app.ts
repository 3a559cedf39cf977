// App-level facts and desktop affordances that the renderer needs regardless of transport.
import { z } from 'zod';
import { defineService, method } from './define';

export const AppInfo = z.object({
  name: z.literal('Dovetail'),
  version: z.string(),
  /** Desktop (Electron) or browser mode; screens adapt affordances (e.g. native folder picker), not behaviour. */
  shell: z.enum(['desktop', 'browser']),
  platform: z.string(),
  /** A sensible parent folder for new workspaces (the user's Documents or home). */
  defaultWorkspaceParent: z.string(),
  canPickFolder: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appContract = defineService('app', {
  info: method(z.object({}).strict(), AppInfo),
  /** Opens the native folder picker (desktop only); null when cancelled or unavailable. */
  pickFolder: method(z.object({ title: z.string().max(200).optional() }).strict(), z.string().nullable()),
});

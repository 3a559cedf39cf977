// The whole cross-process contract: one entry per service. Adding a service = one file + one line here.
import { adaptersContract } from './adapters';
import { appContract } from './app';
import { auditContract } from './audit';
import type { BridgeOf } from './bridge';
import type { ApiOf } from './client';
import { datasetsContract } from './datasets';
import { demoContract } from './demo';
import { engineContract } from './engine';
import { generationContract } from './generation';
import { hubContract } from './hub';
import { importsContract } from './imports';
import { modelsContract } from './models';
import { privacyContract } from './privacy';
import { projectsContract } from './projects';
import { experimentsContract } from './experiments';
import { releasesContract } from './releases';
import { reportsContract } from './reports';
import { reviewsContract } from './reviews';
import { robustnessContract } from './robustness';
import { servingContract } from './serving';
import { settingsContract } from './settings';
import { specializationsContract } from './specializations';
import { templatesContract } from './templates';
import { usersContract } from './users';
import { workspaceContract } from './workspace';

export const contract = {
  app: appContract,
  workspace: workspaceContract,
  engine: engineContract,
  models: modelsContract,
  hub: hubContract,
  settings: settingsContract,
  generation: generationContract,
  demo: demoContract,
  adapters: adaptersContract,
  datasets: datasetsContract,
  imports: importsContract,
  privacy: privacyContract,
  templates: templatesContract,
  specializations: specializationsContract,
  experiments: experimentsContract,
  users: usersContract,
  reviews: reviewsContract,
  releases: releasesContract,
  projects: projectsContract,
  robustness: robustnessContract,
  audit: auditContract,
  reports: reportsContract,
  serving: servingContract,
} as const;

export type Contract = typeof contract;
export type Api = ApiOf<Contract>;

export * from './define';
export * from './wire';
export { createClient } from './client';
export * from './bridge';
export * from './app';
export * from './workspace';
export * from './engine';
export * from './models';
export * from './hub';
export * from './settings';
export * from './generation';
export * from '../decoding-settings';
export * from './demo';
export * from './adapters';
export * from './datasets';
export * from './imports';
export * from './privacy';
export * from './templates';
export * from './specializations';
export * from './experiments';
export * from './users';
export * from './reviews';
export * from './releases';
export * from './projects';
export * from './robustness';
export * from './audit';
export * from './reports';
export * from './serving';
export type Bridge = BridgeOf<Contract>;

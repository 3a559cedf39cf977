// The sections of the app, assembled in one place: each feature registers its own (features/<name>/section.tsx);
// the shell reads the list from its context.
import { modelsSection } from '../features/models/section';
import { datasetsSection } from '../features/datasets/section';
import { promptsSection } from '../features/prompts/section';
import { adaptersSection } from '../features/adapters/section';
import { auditSection } from '../features/audit/section';
import { observabilitySection } from '../features/observability/section';
import { playgroundSection } from '../features/playground/section';
import { experimentsSection } from '../features/experiments/section';
import { releasesSection } from '../features/releases/section';
import { reportsSection } from '../features/reports/section';
import { reviewSection } from '../features/review/section';
import { startSection } from '../features/start/section';
import { projectsSection } from '../features/projects/section';
import { assembleSections } from '../features/shell/sections';

export const SECTIONS = assembleSections([
  startSection,
  projectsSection,
  modelsSection,
  datasetsSection,
  promptsSection,
  adaptersSection,
  playgroundSection,
  experimentsSection,
  reviewSection,
  releasesSection,
  reportsSection,
  auditSection,
  observabilitySection,
]);

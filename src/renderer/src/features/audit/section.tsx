// The Audit section as the shell shows it: its place in the navigation, its icon, and what it is for.
import HistoryIcon from '@mui/icons-material/History';
import type { SectionRegistration } from '../shell/sections';
import { AuditSection } from './AuditSection';

export const auditSection: SectionRegistration = {
  id: 'audit',
  order: 90,
  label: 'Audit',
  icon: <HistoryIcon />,
  emptyTitle: 'No changes recorded yet',
  description:
    'Every change in this workspace: who made it, when and why, in a log that shows if anyone has tampered with it.',
  component: AuditSection,
};

// The Review section as the shell shows it: its place in the navigation, its icon, and what it is for.
import RateReviewIcon from '@mui/icons-material/RateReview';
import type { SectionRegistration } from '../shell/sections';
import { ReviewSection } from './ReviewSection';

export const reviewSection: SectionRegistration = {
  id: 'review',
  order: 70,
  label: 'Review',
  icon: <RateReviewIcon />,
  emptyTitle: 'No review rounds yet',
  description:
    'Judge answers blind: see two anonymous answers to the same input, pick the better one or tag what went wrong. ' +
    'Which configuration wrote which answer is revealed only when the round closes.',
  component: ReviewSection,
};

// The placeholder a section shows while it has nothing yet: what the section is for, in the user's terms.
import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';

export interface EmptyStateProps {
  readonly icon: ReactNode;
  readonly title: string;
  readonly description: string;
  readonly testId: string;
  readonly children?: ReactNode;
}

export function EmptyState({ icon, title, description, testId, children }: EmptyStateProps) {
  return (
    <Box data-testid={testId} sx={{ maxWidth: 640, mx: 'auto', mt: 8, px: 3, textAlign: 'center' }}>
      <Box sx={{ color: 'text.secondary', '& svg': { fontSize: 56 } }}>{icon}</Box>
      <Typography variant="h5" component="h1" sx={{ mt: 1 }}>
        {title}
      </Typography>
      <Typography color="text.secondary" sx={{ mt: 1.5 }}>
        {description}
      </Typography>
      {children}
    </Box>
  );
}

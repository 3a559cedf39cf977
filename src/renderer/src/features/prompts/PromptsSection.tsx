// Prompts, for now: what the section will do, and a scratch template editor to try the template syntax.
// Nothing here is saved yet; versioned prompts with review status come with the prompt studio.
import { Box, Chip, CircularProgress, Paper, Stack, Typography } from '@mui/material';
import { lazy, Suspense, useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import type { Section } from '../shell/sections';

const TemplateEditor = lazy(() => import('../../editor/TemplateEditor'));


/** The dataset fields a template refers to as {{ field }} (first name of each expression). */
function fieldsUsed(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(/\{\{-?\s*([A-Za-z_]\w*)/g)) if (match[1]) names.add(match[1]);
  return [...names];
}

export function PromptsSection({ section }: { section: Section }) {
  const [template, setTemplate] = useState('');
  const fields = useMemo(() => fieldsUsed(template), [template]);
  return (
    <Box>
      <EmptyState icon={section.icon} title={section.emptyTitle} description={section.description} testId="empty-prompts" />
      <Paper variant="outlined" sx={{ maxWidth: 880, mx: 'auto', mt: 4, p: 2 }}>
        <Typography variant="subtitle1" component="h2">
          Scratch template
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
          Try the template syntax: write {'{{ field }}'} where a dataset field should go. Nothing here is saved.
        </Typography>
        <Suspense fallback={<CircularProgress size={24} />}>
          <TemplateEditor initialValue="" onChange={setTemplate} ariaLabel="Scratch prompt template" testId="template-editor" />
        </Suspense>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mt: 1.5, minHeight: 32 }} data-testid="template-fields">
          <Typography variant="body2" color="text.secondary">
            Fields used:
          </Typography>
          {fields.length === 0 ? (
            <Typography variant="body2" color="text.secondary">
              none yet
            </Typography>
          ) : (
            fields.map((field) => <Chip key={field} label={field} size="small" />)
          )}
        </Stack>
      </Paper>
    </Box>
  );
}

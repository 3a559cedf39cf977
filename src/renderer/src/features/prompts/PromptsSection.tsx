// The Prompts screen: versioned prompt templates with a live preview on dataset rows (by default a dataset whose
// fields fit the template), and demonstration sets that templates show as `examples`. With no template yet it
// says what the section is for and opens a new template at once.
import { Box, Button, CircularProgress, Stack, Tab, Tabs, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import type { TemplateSummary, TemplateVersion } from '../../../../shared/contract';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorReporter';
import type { Section } from '../shell/sections';
import { DemonstrationSets } from './DemonstrationSets';
import { previewDataset, type PreviewChoice } from './preview-dataset';
import { TemplateList } from './TemplateList';
import { TemplateWorkbench } from './TemplateWorkbench';
import { datasetOptions, usePromptsData } from './usePromptsData';

type Tab = 'templates' | 'sets';

export function PromptsSection({ section }: { section: Section }) {
  const { templates, sets, datasets, newest } = usePromptsData();
  const [tab, setTab] = useState<Tab>('templates');
  // A template id, 'new', or null for the first template.
  const [selected, setSelected] = useState<string | null>(null);
  const [choice, setChoice] = useState<PreviewChoice>({ byTemplate: {}, last: null });
  const options = useMemo(() => datasetOptions(datasets.data ?? []), [datasets.data]);
  const list = templates.data;

  if (list === undefined) {
    return (
      <Box sx={{ display: 'grid', placeItems: 'center', p: 6 }}>
        {templates.error !== undefined ? (
          <ErrorAlert error={templates.error} testId="templates-error" />
        ) : (
          <CircularProgress aria-label="Loading templates" />
        )}
      </Box>
    );
  }

  const empty = list.length === 0;
  const current = selected === 'new' ? null : (list.find((t) => t.id === selected) ?? list[0] ?? null);
  const templateKey = current?.id ?? 'new';
  const previewDatasetId = previewDataset(
    templateKey,
    current ? current.latest.fields : null,
    choice,
    options.map((o) => o.versionId),
    newest.data ?? [],
  );
  const choose = (versionId: string) =>
    setChoice((c) => ({ byTemplate: { ...c.byTemplate, [templateKey]: versionId }, last: versionId }));
  const saved = (v: TemplateVersion) => {
    // Shown at once; templates.onChanged reloads the list from the service too.
    const known = list.find((t) => t.id === v.templateId);
    const next: TemplateSummary[] = known
      ? list.map((t) => (t.id === v.templateId ? { ...t, latest: v, versions: t.versions + 1 } : t))
      : [...list, { id: v.templateId, name: v.name, latest: v, versions: 1 }].sort((a, b) =>
          a.name.localeCompare(b.name),
        );
    templates.set(next);
    setSelected(v.templateId);
  };

  return (
    <Box sx={{ p: 3, maxWidth: 1440, mx: 'auto' }} data-testid="prompts-screen">
      {empty ? (
        <Box sx={{ mb: 4 }}>
          <EmptyState
            icon={section.icon}
            title={section.emptyTitle}
            description={`${section.description} Start below: write a template, or choose a dataset under Preview to begin from a template made for it.`}
            testId="empty-prompts"
          />
        </Box>
      ) : (
        <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
          Prompts
        </Typography>
      )}
      <Tabs value={tab} onChange={(_e, value: Tab) => setTab(value)} sx={{ mb: 2 }} aria-label="Prompts">
        <Tab value="templates" label="Templates" data-testid="prompts-tab-templates" />
        <Tab value="sets" label="Demonstration sets" data-testid="prompts-tab-sets" />
      </Tabs>
      {tab === 'templates' ? (
        <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
          {!empty && (
            <Stack spacing={1.5} sx={{ flexShrink: 0 }}>
              <Button
                variant="contained"
                onClick={() => setSelected('new')}
                disabled={current === null}
                data-testid="template-new"
              >
                New template
              </Button>
              <TemplateList templates={list} selectedId={current?.id ?? null} onSelect={setSelected} />
            </Stack>
          )}
          <Box sx={{ flex: 1, minWidth: 0 }}>
            <TemplateWorkbench
              key={current?.id ?? 'new'}
              templateId={current?.id ?? null}
              latestId={current?.latest.id ?? null}
              datasets={options}
              previewDatasetId={previewDatasetId}
              onPreviewDatasetChange={choose}
              sets={sets.data ?? []}
              onSaved={saved}
            />
          </Box>
        </Stack>
      ) : (
        <DemonstrationSets sets={sets.data ?? []} options={options} onSaved={() => sets.reload()} />
      )}
    </Box>
  );
}

// One template at work: the editable draft of its latest version (or of a new template), its history with an older
// one shown read-only and restorable, the review of the version shown (workflow and checks), and the preview of the
// draft or of the version shown. A new template starts from the preview dataset's starting template until its text
// is edited. Ctrl/Cmd+S saves a version; saving over an approved or reviewed version makes a new draft.
import { Alert, Box, Chip, CircularProgress, Paper, Stack, Typography } from '@mui/material';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DemonstrationSetVersion, TemplateVersion } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { IS_MAC } from '../shell/useShortcuts';
import { PreviewPanel } from './PreviewPanel';
import { ReadOnlyVersion } from './ReadOnlyVersion';
import { GuidedDialog } from './GuidedDialog';
import { ReviewPanel } from './ReviewPanel';
import { TemplateForm, type TemplateDraft } from './TemplateForm';
import { insertExamplesLoop, readFields, startingName, startingTemplate } from './template-text';
import { useDatasetVersion, type DatasetOption } from './usePromptsData';
import type { PreviewTemplate } from './usePreview';
import { VersionList } from './VersionList';
import { useSubmit } from '../../components/useSubmit';

export interface TemplateWorkbenchProps {
  /** null: a new template. */
  readonly templateId: string | null;
  /** The id of the newest version the template list knows, so that versions saved elsewhere are loaded. */
  readonly latestId: string | null;
  readonly datasets: readonly DatasetOption[];
  readonly previewDatasetId: string | null;
  readonly onPreviewDatasetChange: (versionId: string) => void;
  readonly sets: readonly DemonstrationSetVersion[];
  readonly onSaved: (version: TemplateVersion) => void;
}

export function TemplateWorkbench(props: TemplateWorkbenchProps) {
  const { templateId, latestId } = props;
  const versions = useLoad(
    (a) => (templateId === null ? Promise.resolve([]) : a.templates.versions({ templateId })),
    [templateId],
  );
  const { reload } = versions;
  const known = versions.data?.[0]?.id ?? null;
  useEffect(() => {
    if (latestId !== null && known !== null && latestId !== known) reload();
  }, [latestId, known, reload]);
  if (versions.data === undefined) {
    return (
      <Box sx={{ p: 3 }}>
        {versions.error !== undefined ? (
          <ErrorAlert error={versions.error} testId="template-versions-error" />
        ) : (
          <CircularProgress aria-label="Loading the template" />
        )}
      </Box>
    );
  }
  return <Workbench {...props} versions={versions.data} setVersions={versions.set} />;
}

const EMPTY_DRAFT: TemplateDraft = { name: '', source: '', system: '', chat: false, message: '' };

function draftOf(v: TemplateVersion): TemplateDraft {
  return { name: v.name, source: v.source, system: v.system ?? '', chat: v.chat, message: '' };
}

/** The system message a draft saves: only with chat on, and none when blank. */
function systemOf(d: TemplateDraft): string | null {
  return d.chat && d.system.trim() !== '' ? d.system : null;
}

function Workbench(
  props: TemplateWorkbenchProps & { versions: TemplateVersion[]; setVersions: (v: TemplateVersion[]) => void },
) {
  const { templateId, versions, setVersions, datasets, previewDatasetId, onPreviewDatasetChange, sets, onSaved } =
    props;
  const api = useApi();
  const latest = versions[0] ?? null;
  const [draft, setDraft] = useState<TemplateDraft>(() => (latest ? draftOf(latest) : EMPTY_DRAFT));
  const [editorKey, setEditorKey] = useState(0);
  const [shownId, setShownId] = useState<string | null>(null);
  const saving = useSubmit();
  const restoring = useSubmit();
  const busy = saving.busy || restoring.busy;
  const [notice, setNotice] = useState<string | null>(null);
  const dataset = useDatasetVersion(previewDatasetId);
  const shown = versions.find((v) => v.id === shownId && v.id !== latest?.id) ?? null;
  const [previewRow, setPreviewRow] = useState<Record<string, unknown> | null>(null);
  const [guided, setGuided] = useState(false);

  const parsed = useMemo(() => readFields(draft.source), [draft.source]);
  const [goodFields, setGoodFields] = useState<readonly string[]>([]);
  useEffect(() => {
    if (parsed.ok) setGoodFields(parsed.fields);
  }, [parsed]);

  // A new template follows the preview dataset's starting template (and name) until the user edits them.
  const starter = useRef({ source: '', name: '' });
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const details = dataset.data;
  const datasetFields = useMemo(() => details?.fields.map((f) => f.name) ?? [], [details]);
  useEffect(() => {
    if (templateId !== null || !details) return;
    const d = draftRef.current;
    if (d.source !== starter.current.source) return;
    const shape = { name: details.name, fields: details.fields.map((f) => f.name), roles: details.roles };
    const source = startingTemplate(shape);
    const name = d.name === starter.current.name ? startingName(shape) : d.name;
    starter.current = { source, name };
    setDraft({ ...d, source, name });
    setEditorKey((k) => k + 1);
  }, [templateId, details]);

  const dirty =
    latest === null ||
    draft.source !== latest.source ||
    draft.chat !== latest.chat ||
    systemOf(draft) !== latest.system;
  const edit = (next: TemplateDraft) => {
    setDraft(next);
    setNotice(null);
    saving.clear();
  };

  const save = async () => {
    if (busy || shown !== null) return;
    if (!dirty) {
      setNotice(`Nothing to save: this is version ${latest?.version ?? ''}.`);
      return;
    }
    await saving.submit(async () => {
      const saved = await api.templates.save({
        ...(templateId === null ? { name: draft.name } : { templateId }),
        source: draft.source,
        system: systemOf(draft),
        chat: draft.chat,
        message: draft.message,
      });
      setDraft((d) => ({ ...d, message: '' }));
      setVersions([saved, ...versions]);
      setNotice(`Saved version ${saved.version}.`);
      onSaved(saved);
    });
  };

  const restore = async (v: TemplateVersion) => {
    if (templateId === null) return;
    await restoring.submit(async () => {
      const saved = await api.templates.save({
        templateId,
        source: v.source,
        system: v.system,
        chat: v.chat,
        message: `Restored version ${v.version}`,
      });
      setVersions([saved, ...versions]);
      setDraft(draftOf(saved));
      setEditorKey((k) => k + 1);
      setShownId(null);
      saving.clear();
      setNotice(`Version ${v.version} restored as version ${saved.version}.`);
      onSaved(saved);
    });
  };

  // Ctrl/Cmd+S anywhere on the screen, Monaco included (capture phase, before the editor sees the key).
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const mod = IS_MAC ? event.metaKey : event.ctrlKey;
      if (mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        event.stopPropagation();
        void saveRef.current();
      }
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, []);

  const insertExamples = () => {
    edit({ ...draft, source: insertExamplesLoop(draft.source, details ?? null) });
    setEditorKey((k) => k + 1);
  };

  const previewTemplate: PreviewTemplate = shown
    ? { versionId: shown.id }
    : { source: draft.source, system: systemOf(draft), chat: draft.chat };
  const previewFields = shown ? shown.fields : parsed.ok ? parsed.fields : null;

  return (
    <Stack
      direction="row"
      spacing={2}
      useFlexGap
      sx={{ flexWrap: 'wrap', alignItems: 'flex-start' }}
      data-testid="template-workbench"
    >
      <Paper variant="outlined" sx={{ p: 2, flex: '1 1 400px', minWidth: 0 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 2 }}>
          <Typography
            variant="h6"
            component="h2"
            sx={{ flex: 1, overflowWrap: 'anywhere' }}
            data-testid="template-title"
          >
            {latest ? latest.name : 'New template'}
          </Typography>
          {latest && (
            <Chip
              size="small"
              label={`${versions.length} version${versions.length === 1 ? '' : 's'}`}
              variant="outlined"
            />
          )}
        </Stack>
        {!shown && latest && latest.status !== 'draft' && (
          <Alert severity="info" sx={{ mb: 2 }} data-testid="template-new-draft-note">
            Version {latest.version} is {latest.status === 'in-review' ? 'in review' : latest.status}: saving your
            changes makes version {latest.version + 1}, a new draft.
          </Alert>
        )}
        {shown ? (
          <ReadOnlyVersion
            version={shown}
            restoring={busy}
            error={restoring.error}
            onRestore={() => void restore(shown)}
            onBack={() => setShownId(null)}
          />
        ) : (
          <TemplateForm
            draft={draft}
            onChange={edit}
            isNew={templateId === null}
            editorKey={editorKey}
            fields={parsed.ok ? parsed.fields : goodFields}
            parses={parsed.ok}
            dirty={dirty}
            saving={busy}
            saveError={saving.error}
            notice={notice}
            onSave={() => void save()}
            onInsertExamples={insertExamples}
            onGuided={() => setGuided(true)}
            datasetFields={datasetFields}
            reference={details?.roles.reference ?? null}
            row={previewRow}
          />
        )}
      </Paper>
      {guided && (
        <GuidedDialog
          dataset={{
            inputs: details?.roles.input ?? ['input'],
            reference: details ? details.roles.reference : 'output',
            versionId: details?.id ?? null,
            name: details?.name ?? null,
            label: details?.roles.label ?? null,
          }}
          current={draft.source}
          onClose={() => setGuided(false)}
          onOpen={(source) => {
            setGuided(false);
            edit({ ...draft, source });
            setEditorKey((k) => k + 1);
          }}
        />
      )}
      <Stack spacing={2} sx={{ flex: '1 1 320px', minWidth: 0 }}>
        <PreviewPanel
          options={datasets}
          datasetVersionId={previewDatasetId}
          onDatasetChange={onPreviewDatasetChange}
          dataset={dataset.data}
          fields={previewFields}
          template={previewTemplate}
          sets={sets}
          onRow={setPreviewRow}
        />
        {(shown ?? latest) && (
          <ReviewPanel
            key={(shown ?? latest)!.id}
            version={(shown ?? latest)!}
            datasets={datasets}
            datasetVersionId={previewDatasetId}
            onChanged={(v) => setVersions(versions.map((x) => (x.id === v.id ? v : x)))}
          />
        )}
        {versions.length > 0 && (
          <VersionList
            versions={versions}
            shownId={shown?.id ?? null}
            onPick={(v) => setShownId(v.id === latest?.id ? null : v.id)}
          />
        )}
      </Stack>
    </Stack>
  );
}

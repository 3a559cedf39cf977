// What the Playground runs: a saved specialization (its parts shown, not editable), or a model with any of a LoRA,
// a soft prompt, a template version and demonstrations. Adapters offered are those of the chosen model.
import { MenuItem, Stack, TextField } from '@mui/material';
import type { ReactNode } from 'react';
import type {
  AdapterRecord,
  DemonstrationSetVersion,
  ModelRecord,
  Specialization,
  TemplateSummary,
  TemplateVersion,
} from '../../../../shared/contract';
import { adaptersFor } from '../experiments/specialization-form';
import type { PickKey, Picks } from './playground-picks';

export interface PartsLists {
  readonly models: readonly ModelRecord[];
  readonly specializations: readonly Specialization[];
  readonly adapters: readonly AdapterRecord[];
  readonly templates: readonly TemplateSummary[];
  /** The versions of the chosen template (the chosen version alone until they load). */
  readonly versions: readonly TemplateVersion[];
  readonly demonstrations: readonly DemonstrationSetVersion[];
}

export interface PartsPickerProps {
  readonly picks: Picks;
  readonly modelId: string;
  /** The chosen template version (loaded), for its template's id. */
  readonly version: TemplateVersion | null;
  readonly lists: PartsLists;
  readonly disabled: boolean;
  onChange(picks: Picks): void;
}

const NONE = '';

export function PartsPicker({ picks, modelId, version, lists, disabled, onChange }: PartsPickerProps) {
  const saved = picks.specializationId !== null;
  const set = (key: PickKey, value: string) => onChange({ ...picks, [key]: value === NONE ? null : value });
  const select = (
    testId: string,
    label: string,
    value: string,
    onPick: (value: string) => void,
    options: ReactNode,
    helper?: string,
    off = false,
  ) => (
    <TextField
      select
      size="small"
      fullWidth
      label={label}
      value={value}
      disabled={disabled || off}
      onChange={(e) => onPick(e.target.value)}
      helperText={helper ?? ' '}
      slotProps={{ select: { SelectDisplayProps: { 'data-testid': testId } as object } }}
    >
      {options}
    </TextField>
  );
  const loras = adaptersFor(lists.adapters, modelId, 'lora');
  const softPrompts = adaptersFor(lists.adapters, modelId, 'softPrompt');
  const templateId = version?.templateId ?? NONE;
  const versions = lists.versions.length > 0 ? lists.versions : version ? [version] : [];

  return (
    <Stack spacing={1} data-testid="playground-parts">
      <Stack direction="row" spacing={2}>
        {select(
          'playground-specialization',
          'Specialization',
          picks.specializationId ?? NONE,
          (id) => {
            const s = lists.specializations.find((x) => x.id === id);
            onChange(
              s
                ? {
                    ...picks,
                    specializationId: s.id,
                    modelId: s.modelId,
                    loraAdapterId: s.loraAdapterId,
                    softPromptAdapterId: s.softPromptAdapterId,
                    templateVersionId: s.templateVersionId,
                    demonstrationSetVersionId: s.demonstrationSetVersionId,
                    decoding: s.decoding,
                  }
                : { ...picks, specializationId: null },
            );
          },
          [
            <MenuItem key={NONE} value={NONE}>
              None: choose the parts here
            </MenuItem>,
            ...lists.specializations.map((s) => (
              <MenuItem key={s.id} value={s.id}>
                {s.name}
              </MenuItem>
            )),
          ],
          saved ? 'Runs as saved; choose None to change its parts' : 'A saved bundle, or None to pick the parts',
        )}
        {select(
          'playground-model',
          'Model',
          modelId,
          (id) => onChange({ ...picks, modelId: id, loraAdapterId: null, softPromptAdapterId: null }),
          lists.models.map((m) => (
            <MenuItem key={m.id} value={m.id} disabled={!m.available} data-testid="playground-model-option">
              {m.name}
              {m.available ? '' : ' (unavailable)'}
            </MenuItem>
          )),
          undefined,
          saved,
        )}
      </Stack>
      <Stack direction="row" spacing={2}>
        {select(
          'playground-lora',
          'LoRA adapter',
          picks.loraAdapterId ?? NONE,
          (id) => set('loraAdapterId', id),
          [
            <MenuItem key={NONE} value={NONE}>
              None
            </MenuItem>,
            ...loras.map((a) => (
              <MenuItem key={a.id} value={a.id}>
                {a.name} ({a.method})
              </MenuItem>
            )),
          ],
          loras.length === 0 ? 'No LoRA adapters for this model yet' : undefined,
          saved,
        )}
        {select(
          'playground-soft-prompt',
          'Soft prompt',
          picks.softPromptAdapterId ?? NONE,
          (id) => set('softPromptAdapterId', id),
          [
            <MenuItem key={NONE} value={NONE}>
              None
            </MenuItem>,
            ...softPrompts.map((a) => (
              <MenuItem key={a.id} value={a.id}>
                {a.name} ({a.method})
              </MenuItem>
            )),
          ],
          softPrompts.length === 0 ? 'No soft prompts for this model yet' : undefined,
          saved,
        )}
      </Stack>
      <Stack direction="row" spacing={2}>
        {select(
          'playground-template',
          'Prompt template',
          templateId,
          (id) => set('templateVersionId', lists.templates.find((t) => t.id === id)?.latest.id ?? NONE),
          [
            <MenuItem key={NONE} value={NONE}>
              None
            </MenuItem>,
            ...lists.templates.map((t) => (
              <MenuItem key={t.id} value={t.id}>
                {t.name}
              </MenuItem>
            )),
          ],
          picks.templateVersionId === null ? 'None: the input is sent as it is' : undefined,
          saved,
        )}
        {select(
          'playground-template-version',
          'Template version',
          picks.templateVersionId ?? NONE,
          (id) => set('templateVersionId', id),
          versions.map((v) => (
            <MenuItem key={v.id} value={v.id}>
              v{v.version}
              {v.message ? ` · ${v.message}` : ''}
            </MenuItem>
          )),
          undefined,
          saved || picks.templateVersionId === null,
        )}
        {select(
          'playground-demonstrations',
          'Demonstrations',
          picks.demonstrationSetVersionId ?? NONE,
          (id) => set('demonstrationSetVersionId', id),
          [
            <MenuItem key={NONE} value={NONE}>
              None
            </MenuItem>,
            ...lists.demonstrations.map((d) => (
              <MenuItem key={d.id} value={d.id}>
                {d.name} v{d.version} ({d.rowKeys.length} examples)
              </MenuItem>
            )),
          ],
          'Worked examples shown before the input',
          saved,
        )}
      </Stack>
    </Stack>
  );
}

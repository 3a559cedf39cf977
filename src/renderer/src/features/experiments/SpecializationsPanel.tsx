// The specializations of the workspace: name, base model, parts (template vN, demonstrations, LoRA, soft prompt),
// decoding, short hash, "Try it" (opens it in the Playground) and its context cost per component. The cells an
// ablation derived are folded away unless asked for.
import {
  Box,
  Button,
  Chip,
  CircularProgress,
  FormControlLabel,
  Paper,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import { useMemo, useState } from 'react';
import type {
  AdapterRecord,
  DemonstrationSetVersion,
  ModelRecord,
  Specialization,
  TemplateVersion,
} from '../../../../shared/contract';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { ContextCostDialog } from './ContextCostDialog';
import { formatDate, shortHash } from './format';
import { sectionHref } from '../shell/useSection';
import { decodingSummary } from './specialization-form';
import { useSpecializationParts } from './useExperimentsData';

interface Lookups {
  models: readonly ModelRecord[];
  adapters: readonly AdapterRecord[];
  templates: readonly TemplateVersion[];
  demonstrations: readonly DemonstrationSetVersion[];
}

/** The template versions the specializations use (one call each; they are few). */
function useTemplateVersions(specs: readonly Specialization[]) {
  const ids = [...new Set(specs.flatMap((s) => (s.templateVersionId === null ? [] : [s.templateVersionId])))].sort();
  return useLoad((a) => Promise.all(ids.map((id) => a.templates.version({ id }).catch(() => null))), [ids.join(',')]);
}

export function PartChips({ spec, lookups }: { spec: Specialization; lookups: Lookups }) {
  const chips: { key: string; label: string; title: string }[] = [];
  if (spec.templateVersionId !== null) {
    const t = lookups.templates.find((v) => v.id === spec.templateVersionId);
    chips.push({
      key: 'template',
      label: t ? `template v${t.version}` : 'template',
      title: t ? `${t.name} v${t.version}` : 'Prompt template',
    });
  }
  if (spec.demonstrationSetVersionId !== null) {
    const d = lookups.demonstrations.find((v) => v.id === spec.demonstrationSetVersionId);
    chips.push({
      key: 'demonstrations',
      label: d ? `${d.rowKeys.length} demonstrations` : 'demonstrations',
      title: d ? `${d.name} v${d.version}` : 'Demonstration set',
    });
  }
  if (spec.loraAdapterId !== null) {
    const a = lookups.adapters.find((x) => x.id === spec.loraAdapterId);
    chips.push({ key: 'lora', label: 'LoRA', title: a ? `LoRA of ${a.name}` : 'LoRA adapter' });
  }
  if (spec.softPromptAdapterId !== null) {
    const a = lookups.adapters.find((x) => x.id === spec.softPromptAdapterId);
    chips.push({ key: 'softPrompt', label: 'soft prompt', title: a ? `Soft prompt of ${a.name}` : 'Soft prompt' });
  }
  if (chips.length === 0) return <Chip size="small" variant="outlined" label="base model only" />;
  return (
    <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
      {chips.map((c) => (
        <Tooltip key={c.key} title={c.title}>
          <Chip size="small" color="primary" variant="outlined" label={c.label} data-testid={`part-${c.key}`} />
        </Tooltip>
      ))}
    </Stack>
  );
}

export function useSpecializationLookups(specs: readonly Specialization[]): Lookups {
  const { models, adapters, demonstrations } = useSpecializationParts();
  const versions = useTemplateVersions(specs);
  return useMemo(
    () => ({
      models: models.data ?? [],
      adapters: adapters.data ?? [],
      templates: (versions.data ?? []).filter((v): v is TemplateVersion => v !== null),
      demonstrations: demonstrations.data ?? [],
    }),
    [models.data, adapters.data, versions.data, demonstrations.data],
  );
}

export function SpecializationsPanel({
  specializations,
  error,
  onNew,
}: {
  specializations: readonly Specialization[] | undefined;
  error: unknown;
  onNew: () => void;
}) {
  const [showCells, setShowCells] = useState(false);
  const [costOf, setCostOf] = useState<Specialization | null>(null);
  const all = specializations ?? [];
  const lookups = useSpecializationLookups(all);
  if (specializations === undefined) {
    return (
      <Box sx={{ p: 3 }}>
        {error ? <ErrorAlert error={error} /> : <CircularProgress aria-label="Loading specializations" />}
      </Box>
    );
  }
  const cells = all.filter((s) => s.derivedFrom !== null);
  const shown = showCells ? all : all.filter((s) => s.derivedFrom === null);
  return (
    <Box data-testid="specializations-panel">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          Specializations
        </Typography>
        {cells.length > 0 && (
          <FormControlLabel
            control={<Switch size="small" checked={showCells} onChange={(e) => setShowCells(e.target.checked)} />}
            label={`Show ablation cells (${cells.length})`}
          />
        )}
        <Button variant="contained" onClick={onNew} data-testid="specializations-new">
          New specialization
        </Button>
      </Stack>
      {shown.length === 0 ? (
        <Paper variant="outlined" sx={{ p: 4, textAlign: 'center' }} data-testid="specializations-empty">
          <Typography variant="subtitle1">No specializations yet</Typography>
          <Typography color="text.secondary" sx={{ mt: 1, mb: 2 }}>
            A specialization is what you evaluate and ship: a base model with any mix of prompt template, worked
            examples, LoRA adapter and soft prompt, and its decoding settings.
          </Typography>
          <Button variant="outlined" onClick={onNew}>
            Create the first one
          </Button>
        </Paper>
      ) : (
        <Paper variant="outlined">
          <Table size="small" data-testid="specialization-list">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Base model</TableCell>
                <TableCell>Parts</TableCell>
                <TableCell>Decoding</TableCell>
                <TableCell>Hash</TableCell>
                <TableCell>Created</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {shown.map((s) => (
                <TableRow key={s.id} data-testid="specialization-item" hover>
                  <TableCell sx={{ fontWeight: 500 }}>
                    {s.name}
                    {s.derivedFrom !== null && <Chip size="small" label="ablation cell" sx={{ ml: 1 }} />}
                  </TableCell>
                  <TableCell>{lookups.models.find((m) => m.id === s.modelId)?.name ?? 'model removed'}</TableCell>
                  <TableCell>
                    <PartChips spec={s} lookups={lookups} />
                  </TableCell>
                  <TableCell sx={{ color: 'text.secondary' }}>{decodingSummary(s.decoding)}</TableCell>
                  <TableCell>
                    <Tooltip title={s.hash}>
                      <Box component="code" sx={{ fontSize: 12 }}>
                        {shortHash(s.hash)}
                      </Box>
                    </Tooltip>
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap', color: 'text.secondary' }}>
                    {formatDate(s.createdAt)}
                  </TableCell>
                  <TableCell>
                    <Button
                      size="small"
                      href={sectionHref('playground', { specialization: s.id })}
                      data-testid="specialization-try"
                    >
                      Try it
                    </Button>
                    <Button size="small" onClick={() => setCostOf(s)} data-testid="specialization-cost">
                      Context cost
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
      {costOf && (
        <ContextCostDialog
          spec={costOf}
          preferredVersionId={
            lookups.demonstrations.find((d) => d.id === costOf.demonstrationSetVersionId)?.datasetVersionId ?? null
          }
          onClose={() => setCostOf(null)}
        />
      )}
    </Box>
  );
}

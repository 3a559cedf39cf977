// The Demonstration sets tab: what a set is and how a template uses it, the sets with their versions (dataset, number
// of examples, message, date), and the builder for a new set or a new version of one.
import { Box, Button, List, ListItem, Paper, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import type { DemonstrationSetVersion } from '../../../../shared/contract';
import { DemonstrationBuilder } from './DemonstrationBuilder';
import { ExamplesHelp } from './ExamplesHelp';
import { DemonstrationAnalyticsPanel } from './DemonstrationAnalyticsPanel';
import { shortDate } from './format';
import { selectionText } from './SelectionField';
import type { DatasetOption } from './usePromptsData';

export function DemonstrationSets({
  sets,
  options,
  onSaved,
}: {
  sets: readonly DemonstrationSetVersion[];
  options: readonly DatasetOption[];
  onSaved: () => void;
}) {
  // null: no builder; 'new': a new set; otherwise the set version a new version starts from.
  const [building, setBuilding] = useState<'new' | DemonstrationSetVersion | null>(null);
  const groups = groupBySet(sets);
  const datasetLabel = (id: string) => options.find((o) => o.versionId === id)?.label ?? 'a removed dataset';
  return (
    <Stack spacing={2} data-testid="demo-sets">
      <Stack direction="row" sx={{ alignItems: 'center' }}>
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          Demonstration sets
        </Typography>
        <Button
          variant="contained"
          onClick={() => setBuilding('new')}
          disabled={building !== null || options.length === 0}
          data-testid="demo-new"
        >
          New demonstration set
        </Button>
      </Stack>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <ExamplesHelp />
      </Paper>
      {building !== null && (
        <DemonstrationBuilder
          options={options}
          base={building === 'new' ? null : building}
          onCancel={() => setBuilding(null)}
          onSaved={() => {
            setBuilding(null);
            onSaved();
          }}
        />
      )}
      {groups.length === 0 ? (
        <Typography color="text.secondary" data-testid="demo-sets-empty">
          {options.length === 0
            ? 'No demonstration sets yet. Import a dataset first: examples come from its training split.'
            : 'No demonstration sets yet.'}
        </Typography>
      ) : (
        <Paper variant="outlined">
          <List data-testid="demo-set-list" aria-label="Demonstration sets">
            {groups.map(([latest, ...older]) => (
              <ListItem key={latest.setId} data-testid="demo-set" data-set-id={latest.setId} sx={{ display: 'block' }}>
                <Stack direction="row" sx={{ alignItems: 'center' }}>
                  <Typography variant="subtitle1" sx={{ flex: 1 }} data-testid="demo-set-name">
                    {latest.name}
                  </Typography>
                  <Button
                    size="small"
                    onClick={() => setBuilding(latest)}
                    disabled={building !== null}
                    data-testid="demo-set-new-version"
                  >
                    New version
                  </Button>
                </Stack>
                <Box component="ul" sx={{ m: 0, pl: 2 }}>
                  {[latest, ...older].map((v) => (
                    <Box component="li" key={v.id} data-testid="demo-set-version" sx={{ py: 0.25 }}>
                      <Typography variant="body2">
                        v{v.version} · {v.rowKeys.length} example{v.rowKeys.length === 1 ? '' : 's'} from{' '}
                        {datasetLabel(v.datasetVersionId)}
                        {v.selection.kind === 'fixed' ? '' : ` · per input: ${selectionText(v.selection)}`}
                      </Typography>
                      <Typography variant="caption" color="text.secondary">
                        {v.message || 'No message'} · {shortDate(v.createdAt)}
                      </Typography>
                    </Box>
                  ))}
                </Box>
                <DemonstrationAnalyticsPanel set={latest} />
              </ListItem>
            ))}
          </List>
        </Paper>
      )}
    </Stack>
  );
}

/** Versions grouped by set, each group newest first (the service orders by set name, then version descending). */
function groupBySet(
  sets: readonly DemonstrationSetVersion[],
): [DemonstrationSetVersion, ...DemonstrationSetVersion[]][] {
  const groups = new Map<string, DemonstrationSetVersion[]>();
  for (const v of sets) groups.set(v.setId, [...(groups.get(v.setId) ?? []), v]);
  return [...groups.values()].map(
    (g) => g.sort((a, b) => b.version - a.version) as [DemonstrationSetVersion, ...DemonstrationSetVersion[]],
  );
}

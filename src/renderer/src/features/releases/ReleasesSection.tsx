// The Releases section: the channels (dev, staging, production, ...) with the release each serves, promotion and
// one-click rollback; below, every release with its frozen parts, evidence and approvals.
import {
  Box,
  Button,
  CircularProgress,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import type { Release } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorReporter';
import type { Section } from '../shell/sections';
import { ChannelCard } from './ChannelCard';
import { releaseLabel } from './format';
import { ImportBundleDialog } from './BundleDialogs';
import { NewReleaseDialog } from './NewReleaseDialog';
import { ReleaseDetails } from './ReleaseDetails';

export function ReleasesSection({ section }: { section: Section }) {
  const api = useApi();
  const releases = useLoad((a) => a.releases.list({}), []);
  const channels = useLoad((a) => a.releases.channels({}), []);
  const user = useLoad((a) => a.users.current({}), []);
  const [dialog, setDialogOpen] = useState<'new' | 'import' | null>(null);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const { reload: reloadReleases } = releases;
  const { reload: reloadChannels } = channels;
  const { reload: reloadUser } = user;
  useEffect(
    () =>
      api.releases.onChanged(() => {
        reloadReleases();
        reloadChannels();
      }),
    [api, reloadReleases, reloadChannels],
  );
  useEffect(() => api.users.onChanged(() => reloadUser()), [api, reloadUser]);

  const error = releases.error ?? channels.error ?? user.error;
  if (releases.data === undefined || channels.data === undefined || user.data === undefined) {
    return error ? (
      <Box sx={{ p: 3 }}>
        <ErrorAlert error={error} />
      </Box>
    ) : (
      <Box sx={{ display: 'grid', placeItems: 'center', p: 6 }}>
        <CircularProgress aria-label="Loading releases" />
      </Box>
    );
  }
  const list = releases.data;
  const isAdmin = user.data?.role === 'admin';
  const dialogs = (
    <>
      {dialog === 'new' && (
        <NewReleaseDialog
          releases={list}
          onClose={() => setDialogOpen(null)}
          onCreated={(r) => {
            setDialogOpen(null);
            setSelectedId(r.id);
          }}
        />
      )}
      {dialog === 'import' && (
        <ImportBundleDialog onClose={() => setDialogOpen(null)} onImported={(r) => setSelectedId(r.id)} />
      )}
    </>
  );
  const actions = (
    <Stack direction="row" spacing={1}>
      <Button onClick={() => setDialogOpen('import')} data-testid="release-import">
        Import bundle…
      </Button>
      <Button variant="contained" onClick={() => setDialogOpen('new')} data-testid="release-new">
        New release
      </Button>
    </Stack>
  );
  if (list.length === 0) {
    return (
      <>
        <EmptyState
          icon={section.icon}
          title={section.emptyTitle}
          description={section.description}
          testId={`empty-${section.id}`}
        >
          <Stack direction="row" sx={{ justifyContent: 'center', mt: 3 }}>
            {actions}
          </Stack>
        </EmptyState>
        {dialogs}
      </>
    );
  }
  const selected = list.find((r) => r.id === selectedId) ?? (list[0] as Release);
  return (
    <Box sx={{ p: 2 }}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
        <Typography variant="h6" component="h2">
          Channels
        </Typography>
        {actions}
      </Stack>
      <Stack direction="row" spacing={2} sx={{ mb: 3, overflowX: 'auto', pb: 1 }}>
        {channels.data.map((c) => (
          <ChannelCard key={c.id} channel={c} releases={list} isAdmin={isAdmin} />
        ))}
      </Stack>
      <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
        Releases
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'flex-start' }}>
        <Paper variant="outlined" sx={{ width: 420, flexShrink: 0 }}>
          <Table size="small" aria-label="Releases">
            <TableHead>
              <TableRow>
                <TableCell>Release</TableCell>
                <TableCell>Specialization</TableCell>
                <TableCell>Author</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.map((r) => (
                <TableRow
                  key={r.id}
                  hover
                  selected={r.id === selected.id}
                  onClick={() => setSelectedId(r.id)}
                  sx={{ cursor: 'pointer' }}
                  data-testid="release-row"
                  data-release={releaseLabel(r)}
                >
                  <TableCell>{releaseLabel(r)}</TableCell>
                  <TableCell>{r.specializationName}</TableCell>
                  <TableCell>{r.authorName}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <ReleaseDetails key={selected.id} release={selected} userId={user.data?.id ?? null} />
        </Box>
      </Box>
      {dialogs}
    </Box>
  );
}

// The Review section: review rounds on the left; on the right the chosen round as the current user may see it:
// their blinded queue while it is open and they review it, its progress (and Close) for an organiser, its results
// once closed. Reviewers learn nothing here that the reviewer-facing methods do not give them.
import {
  Box,
  Button,
  Chip,
  CircularProgress,
  List,
  ListItemButton,
  ListItemText,
  Paper,
  Stack,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import type { RoundSummary, User } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorReporter';
import type { Section } from '../shell/sections';
import { sectionParam } from '../shell/useSection';
import { NewRoundDialog } from './NewRoundDialog';
import { QueueView } from './QueueView';
import { ResultsView } from './ResultsView';
import { RoundProgress } from './RoundProgress';

export function ReviewSection({ section }: { section: Section }) {
  const api = useApi();
  const rounds = useLoad((a) => a.reviews.list({}), []);
  const current = useLoad((a) => a.users.current({}), []);
  const [creating, setCreating] = useState(false);
  // A link from another section (a dataset made from a round) may name the round to show.
  const [selectedId, setSelectedId] = useState<string | undefined>(() => sectionParam('round') ?? undefined);
  const { reload: reloadRounds } = rounds;
  const { reload: reloadUser } = current;
  useEffect(() => api.reviews.onChanged(() => reloadRounds()), [api, reloadRounds]);
  useEffect(
    () =>
      api.users.onChanged(() => {
        reloadUser();
        reloadRounds();
      }),
    [api, reloadUser, reloadRounds],
  );

  const user = current.data;
  const list = rounds.data;
  const canOrganise = user !== undefined && user !== null && user.role !== 'reviewer';
  const dialog = creating && (
    <NewRoundDialog
      onClose={() => setCreating(false)}
      onCreated={(r) => {
        setCreating(false);
        setSelectedId(r.id);
        reloadRounds();
      }}
    />
  );
  if (list === undefined || user === undefined || user === null) {
    return rounds.error || current.error ? (
      <Box sx={{ p: 3 }}>
        <ErrorAlert error={rounds.error ?? current.error} />
      </Box>
    ) : (
      <Box sx={{ display: 'grid', placeItems: 'center', p: 6 }}>
        <CircularProgress aria-label="Loading review rounds" />
      </Box>
    );
  }
  if (list.length === 0) {
    return (
      <>
        <EmptyState
          icon={section.icon}
          title={section.emptyTitle}
          description={section.description}
          testId={`empty-${section.id}`}
        >
          {canOrganise && (
            <Stack direction="row" sx={{ justifyContent: 'center', mt: 3 }}>
              <Button variant="contained" onClick={() => setCreating(true)} data-testid="review-new">
                New review round
              </Button>
            </Stack>
          )}
        </EmptyState>
        {dialog}
      </>
    );
  }
  const selected = list.find((r) => r.id === selectedId) ?? (list[0] as RoundSummary);
  return (
    <Box sx={{ display: 'flex', gap: 2, p: 2, alignItems: 'flex-start' }}>
      <Paper variant="outlined" sx={{ width: 280, flexShrink: 0 }}>
        <Stack direction="row" sx={{ p: 1.5, alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography variant="subtitle1" component="h2">
            Review rounds
          </Typography>
          {canOrganise && (
            <Button size="small" onClick={() => setCreating(true)} data-testid="review-new">
              New
            </Button>
          )}
        </Stack>
        <List dense disablePadding>
          {list.map((r) => (
            <ListItemButton
              key={r.id}
              selected={r.id === selected.id}
              onClick={() => setSelectedId(r.id)}
              data-testid="round-item"
              data-round={r.name}
            >
              <ListItemText primary={r.name} secondary={`${r.done} / ${r.assigned} judgments`} />
              <Chip size="small" label={r.state} color={r.state === 'open' ? 'primary' : 'default'} />
            </ListItemButton>
          ))}
        </List>
      </Paper>
      <Box sx={{ flex: 1, minWidth: 0 }}>
        <RoundPane
          key={`${selected.id}:${user.id}:${selected.state}`}
          round={selected}
          user={user}
          onChanged={reloadRounds}
        />
      </Box>
      {dialog}
    </Box>
  );
}

function RoundPane({ round, user, onChanged }: { round: RoundSummary; user: User; onChanged(): void }) {
  const reviewing = round.reviewerIds.includes(user.id);
  if (round.state === 'closed') return <ResultsView round={round} />;
  if (reviewing) return <QueueView round={round} onProgress={onChanged} />;
  if (user.role === 'reviewer') {
    return (
      <Typography sx={{ p: 2 }} color="text.secondary" data-testid="review-not-yours">
        You are not a reviewer of this round.
      </Typography>
    );
  }
  return <RoundProgress round={round} onClosed={onChanged} />;
}

// An open round as its organiser sees it: what is compared, the sample and seed, each reviewer's progress, and Close
// (after which the reviewers' verdicts are unblinded and the results computed); and one revocable link (token) per
// reviewer for the review-only server on a chosen interface (ShareSettings), for reviewers on other machines.
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { RoundSummary, SharedLink } from '../../../../shared/contract';
import { portalFragment, useApi, useLoad } from '../../api';
import { ErrorAlert, useReportError } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { ShareSettings, type ShareTarget } from './ShareSettings';

export function RoundProgress({ round, onClosed }: { round: RoundSummary; onClosed(): void }) {
  const api = useApi();
  const report = useReportError();
  const full = useLoad((a) => a.reviews.get({ id: round.id }), [round.id, round.done]);
  const users = useLoad((a) => a.users.list({}), []);
  const closing = useSubmit(async () => {
    await api.reviews.close({ id: round.id });
    onClosed();
  });
  const [confirming, setConfirming] = useState(false);
  const [target, setTarget] = useState<ShareTarget | null>(null);
  const [links, setLinks] = useState<Record<string, SharedLink | null>>({});
  if (full.error) return <ErrorAlert error={full.error} />;
  const r = full.data;
  if (!r) return <LinearProgress aria-label="Loading the round" />;
  const nameOf = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;
  const close = () => {
    setConfirming(false);
    void closing.submit();
  };
  const share = async (reviewerId: string, revoke: boolean) => {
    try {
      if (revoke) await api.reviews.revokeShare({ roundId: round.id, reviewerId });
      if (!revoke && target === null) return;
      setLinks({
        ...links,
        [reviewerId]:
          revoke || target === null
            ? null
            : await api.reviews.share({ roundId: round.id, reviewerId, host: target.host, tls: target.tls }),
      });
    } catch (error) {
      report(error);
    }
  };
  return (
    <Stack spacing={2} data-testid="round-progress">
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
        <Box>
          <Typography variant="h6" component="h2">
            {r.name}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {r.mode} · {r.specializations.map((s) => s.name).join(' vs ')} · {r.experimentName} · {r.units} items,
            overlap {r.spec.overlap}, seed {r.spec.seed ?? 'secret until closed'}
          </Typography>
        </Box>
        <Button
          variant="contained"
          disabled={closing.busy}
          onClick={() => setConfirming(true)}
          data-testid="round-close"
        >
          Close round
        </Button>
      </Stack>
      <ErrorAlert error={closing.error} testId="round-close-error" />
      <Dialog open={confirming} onClose={() => setConfirming(false)} data-testid="round-close-dialog">
        <DialogTitle>Close "{r.name}"?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Closing cannot be undone: reviewers can no longer vote or change a vote ({r.done} of {r.assigned} judgments
            are in), and the results, the seed and which system wrote each output become visible to everyone.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)} autoFocus>
            Keep it open
          </Button>
          <Button color="warning" variant="contained" onClick={close} data-testid="round-close-confirm">
            Close the round
          </Button>
        </DialogActions>
      </Dialog>
      <Alert severity="info">
        Reviewers see outputs as left and right only; the results (and who made which output) appear once the round is
        closed.
      </Alert>
      {[...new Set(Object.values(links).flatMap((l) => l?.warnings ?? []))].map((w) => (
        <Alert key={w} severity="warning" data-testid="share-warning">
          {w}
        </Alert>
      ))}
      <Table size="small" aria-label="Reviewer progress">
        <TableHead>
          <TableRow>
            <TableCell>Reviewer</TableCell>
            <TableCell align="right">Done</TableCell>
            <TableCell sx={{ width: '30%' }}>Progress</TableCell>
            <TableCell>Link for another machine</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {r.perReviewer.map((p) => (
            <TableRow key={p.reviewerId} data-testid="reviewer-progress">
              <TableCell>{nameOf(p.reviewerId)}</TableCell>
              <TableCell align="right">
                {p.done} / {p.assigned}
              </TableCell>
              <TableCell>
                <LinearProgress variant="determinate" value={p.assigned === 0 ? 0 : (100 * p.done) / p.assigned} />
              </TableCell>
              <TableCell>
                {links[p.reviewerId] && (
                  <Typography
                    variant="caption"
                    component="div"
                    sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
                    data-testid="share-link"
                  >
                    {`${links[p.reviewerId]?.origin}/${portalFragment({ roundId: round.id, token: links[p.reviewerId]?.token ?? '' })}`}
                  </Typography>
                )}
                <Button
                  size="small"
                  disabled={target === null}
                  onClick={() => void share(p.reviewerId, false)}
                  data-testid="share-create"
                >
                  {links[p.reviewerId] ? 'New link' : 'Share'}
                </Button>
                {links[p.reviewerId] && (
                  <Button
                    size="small"
                    color="warning"
                    onClick={() => void share(p.reviewerId, true)}
                    data-testid="share-revoke"
                  >
                    Revoke
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <ShareSettings
        target={target}
        onChange={setTarget}
        fingerprint={Object.values(links).find((l) => l?.fingerprint256)?.fingerprint256 ?? null}
      />
    </Stack>
  );
}

// A reviewer's blinded queue, keyboard first: 1/2/3/4 vote (left, right, tie, both bad; single mode 1 pass, 2 fail),
// T tags, C comment, U undo, J/K next/previous, D word-diff highlighting. The next item is fetched while this one is
// shown; time on each item is measured and sent with the vote. Everything shown comes from the reviewer methods.
import {
  Box,
  Button,
  Checkbox,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  LinearProgress,
  Paper,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReviewItem, ReviewQueue, RoundSummary, Verdict } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert, useReportError } from '../../components/ErrorReporter';
import { inputText } from '../experiments/SideBySide';
import { nextUndone, queueAction, VERDICT_KEYS } from './queue-keys';
import { SyncedOutputs } from './SyncedOutputs';

function isTyping(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

export function QueueView({ round, onProgress }: { round: RoundSummary; onProgress(): void }) {
  const api = useApi();
  const report = useReportError();
  const [queue, setQueue] = useState<ReviewQueue | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [index, setIndex] = useState(0);
  const [item, setItem] = useState<ReviewItem | undefined>(undefined);
  const [draft, setDraft] = useState<{ tags: string[]; comment: string }>({ tags: [], comment: '' });
  const [dialog, setDialog] = useState<'tags' | 'comment' | null>(null);
  const [diff, setDiff] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const [times, setTimes] = useState<number[]>([]);
  const cache = useRef(new Map<string, Promise<ReviewItem>>());
  const shownAt = useRef(Date.now());

  const fetchItem = useCallback(
    (itemId: string, fresh = false): Promise<ReviewItem> => {
      let p = fresh ? undefined : cache.current.get(itemId);
      if (!p) {
        p = api.reviews.item({ roundId: round.id, itemId });
        p.catch(() => cache.current.delete(itemId));
        cache.current.set(itemId, p);
      }
      return p;
    },
    [api, round.id],
  );

  const reloadQueue = useCallback(
    async (goTo?: string | null) => {
      try {
        const q = await api.reviews.queue({ roundId: round.id });
        setQueue(q);
        const target = goTo === undefined ? q.next : goTo;
        const at =
          target === null
            ? 0
            : Math.max(
                0,
                q.items.findIndex((i) => i.itemId === target),
              );
        setIndex(at);
      } catch (e) {
        setError(e);
      }
    },
    [api, round.id],
  );

  useEffect(() => {
    void reloadQueue();
  }, [reloadQueue]);

  const entry = queue?.items[index];
  useEffect(() => {
    if (!entry || !queue) return;
    let live = true;
    fetchItem(entry.itemId).then(
      (it) => {
        if (!live) return;
        setItem(it);
        setDraft({ tags: it.vote?.tags ?? [], comment: it.vote?.comment ?? '' });
        shownAt.current = Date.now();
        setElapsed(0);
      },
      (e: unknown) => live && setError(e),
    );
    const following = queue.items[index + 1];
    if (following) void fetchItem(following.itemId).catch(() => undefined); // prefetched: ready when this one is done
    return () => {
      live = false;
    };
  }, [entry, queue, index, fetchItem]);

  useEffect(() => {
    const timer = setInterval(() => setElapsed(Date.now() - shownAt.current), 1000);
    return () => clearInterval(timer);
  }, []);

  const vote = useCallback(
    async (verdict: Verdict, extra?: { tags: string[]; comment: string }) => {
      // Until the item at the queue position has loaded, the previous one is on screen: a key must not re-vote it.
      if (!item || !queue || item.itemId !== queue.items[index]?.itemId) return;
      const ms = Date.now() - shownAt.current;
      const body = extra ?? draft;
      try {
        const updated = await api.reviews.vote({
          roundId: round.id,
          itemId: item.itemId,
          verdict,
          tags: body.tags,
          comment: body.comment,
          ms,
        });
        cache.current.set(item.itemId, Promise.resolve(updated));
        if (!extra) setTimes((t) => [...t, ms]);
        const items = queue.items.map((i) => (i.itemId === item.itemId ? { ...i, done: true } : i));
        setQueue({ ...queue, items, done: items.filter((i) => i.done).length });
        onProgress();
        if (extra) {
          setItem(updated);
          return;
        }
        const next = nextUndone(items, index);
        if (next === null) setItem(updated);
        setIndex(next ?? index);
      } catch (e) {
        report(e);
      }
    },
    [api, draft, index, item, onProgress, queue, report, round.id],
  );

  const undo = useCallback(async () => {
    try {
      const back = await api.reviews.undo({ roundId: round.id });
      if (!back) return;
      cache.current.set(back.itemId, Promise.resolve(back));
      await reloadQueue(back.itemId);
      onProgress();
    } catch (e) {
      report(e);
    }
  }, [api, onProgress, reloadQueue, report, round.id]);

  /** Tags or a comment changed after the vote: saved with the same verdict. */
  const saveExtra = useCallback(
    (next: { tags: string[]; comment: string }) => {
      setDraft(next);
      if (item?.vote) void vote(item.vote.verdict, next);
    },
    [item, vote],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (
        dialog !== null ||
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        isTyping(event.target) ||
        !queue ||
        !item
      )
        return;
      const action = queueAction(round.mode, event.key);
      if (!action) return;
      event.preventDefault();
      if (action.kind === 'vote') void vote(action.verdict);
      else if (action.kind === 'tags' || action.kind === 'comment') setDialog(action.kind);
      else if (action.kind === 'undo') void undo();
      else if (action.kind === 'diff') setDiff((d) => !d);
      else setIndex((i) => Math.min(queue.items.length - 1, Math.max(0, i + (action.kind === 'next' ? 1 : -1))));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, item, queue, round.mode, undo, vote]);

  if (error) return <ErrorAlert error={error} />;
  if (!queue || !item) return <LinearProgress aria-label="Loading the queue" />;
  const total = queue.items.length;
  const average = times.length === 0 ? null : times.reduce((s, t) => s + t, 0) / times.length;
  const allDone = queue.done === total;
  return (
    <Stack spacing={1.5} data-testid="review-queue" data-item={item.itemId}>
      <Stack direction="row" sx={{ alignItems: 'center', gap: 2 }}>
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          {round.name}
        </Typography>
        <Typography variant="body2" data-testid="queue-position">
          Item {queue.items.findIndex((i) => i.itemId === item.itemId) + 1} of {total}
        </Typography>
        <Typography variant="body2" data-testid="queue-progress">
          {queue.done} / {total} done
        </Typography>
        <Typography variant="body2" color="text.secondary" data-testid="queue-time">
          {Math.round(elapsed / 1000)} s{average === null ? '' : ` · ${(average / 1000).toFixed(1)} s per item`}
        </Typography>
      </Stack>
      <LinearProgress variant="determinate" value={(100 * queue.done) / total} aria-label="Progress" />
      {allDone && (
        <Typography color="success.main" data-testid="queue-done">
          All items judged. Thank you! You can still revisit them (J/K) until the round is closed.
        </Typography>
      )}
      <Paper
        variant="outlined"
        sx={{ p: 1.5, whiteSpace: 'pre-wrap', maxHeight: 160, overflow: 'auto' }}
        data-testid="review-input"
      >
        {inputText(item.input)}
      </Paper>
      <SyncedOutputs left={item.left} right={item.right} diff={diff} />
      <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
        {VERDICT_KEYS[round.mode].map((v) => (
          <Button
            key={v.verdict}
            variant={item.vote?.verdict === v.verdict ? 'contained' : 'outlined'}
            onClick={() => void vote(v.verdict)}
            data-testid={`vote-${v.verdict}`}
          >
            {v.key} · {v.label}
          </Button>
        ))}
        <Button onClick={() => setDialog('tags')} data-testid="queue-tags">
          T · Tags
        </Button>
        <Button onClick={() => setDialog('comment')} data-testid="queue-comment">
          C · Comment
        </Button>
        <Button onClick={() => void undo()} data-testid="queue-undo">
          U · Undo
        </Button>
        <Button onClick={() => setDiff((d) => !d)} aria-pressed={diff} data-testid="queue-diff">
          D · Diff
        </Button>
        {draft.tags.map((t) => (
          <Chip key={t} size="small" label={t} data-testid="item-tag" />
        ))}
        {item.vote && (
          <Chip size="small" color="success" label={`voted: ${item.vote.verdict}`} data-testid="item-voted" />
        )}
      </Stack>
      <Typography variant="caption" color="text.secondary">
        J / K: next / previous item
      </Typography>
      {dialog === 'tags' && (
        <TagsDialog
          tags={round.tags}
          chosen={draft.tags}
          onClose={(tags) => {
            setDialog(null);
            saveExtra({ ...draft, tags });
          }}
        />
      )}
      {dialog === 'comment' && (
        <CommentDialog
          comment={draft.comment}
          onClose={(comment) => {
            setDialog(null);
            if (comment !== null) saveExtra({ ...draft, comment });
          }}
        />
      )}
    </Stack>
  );
}

function TagsDialog({
  tags,
  chosen,
  onClose,
}: {
  tags: readonly string[];
  chosen: readonly string[];
  onClose(tags: string[]): void;
}) {
  const [picked, setPicked] = useState<string[]>([...chosen]);
  const toggle = (t: string) => setPicked((p) => (p.includes(t) ? p.filter((x) => x !== t) : [...p, t]));
  return (
    <Dialog
      open
      onClose={() => onClose(picked)}
      data-testid="tags-dialog"
      onKeyDown={(e) => {
        const n = Number(e.key);
        if (Number.isInteger(n) && n >= 1 && n <= tags.length) {
          e.preventDefault();
          toggle(tags[n - 1] as string);
        } else if (e.key === 'Enter') {
          e.preventDefault();
          onClose(picked);
        }
      }}
    >
      <DialogTitle>Failure tags</DialogTitle>
      <DialogContent>
        {tags.length === 0 && <Typography color="text.secondary">This round has no tags.</Typography>}
        {tags.map((t, i) => (
          <Box key={t}>
            <FormControlLabel
              label={`${i + 1} · ${t}`}
              control={
                <Checkbox
                  checked={picked.includes(t)}
                  onChange={() => toggle(t)}
                  data-testid="tag-option"
                  data-tag={t}
                />
              }
            />
          </Box>
        ))}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(picked)} data-testid="tags-done">
          Done (Enter)
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function CommentDialog({ comment, onClose }: { comment: string; onClose(comment: string | null): void }) {
  const [text, setText] = useState(comment);
  return (
    <Dialog open onClose={() => onClose(null)} fullWidth data-testid="comment-dialog">
      <DialogTitle>Comment</DialogTitle>
      <DialogContent>
        <TextField
          autoFocus
          fullWidth
          multiline
          minRows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          sx={{ mt: 1 }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              onClose(text);
            }
          }}
          slotProps={{ htmlInput: { 'data-testid': 'comment-text' } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(null)}>Cancel</Button>
        <Button onClick={() => onClose(text)} data-testid="comment-save">
          Save (Enter)
        </Button>
      </DialogActions>
    </Dialog>
  );
}

// Two outputs side by side ('left' / 'right', never who made them) whose scrolling is synchronised proportionally,
// so long outputs can be read together; optionally each highlights the words that differ from the other.
import { Box, Paper, Typography } from '@mui/material';
import { useRef, type UIEvent } from 'react';
import { DiffText } from '../experiments/DiffText';

export function SyncedOutputs({ left, right, diff }: { left: string; right: string | null; diff: boolean }) {
  const panes = [useRef<HTMLDivElement>(null), useRef<HTMLDivElement>(null)] as const;
  const syncing = useRef(false);
  const onScroll = (from: 0 | 1) => (e: UIEvent<HTMLDivElement>) => {
    if (syncing.current) {
      syncing.current = false;
      return;
    }
    const source = e.currentTarget;
    const target = panes[from === 0 ? 1 : 0].current;
    if (!target) return;
    const ratio = source.scrollTop / Math.max(1, source.scrollHeight - source.clientHeight);
    syncing.current = true;
    target.scrollTop = ratio * (target.scrollHeight - target.clientHeight);
  };
  const sides =
    right === null
      ? [{ label: 'Output', text: left, other: null }]
      : [
          { label: 'Left', text: left, other: right },
          { label: 'Right', text: right, other: left },
        ];
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: `repeat(${sides.length}, 1fr)`, gap: 1.5 }}>
      {sides.map((s, i) => (
        <Paper key={s.label} variant="outlined" sx={{ display: 'flex', flexDirection: 'column', minWidth: 0 }}>
          <Typography variant="overline" sx={{ px: 1.5, pt: 0.5 }}>
            {s.label}
          </Typography>
          <Box
            ref={panes[i as 0 | 1]}
            onScroll={onScroll(i as 0 | 1)}
            data-testid={`output-${s.label.toLowerCase()}`}
            sx={{
              px: 1.5,
              pb: 1.5,
              maxHeight: '50vh',
              overflow: 'auto',
              whiteSpace: 'pre-wrap',
              wordBreak: 'break-word',
              fontFamily: 'monospace',
              fontSize: 14,
            }}
          >
            <DiffText base={diff ? s.other : null} text={s.text} />
          </Box>
        </Paper>
      ))}
    </Box>
  );
}

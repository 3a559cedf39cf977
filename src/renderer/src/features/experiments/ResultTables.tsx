// The results' tables: per cell and metric the value with its 95% CI, n and pass/fail; the ablation's effects and
// paired comparisons (estimate, CI, p, Holm p, test); the context tokens each component costs; latency and tokens.
import { Box, Chip, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Tooltip, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { COMPONENT_LABELS, type Ablation, type CellResult, type Component } from '../../../../shared/contract';
import type { MetricSpec } from '../../../../shared/metrics';
import { formatEffect, formatInterval, formatMs, formatNumber, formatP, formatValue, metricUnit, termLabel } from './format';

export function Section({ title, children, testId, note }: { title: string; children: ReactNode; testId?: string; note?: string }) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid={testId}>
      <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 500 }}>{title}</Typography>
      {note && <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>{note}</Typography>}
      <Box sx={{ mt: note ? 0 : 1 }}>{children}</Box>
    </Paper>
  );
}

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export function PassChip({ pass }: { pass: boolean | null }) {
  if (pass === null) return null;
  return <Chip size="small" color={pass ? 'success' : 'error'} label={pass ? 'pass' : 'fail'} sx={{ ml: 1 }} data-testid="pass-chip" data-pass={pass} />;
}

export function MetricsTable({ cells, metrics }: { cells: readonly CellResult[]; metrics: readonly MetricSpec[] }) {
  return (
    <TableContainer>
      <Table size="small" data-testid="metrics-table">
        <TableHead>
          <TableRow>
            <TableCell>Cell</TableCell>
            {cells[0]?.metrics.map((m, i) => {
              const spec = metrics[i];
              const unit = spec ? metricUnit(spec.kind, spec.kind === 'length' ? spec.unit : undefined) : '';
              const threshold = spec?.threshold;
              return (
                <TableCell key={m.metric} align="right">
                  {m.label}{unit ? ` (${unit})` : ''}{i === 0 && <Chip size="small" label="primary" sx={{ ml: 1 }} />}
                  {threshold !== undefined && spec && (
                    <Typography variant="caption" color="text.secondary" component="div">
                      threshold {spec.kind === 'length' ? `≤ ${threshold}` : `≥ ${formatValue(threshold, spec.kind)}`}
                    </Typography>
                  )}
                </TableCell>
              );
            })}
            <TableCell align="right">n</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {cells.map((c) => (
            <TableRow key={c.cell.specializationId} data-testid="metrics-row">
              <TableCell>{c.cell.label}</TableCell>
              {c.metrics.map((m) => {
                const kind = metrics[m.metric]?.kind ?? 'exact_match';
                return (
                  <TableCell key={m.metric} align="right" sx={num} data-testid="metric-value">
                    <Tooltip title={`n = ${m.n}${m.macroF1 !== undefined ? ` · macro-F1 ${formatValue(m.macroF1, kind)}` : ''}`}>
                      <span>{formatValue(m.value, kind)}{m.ci && <Box component="span" sx={{ color: 'text.secondary' }}> {formatInterval(m.ci, kind)}</Box>}</span>
                    </Tooltip>
                    <PassChip pass={m.pass} />
                    {m.perField && (
                      <Typography variant="caption" color="text.secondary" component="div">
                        {Object.entries(m.perField).map(([f, v]) => `${f} ${formatValue(v, kind)}`).join(' · ')}
                      </Typography>
                    )}
                  </TableCell>
                );
              })}
              <TableCell align="right" sx={num}>{c.n}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function pCell(p: number, pHolm: number) {
  const significant = pHolm < 0.05;
  return (
    <>
      <TableCell align="right" sx={num}>{formatP(p)}</TableCell>
      <TableCell align="right" sx={{ ...num, fontWeight: significant ? 600 : undefined }}>{formatP(pHolm)}</TableCell>
    </>
  );
}

export function EffectsTable({ ablation, kind }: { ablation: Ablation; kind: MetricSpec['kind'] }) {
  return (
    <TableContainer>
      <Table size="small" data-testid="effects-table">
        <TableHead>
          <TableRow>
            <TableCell>Effect</TableCell>
            <TableCell align="right">Estimate</TableCell>
            <TableCell align="right">95% CI</TableCell>
            <TableCell align="right">p</TableCell>
            <TableCell align="right">Holm p</TableCell>
            <TableCell>Test</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {ablation.effects.map((e) => (
            <TableRow key={e.terms.join('+')} data-testid="effect-row">
              <TableCell>{termLabel(e.terms)}{e.terms.length > 1 && <Typography variant="caption" color="text.secondary"> interaction</Typography>}</TableCell>
              <TableCell align="right" sx={num}>{formatEffect(e.estimate, kind)}</TableCell>
              <TableCell align="right" sx={num}>{formatInterval(e.ci, kind)}</TableCell>
              {pCell(e.p, e.pHolm)}
              <TableCell>{e.test}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

export function ComparisonsTable({ ablation, kind }: { ablation: Ablation; kind: MetricSpec['kind'] }) {
  return (
    <TableContainer>
      <Table size="small" data-testid="comparisons-table">
        <TableHead>
          <TableRow>
            <TableCell>Comparison</TableCell>
            <TableCell align="right">Difference</TableCell>
            <TableCell align="right">95% CI</TableCell>
            <TableCell align="right">p</TableCell>
            <TableCell align="right">Holm p</TableCell>
            <TableCell>Test</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {ablation.comparisons.map((c) => (
            <TableRow key={c.label}>
              <TableCell>{c.label}</TableCell>
              <TableCell align="right" sx={num}>{formatEffect(c.estimate, kind)}</TableCell>
              <TableCell align="right" sx={num}>{formatInterval(c.ci, kind)}</TableCell>
              {pCell(c.p, c.pHolm)}
              <TableCell>{c.test}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

export function ContextTokensTable({ tokens }: { tokens: Ablation['contextTokens'] }) {
  const entries = Object.entries(tokens) as [Component, number][];
  return (
    <Table size="small" data-testid="context-tokens">
      <TableBody>
        {entries.map(([c, n]) => (
          <TableRow key={c}>
            <TableCell>{COMPONENT_LABELS[c]}</TableCell>
            <TableCell align="right" sx={num}>{n >= 0 ? '+' : ''}{formatNumber(n)} tokens per call</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function CostTable({ cells }: { cells: readonly CellResult[] }) {
  return (
    <TableContainer>
      <Table size="small" data-testid="cost-table">
        <TableHead>
          <TableRow>
            <TableCell>Cell</TableCell>
            <TableCell align="right">Prompt tokens</TableCell>
            <TableCell align="right">Output tokens</TableCell>
            <TableCell align="right">Time to first token</TableCell>
            <TableCell align="right">Total latency</TableCell>
            <TableCell align="right">Tokens/s</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {cells.map((c) => (
            <TableRow key={c.cell.specializationId}>
              <TableCell>{c.cell.label}</TableCell>
              <TableCell align="right" sx={num}>{formatNumber(c.meanPromptTokens)}</TableCell>
              <TableCell align="right" sx={num}>{formatNumber(c.meanOutputTokens)}</TableCell>
              <TableCell align="right" sx={num}>{formatMs(c.meanTimeToFirstTokenMs)}</TableCell>
              <TableCell align="right" sx={num}>{formatMs(c.meanTotalMs)}</TableCell>
              <TableCell align="right" sx={num}>{formatNumber(c.meanTokensPerSecond)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

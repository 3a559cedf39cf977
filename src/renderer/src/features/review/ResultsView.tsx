// A closed round's results: win rates with Wilson CIs per pair (and a chart), Bradley-Terry strengths with bootstrap
// CIs, agreement overall and per reviewer, position bias and self-consistency, tags per specialization, the primary
// metric's agreement with the verdicts, the votes as FastChat battles or CSV, and the preferred outputs as a new
// training dataset (closing the loop). Every rate shows its CI and n.
import DownloadIcon from '@mui/icons-material/Download';
import {
  Alert,
  Box,
  Button,
  LinearProgress,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { useState, type ReactNode } from 'react';
import type { Rate, ReviewResults, RoundSummary } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { downloadText } from '../../components/download';
import { ErrorAlert, useReportError } from '../../components/ErrorReporter';
import { ExportReportMenu } from '../../components/ExportReportMenu';
import { StatisticsTable } from '../../components/StatisticsTable';

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const ci = (c: readonly [number, number] | null) => (c === null ? '' : ` (${pct(c[0])}-${pct(c[1])})`);
const rateText = (r: Rate) => (r.rate === null ? `n/a (n = ${r.n})` : `${pct(r.rate)}${ci(r.ci)}, n = ${r.n}`);
const num = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));

function Block({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 1.5 }} data-testid={testId}>
      <Typography variant="subtitle1" component="h3" sx={{ mb: 1 }}>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

export function ResultsView({ round }: { round: RoundSummary }) {
  const api = useApi();
  const report = useReportError();
  const results = useLoad((a) => a.reviews.results({ id: round.id }), [round.id]);
  const [exportWarnings, setExportWarnings] = useState<string[]>([]);
  if (results.error) return <ErrorAlert error={results.error} testId="results-error" />;
  const r = results.data;
  if (!r) return <LinearProgress aria-label="Computing results" />;
  const exportAs = async (format: 'fastchat' | 'csv') => {
    try {
      const file = await api.reviews.export({ id: round.id, format });
      setExportWarnings(file.warnings);
      downloadText(file.fileName, file.text, format === 'csv' ? 'text/csv' : 'application/json');
      // The lineage travels beside the file: a header inside it would break FastChat's and spreadsheets' readers.
      if (file.lineage) downloadText(file.lineage.fileName, file.lineage.text, 'application/json');
    } catch (error) {
      report(error);
    }
  };
  return (
    <Stack spacing={2} data-testid="review-results">
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1 }}>
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          {round.name}: results ({r.n} judgments, seed {r.seed})
        </Typography>
        {r.mode === 'pairwise' && (
          <Button startIcon={<DownloadIcon />} onClick={() => void exportAs('fastchat')} data-testid="export-fastchat">
            FastChat JSON
          </Button>
        )}
        <Button startIcon={<DownloadIcon />} onClick={() => void exportAs('csv')} data-testid="export-csv">
          CSV
        </Button>
        <ExportReportMenu kind="review" subjectId={round.id} testId="review-export-report" />
      </Stack>
      {exportWarnings.map((w) => (
        <Alert key={w} severity="warning" data-testid="export-warning">
          {w}
        </Alert>
      ))}
      {r.mode === 'pairwise' ? <WinRates r={r} /> : <PassRates r={r} />}
      {r.bradleyTerry && (
        <Block title="Bradley-Terry strengths (95% bootstrap CIs)" testId="bt-table">
          <StatisticsTable
            rows={r.bradleyTerry}
            rowKey={(p) => p.name}
            rowTestId="bt-row"
            columns={[
              { header: 'Specialization', cell: (p) => p.name },
              { header: 'Elo-scale', numeric: true, cell: (p) => p.elo.toFixed(0) },
              { header: 'CI', numeric: true, cell: (p) => `${p.eloCi[0].toFixed(0)}-${p.eloCi[1].toFixed(0)}` },
              { header: 'log-strength', numeric: true, cell: (p) => p.strength.toFixed(2) },
            ]}
          />
        </Block>
      )}
      <Block title="Agreement between reviewers" testId="agreement">
        <Typography variant="body2" data-testid="agreement-overall">
          {r.agreement.method === 'cohen-kappa' ? "Cohen's kappa" : "Krippendorff's alpha"}: {num(r.agreement.value)} on{' '}
          {r.agreement.units} items judged by 2+ reviewers
        </Typography>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Reviewer</TableCell>
              <TableCell align="right">Judgments</TableCell>
              <TableCell align="right">Kappa vs others</TableCell>
              <TableCell align="right">Agrees with others</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {r.perReviewer.map((p) => (
              <TableRow key={p.reviewerId} data-testid="reviewer-agreement">
                <TableCell>{p.name}</TableCell>
                <TableCell align="right">{p.judgments}</TableCell>
                <TableCell align="right">{num(p.kappa)}</TableCell>
                <TableCell align="right">{rateText(p.agreeRate)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Block>
      <Block title="Reliability" testId="reliability">
        {r.mode === 'pairwise' && (
          <Typography variant="body2" data-testid="position-bias">
            Chose the left side: {rateText(r.positionBias)} (50% = no position bias)
          </Typography>
        )}
        <Typography variant="body2" data-testid="self-consistency">
          Same verdict on repeated items (sides swapped): {rateText(r.selfConsistency)}
        </Typography>
        <Typography variant="body2" data-testid="metric-agreement">
          {r.metricAgreement.metric} agrees with the reviewers: {rateText(r.metricAgreement)}
        </Typography>
      </Block>
      <LoopBlock round={round} />
      <Block title="Failure tags per specialization" testId="tags-table">
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Specialization</TableCell>
              <TableCell>Tags (count)</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {r.tags.map((t) => (
              <TableRow key={t.name}>
                <TableCell>{t.name}</TableCell>
                <TableCell>
                  {Object.entries(t.counts)
                    .map(([k, v]) => `${k} (${v})`)
                    .join(', ') || 'none'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Block>
    </Stack>
  );
}

function WinRates({ r }: { r: ReviewResults }) {
  return (
    <Block title="Win rates per pair (95% Wilson CIs)" testId="win-rates">
      <StatisticsTable
        rows={r.winRates}
        rowKey={(w) => `${w.a}-${w.b}`}
        rowTestId="win-rate-row"
        columns={[
          { header: 'A', cell: (w) => w.a },
          { header: 'B', cell: (w) => w.b },
          { header: 'n', numeric: true, cell: (w) => w.n },
          { header: 'A wins', numeric: true, cell: (w) => `${pct(w.rateA)}${ci(w.ciA)}`, testId: 'win-rate-a' },
          { header: 'B wins', numeric: true, cell: (w) => `${pct(w.rateB)}${ci(w.ciB)}` },
          { header: 'Ties / both bad', numeric: true, cell: (w) => `${w.ties} / ${w.bothBad}` },
        ]}
      />
      {r.winRates.length > 0 && (
        <Box data-testid="win-rate-chart" data-bars={r.winRates.length}>
          <BarChart
            height={220}
            layout="horizontal"
            yAxis={[{ scaleType: 'band', data: r.winRates.map((w) => `${w.a} vs ${w.b}`), width: 220 }]}
            xAxis={[{ min: 0, max: 1, valueFormatter: (v: number) => pct(v) }]}
            series={[
              { data: r.winRates.map((w) => w.rateA), label: 'A wins', stack: 's' },
              {
                data: r.winRates.map((w) => (w.ties + w.bothBad) / Math.max(1, w.n)),
                label: 'Tie / both bad',
                stack: 's',
              },
              { data: r.winRates.map((w) => w.rateB), label: 'B wins', stack: 's' },
            ]}
          />
        </Box>
      )}
    </Block>
  );
}

function PassRates({ r }: { r: ReviewResults }) {
  return (
    <Block title="Pass rates (95% Wilson CIs)" testId="pass-rates">
      <Table size="small">
        <TableBody>
          {r.passRates.map((p) => (
            <TableRow key={p.name} data-testid="pass-rate-row">
              <TableCell>{p.name}</TableCell>
              <TableCell align="right">{rateText(p)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Block>
  );
}

function LoopBlock({ round }: { round: RoundSummary }) {
  const api = useApi();
  const report = useReportError();
  const [name, setName] = useState(`Preferred outputs of ${round.name}`);
  const [made, setMade] = useState<{ rows: number; warnings: string[] } | null>(null);
  const make = async () => {
    try {
      setMade(await api.reviews.toDataset({ id: round.id, newName: name }));
    } catch (error) {
      report(error);
    }
  };
  return (
    <Block title="Closing the loop" testId="loop">
      <Stack direction="row" sx={{ gap: 1, alignItems: 'center' }}>
        <TextField
          size="small"
          label="New dataset"
          value={name}
          onChange={(e) => setName(e.target.value)}
          sx={{ flex: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'loop-name' } }}
        />
        <Button variant="outlined" disabled={name.trim() === ''} onClick={() => void make()} data-testid="loop-make">
          Make dataset from preferred outputs
        </Button>
      </Stack>
      {made !== null && (
        <Alert severity="success" sx={{ mt: 1 }} data-testid="loop-done">
          Dataset made with {made.rows} rows; each names this round (see Datasets).
        </Alert>
      )}
      {made?.warnings.map((w) => (
        <Alert key={w} severity="warning" sx={{ mt: 1 }} data-testid="loop-warning">
          {w}
        </Alert>
      ))}
    </Block>
  );
}

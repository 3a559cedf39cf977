// The direct "vs base" part of the verdict: each cell against the base model on the main metric in one sentence,
// and, when every cell scores 0% on it, why that may be and the significant gains on the other metrics.
import { Alert, AlertTitle, Typography } from '@mui/material';
import type { ExperimentResults } from '../../../../shared/contract';
import type { MetricSpec } from '../../../../shared/metrics';
import { mainVersusBase, versusBaseLine, zeroExplanation } from './verdict-notes';

/** How to read the sentence above, for someone who has not met a confidence interval. */
const VERDICT_HELP =
  'Both answered the same rows, so each row is a fair head-to-head. The range in brackets is where the true ' +
  'difference lies with 95% confidence; a gain is called significant only when that whole range is above zero and ' +
  'the ' +
  'p-value, corrected for the number of metrics compared, is below 0.05. A wide range means more rows would tell more.';

export function VersusBasePanel({ results, metrics }: { results: ExperimentResults; metrics: readonly MetricSpec[] }) {
  const main = metrics[0];
  const rows = mainVersusBase(results);
  const zero = zeroExplanation(results, metrics);
  if (!main || (rows.length === 0 && !zero)) return null;
  const gain = rows.some((r) => r.significant && (r.direction === 'higher' ? r.estimate > 0 : r.estimate < 0));
  return (
    <>
      {rows.length > 0 && (
        <Alert
          severity={gain ? 'success' : 'info'}
          variant="outlined"
          data-testid="verdict-vs-base"
          data-significant={String(gain)}
        >
          <AlertTitle sx={{ fontWeight: 600 }}>Against the base model, on {rows[0]?.label}</AlertTitle>
          {rows.map((r) => (
            <Typography
              key={r.cell}
              variant="body1"
              data-testid="verdict-vs-base-row"
              data-ci-low={r.ci[0]}
              data-significant={String(r.significant)}
            >
              {versusBaseLine(r, results.versusBase?.base ?? 'base', main)}
            </Typography>
          ))}
          <Typography
            variant="caption"
            color="text.secondary"
            component="p"
            sx={{ mt: 0.5 }}
            data-testid="verdict-help"
          >
            {VERDICT_HELP}
          </Typography>
        </Alert>
      )}
      {zero && (
        <Alert severity="warning" data-testid="verdict-zero">
          <AlertTitle>Every cell scored 0% on {results.cells[0]?.metrics[0]?.label}. Why this may be:</AlertTitle>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {zero.reasons.map((r) => (
              <li key={r}>
                <Typography variant="body2">{r}</Typography>
              </li>
            ))}
          </ul>
          {zero.gains.length > 0 && (
            <>
              <Typography variant="body2" sx={{ mt: 1, fontWeight: 600 }}>
                Significant gains on the other metrics:
              </Typography>
              <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="verdict-zero-gains">
                {zero.gains.map((g) => (
                  <li key={g}>
                    <Typography variant="body2">{g}</Typography>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Alert>
      )}
    </>
  );
}

// Picks the evidence for a release: finished experiments that evaluated the specialization, and closed review rounds.
import { Checkbox, FormControlLabel, FormGroup, FormLabel, Typography } from '@mui/material';
import { useLoad } from '../../api';

export interface EvidenceChoice {
  experimentIds: string[];
  roundIds: string[];
}

export function EvidencePicker({
  specializationId,
  value,
  onChange,
}: {
  specializationId: string;
  value: EvidenceChoice;
  onChange(v: EvidenceChoice): void;
}) {
  const experiments = useLoad((a) => a.experiments.list({}), []);
  const rounds = useLoad((a) => a.reviews.list({}), []);
  const usable = (experiments.data ?? []).filter(
    (e) => e.state === 'completed' && e.cells.some((c) => c.specializationId === specializationId),
  );
  const closed = (rounds.data ?? []).filter((r) => r.state === 'closed');
  const toggle = (xs: string[], x: string) => (xs.includes(x) ? xs.filter((y) => y !== x) : [...xs, x]);
  return (
    <FormGroup>
      <FormLabel>Evidence</FormLabel>
      {usable.length === 0 && closed.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No finished experiment evaluated this specialization yet, and no review round is closed.
        </Typography>
      )}
      {usable.map((e) => (
        <FormControlLabel
          key={e.id}
          label={`Experiment: ${e.name}`}
          control={
            <Checkbox
              checked={value.experimentIds.includes(e.id)}
              onChange={() => onChange({ ...value, experimentIds: toggle(value.experimentIds, e.id) })}
              data-testid="evidence-experiment"
              data-name={e.name}
            />
          }
        />
      ))}
      {closed.map((r) => (
        <FormControlLabel
          key={r.id}
          label={`Review round: ${r.name}`}
          control={
            <Checkbox
              checked={value.roundIds.includes(r.id)}
              onChange={() => onChange({ ...value, roundIds: toggle(value.roundIds, r.id) })}
              data-testid="evidence-round"
              data-name={r.name}
            />
          }
        />
      ))}
    </FormGroup>
  );
}

// Picks the evidence for a release: finished experiments that evaluated the specialization, closed review rounds, and
// projects' recorded decisions that chose it.
import { Checkbox, FormControlLabel, FormGroup, FormLabel, Typography } from '@mui/material';
import { useLoad } from '../../api';

export interface EvidenceChoice {
  experimentIds: string[];
  roundIds: string[];
  decisionIds?: string[];
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
  const decisions = useLoad(
    async (a) => {
      const projects = await a.projects.list({});
      const all = await Promise.all(projects.map((p) => a.projects.decisions({ id: p.id })));
      return all
        .flat()
        .filter((d) => d.options.some((o) => o.option === d.option && o.specializationId === specializationId));
    },
    [specializationId],
  );
  const cited = value.decisionIds ?? [];
  const usable = (experiments.data ?? []).filter(
    (e) => e.state === 'completed' && e.cells.some((c) => c.specializationId === specializationId),
  );
  const closed = (rounds.data ?? []).filter((r) => r.state === 'closed');
  const toggle = (xs: string[], x: string) => (xs.includes(x) ? xs.filter((y) => y !== x) : [...xs, x]);
  return (
    <FormGroup>
      <FormLabel>Evidence</FormLabel>
      {usable.length === 0 && closed.length === 0 && (decisions.data ?? []).length === 0 && (
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
      {(decisions.data ?? []).map((d) => (
        <FormControlLabel
          key={d.id}
          label={`Decision: ${d.option}, decided by ${d.decidedBy} (${new Date(d.decidedAt).toLocaleDateString()})`}
          control={
            <Checkbox
              checked={cited.includes(d.id)}
              onChange={() => onChange({ ...value, decisionIds: toggle(cited, d.id) })}
              data-testid="evidence-decision"
              data-hash={d.hash}
            />
          }
        />
      ))}
    </FormGroup>
  );
}

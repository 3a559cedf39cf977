// The judge for model-graded checks in the import dialogs: a specialization of this workspace (a local model with its
// template) that answers each grader's prompt; "None" leaves model graders out, listed as needing a judge.
import { MenuItem, TextField } from '@mui/material';
import { useLoad } from '../../api';

export interface JudgePickerProps {
  readonly value: string;
  readonly onChange: (judgeId: string) => void;
  /** Which checks it runs, in the label: "score_model, label_model" or "llm-rubric". */
  readonly checks: string;
  readonly testId: string;
  readonly disabled?: boolean;
}

export function JudgePicker({ value, onChange, checks, testId, disabled }: JudgePickerProps) {
  const specializations = useLoad((a) => a.specializations.list({}), []);
  return (
    <TextField
      select
      size="small"
      label={`Judge for model graders (${checks})`}
      value={value}
      disabled={disabled === true}
      onChange={(e) => onChange(e.target.value)}
      helperText="A specialization (a local model with its template) that answers each grader's prompt, decoded greedily."
      slotProps={{ select: { SelectDisplayProps: { 'data-testid': testId } as object } }}
    >
      <MenuItem value="">None: model graders are not imported</MenuItem>
      {(specializations.data ?? []).map((s) => (
        <MenuItem key={s.id} value={s.id}>
          {s.name}
        </MenuItem>
      ))}
    </TextField>
  );
}

// The workspace's failure rules: user-defined categories (an RE2 regex on the output, or longer / shorter than N
// characters) that every failure-mode view and drift audit applies.
import { Button, MenuItem, Paper, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import type { FailureRule } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

export function RulesPanel({ onChanged }: { onChanged(): void }) {
  const api = useApi();
  const rules = useLoad((a) => a.robustness.rules({}), []);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<FailureRule['kind']>('regex');
  const [value, setValue] = useState('');
  const save = useSubmit(async () => {
    const rule: FailureRule =
      kind === 'regex' ? { kind, name, pattern: value, flags: 'i' } : { kind, name, chars: Number(value) };
    await api.robustness.saveRules({ rules: [...(rules.data ?? []), rule] });
    setName('');
    setValue('');
    rules.reload();
    onChanged();
  });
  const remove = (i: number) =>
    void save.submit(async () => {
      await api.robustness.saveRules({ rules: (rules.data ?? []).filter((_, k) => k !== i) });
      rules.reload();
      onChanged();
    });
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="failure-rules">
      <Typography variant="h6" component="h2">
        Failure rules
      </Typography>
      {(rules.data ?? []).map((r, i) => (
        <Stack key={r.name} direction="row" sx={{ alignItems: 'center', gap: 1 }} data-testid="failure-rule">
          <Typography variant="body2" sx={{ flex: 1 }}>
            {r.name}:{' '}
            {r.kind === 'regex'
              ? `matches /${r.pattern}/${r.flags}`
              : `${r.kind.replace('_', ' ')} ${r.chars} characters`}
          </Typography>
          <Button size="small" onClick={() => remove(i)}>
            Remove
          </Button>
        </Stack>
      ))}
      <Stack direction="row" sx={{ gap: 1, mt: 1, flexWrap: 'wrap' }}>
        <TextField size="small" label="Category name" value={name} onChange={(e) => setName(e.target.value)} />
        <TextField
          select
          size="small"
          label="Rule"
          value={kind}
          onChange={(e) => setKind(e.target.value as FailureRule['kind'])}
        >
          <MenuItem value="regex">Output matches (regex)</MenuItem>
          <MenuItem value="longer_than">Longer than (characters)</MenuItem>
          <MenuItem value="shorter_than">Shorter than (characters)</MenuItem>
        </TextField>
        <TextField
          size="small"
          label={kind === 'regex' ? 'Pattern' : 'Characters'}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <Button variant="outlined" disabled={save.busy || !name || !value} onClick={() => void save.submit()}>
          Add rule
        </Button>
      </Stack>
      <ErrorAlert error={save.error} testId="failure-rules-error" />
    </Paper>
  );
}

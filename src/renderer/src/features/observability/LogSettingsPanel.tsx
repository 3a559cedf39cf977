// What the request log keeps: prompt and completion text only when turned on (off forgets the text kept so far),
// and for how many days records are kept.
import { Button, FormControlLabel, Paper, Stack, Switch, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

export function LogSettingsPanel() {
  const api = useApi();
  const settings = useLoad((a) => a.serving.logSettings({}), []);
  const [recordText, setRecordText] = useState(false);
  const [days, setDays] = useState('30');
  const submit = useSubmit();
  useEffect(() => {
    if (!settings.data) return;
    setRecordText(settings.data.recordText);
    setDays(settings.data.retentionDays === null ? '' : String(settings.data.retentionDays));
  }, [settings.data]);
  const save = () =>
    submit.submit(async () =>
      settings.set(
        await api.serving.setLogSettings({ recordText, retentionDays: days.trim() === '' ? null : Number(days) }),
      ),
    );
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="serving-log-settings">
      <Typography variant="h6" component="h2">
        Request log
      </Typography>
      <Stack direction="row" sx={{ gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
        <FormControlLabel
          control={<Switch checked={recordText} onChange={(e) => setRecordText(e.target.checked)} />}
          label="Keep prompt and completion text"
        />
        <TextField
          label="Keep records (days)"
          size="small"
          type="number"
          value={days}
          onChange={(e) => setDays(e.target.value)}
          helperText="Empty: keep them"
        />
        <Button onClick={() => void save()} disabled={submit.busy || settings.data === undefined}>
          Save
        </Button>
      </Stack>
      {submit.error !== undefined && <ErrorAlert error={submit.error} testId="serving-log-error" />}
    </Paper>
  );
}

// "Start here": what Dovetail is for in two sentences and the main loop as a checklist, each step ticked from the
// workspace's state (kept fresh by the services' change events) with a button to where it is done.
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import {
  Box,
  Button,
  CircularProgress,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Paper,
  Typography,
} from '@mui/material';
import { useEffect } from 'react';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSection } from '../shell/useSection';
import { checklist, type WorkspaceFacts } from './checklist';

export function StartSection() {
  const api = useApi();
  const [, go] = useSection();
  const facts = useLoad(async (a): Promise<WorkspaceFacts> => {
    const [adapters, jobs, specializations, experiments, rounds] = await Promise.all([
      a.adapters.list({}),
      a.adapters.jobs({}),
      a.specializations.list({}),
      a.experiments.list({}),
      a.reviews.list({}).catch(() => []),
    ]);
    return { adapters, jobs, specializations, experiments, rounds };
  });
  const { reload } = facts;
  useEffect(() => {
    const offs = [
      api.adapters.onChanged(() => reload()),
      api.adapters.onJobChanged(() => reload()),
      api.specializations.onChanged(() => reload()),
      api.experiments.onChanged(() => reload()),
      api.reviews.onChanged(() => reload()),
    ];
    return () => offs.forEach((off) => off());
  }, [api, reload]);
  const steps = facts.data ? checklist(facts.data) : null;
  const next = steps?.find((s) => s.state !== 'done');
  return (
    <Box sx={{ p: 3, maxWidth: 860, mx: 'auto' }} data-testid="start-here">
      <Typography variant="h5" component="h1">
        Start here
      </Typography>
      <Typography color="text.secondary" sx={{ mt: 1, mb: 2 }}>
        Dovetail teaches a small language model on this computer a task from your own examples, then measures honestly
        whether it got better. This demo workspace has a small model, two example datasets and their prompts ready. The
        main loop:
      </Typography>
      <ErrorAlert error={facts.error} />
      {!steps ? (
        <CircularProgress aria-label="Loading the checklist" />
      ) : (
        <Paper variant="outlined">
          <List data-testid="start-checklist">
            {steps.map((s, k) => (
              <ListItem
                key={s.id}
                data-testid={`start-step-${s.id}`}
                data-state={s.state}
                secondaryAction={
                  <Button
                    variant={s === next ? 'contained' : 'text'}
                    onClick={() => go(s.section)}
                    data-testid={`start-go-${s.id}`}
                  >
                    {s.state === 'done' ? 'Open' : 'Go'}
                  </Button>
                }
              >
                <ListItemIcon>
                  {s.state === 'done' ? (
                    <CheckCircleIcon color="success" aria-label="done" />
                  ) : s.state === 'running' ? (
                    <CircularProgress size={22} aria-label="in progress" />
                  ) : (
                    <RadioButtonUncheckedIcon color="disabled" aria-label="to do" />
                  )}
                </ListItemIcon>
                <ListItemText primary={`${k + 1}. ${s.title}`} secondary={s.how} sx={{ pr: 10 }} />
              </ListItem>
            ))}
          </List>
        </Paper>
      )}
      <Paper variant="outlined" sx={{ mt: 2, p: 2, display: 'flex', alignItems: 'center', gap: 2 }}>
        <Typography sx={{ flex: 1 }}>
          To be guided through the whole method (a baseline, a better prompt, a small adapter, both together, and a
          decision on which to ship with its costs), start a project.
        </Typography>
        <Button variant="outlined" onClick={() => go('projects')} data-testid="start-go-projects">
          Projects
        </Button>
      </Paper>
    </Box>
  );
}

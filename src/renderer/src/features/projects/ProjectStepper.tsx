// The stages of a project as a vertical stepper: each stage says what it is for, shows its runs with what changed,
// and the current one proposes its next step with one button. Expert controls (skip, redo, move) sit beside each.
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import {
  Alert,
  Box,
  Button,
  IconButton,
  Paper,
  Step,
  StepContent,
  StepLabel,
  Stepper,
  Tooltip,
  Typography,
} from '@mui/material';
import { useEffect } from 'react';
import type { Project, Stage } from '../../../../shared/contract';
import { STAGE_LABELS } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { DecisionPanel } from './DecisionPanel';
import { StageRunView } from './StageRunView';

const PURPOSE: Record<Stage, string> = {
  baseline: 'What the base model does alone, then with a first prompt: the yardstick for everything after.',
  prompt: 'Improve the prompt (wording, worked examples) and measure each change on its own.',
  adapter: 'Teach the model the task with a small adapter, keeping the best prompt, and measure what it adds.',
  hybrid: 'Measure prompt only, adapter only and both on the same rows, with their costs.',
  decision: 'Choose prompt only, adapter only or both, by explicit criteria, and record why.',
};

export function ProjectStepper({ project, onChange }: { project: Project; onChange: (p: Project) => void }) {
  const api = useApi();
  const proposal = useLoad((a) => a.projects.proposal({ id: project.id }), [project.id, project.updatedAt]);
  const { reload } = proposal;
  useEffect(() => {
    const offs = [api.experiments.onChanged(() => reload()), api.adapters.onJobChanged(() => reload())];
    return () => offs.forEach((off) => off());
  }, [api, reload]);
  const action = useSubmit();
  const current = project.stages.findIndex((s) => s.status === 'todo');
  const p = proposal.data;
  const act = (run: () => Promise<Project>) => void action.submit(async () => onChange(await run()));
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="project-stepper">
      <Stepper orientation="vertical" activeStep={current === -1 ? project.stages.length : current} nonLinear>
        {project.stages.map((s, k) => (
          <Step
            key={s.stage}
            completed={s.status === 'done'}
            expanded={k === current || s.runs.length > 0}
            data-testid={`project-stage-${s.stage}`}
            data-status={s.status}
          >
            <StepLabel
              optional={s.status === 'skipped' ? <Typography variant="caption">skipped</Typography> : undefined}
            >
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                <span>{STAGE_LABELS[s.stage]}</span>
                {s.stage !== 'decision' && (
                  <>
                    <Tooltip title="Move up">
                      <span>
                        <IconButton
                          size="small"
                          disabled={k === 0 || action.busy}
                          onClick={() =>
                            act(() => api.projects.moveStage({ id: project.id, stage: s.stage, to: k - 1 }))
                          }
                          aria-label={`Move ${STAGE_LABELS[s.stage]} up`}
                        >
                          <ArrowUpwardIcon fontSize="inherit" />
                        </IconButton>
                      </span>
                    </Tooltip>
                    <Tooltip title="Move down">
                      <span>
                        <IconButton
                          size="small"
                          disabled={k >= project.stages.length - 2 || action.busy}
                          onClick={() =>
                            act(() => api.projects.moveStage({ id: project.id, stage: s.stage, to: k + 1 }))
                          }
                          aria-label={`Move ${STAGE_LABELS[s.stage]} down`}
                        >
                          <ArrowDownwardIcon fontSize="inherit" />
                        </IconButton>
                      </span>
                    </Tooltip>
                  </>
                )}
                {s.status === 'todo' ? (
                  <Button
                    size="small"
                    disabled={action.busy}
                    onClick={() =>
                      act(() => api.projects.setStage({ id: project.id, stage: s.stage, status: 'skipped' }))
                    }
                    data-testid={`project-skip-${s.stage}`}
                  >
                    Skip
                  </Button>
                ) : (
                  <Button
                    size="small"
                    disabled={action.busy}
                    onClick={() => act(() => api.projects.setStage({ id: project.id, stage: s.stage, status: 'todo' }))}
                    data-testid={`project-redo-${s.stage}`}
                  >
                    Redo
                  </Button>
                )}
              </Box>
            </StepLabel>
            <StepContent>
              <Typography variant="body2" color="text.secondary">
                {PURPOSE[s.stage]}
              </Typography>
              {s.runs.map((run) => (
                <StageRunView key={run.id} run={run} />
              ))}
              {k === current && p && p.stage === s.stage && (
                <Box sx={{ mt: 1 }} data-testid="project-proposal" data-action={p.action}>
                  {p.action === 'decide' ? (
                    <DecisionPanel project={project} onDecided={onChange} />
                  ) : (
                    <Alert severity={p.action === 'blocked' ? 'warning' : 'info'} icon={false}>
                      <Typography variant="subtitle2">{p.title}</Typography>
                      {p.change && <Typography variant="body2">{p.change}</Typography>}
                      {p.why && (
                        <Typography variant="body2" color="text.secondary">
                          {p.why}
                        </Typography>
                      )}
                      {(p.action === 'run' || p.action === 'advance') && (
                        <Button
                          variant="contained"
                          size="small"
                          sx={{ mt: 1 }}
                          disabled={action.busy}
                          onClick={() => act(() => api.projects.runNext({ id: project.id }))}
                          data-testid="project-next"
                        >
                          {p.action === 'run' ? 'Run this step' : 'Continue'}
                        </Button>
                      )}
                    </Alert>
                  )}
                </Box>
              )}
            </StepContent>
          </Step>
        ))}
      </Stepper>
      <ErrorAlert error={action.error ?? proposal.error} />
      {current === -1 && (
        <Box data-testid="project-finished" sx={{ mt: 1 }}>
          <Typography variant="body2">Every stage is done or skipped.</Typography>
          <DecisionPanel project={project} onDecided={onChange} recordedOnly />
        </Box>
      )}
    </Paper>
  );
}

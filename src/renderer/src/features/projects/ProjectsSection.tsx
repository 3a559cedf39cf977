// The Projects section: the workspace's projects, a form for a new one, and the chosen project's stages. The project
// shown is kept fresh by the projects service's change events; below its stages, its failure modes across them.
import { Box, Button, Chip, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { Project } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { StageFailureModesPanel } from '../robustness/StageFailureModesPanel';
import { NewProjectForm } from './NewProjectForm';
import { ProjectStepper } from './ProjectStepper';

export function ProjectsSection() {
  const api = useApi();
  const projects = useLoad((a) => a.projects.list({}));
  const { reload } = projects;
  useEffect(() => api.projects.onChanged(() => reload()), [api, reload]);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = projects.data ?? [];
  const project = list.find((p) => p.id === selected) ?? list[0];
  const show = (p: Project) => {
    setSelected(p.id);
    setCreating(false);
    reload();
  };
  return (
    <Box sx={{ p: 3, maxWidth: 1100, mx: 'auto' }} data-testid="projects">
      <Typography variant="h5" component="h1">
        Projects
      </Typography>
      <Typography color="text.secondary" sx={{ mt: 1, mb: 2 }}>
        A project follows the method one step at a time: each stage proposes one change, runs it, and shows what changed
        with its 95% interval. Experts can skip or reorder stages.
      </Typography>
      <ErrorAlert error={projects.error} />
      {projects.data && (
        <>
          <Stack direction="row" spacing={1} sx={{ mb: 2, flexWrap: 'wrap' }}>
            {list.map((p) => (
              <Chip
                key={p.id}
                label={p.spec.name}
                color={p.id === project?.id && !creating ? 'primary' : 'default'}
                onClick={() => show(p)}
                data-testid="project-chip"
              />
            ))}
            {list.length > 0 && (
              <Button size="small" onClick={() => setCreating(true)} data-testid="project-add">
                New project
              </Button>
            )}
          </Stack>
          {creating || !project ? (
            <NewProjectForm onCreated={show} />
          ) : (
            <ProjectView project={project} onChange={show} />
          )}
        </>
      )}
    </Box>
  );
}

function ProjectView({ project, onChange }: { project: Project; onChange: (p: Project) => void }) {
  const main = project.spec.metrics[0];
  return (
    <Box data-testid="project-view">
      <Typography variant="h6" component="h2">
        {project.spec.name}
      </Typography>
      {project.spec.task && <Typography>{project.spec.task}</Typography>}
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Aim: {main?.name ?? main?.kind} at least {Math.round((main?.threshold ?? 0) * 100)}% on{' '}
        {project.spec.evalRows ?? 'all'} {project.spec.evalSplit} rows
        {project.spec.failureCategories.length > 0 && `; known failures: ${project.spec.failureCategories.join(', ')}`}
      </Typography>
      <ProjectStepper project={project} onChange={onChange} />
      <StageFailureModesPanel projectId={project.id} projectName={project.spec.name} reloadKey={project.updatedAt} />
    </Box>
  );
}

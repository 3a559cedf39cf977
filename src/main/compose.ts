// The composition root: the only place services are constructed and wired (docs/style.md:
// dependencies come through constructors). Each entry (desktop
// index.ts, browser-mode web.ts, headless cli.ts) calls composeApp with what differs between them.
import { contract, ImportDataset, SaveTemplate, type Contract } from '../shared/contract';
import { BugError, CancelledError } from '../shared/errors';
import { AccessControl, permissionOf } from './api/access';
import { Dispatcher } from './api/dispatcher';
import { EngineHost } from './host/engine-host';
import { ImportWriterHost } from './host/import-writer';
import { ScoringHost } from './host/scoring-host';
import { RenderHost } from './host/render-host';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { startShareServer } from './host/review-share-server';
import { startServingServer } from './host/serving-server';
import { spawnChildProcess, type SpawnEngine } from './host/engine-channel';
import { defaultWorkspaceParent } from './platform/paths';
import { AdaptersService } from './services/adapters';
import { AuditRecorder, AuditService, appendEntry } from './services/audit';
import { RobustnessService } from './services/robustness';
import { datasetRenderer } from './services/adapters/dataset-source';
import { DatasetsService, removeStaleSpools } from './services/datasets';
import { testTexts } from './services/models/weight-quality';
import { ImportsService } from './services/imports';
import { ExperimentsService } from './services/experiments';
import { loadExamples } from './services/experiments/examples';
import { ReleasesService } from './services/releases';
import { ExperimentReportSource, manifestHash, ReportsService } from './services/reports';
import { createReportKinds } from './services/reports/kinds';
import { recomputeDatasetHash } from './services/datasets/verify-content';
import { ProjectsService } from './services/projects';
import { OverlapIndex, trainedAdapters } from './services/guards';
import { PrivacyService } from './services/privacy';
import { ReviewsService } from './services/reviews';
import { ServingService } from './services/serving';
import { SpecializationsService } from './services/specializations';
import { TemplatesService } from './services/templates';
import type { AdapterRecord } from '../shared/contract/adapters';
import { UsersService } from './services/users';
import { AppService, type FolderPicker } from './services/app/app-service';
import { EngineService } from './services/engine/engine-service';
import { DemoService } from './services/demo';
import { GenerationService } from './services/generation';
import { ModelsService } from './services/models';
import { HubService, TokenStore, fileKeyCipher, type SecretCipher } from './services/hub';
import { SettingsService, applyEngineSettings, engineConfig, weightSettings } from './services/settings';
import { WorkspaceService } from './services/workspace';
import { resolveFolderPath } from './services/workspace/layout';

export interface ComposeOptions {
  shell: 'desktop' | 'browser';
  version: string;
  /** Per-user folder (recent workspaces); Electron's userData in the desktop app. */
  userDataDir: string;
  /** The built renderer (out/renderer): the review share server serves it to remote reviewers (portal mode). */
  rendererDir?: string;
  /** The built engine worker (out/main/engine-worker.js). */
  engineWorkerScript: string;
  /** The built render worker; by default render-worker.<ext> beside the engine worker (the build puts it there). */
  renderWorkerScript?: string;
  /** The built scoring worker; by default scoring-worker.<ext> beside the engine worker. */
  scoringWorkerScript?: string;
  /** The built import writer; by default import-writer-worker.<ext> beside the engine worker. */
  importWriterScript?: string;
  /** A child process by default (see docs/decisions/0003); Electron passes its utilityProcess spawner. */
  spawnEngine?: SpawnEngine;
  folderPicker?: FolderPicker;
  /** Relative paths typed by the user resolve against this (the CLI passes the current directory). */
  relativeTo?: string;
  log?: (level: 'warn' | 'error', message: string, error?: unknown) => void;
  /** Encrypts the Hub access token with the OS keychain's key (Electron's safeStorage); else a key file. */
  secretCipher?: SecretCipher;
  /** Start releases' drift audits that are due when a workspace opens (default true; headless commands pass false). */
  scheduledAudits?: boolean;
}

export interface ComposedApp {
  readonly dispatcher: Dispatcher<Contract>;
  readonly workspace: WorkspaceService;
  readonly engine: EngineHost;
  /** For the headless main job (cli.ts), which waits on runs that the contract only starts. */
  readonly services: {
    readonly experiments: ExperimentsService;
    readonly adapters: AdaptersService;
    readonly serving: ServingService;
    readonly robustness: RobustnessService;
    readonly hub: HubService;
  };
  dispose(): Promise<void>;
}

export function composeApp(options: ComposeOptions): ComposedApp {
  const log = options.log ?? defaultLog;
  const engine = new EngineHost(options.engineWorkerScript, options.spawnEngine ?? spawnChildProcess, {
    onBug: (error) => log('error', 'Engine protocol error', error),
  });
  const renderer = new RenderHost(
    options.renderWorkerScript ?? siblingScript(options.engineWorkerScript, 'render-worker'),
  );
  const scoring = new ScoringHost(
    options.scoringWorkerScript ?? siblingScript(options.engineWorkerScript, 'scoring-worker'),
  );
  const importWriter = new ImportWriterHost(
    options.importWriterScript ?? siblingScript(options.engineWorkerScript, 'import-writer-worker'),
  );
  // Services get their event sinks from the dispatcher, which needs the services: break the cycle with a late binding.
  const late: { dispatcher?: Dispatcher<Contract> } = {};
  const sink = <K extends keyof Contract & string>(service: K) => ({
    emit: (event: string, payload: unknown) =>
      (late.dispatcher?.sink(service) as { emit(e: string, p: unknown): void } | undefined)?.emit(event, payload),
  });
  // Quantized copies of models' weights, per content hash: shared by every workspace that registers the model.
  const weightCacheFolder = join(options.userDataDir, 'weight-cache');
  const settings = new SettingsService({
    userDataDir: options.userDataDir,
    events: sink('settings'),
    onWarning: (message) => log('warn', message),
    apply: applyEngineSettings(engine, weightCacheFolder),
  });
  void engine.reconfigure(engineConfig(settings.current.engine)); // not launched yet: sets the first worker's config
  engine.setWeights(weightSettings(settings.current.engine, weightCacheFolder));
  const workspace = new WorkspaceService({
    appDataDir: options.userDataDir,
    clock: () => new Date(),
    appVersion: options.version,
    events: sink('workspace'),
    ...(options.relativeTo ? { paths: { relativeTo: options.relativeTo } } : {}),
    onWarning: (message, error) => log('warn', message, error),
    // A spool left by an import that a killed app never finished.
    onOpened: async (folder) => {
      const removed = await removeStaleSpools(folder);
      if (removed.files > 0)
        log('warn', `Removed ${removed.files} unfinished import file(s) (${removed.bytes} bytes) from ${folder}`);
    },
  });
  const app = new AppService({
    version: options.version,
    shell: options.shell,
    platform: process.platform,
    defaultWorkspaceParent: defaultWorkspaceParent(),
    ...(options.folderPicker ? { folderPicker: options.folderPicker } : {}),
  });
  const engineService = new EngineService(engine, sink('engine'));
  const models = new ModelsService({
    workspace,
    engine,
    events: sink('models'),
    clock: () => new Date(),
    qualityTexts: async (versionId, limit) => {
      const version = await datasets.get({ versionId });
      const page = await datasets.rows({ versionId, split: 'test', offset: 0, limit, onlyDuplicates: false });
      return testTexts(version, page.rows);
    },
    weights: {
      cacheFolder: weightCacheFolder,
      formatOf: (hash) => settings.current.engine.weightFormats[hash] ?? 'stored',
      save: async (hash, format) => {
        const { [hash]: _previous, ...others } = settings.current.engine.weightFormats;
        await settings.update({
          engine: { weightFormats: format === 'stored' ? others : { ...others, [hash]: format } },
        });
      },
    },
    ...(options.relativeTo ? { paths: { relativeTo: options.relativeTo } } : {}),
  });
  const hub = new HubService({
    userDataDir: options.userDataDir,
    settings: () => settings.current.hub,
    tokens: new TokenStore(options.userDataDir, options.secretCipher ?? fileKeyCipher(options.userDataDir), (message) =>
      log('warn', message),
    ),
    events: sink('hub'),
    register: (folder, name) => models.add({ folder, name }),
    warn: (message) => log('warn', message),
  });
  const generation = new GenerationService({
    models,
    engine,
    events: sink('generation'),
    playground: {
      load: () => settings.playground(workspace.active.info.id),
      save: (value) => settings.savePlayground(workspace.active.info.id, value),
    },
  });
  const clock = (): Date => new Date();
  const datasets = new DatasetsService({
    workspace,
    events: sink('datasets'),
    clock,
    writer: importWriter,
    ...(options.relativeTo ? { paths: { relativeTo: options.relativeTo } } : {}),
    // privacy is constructed below (it reads and writes versions through datasets)
    privacyCheck: async (subject, rows): Promise<string | null> =>
      (
        await privacy.guardRows(
          'import',
          subject,
          rows,
          "After the import, the version's Personal data panel lists them and redacts them.",
        )
      ).warning,
    exportCheck: async (versionId, split) => (await privacy.guardVersion('export', versionId, split)).warning,
  });
  const users = new UsersService({ workspace, events: sink('users'), clock });
  const privacy: PrivacyService = new PrivacyService({ workspace, datasets, events: sink('privacy'), clock });
  const templates = new TemplatesService({
    workspace,
    datasets,
    events: sink('templates'),
    clock,
    users,
    engine,
    models: generation,
    generation,
    renderer,
    // constructed below (it renders datasets through templates)
    adapters: { record: (id): AdapterRecord => adapters.record(id) },
  });
  const overlap = new OverlapIndex({ datasets });
  const adapters: AdaptersService = new AdaptersService({
    workspace,
    engine,
    models,
    events: sink('adapters'),
    clock,
    appVersion: options.version,
    renderer,
    renderDataset: datasetRenderer({ datasets, templates }),
    templates,
    ...(options.relativeTo ? { paths: { relativeTo: options.relativeTo } } : {}),
    trainingCheck: async (versionId, maxRows) => {
      const personal = await privacy.guardVersion('training', versionId, 'train');
      const overlaps = overlap.trainingWarnings(versionId, maxRows, await experiments.list());
      return {
        warnings: [...(personal.warning === null ? [] : [personal.warning]), ...overlaps],
        personalData: personal.total,
      };
    },
  });
  const specializations = new SpecializationsService({
    workspace,
    models,
    adapters,
    templates,
    generation,
    events: sink('specializations'),
    clock,
  });
  const experiments: ExperimentsService = new ExperimentsService({
    workspace,
    engine,
    datasets,
    specializations,
    events: sink('experiments'),
    clock,
    weightFormatOf: (id) => models.weightFormatOf(id),
    recordTaskQuality: (modelId, entries) => models.recordTaskQuality(modelId, entries),
    appVersion: options.version,
    userName: (id) => users.user(id)?.name,
    scoring,
    contamination: (experiment) =>
      overlap.experimentWarnings(experiment, trainedAdapters(experiment, specializations, adapters)),
  });
  const reviews = new ReviewsService({
    workspace,
    experiments,
    users,
    events: sink('reviews'),
    clock,
    examples: (experiment) => loadExamples(datasets, experiment.spec).examples,
    specializationName: (id) => {
      try {
        return specializations.specialization(id).name;
      } catch {
        return undefined; // removed since the round was made: the cell label stands in
      }
    },
    importDataset: (arg, lineage) => datasets.importWithLineage(arg, lineage),
    privacyCheck: async (moment, subject, rows) =>
      (
        await privacy.guardRows(
          moment,
          subject,
          rows,
          "Redact the experiment's dataset (Datasets, Personal data panel) and run the experiment on the redacted version.",
        )
      ).warning,
    openShareServer: async (request, resolve) => {
      if (!late.dispatcher) throw new BugError('sharing before the dispatcher exists');
      return startShareServer(late.dispatcher as never, resolve, {
        ...request,
        ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
      });
    },
    lineage: (id, ctx) => reportKinds.reviewLineage(id, ctx), // constructed below (it reads rounds through reviews)
  });
  const releases: ReleasesService = new ReleasesService({
    workspace,
    specialization: (id) => specializations.specialization(id),
    lineage: (id) => specializations.lineage(id),
    experiments,
    reviews,
    datasetName: async (versionId) => (await datasets.get({ versionId })).name,
    // The projects service is made below; a decision is looked up only when a call cites one.
    decision: (id) => projects.decision(id),
    templateStatus: (id) => templates.templateVersion(id).status,
    userName: (id) => users.user(id)?.name,
    appVersion: options.version,
    vllm: {
      modelFolder: async (id) => (await models.get({ id })).folder,
      adapter: async (id) => {
        const a = await adapters.get({ id });
        const r = a.lineage.hyper_parameters as { r?: unknown } | undefined;
        return {
          folder: a.folder,
          r: typeof r?.r === 'number' ? r.r : null,
          compatible: a.vllm.compatible,
          problems: a.vllm.problems.map((p) => p.message),
        };
      },
    },
    bundles: {
      resolvePath: (input) =>
        resolveFolderPath(input, { homeDir: os.homedir(), relativeTo: options.relativeTo ?? os.homedir() }),
      export: {
        specialization: (id) => specializations.specialization(id),
        model: (id) => models.get({ id }),
        adapter: (id) => adapters.record(id),
        adapterHash: (id) => adapters.contentHash(id),
        templateVersion: (id) => templates.templateVersion(id),
        demonstrationSetVersion: (id) => templates.demonstrationSetVersion(id),
        datasetFacts: (id) => datasets.versionFacts(id),
        datasetRows: (id, keys) => datasets.readRowsByKey(id, keys),
      },
      import: {
        models: () => models.list(),
        adapters: () => adapters.list(),
        adapterHash: (id) => adapters.contentHash(id),
        importAdapter: (arg) => adapters.importPeft(arg),
        removeAdapter: async (id) => {
          await adapters.remove({ id });
        },
        templates: () => templates.list(),
        saveTemplate: (arg) => templates.save(SaveTemplate.parse(arg)),
        saveDemonstrations: (arg) => templates.saveDemonstrations(arg),
        datasets: () => datasets.list(),
        importDataset: async (arg) => {
          const { version } = await datasets.import(ImportDataset.parse(arg));
          return { versionId: version.id, datasetId: version.datasetId };
        },
        createSpecialization: (arg) => specializations.create(arg),
      },
    },
    // Serving is made after releases; the figures are only asked for once both exist.
    serving: { figuresFor: (id) => serving.figuresFor(id) },
    events: sink('releases'),
    clock,
  });
  const reportKinds = createReportKinds({
    appVersion: options.version,
    userName: (id) => users.user(id)?.name,
    clock,
    datasetFacts: async (id) => datasets.versionFacts(id),
    trainedOn: (id) => adapters.trainedOn(id),
    specializationLineage: (id) => specializations.lineage(id),
    reviews,
    experiment: (id) => experiments.get({ id }),
    adapters,
    model: (id) => models.get({ id }),
    templateVersion: async (id) => templates.templateVersion(id),
    releases,
  });
  const reports = new ReportsService({
    workspace,
    sources: [
      new ExperimentReportSource({
        list: () => experiments.list(),
        reportDocument: (id, ctx) => experiments.reportDocument(id, [], ctx),
      }),
      ...reportKinds.sources,
    ],
    currentHash: async (kind, id) => {
      switch (kind) {
        case 'datasetVersion':
          return recomputeDatasetHash(workspace.active.db, id)?.computed;
        case 'model':
          return (await models.get({ id })).contentHash;
        case 'adapter':
          return adapters.contentHash(id);
        case 'templateVersion':
          return templates.templateVersion(id).contentHash;
        case 'demonstrationSetVersion':
          return templates.demonstrationSetVersion(id).contentHash;
        case 'specialization':
          return specializations.specialization(id).hash;
        case 'release':
          return manifestHash((await releases.get({ id })).manifest);
        default:
          return undefined;
      }
    },
    events: sink('reports'),
    clock,
  });
  const serving: ServingService = new ServingService({
    workspace,
    engine,
    releases,
    resolve: (id) => specializations.resolve(id),
    templateFields: (id) => templates.templateVersion(id).fields.filter((f) => f !== 'examples'),
    openServer: startServingServer,
    userName: (id) => users.user(id)?.name,
    events: sink('serving'),
    clock,
  });
  const projects = new ProjectsService({
    workspace,
    experiments,
    specializations,
    adapters,
    templates,
    datasets,
    userName: (id) => users.user(id)?.name,
    events: sink('projects'),
    clock,
  });
  const robustness = new RobustnessService({
    workspace,
    experiments,
    datasets,
    importDataset: (arg, lineage) => datasets.importWithLineage(ImportDataset.parse(arg), lineage),
    release: (id) => releases.get({ id }),
    project: (id) => projects.get({ id }),
    weightFormatOf: (id) => models.weightFormatOf(specializations.specialization(id).modelId),
    reviewTags: (id) => reviews.tagsOf(id),
    auditLog: (draft) => {
      appendEntry(workspace.active.db, draft);
    },
    events: sink('robustness'),
    clock,
  });
  const dispatcher = new Dispatcher(
    contract,
    {
      app,
      workspace,
      engine: engineService,
      models,
      hub,
      settings,
      generation,
      demo: new DemoService({ workspace, models, datasets, templates, defaultParent: defaultWorkspaceParent() }),
      adapters,
      datasets,
      imports: new ImportsService({
        datasets,
        templates,
        specializations,
        experiments,
        models,
        ...(options.relativeTo ? { paths: { relativeTo: options.relativeTo } } : {}),
      }),
      privacy,
      templates,
      specializations,
      experiments,
      users,
      reviews,
      releases,
      projects,
      robustness,
      audit: new AuditService({ workspace, clock }),
      reports,
      serving,
    },
    {
      validateResults: true,
      onBug: (error, request) => log('error', `Unexpected error in ${request.service}.${request.method}`, error),
      access: new AccessControl(permissionOf, {
        workspaceOpen: () => workspace.isOpen(),
        signedIn: () => users.signedIn(),
        user: (id) => users.user(id),
        openReviews: (userId) => reviews.openReviews(userId),
      }),
      audit: new AuditRecorder({
        permissions: permissionOf,
        db: () => (workspace.isOpen() ? workspace.active.db : undefined),
        userName: (id) => users.user(id)?.name,
        clock,
      }),
    },
  );
  late.dispatcher = dispatcher;
  // Links belong to a workspace: when another one opens (or none), its share servers have nothing left to serve.
  const unsubscribeShares = dispatcher.subscribe((message) => {
    if (message.service === 'workspace' && message.event === 'onChanged') {
      void reviews.pruneShares();
      void serving.workspaceChanged(); // the endpoint serves one workspace's releases
      // Audits whose schedule is due start when their workspace opens (not in headless commands).
      if (options.scheduledAudits !== false && workspace.isOpen())
        void robustness.drift
          .runDue()
          .catch((error: unknown) => log('warn', 'A scheduled drift audit did not start', error));
    }
  });
  // A shutdown before the worker said hello (a quick CLI command) cancels the start: not a failure.
  void engine.start().catch((error: unknown) => {
    if (!(error instanceof CancelledError)) log('error', 'The engine worker did not start', error);
  });

  return {
    dispatcher,
    workspace,
    engine,
    services: { experiments, adapters, serving, robustness, hub },
    async dispose() {
      unsubscribeShares();
      engineService.dispose();
      generation.dispose();
      await Promise.allSettled([
        adapters.dispose(),
        experiments.dispose(),
        reviews.dispose(),
        serving.dispose(),
        hub.dispose(),
      ]);
      // After the experiments: their runs are cancelled, so audits following them settle at once.
      await robustness.dispose();
      await Promise.allSettled([
        workspace.dispose(),
        engine.dispose(),
        renderer.dispose(),
        scoring.dispose(),
        importWriter.dispose(),
      ]);
    },
  };
}

/** A worker script built beside another (engine-worker.js -> render-worker.js; .mjs in tests' bundles). */
function siblingScript(script: string, name: string): string {
  const ext = /\.[cm]?js$/.exec(script)?.[0] ?? '.js';
  return join(dirname(script), `${name}${ext}`);
}

function defaultLog(level: 'warn' | 'error', message: string, error?: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : error === undefined ? '' : String(error);
  console[level](`[dovetail] ${message}${detail ? `\n${detail}` : ''}`);
}

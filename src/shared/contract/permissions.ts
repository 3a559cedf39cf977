// Who may call each contract method: one entry per method of every service, checked by the dispatcher before the
// service runs (src/main/api/access.ts), so a method cannot be added without saying who may call it (the type below
// does not compile with an entry missing, and a test walks the contract). `mutates` marks state-changing calls.
import type { Contract } from './index';
import { USER_ROLES, type UserRole } from './users';

/**
 * - `app`: any local caller (the desktop window, browser mode with its token, the CLI), with or without a workspace.
 * - `workspace`: any local caller with a workspace open, signed in to a profile or not (listing profiles, signing in).
 * - `roles`: the signed-in profile of the open workspace, when its role is one of these.
 * - `reviewer`: a signed-in profile or a reviewer's share link; the service checks the assignment itself.
 * Share links reach only `reviewer` methods.
 */
export type Access =
  | { readonly who: 'app' }
  | { readonly who: 'workspace' }
  | { readonly who: 'roles'; readonly roles: readonly UserRole[] }
  | { readonly who: 'reviewer' };

/**
 * What a call could show of an experiment's outputs, refused to a person while they review an open round blind:
 * `experiment` (outputs, scores or reports of the round's experiment, named by the argument `id`), `generation`
 * (anything that generates text, which could reproduce an output and so tell which system wrote it) or `votes` (the
 * audit log, which lists other reviewers' votes and comments).
 */
export type Reveals = 'experiment' | 'generation' | 'votes';

export interface Permission {
  readonly access: Access;
  readonly mutates: boolean;
  readonly reveals?: Reveals;
}

const APP: Access = { who: 'app' };
const WORKSPACE: Access = { who: 'workspace' };
const REVIEWER: Access = { who: 'reviewer' };
/** Any signed-in profile. */
const SIGNED_IN: Access = { who: 'roles', roles: USER_ROLES };
/** Everyone who works on specializations: every role but reviewer. */
const STAFF: Access = { who: 'roles', roles: ['editor', 'analyst', 'admin'] };
/** Authors of prompts and adapters. */
const EDITORS: Access = { who: 'roles', roles: ['editor', 'admin'] };
const ADMINS: Access = { who: 'roles', roles: ['admin'] };

const read = (access: Access, reveals?: Reveals): Permission => ({
  access,
  mutates: false,
  ...(reveals ? { reveals } : {}),
});
const write = (access: Access, reveals?: Reveals): Permission => ({
  access,
  mutates: true,
  ...(reveals ? { reveals } : {}),
});

export type PermissionTable = {
  readonly [S in keyof Contract]: { readonly [M in keyof Contract[S]['methods']]: Permission };
};

export const PERMISSIONS: PermissionTable = {
  app: { info: read(APP), pickFolder: read(APP) },
  workspace: {
    create: write(APP),
    open: write(APP),
    close: write(APP),
    current: read(APP),
    recent: read(APP),
    forgetRecent: write(APP),
  },
  engine: { status: read(APP), restart: write(APP), selfTest: read(APP), probeProviders: read(APP) },
  settings: { get: read(APP), update: write(APP), limits: read(APP) },
  demo: { openDemoWorkspace: write(APP), recipes: read(APP) },
  models: {
    add: write(STAFF),
    recheck: write(STAFF),
    cancelHashing: write(STAFF),
    list: read(STAFF),
    get: read(STAFF),
    remove: write(EDITORS),
    rename: write(EDITORS),
    bundled: read(STAFF),
    setWeightFormat: write(STAFF),
    measureWeightQuality: write(STAFF),
    weightQuality: read(STAFF),
    taskQuality: read(STAFF),
  },
  // Downloads land in this user's folder and are added to the open workspace as models are.
  hub: {
    status: read(APP),
    setToken: write(APP),
    clearToken: write(APP),
    download: write(STAFF),
    pause: write(STAFF),
    resume: write(STAFF),
    cancel: write(STAFF),
    jobs: read(STAFF),
  },
  generation: {
    prepare: read(STAFF),
    start: write(STAFF, 'generation'),
    cancel: write(STAFF),
    playgroundSettings: read(STAFF),
    savePlaygroundSettings: write(STAFF),
  },
  adapters: {
    estimate: read(STAFF),
    calibrate: read(EDITORS),
    startTraining: write(EDITORS),
    pause: write(EDITORS),
    resume: write(EDITORS),
    cancel: write(EDITORS),
    jobs: read(STAFF),
    job: read(STAFF),
    list: read(STAFF),
    get: read(STAFF),
    importPeft: write(EDITORS),
    export: write(STAFF),
    exportJob: write(STAFF),
    remove: write(EDITORS),
  },
  datasets: {
    inspectFile: read(STAFF),
    import: write(STAFF),
    cancelImport: write(STAFF),
    list: read(STAFF),
    get: read(STAFF),
    rows: read(STAFF),
    exportChat: read(STAFF),
    remove: write(EDITORS),
  },
  // Importing a promptfoo config saves templates, so it is for editors, like templates.save.
  imports: {
    inspectPromptfoo: read(STAFF),
    importPromptfoo: write(EDITORS),
    inspectGraders: read(STAFF),
  },
  privacy: {
    scan: read(STAFF),
    cancelScan: read(STAFF),
    redact: write(EDITORS),
    policy: read(STAFF),
    setPolicy: write(ADMINS),
  },
  templates: {
    list: read(STAFF),
    versions: read(STAFF),
    version: read(STAFF),
    save: write(EDITORS),
    preview: read(STAFF),
    run: write(STAFF, 'generation'),
    demonstrationSets: read(STAFF),
    saveDemonstrations: write(EDITORS),
    setStatus: write(EDITORS),
    checks: write(EDITORS, 'generation'),
    lastChecks: read(STAFF),
    demonstrationAnalytics: read(STAFF, 'generation'),
  },
  specializations: {
    list: read(STAFF),
    get: read(STAFF),
    create: write(STAFF),
    try: write(STAFF, 'generation'),
    tryParts: write(STAFF, 'generation'),
  },
  experiments: {
    list: read(STAFF),
    get: read(STAFF),
    create: write(STAFF),
    run: write(STAFF),
    cancel: write(STAFF),
    results: read(STAFF, 'experiment'),
    outputs: read(STAFF, 'experiment'),
    example: read(STAFF, 'experiment'),
    remove: write(STAFF),
    contextCost: read(STAFF),
    // Reaches the server an experiment would generate on, with the key of the variable it names, as create does.
    checkRemote: read(STAFF),
    checkFormats: write(STAFF),
    formatComparison: read(STAFF, 'experiment'),
  },
  users: {
    list: read(WORKSPACE),
    current: read(WORKSPACE),
    setCurrent: write(WORKSPACE),
    signOut: write(WORKSPACE),
    setPassphrase: write(WORKSPACE),
    create: write(ADMINS),
    setRole: write(ADMINS),
  },
  reviews: {
    createRound: write(STAFF),
    list: read(SIGNED_IN),
    get: read(STAFF),
    close: write(STAFF),
    results: read(SIGNED_IN),
    export: read(SIGNED_IN),
    queue: read(REVIEWER),
    item: read(REVIEWER),
    vote: write(REVIEWER),
    undo: write(REVIEWER),
    share: write(STAFF),
    revokeShare: write(STAFF),
    shareInterfaces: read(STAFF),
    toDataset: write(STAFF),
  },
  releases: {
    list: read(STAFF),
    get: read(STAFF),
    create: write(STAFF),
    attachEvidence: write(STAFF),
    approve: write(STAFF),
    channels: read(STAFF),
    createChannel: write(ADMINS),
    setGates: write(ADMINS),
    check: read(STAFF),
    budget: read(STAFF),
    promote: write(STAFF),
    rollback: write(STAFF),
    history: read(STAFF),
    exportBundle: read(STAFF),
    vllmCommand: read(STAFF),
    importBundle: write(STAFF),
  },
  // runNext starts training (editors' right, as adapters.startTraining) or an experiment run.
  projects: {
    list: read(STAFF),
    get: read(STAFF),
    create: write(STAFF),
    update: write(STAFF),
    setStage: write(STAFF),
    moveStage: write(STAFF),
    proposal: read(STAFF),
    runNext: write(EDITORS),
    recommend: read(STAFF),
    decide: write(STAFF),
    decisions: read(STAFF),
  },
  // Failure modes, probes and audits show outputs of experiments: not to a reviewer while blind (probes and audits
  // generate text too).
  robustness: {
    rules: read(STAFF),
    saveRules: write(EDITORS),
    failureModes: read(STAFF, 'experiment'),
    // Outputs of several experiments: refused while any round is reviewed blind.
    projectFailureModes: read(STAFF, 'generation'),
    probes: read(STAFF),
    startProbe: write(STAFF, 'generation'),
    probeResults: read(STAFF, 'generation'),
    auditSets: read(STAFF),
    setAuditSet: write(STAFF, 'generation'),
    startAudit: write(STAFF, 'generation'),
    audits: read(STAFF),
    audit: read(STAFF, 'generation'),
  },
  // Exporting is a read: it writes nothing to the workspace, the file is saved by the caller.
  // Verifying tells only whether the log is intact, which anyone with the folder could check: no profile needed (the
  // CLI).
  audit: {
    list: read(STAFF, 'votes'),
    verify: read(WORKSPACE),
    export: read(STAFF, 'votes'),
    retention: read(STAFF),
    setRetention: write(ADMINS),
    previewRetention: read(STAFF),
    applyRetention: write(ADMINS),
  },
  // A report can quote review votes and comments, so reading one reveals votes. Generating one writes a row (and is
  // audited); verifying tells only whether hashes still match, like the audit chain's check: no profile needed.
  reports: {
    subjects: read(STAFF),
    generate: write(STAFF, 'votes'),
    list: read(STAFF),
    get: read(STAFF, 'votes'),
    regenerate: write(STAFF, 'votes'),
    export: read(STAFF, 'votes'),
    verify: read(WORKSPACE),
    verifyManifest: read(WORKSPACE),
    remove: write(STAFF),
  },
  // The endpoint answers API keys, not profiles: who may open it to other programs, and hand out keys, is an admin.
  serving: {
    status: read(STAFF),
    start: write(ADMINS),
    stop: write(ADMINS),
    models: read(STAFF),
    keys: read(ADMINS),
    createKey: write(ADMINS),
    revokeKey: write(ADMINS),
    requests: read(STAFF),
    summary: read(STAFF),
    exportCsv: read(STAFF),
    logSettings: read(STAFF),
    setLogSettings: write(ADMINS),
  },
};

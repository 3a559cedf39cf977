// The audit service (auditContract): reads the open workspace's audit log (entries are written by the dispatcher's
// hook, recorder.ts, never through the contract) and keeps its retention policy (retention.ts).
import type {
  AuditFilter,
  AuditPage,
  AuditVerification,
  RetentionCounts,
  RetentionPolicy,
  RetentionPreview,
  auditContract,
} from '../../../shared/contract/audit';
import type { ServiceImpl } from '../../../shared/contract/define';
import type { WorkspaceAccess } from '../workspace';
import { exportEntries, listEntries, matchingEntries, verifyLog } from './audit-log';
import { applyRetention, previewRetention, readPolicy, savePolicy } from './retention';

type Contract = typeof auditContract;

export class AuditService implements ServiceImpl<Contract> {
  constructor(private readonly deps: { readonly workspace: WorkspaceAccess; readonly clock: () => Date }) {}

  async list({
    filter,
    limit,
    beforeSeq,
  }: {
    filter: AuditFilter;
    limit: number;
    beforeSeq?: number | undefined;
  }): Promise<AuditPage> {
    return listEntries(this.deps.workspace.active.db, filter, limit, beforeSeq);
  }

  async verify(): Promise<AuditVerification> {
    return verifyLog(this.deps.workspace.active.db);
  }

  async export({
    filter,
    format,
  }: {
    filter: AuditFilter;
    format: 'jsonl' | 'csv';
  }): Promise<{ fileName: string; text: string; count: number }> {
    const { info, db } = this.deps.workspace.active;
    const { text, count } = exportEntries(matchingEntries(db, filter), format);
    const stamp = this.deps.clock().toISOString().slice(0, 10);
    const name = info.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'workspace';
    return { fileName: `${name}-audit-${stamp}.${format === 'jsonl' ? 'jsonl' : 'csv'}`, text, count };
  }

  async retention(): Promise<RetentionPolicy> {
    return readPolicy(this.deps.workspace.active.db);
  }

  async setRetention(policy: RetentionPolicy): Promise<RetentionPolicy> {
    return savePolicy(this.deps.workspace.active.db, policy);
  }

  async previewRetention(): Promise<RetentionPreview> {
    return previewRetention(this.deps.workspace.active.db, this.deps.clock());
  }

  async applyRetention({ asOf, expected }: { asOf: string; expected: RetentionCounts }): Promise<RetentionCounts> {
    return applyRetention(this.deps.workspace.active.db, new Date(asOf), this.deps.clock(), expected);
  }
}

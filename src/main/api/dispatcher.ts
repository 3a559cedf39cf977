// The contract's server side, shared by every transport: validates each call against the contract's zod
// schemas, runs the service, and turns any failure into the wire error shape. Unknown services/methods are rejected.
import type { z } from 'zod';
import { BugError, UserError, toErrorShape } from '../../shared/errors';
import { describeIssues } from '../../shared/zod-issues';
import type { CallContext, EventSink, ServiceImpl, ServiceSpec } from '../../shared/contract/define';
import { CallRequest, type CallResponse, type EventMessage } from '../../shared/contract/wire';

export type Implementations<C extends Record<string, ServiceSpec>> = { readonly [K in keyof C]: ServiceImpl<C[K]> };

export type EventListener = (message: EventMessage) => void;

export interface DispatcherOptions {
  /** Check results against the contract too (on in tests and development: a mismatch is a bug in main). */
  validateResults?: boolean;
  /** Where unexpected errors are reported (a logger); bugs are never swallowed silently. */
  onBug?: (error: unknown, request: CallRequest) => void;
  /**
   * Resolves the caller and checks the method's permission before the service runs (the app always passes it:
   * compose.ts; unit tests of a single service may leave it out). Throws a UserError to refuse.
   */
  access?: { authorize(service: string, method: string, arg: unknown, ctx: CallContext): CallContext };
  /**
   * The audit trail (compose.ts wires services/audit): `begin` runs before the service with the authorized context;
   * the function it returns (state-changing calls only) is given the result once the call has succeeded.
   */
  audit?: {
    begin(service: string, method: string, arg: unknown, ctx: CallContext): ((result: unknown) => void) | undefined;
  };
}

export class Dispatcher<C extends Record<string, ServiceSpec>> {
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly contract: C,
    private readonly implementations: Implementations<C>,
    private readonly options: DispatcherOptions = {},
  ) {}

  /** Handles one untrusted request; never throws. */
  async handle(raw: unknown, ctx: CallContext): Promise<CallResponse> {
    const parsedRequest = CallRequest.safeParse(raw);
    if (!parsedRequest.success) {
      return failure(
        new UserError('Malformed request', { code: 'bad-request', hint: describeIssues(parsedRequest.error, 3) }),
      );
    }
    const request = parsedRequest.data;
    const spec = Object.hasOwn(this.contract, request.service) ? this.contract[request.service] : undefined;
    const methodSpec = spec && Object.hasOwn(spec.methods, request.method) ? spec.methods[request.method] : undefined;
    if (!spec || !methodSpec) {
      return failure(
        new UserError(`Unknown method ${request.service}.${request.method}`, {
          code: 'unknown-method',
          hint: 'The app and its services are out of step; restart Dovetail.',
        }),
      );
    }
    const arg = methodSpec.arg.safeParse(request.arg);
    if (!arg.success) {
      const first = arg.error.issues[0];
      const field = first && first.path.length > 0 ? first.path.join('.') : undefined;
      return failure(
        new UserError(`Invalid argument for ${request.service}.${request.method}: ${describeIssues(arg.error, 3)}`, {
          code: 'validation',
          where: field ? `${request.service}.${request.method}: ${field}` : `${request.service}.${request.method}`,
          hint: 'Check the highlighted field and try again.',
        }),
      );
    }
    try {
      const caller = this.options.access
        ? this.options.access.authorize(request.service, request.method, arg.data, ctx)
        : ctx;
      const impl = this.implementations[request.service] as Record<
        string,
        (a: unknown, c: CallContext) => Promise<unknown>
      >;
      const fn = impl[request.method];
      if (typeof fn !== 'function') throw new BugError(`No implementation for ${request.service}.${request.method}`);
      const recordAudit = this.options.audit?.begin(request.service, request.method, arg.data, caller);
      const result = await fn.call(impl, arg.data, caller);
      if (recordAudit) this.record(recordAudit, result, request);
      if (this.options.validateResults) {
        const checked = methodSpec.result.safeParse(result);
        if (!checked.success) {
          throw new BugError(
            `${request.service}.${request.method} returned a result outside the contract: ${describeIssues(checked.error, 3)}`,
          );
        }
        return { ok: true, result: checked.data };
      }
      return { ok: true, result };
    } catch (error) {
      const shape = toErrorShape(error);
      if (shape.kind === 'bug') this.options.onBug?.(error, request);
      return { ok: false, error: shape };
    }
  }

  /**
   * The change has happened by now, so a failure to write its audit entry is reported as a bug (the log then lacks the
   * entry, which the answer to the caller cannot undo) rather than as a failure of the call.
   */
  private record(recordAudit: (result: unknown) => void, result: unknown, request: CallRequest): void {
    try {
      recordAudit(result);
    } catch (error) {
      this.options.onBug?.(
        new BugError(`The audit entry of ${request.service}.${request.method} could not be written`, { cause: error }),
        request,
      );
    }
  }

  /** An event sink for one service; what it emits goes to every transport's listeners. */
  sink<K extends keyof C & string>(service: K): EventSink<C[K]> {
    const events = this.contract[service]?.events as Record<string, z.ZodType> | undefined;
    return {
      emit: (event, payload) => {
        const schema = events?.[event];
        if (!schema) throw new BugError(`Unknown event ${service}.${event}`);
        const message: EventMessage = { service, event, payload: schema.parse(payload) };
        for (const listener of this.listeners) listener(message);
      },
    };
  }

  /** Transports subscribe here and forward events to their clients. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isEvent(service: string, event: string): boolean {
    const spec = Object.hasOwn(this.contract, service) ? this.contract[service] : undefined;
    return !!spec && Object.hasOwn(spec.events, event);
  }
}

function failure(error: unknown): CallResponse {
  return { ok: false, error: toErrorShape(error) };
}

// The engine as the UI sees it (engineContract): status, restart, self-test and provider probe, over the engine host
// (engine/client.ts EngineControl) that the composition root owns. Status changes go out as onStatus events.
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import type { EngineStatus, ProviderProbe, SelfTestResult, engineContract } from '../../../shared/contract/engine';
import type { EngineControl } from '../../engine/client';

export class EngineService implements ServiceImpl<typeof engineContract> {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly host: EngineControl,
    events: EventSink<typeof engineContract>,
  ) {
    this.unsubscribe = host.onStatus((status) => events.emit('onStatus', status));
  }

  async status(): Promise<EngineStatus> {
    return this.host.status;
  }

  /** Restarts the worker (also the way out of a crash loop); resolves with the status once it is ready again. */
  async restart(): Promise<EngineStatus> {
    await this.host.restart();
    return this.host.status;
  }

  async selfTest({ size }: { size: number }): Promise<SelfTestResult> {
    const { ok, milliseconds, provider, detail } = await this.host.request('selfTest', { size });
    return { ok, milliseconds, provider, detail };
  }

  /** Each execution provider's probe in the worker: can it create a session here, and if not, why. */
  async probeProviders({ refresh }: { refresh: boolean }): Promise<ProviderProbe[]> {
    return this.host.request('probeProviders', { refresh });
  }

  /** Stops forwarding status events; the host itself is disposed by its owner, the composition root. */
  dispose(): void {
    this.unsubscribe();
  }
}

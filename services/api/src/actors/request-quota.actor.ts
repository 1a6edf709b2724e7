import { AbstractActor, type ActorId, type DaprClient } from '@dapr/dapr';
import { type LeaseGrant, LeaseRequestV1, ThrottleV1 } from '@importer/contracts';
import { initialQuota, lease, type QuotaLimits, type QuotaState, throttle } from './request-quota.state.js';

const STATE_KEY = 'quota';

export type RequestQuotaActorClass = new (daprClient: DaprClient, id: ActorId) => AbstractActor;

/**
 * One source's request budget (its id is the source kind), leased in blocks by every lister and transfer replica.
 * Actor turns serialise leases, so the sum of what all replicas send stays within the source's quota.
 */
export function requestQuotaActor(limitsFor: (source: string) => QuotaLimits, now: () => number = Date.now): RequestQuotaActorClass {
  return class RequestQuota extends AbstractActor {
    async lease(input: unknown): Promise<LeaseGrant> {
      const { want } = LeaseRequestV1.parse(input);
      const limits = limitsFor(this.getActorId().getId());
      const result = lease(await this.load(limits), limits, want, now());
      await this.getStateManager<QuotaState>().setState(STATE_KEY, result.state);
      return { granted: result.granted, retryAfterMs: result.retryAfterMs };
    }

    async throttle(input: unknown): Promise<void> {
      const { retryAfterMs } = ThrottleV1.parse(input);
      const limits = limitsFor(this.getActorId().getId());
      await this.getStateManager<QuotaState>().setState(STATE_KEY, throttle(await this.load(limits), limits, retryAfterMs, now()));
    }

    private async load(limits: QuotaLimits): Promise<QuotaState> {
      const [found, state] = await this.getStateManager<QuotaState>().tryGetState(STATE_KEY);
      return found && state ? state : initialQuota(limits, now());
    }
  };
}

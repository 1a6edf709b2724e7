/**
 * The request budget one source shares across every replica of every service that calls it, so that
 * adding replicas cannot exceed the source's quota. The production implementation leases tokens from a
 * Dapr actor per source; sources only see this interface.
 */
export interface RequestBudget {
  /** Resolves when one more request may be sent to the source. */
  acquire(): Promise<void>;
  /** The source said "slow down" (a 429, a rate-limit 403): everyone sharing the budget pauses this long. */
  throttle(retryAfterMs: number): void;
}

/** No limit at all: for tests that are not about quotas. */
export const unlimitedBudget: RequestBudget = {
  acquire: async () => {},
  throttle: () => {},
};

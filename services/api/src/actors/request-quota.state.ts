/** A token bucket whose rate halves when the source says "slow down" and climbs back while it does not. */
export interface QuotaState {
  /** Tokens added per second now. */
  rate: number;
  tokens: number;
  updatedAtMs: number;
  /** No tokens until then: the source asked everyone to wait. */
  pausedUntilMs: number;
}

export interface QuotaLimits {
  /** The most requests per second the source allows this deployment. */
  maxRate: number;
  /** The rate never drops below this, so a job always moves. */
  minRate: number;
  /** The rate regained per second without a throttle, as a share of maxRate. */
  recoveryPerSecond: number;
}

export function initialQuota(limits: QuotaLimits, nowMs: number): QuotaState {
  return { rate: limits.maxRate, tokens: limits.maxRate, updatedAtMs: nowMs, pausedUntilMs: 0 };
}

/** Tokens and rate as they stand at `nowMs`: refilled at the rate, at most one second's worth held, rate recovering. */
function advance(state: QuotaState, limits: QuotaLimits, nowMs: number): QuotaState {
  const seconds = Math.max(0, nowMs - Math.max(state.updatedAtMs, state.pausedUntilMs)) / 1000;
  const rate = Math.min(limits.maxRate, state.rate + limits.maxRate * limits.recoveryPerSecond * seconds);
  const tokens = Math.min(rate, state.tokens + rate * seconds);
  return { ...state, rate, tokens, updatedAtMs: Math.max(nowMs, state.updatedAtMs) };
}

/** Grants up to `want` whole tokens; when none can be given, says how long until one can. */
export function lease(state: QuotaState, limits: QuotaLimits, want: number, nowMs: number): { state: QuotaState; granted: number; retryAfterMs: number } {
  if (nowMs < state.pausedUntilMs) return { state, granted: 0, retryAfterMs: state.pausedUntilMs - nowMs };
  const current = advance(state, limits, nowMs);
  const granted = Math.min(want, Math.floor(current.tokens));
  const retryAfterMs = granted > 0 ? 0 : Math.ceil(((1 - current.tokens) / current.rate) * 1000);
  return { state: { ...current, tokens: current.tokens - granted }, granted, retryAfterMs };
}

/** The source said "slow down": everyone pauses that long, and the rate halves. */
export function throttle(state: QuotaState, limits: QuotaLimits, retryAfterMs: number, nowMs: number): QuotaState {
  const current = advance(state, limits, nowMs);
  return {
    ...current,
    rate: Math.max(limits.minRate, current.rate / 2),
    tokens: 0,
    pausedUntilMs: Math.max(current.pausedUntilMs, nowMs + retryAfterMs),
  };
}

import { z } from 'zod';

/** The actor type that holds one source's request budget, shared by every replica; its id is the source kind. */
export const REQUEST_QUOTA_ACTOR = 'RequestQuota';

/** `RequestQuota.lease`: ask for up to `want` requests' worth of tokens. */
export const LeaseRequestV1 = z.object({ want: z.number().int().min(1).max(1000) });

/** Tokens granted now; when none are, how long to wait before asking again. */
export const LeaseGrantV1 = z.object({ granted: z.number().int().nonnegative(), retryAfterMs: z.number().int().nonnegative() });

/** `RequestQuota.throttle`: the source said "slow down" for this long. */
export const ThrottleV1 = z.object({ retryAfterMs: z.number().int().nonnegative().max(3_600_000) });

export type LeaseRequest = z.infer<typeof LeaseRequestV1>;
export type LeaseGrant = z.infer<typeof LeaseGrantV1>;
export type Throttle = z.infer<typeof ThrottleV1>;

/** The RequestQuota methods callable through the actor API; anything else on the class answers 404. */
export const REQUEST_QUOTA_METHODS = ['lease', 'throttle'] as const;

import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { RouteCounters } from './emulator.state.js';
import type { FaultBook, FaultRuleShape } from './fault-book.js';
import { type BodyFault, isBodyFault, isTransportFault, type TransportFault } from './transport-faults.js';

/** One emulated API route: what a request is for, and its normal answer. */
export interface EmulatedRoute<Route extends string> {
  /** The route a request counts under and fault rules match on. */
  route(req: Request): Route;
  /** The file or folder it is for, as fault rules name it; a request too malformed to name one names none. */
  target(req: Request): string | undefined;
  /** Answers normally, handing `bodyFault` to the body sender; throws the emulator's rejection to refuse. */
  answer(req: Request, res: Response, bodyFault: BodyFault | undefined): void;
}

/** The routes of an emulator, as its fault rules name them. */
type RouteOf<Rule extends FaultRuleShape> = NonNullable<Rule['route']>;

/** The emulator's own parts of the request pipeline. */
export interface RouteHandlerSpec<Rule extends FaultRuleShape, Route extends string = RouteOf<Rule>> {
  state: { readonly faults: FaultBook<Rule, unknown>; readonly latencyMs: number; readonly counters: RouteCounters<Route> };
  /** Throws the emulator's rejection for a caller without valid credentials. */
  authorize(req: Request, route: Route): void;
  /** Counts a request beyond its route (e.g. per file). */
  countTarget?(route: Route, target: string | undefined): void;
  /** The error (thrown, then sent by `fail`) that answers one of the emulator's own fault kinds. */
  faultError(fault: Exclude<Rule['responses'][number], TransportFault>): unknown;
  /** Sends a failure: the emulator's rejection as the real API words it, anything else as a 500. */
  fail(res: Response, error: unknown): void;
}

/**
 * Makes express handlers that run each request the same way in every emulator: count, latency, credentials,
 * the next scripted fault (reset, delay, a body fault or the emulator's own error), then the normal answer.
 */
export function routeHandler<Rule extends FaultRuleShape>(spec: RouteHandlerSpec<Rule>): (route: EmulatedRoute<RouteOf<Rule>>) => RequestHandler {
  return (emulated) => async (req, res) => {
    const route = emulated.route(req);
    const target = targetOf(emulated, req);
    spec.state.counters.routes[route] += 1;
    spec.countTarget?.(route, target);
    if (spec.state.latencyMs > 0) await sleep(spec.state.latencyMs);
    try {
      spec.authorize(req, route);
      const fault = spec.state.faults.take(route, target) as Rule['responses'][number] & { type: string } | undefined;
      if (fault) spec.state.counters.faultsServed += 1;
      if (fault && !isTransportFault(fault)) throw spec.faultError(fault as Exclude<Rule['responses'][number], TransportFault>);
      if (fault?.type === 'reset') {
        res.socket?.destroy();
        return;
      }
      if (fault?.type === 'delay') await sleep(fault.ms);
      emulated.answer(req, res, fault && isBodyFault(fault) ? fault : undefined);
    } catch (error) {
      spec.fail(res, error);
    }
  };
}

function targetOf(emulated: EmulatedRoute<string>, req: Request): string | undefined {
  try {
    return emulated.target(req);
  } catch {
    return undefined;
  }
}

import express from 'express';
import { z } from 'zod';
import type { EmulatorControl } from './emulator.state.js';

/** A top-level folder an emulator serves, with the link a person would paste. */
export interface EmulatorFolder {
  id: string;
  name: string;
  resourceKey?: string;
  link: string;
}

/** What the control routes serve: the emulator's control, its rule schema and its folders. */
export interface ControlRouterSpec<RuleInput> {
  control: EmulatorControl<RuleInput, unknown, unknown>;
  ruleSchema: z.ZodType<unknown, RuleInput>;
  folders(): EmulatorFolder[];
}

const LatencySchema = z.object({ ms: z.number().int().nonnegative() });

/**
 * The `/_emulator` routes every emulator offers, for processes that cannot reach its control in-process:
 * GET state, counters, faults, folders; DELETE counters, faults; POST faults (one rule or an array), reset; PUT latency.
 */
export function controlRouter<RuleInput>({ control, ruleSchema, folders }: ControlRouterSpec<RuleInput>): express.Router {
  const router = express.Router();
  router.use(express.json());
  router.get('/state', (_req, res) => {
    res.json({ latencyMs: control.latencyMs(), faults: control.faults(), counters: control.counters() });
  });
  router.get('/counters', (_req, res) => {
    res.json(control.counters());
  });
  router.delete('/counters', (_req, res) => {
    control.resetCounters();
    res.status(204).end();
  });
  router.get('/faults', (_req, res) => {
    res.json({ faults: control.faults() });
  });
  router.post('/faults', (req, res) => {
    const parsed = z.union([ruleSchema, z.array(ruleSchema)]).safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: z.prettifyError(parsed.error) });
      return;
    }
    control.addFaults(...(Array.isArray(req.body) ? (req.body as RuleInput[]) : [req.body as RuleInput]));
    res.status(201).json({ faults: control.faults() });
  });
  router.delete('/faults', (_req, res) => {
    control.clearFaults();
    res.status(204).end();
  });
  router.put('/latency', (req, res) => {
    const parsed = LatencySchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: z.prettifyError(parsed.error) });
      return;
    }
    control.setLatency(parsed.data.ms);
    res.json({ latencyMs: control.latencyMs() });
  });
  router.post('/reset', (_req, res) => {
    control.reset();
    res.status(204).end();
  });
  router.get('/folders', (_req, res) => {
    res.json({ folders: folders() });
  });
  return router;
}

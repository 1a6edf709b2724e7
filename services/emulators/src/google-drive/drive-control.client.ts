import { z } from 'zod';
import { EmulatorControlClient } from '../shared/control.client.js';
import type { DriveEmulatorCounters } from './drive-counters.js';
import type { FaultRuleInput } from './drive-faults.js';

const DriveCountersSchema = z.object({
  routes: z.object({ 'files.list': z.number(), 'files.get': z.number(), 'files.media': z.number() }),
  files: z.record(z.string(), z.object({ 'files.list': z.number().optional(), 'files.get': z.number().optional(), 'files.media': z.number().optional() })),
  faultsServed: z.number(),
});

/** Drives a Drive emulator running in another process through its `/_emulator` routes (for end-to-end tests). */
export class DriveEmulatorClient extends EmulatorControlClient<FaultRuleInput, DriveEmulatorCounters> {
  /** `rootUrl`: the emulator's root, e.g. `http://127.0.0.1:8787/`. */
  constructor(rootUrl: string) {
    super(rootUrl, 'Drive emulator', DriveCountersSchema);
  }
}

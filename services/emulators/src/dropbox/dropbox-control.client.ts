import { z } from 'zod';
import { EmulatorControlClient } from '../shared/control.client.js';
import type { DropboxEmulatorCounters } from './dropbox-counters.js';
import type { DropboxFaultRuleInput } from './dropbox-faults.js';

const DropboxCountersSchema = z.object({
  routes: z.object({ list_folder: z.number(), 'list_folder/continue': z.number(), get_shared_link_metadata: z.number(), get_shared_link_file: z.number() }),
  downloads: z.record(z.string(), z.number()),
  faultsServed: z.number(),
});

/** Drives a Dropbox emulator running in another process through its `/_emulator` routes (for end-to-end tests). */
export class DropboxEmulatorClient extends EmulatorControlClient<DropboxFaultRuleInput, DropboxEmulatorCounters> {
  /** `apiUrl`: the emulator's origin, e.g. `http://127.0.0.1:8788`. */
  constructor(apiUrl: string) {
    super(new URL('/', apiUrl).href, 'Dropbox emulator', DropboxCountersSchema);
  }
}

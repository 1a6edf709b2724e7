import { z } from 'zod';
import type { DriveEmulatorCounters } from './app.js';
import type { FaultRuleInput } from './faults.js';

const CountersSchema = z.object({
  routes: z.object({ 'files.list': z.number(), 'files.get': z.number(), 'files.media': z.number() }),
  files: z.record(z.string(), z.object({ 'files.list': z.number().optional(), 'files.get': z.number().optional(), 'files.media': z.number().optional() })),
  faultsServed: z.number(),
});

const FoldersSchema = z.object({
  folders: z.array(z.object({ id: z.string(), name: z.string(), resourceKey: z.string().optional(), link: z.string() })),
});

/** Drives a Drive emulator running in another process through its `/_emulator` routes (for end-to-end tests). */
export class DriveEmulatorClient {
  private readonly base: string;

  /** `rootUrl`: the emulator's root, e.g. `http://127.0.0.1:8787/`. */
  constructor(rootUrl: string) {
    this.base = new URL('_emulator/', rootUrl).href;
  }

  async addFaults(...rules: FaultRuleInput[]): Promise<void> {
    await this.call('POST', 'faults', rules);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', 'faults');
  }

  async setLatency(ms: number): Promise<void> {
    await this.call('PUT', 'latency', { ms });
  }

  async counters(): Promise<DriveEmulatorCounters> {
    return CountersSchema.parse(await this.call('GET', 'counters')) as DriveEmulatorCounters;
  }

  async resetCounters(): Promise<void> {
    await this.call('DELETE', 'counters');
  }

  /** No faults, zero counters, the start-up latency. */
  async reset(): Promise<void> {
    await this.call('POST', 'reset');
  }

  async folders(): Promise<z.infer<typeof FoldersSchema>['folders']> {
    return FoldersSchema.parse(await this.call('GET', 'folders')).folders;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.base), {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Drive emulator ${method} /_emulator/${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
}

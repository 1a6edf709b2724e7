import { z } from 'zod';
import type { EmulatorFolder } from './control.router.js';

const FoldersSchema = z.object({
  folders: z.array(z.object({ id: z.string(), name: z.string(), resourceKey: z.string().optional(), link: z.string() })),
});

/** Drives an emulator running in another process through its `/_emulator` routes (for end-to-end tests and scripts). */
export class EmulatorControlClient<RuleInput, Counters> {
  private readonly base: string;

  /** `rootUrl`: the emulator's root, e.g. `http://127.0.0.1:8787/`; `name` words its errors; `counters` reads its counters. */
  constructor(
    rootUrl: string,
    private readonly name: string,
    private readonly countersSchema: z.ZodType<Counters>,
  ) {
    this.base = new URL('_emulator/', rootUrl).href;
  }

  async addFaults(...rules: RuleInput[]): Promise<void> {
    await this.call('POST', 'faults', rules);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', 'faults');
  }

  async setLatency(ms: number): Promise<void> {
    await this.call('PUT', 'latency', { ms });
  }

  async counters(): Promise<Counters> {
    return this.countersSchema.parse(await this.call('GET', 'counters'));
  }

  async resetCounters(): Promise<void> {
    await this.call('DELETE', 'counters');
  }

  /** No faults, zero counters, the start-up latency. */
  async reset(): Promise<void> {
    await this.call('POST', 'reset');
  }

  async folders(): Promise<EmulatorFolder[]> {
    return FoldersSchema.parse(await this.call('GET', 'folders')).folders;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.base), {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${this.name} ${method} /_emulator/${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
}

/** One dependency the API needs before it can serve: a name and a probe that throws when it is not there. */
export interface ReadinessCheck {
  name: string;
  probe(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/** Runs every check at once, each bounded in time, and reports all of them. */
export class ReadinessService {
  constructor(private readonly checks: readonly ReadinessCheck[], private readonly timeoutMs = 2_000) {}

  async report(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async (check) => {
        try {
          await Promise.race([
            check.probe(),
            new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs).unref()),
          ]);
          return [check.name, { ok: true }] as const;
        } catch (error) {
          return [check.name, { ok: false, error: (error as Error).message }] as const;
        }
      }),
    );
    return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
  }
}

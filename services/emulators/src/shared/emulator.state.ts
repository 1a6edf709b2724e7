import type { FaultBook, FaultRuleShape, FaultRuleState } from './fault-book.js';

/** The counters every emulator keeps; each adds its own per-file ones. */
export interface RouteCounters<Route extends string> {
  /** Requests received per route, faulted ones included. */
  routes: Record<Route, number>;
  /** Scripted fault responses given. */
  faultsServed: number;
}

/** Runtime control of a running emulator, in-process; the same operations are served under `/_emulator`. */
export interface EmulatorControl<RuleInput, Rule, Counters> {
  addFaults(...rules: RuleInput[]): void;
  clearFaults(): void;
  faults(): FaultRuleState<Rule>[];
  /** Fault rules with answers still to give. */
  pendingFaults(): number;
  setLatency(ms: number): void;
  latencyMs(): number;
  counters(): Counters;
  resetCounters(): void;
  /** No faults, zero counters, the latency given at build time. */
  reset(): void;
}

/** What an emulator's routes read and change while it runs: its fault book, latency and counters. */
export class EmulatorState<Rule extends FaultRuleShape, RuleInput, Counters> {
  latencyMs: number;
  counters: Counters;

  constructor(
    readonly faults: FaultBook<Rule, RuleInput>,
    private readonly initial: { latencyMs: number; counters: () => Counters },
  ) {
    this.latencyMs = initial.latencyMs;
    this.counters = initial.counters();
  }

  /** The control of this state, handed to tests and served by the control router. */
  control(): EmulatorControl<RuleInput, Rule, Counters> {
    const resetCounters = () => {
      this.counters = this.initial.counters();
    };
    return {
      addFaults: (...rules) => this.faults.add(...rules),
      clearFaults: () => this.faults.clear(),
      faults: () => this.faults.state(),
      pendingFaults: () => this.faults.pending(),
      setLatency: (ms) => {
        this.latencyMs = ms;
      },
      latencyMs: () => this.latencyMs,
      counters: () => structuredClone(this.counters),
      resetCounters,
      reset: () => {
        this.faults.clear();
        resetCounters();
        this.latencyMs = this.initial.latencyMs;
      },
    };
  }
}

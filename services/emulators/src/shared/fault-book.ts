import { z } from 'zod';

/**
 * The rule schema every emulator's faults share: an optional route, an optional target (named by the emulator,
 * e.g. `fileId` or `path`, and optional in its schema), one or more scripted responses, and `repeat`.
 */
export function faultRuleSchema<Route extends z.ZodType<string>, Response extends z.ZodType, Target extends Record<string, z.ZodOptional<z.ZodType<string>>>>(
  route: Route,
  response: Response,
  target: Target,
) {
  return z.object({
    /** Which route; every route when absent. */
    route: route.optional(),
    ...target,
    responses: z.array(response).min(1),
    /** Give the responses over and over (a permanent fault) instead of once each. */
    repeat: z.boolean().default(false),
  });
}

/** What the book needs of a parsed rule. */
export interface FaultRuleShape {
  route?: string | undefined;
  responses: readonly unknown[];
  repeat: boolean;
}

/** A rule and how many of its responses are still to be given (null: it repeats forever). */
export interface FaultRuleState<Rule> {
  rule: Rule;
  remaining: number | null;
}

/** How one emulator's rules are read: their schema, the target a rule names, and when two targets are the same. */
export interface FaultBookSpec<Rule, Input> {
  schema: z.ZodType<Rule, Input>;
  target(rule: Rule): string | undefined;
  /** Maps a target before comparing (e.g. Dropbox paths are case-insensitive); the identity when absent. */
  normalise?(target: string): string;
}

interface ActiveRule<Rule> {
  rule: Rule;
  target: string | undefined;
  next: number;
}

/** Holds fault rules; the first rule (in the order added) that matches a request and is not used up answers it. */
export class FaultBook<Rule extends FaultRuleShape, Input> {
  private rules: ActiveRule<Rule>[] = [];

  constructor(private readonly spec: FaultBookSpec<Rule, Input>) {}

  /** Parses and appends rules; a malformed one throws and none of this call's rules is added. */
  add(...inputs: Input[]): void {
    const parsed = inputs.map((input) => this.spec.schema.parse(input));
    for (const rule of parsed) {
      const target = this.spec.target(rule);
      this.rules.push({ rule, target: target === undefined ? undefined : this.normalise(target), next: 0 });
    }
  }

  clear(): void {
    this.rules = [];
  }

  /** The scripted answer for this request, consuming it; undefined: answer normally. */
  take(route: NonNullable<Rule['route']>, target: string | undefined): Rule['responses'][number] | undefined {
    const wanted = target === undefined ? undefined : this.normalise(target);
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.route && rule.route !== route) continue;
      if (active.target !== undefined && active.target !== wanted) continue;
      if (!rule.repeat && active.next >= rule.responses.length) continue;
      const response = rule.responses[active.next % rule.responses.length] as Rule['responses'][number] | undefined;
      active.next += 1;
      if (response) return response;
    }
    return undefined;
  }

  state(): FaultRuleState<Rule>[] {
    return this.rules.map(({ rule, next }) => ({ rule, remaining: rule.repeat ? null : Math.max(0, rule.responses.length - next) }));
  }

  /** Rules with answers still to give. */
  pending(): number {
    return this.state().filter(({ remaining }) => remaining !== 0).length;
  }

  private normalise(target: string): string {
    return this.spec.normalise ? this.spec.normalise(target) : target;
  }
}

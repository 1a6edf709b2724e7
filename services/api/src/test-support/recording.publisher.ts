import type { TopicContract } from '@importer/contracts';
import type { TopicPublisher } from '@importer/sidecar';

/**
 * A publisher for specs that knows its topics: it takes only the topics it was built with (any other throws, as a
 * misrouted message should fail the spec), checks each message with its topic's schema as the real Publisher does,
 * and answers what each topic received.
 */
export class RecordingPublisher implements TopicPublisher {
  private readonly sent = new Map<string, unknown[]>();
  private readonly allowed: ReadonlySet<string>;

  constructor(topics: readonly Pick<TopicContract<unknown>, 'name'>[]) {
    this.allowed = new Set(topics.map((topic) => topic.name));
  }

  async publish<T>(topic: TopicContract<T>, message: T): Promise<void> {
    this.record(topic, [message]);
  }

  async publishMany<T>(topic: TopicContract<T>, messages: readonly T[]): Promise<void> {
    this.record(topic, messages);
  }

  /** What `topic` received, in order. */
  on<T>(topic: TopicContract<T>): T[] {
    return [...((this.sent.get(topic.name) as T[] | undefined) ?? [])];
  }

  /** Messages published to any topic so far. */
  count(): number {
    return [...this.sent.values()].reduce((sum, messages) => sum + messages.length, 0);
  }

  /** Forgets what was published, so a spec can look at one step at a time. */
  clear(): void {
    this.sent.clear();
  }

  private record<T>(topic: TopicContract<T>, messages: readonly T[]): void {
    if (!this.allowed.has(topic.name)) throw new Error(`published to ${topic.name}, which this publisher does not expect (it takes ${[...this.allowed].join(', ')})`);
    const list = this.sent.get(topic.name) ?? [];
    for (const message of messages) list.push(topic.schema.parse(message));
    this.sent.set(topic.name, list);
  }
}

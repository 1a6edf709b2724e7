import type { DaprClient } from '@dapr/dapr';
import { ComponentName, type TopicContract } from '@importer/contracts';
import { describeSdkError, PublishError } from './errors.js';

/** Entries per bulk request: keeps one request well under the sidecar's body limit. */
const BULK_CHUNK = 100;

/** What services publish through: one message, or many at once. */
export interface TopicPublisher {
  publish<T>(topic: TopicContract<T>, message: T): Promise<void>;
  publishMany<T>(topic: TopicContract<T>, messages: readonly T[]): Promise<void>;
}

/** Publishes contract-checked messages and throws when the sidecar reports any failure. */
export class Publisher implements TopicPublisher {
  constructor(
    private readonly client: DaprClient,
    private readonly pubsubName: string = ComponentName.pubsub,
  ) {}

  async publish<T>(topic: TopicContract<T>, message: T): Promise<void> {
    const payload = topic.schema.parse(message) as object;
    let response: { error?: Error } | undefined;
    try {
      response = await this.client.pubsub.publish(this.pubsubName, topic.name, payload, { contentType: 'application/json' });
    } catch (error) {
      throw new PublishError(topic.name, describeSdkError(error));
    }
    if (response?.error) throw new PublishError(topic.name, describeSdkError(response.error));
  }

  /** Publishes in chunks; throws naming how many entries the broker refused. */
  async publishMany<T>(topic: TopicContract<T>, messages: readonly T[]): Promise<void> {
    const payloads = messages.map((message) => topic.schema.parse(message) as object);
    for (let start = 0; start < payloads.length; start += BULK_CHUNK) {
      const chunk = payloads.slice(start, start + BULK_CHUNK);
      let failed: number;
      let reason = '';
      try {
        const response = await this.client.pubsub.publishBulk(this.pubsubName, topic.name, chunk);
        failed = response.failedMessages.length;
        reason = response.failedMessages[0] ? describeSdkError(response.failedMessages[0].error) : '';
      } catch (error) {
        throw new PublishError(topic.name, describeSdkError(error));
      }
      if (failed > 0) throw new PublishError(topic.name, `${failed} of ${chunk.length} entries refused: ${reason}`);
    }
  }
}

import { DaprPubSubStatusEnum, type DaprServer } from '@dapr/dapr';
import { ComponentName, type TopicContract } from '@importer/contracts';
import type { Logger } from '@importer/observability';
import { PermanentError } from './errors.js';

export interface TopicSubscription<T> {
  topic: TopicContract<T>;
  /** Resolve when the message is done; throw PermanentError to drop it, anything else to have it retried. */
  handle(message: T): Promise<void>;
  /** Records a message that reached the dead-letter topic; it must not lose it (throw to have it redelivered). */
  onDeadLetter(message: unknown): Promise<void>;
}

type PubSubCallback = (data: unknown) => Promise<DaprPubSubStatusEnum>;

/**
 * Wraps a handler so that it never throws into the SDK, which would acknowledge the message as SUCCESS:
 * a malformed message is dropped (to the dead-letter topic), a PermanentError drops, any other error retries.
 */
export function guardHandler<T>(topic: TopicContract<T>, handle: (message: T) => Promise<void>, log: Logger): PubSubCallback {
  return async (data) => {
    const parsed = topic.schema.safeParse(data);
    if (!parsed.success) {
      log.error('dropping a malformed message', { topic: topic.name, issues: parsed.error.issues.slice(0, 5) });
      return DaprPubSubStatusEnum.DROP;
    }
    try {
      await handle(parsed.data);
      return DaprPubSubStatusEnum.SUCCESS;
    } catch (error) {
      if (error instanceof PermanentError) {
        log.warn('dropping a message that cannot succeed', { topic: topic.name, error });
        return DaprPubSubStatusEnum.DROP;
      }
      log.warn('message failed; it will be retried', { topic: topic.name, error });
      return DaprPubSubStatusEnum.RETRY;
    }
  };
}

function guardDeadLetter(topic: TopicContract<unknown>, record: (message: unknown) => Promise<void>, log: Logger): PubSubCallback {
  return async (data) => {
    try {
      await record(data);
      return DaprPubSubStatusEnum.SUCCESS;
    } catch (error) {
      log.error('recording a dead letter failed; it will be retried', { topic: topic.deadLetter, error });
      return DaprPubSubStatusEnum.RETRY;
    }
  };
}

/**
 * Subscribes a topic with its dead-letter topic, and subscribes the dead-letter topic itself:
 * the SDK's own `deadLetterCallback` is never registered with daprd.
 */
export async function subscribeTopic<T>(
  server: DaprServer,
  subscription: TopicSubscription<T>,
  log: Logger,
  pubsubName: string = ComponentName.pubsub,
): Promise<void> {
  const { topic } = subscription;
  await server.pubsub.subscribeWithOptions(pubsubName, topic.name, {
    callback: guardHandler(topic, subscription.handle, log),
    deadLetterTopic: topic.deadLetter,
  });
  await server.pubsub.subscribe(
    pubsubName,
    topic.deadLetter,
    guardDeadLetter(topic as TopicContract<unknown>, subscription.onDeadLetter, log),
  );
}

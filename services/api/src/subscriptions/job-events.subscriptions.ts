import type { DaprServer } from '@dapr/dapr';
import { batchDoneTopic, listingFailedTopic, listingProgressTopic } from '@importer/contracts';
import type { Logger } from '@importer/observability';
import { subscribeTopic } from '@importer/sidecar';
import type { ImportJobClient } from '../actors/import-job.client.js';

/**
 * Progress events go to the job's actor. A progress event that ends on its dead-letter topic is logged,
 * not replayed: the ledger holds the truth, and the watchdog reconciles the job's counters from it.
 */
export async function subscribeJobEvents(server: DaprServer, jobs: ImportJobClient, log: Logger): Promise<void> {
  const deadLetter = (topic: string) => async (message: unknown) => {
    log.error('a progress event was dead-lettered; the watchdog reconciles the job from the ledger', { topic, message });
  };
  await subscribeTopic(
    server,
    { topic: listingProgressTopic, handle: async (event) => void (await jobs.listingProgress(event)), onDeadLetter: deadLetter(listingProgressTopic.name) },
    log,
  );
  await subscribeTopic(
    server,
    { topic: batchDoneTopic, handle: async (event) => void (await jobs.batchDone(event)), onDeadLetter: deadLetter(batchDoneTopic.name) },
    log,
  );
  await subscribeTopic(
    server,
    { topic: listingFailedTopic, handle: async (event) => void (await jobs.listingFailed(event)), onDeadLetter: deadLetter(listingFailedTopic.name) },
    log,
  );
}

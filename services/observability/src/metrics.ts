import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/**
 * The import's Prometheus metrics, one set per process. Rates (files/s, bytes/s) are `rate()` over the counters;
 * every metric carries the `service` label, so the replicas of one app sum up in a query.
 */
export interface ImportMetrics {
  readonly registry: Registry;
  /** Files of a source listed into the ledger (lister). */
  filesListed(source: string, count: number): void;
  /** Files whose bytes landed in storage and whose row was written (transfer). */
  filesDone(source: string, count: number, bytes: number): void;
  /** Files that failed for good (one by default); `reason` is the ledger's reason, reduced to its code. */
  fileFailed(source: string, reason: string, count?: number): void;
  /** A file attempt that will be retried (a redelivery), by reason code. */
  fileRetried(source: string, reason: string): void;
  /** Reports the work waiting in the ledger whenever Prometheus scrapes (api). */
  observeQueueLag(read: () => Promise<QueueLag>): void;
}

/** What is still waiting: files not yet transferred and folders not yet listed, over every running job. */
export interface QueueLag {
  pendingFiles: number;
  pendingFolders: number;
  /** Age of the oldest pending file, in seconds (0 when none waits). */
  oldestPendingSeconds: number;
}

const REASON_CODE = /^([A-Za-z][\w.-]{0,63}):/;

/**
 * A bounded label from a free-text reason: `cannotDownloadAbusiveFile: …` becomes `cannotDownloadAbusiveFile`,
 * anything without a leading code becomes `other`, so a message can never multiply the series.
 */
export function reasonCode(reason: string): string {
  return REASON_CODE.exec(reason)?.[1] ?? 'other';
}

/** A registry with Node's default metrics (heap, event loop lag, GC) and the import's counters. */
export function createImportMetrics(service: string): ImportMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const listed = new Counter({ name: 'importer_files_listed_total', help: 'Files listed into the ledger.', labelNames: ['source'], registers: [registry] });
  const files = new Counter({
    name: 'importer_files_total',
    help: 'Files finished by transfer, by outcome (done, failed).',
    labelNames: ['source', 'outcome'],
    registers: [registry],
  });
  const bytes = new Counter({ name: 'importer_bytes_total', help: 'Bytes of images written to storage.', labelNames: ['source'], registers: [registry] });
  const failures = new Counter({
    name: 'importer_file_failures_total',
    help: 'Files that failed for good, by reason code.',
    labelNames: ['source', 'reason'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'importer_file_retries_total',
    help: 'File attempts that failed and will be retried, by reason code.',
    labelNames: ['source', 'reason'],
    registers: [registry],
  });
  return {
    registry,
    filesListed: (source, count) => listed.inc({ source }, count),
    filesDone: (source, count, size) => {
      files.inc({ source, outcome: 'done' }, count);
      bytes.inc({ source }, size);
    },
    fileFailed: (source, reason, count = 1) => {
      files.inc({ source, outcome: 'failed' }, count);
      failures.inc({ source, reason: reasonCode(reason) }, count);
    },
    fileRetried: (source, reason) => retries.inc({ source, reason: reasonCode(reason) }),
    observeQueueLag: (read) => {
      let latest: Promise<QueueLag> | undefined;
      // One query per scrape, shared by the three gauges.
      const current = () => (latest ??= read().finally(() => setImmediate(() => (latest = undefined))));
      const gauge = (name: string, help: string, pick: (lag: QueueLag) => number) =>
        new Gauge({
          name,
          help,
          registers: [registry],
          async collect() {
            this.set(pick(await current()));
          },
        });
      gauge('importer_queue_pending_files', 'Files in the ledger of running jobs not yet transferred (the queue lag).', (l) => l.pendingFiles);
      gauge('importer_queue_pending_folders', 'Folder pages of running jobs not yet listed.', (l) => l.pendingFolders);
      gauge('importer_queue_oldest_pending_seconds', 'Age of the oldest file still waiting, in seconds.', (l) => l.oldestPendingSeconds);
    },
  };
}

/** `GET /metrics` for a Node HTTP server or an express app: the Prometheus text format. */
export function metricsHandler(registry: Registry): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    registry.metrics().then(
      (text) => {
        res.statusCode = 200;
        res.setHeader('content-type', registry.contentType);
        res.end(text);
      },
      (error: unknown) => {
        res.statusCode = 500;
        res.setHeader('content-type', 'text/plain');
        res.end(`metrics failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };
}

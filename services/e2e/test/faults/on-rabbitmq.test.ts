import { after, before, describe, test } from 'node:test';
import { checkFault, checkWithoutFault, outage } from '../../src/faults/fault-check.js';
import { type FaultBench, startFaultBench } from '../../src/faults/fault-bench.js';
import { restartRabbitMq, restorePlatform } from '../../src/faults/platform-faults.js';

describe('faults mid-import, on RabbitMQ', () => {
  let bench: FaultBench;
  let baselineSeconds: number | undefined;

  before(async () => {
    bench = await startFaultBench({ pubsubFolder: 'components/pubsub-rabbitmq' });
  });

  after(async () => {
    try {
      await restorePlatform();
    } finally {
      await bench?.close();
    }
  });

  test('an import with no fault, for reference', async () => {
    baselineSeconds = (await checkWithoutFault(bench)).importSeconds;
  });

  test("RabbitMQ's application stopped for 5 s and started again (every connection dropped)", async () => {
    await checkFault(bench, outage('RabbitMQ restart (stop_app, down 5 s)', () => restartRabbitMq(5_000)), baselineSeconds);
  });
});

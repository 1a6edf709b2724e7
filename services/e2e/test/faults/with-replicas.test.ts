import { after, before, describe, test } from 'node:test';
import { checkFault, checkWithoutFault, crash } from '../../src/faults/fault-check.js';
import { type FaultBench, startFaultBench } from '../../src/faults/fault-bench.js';
import { actorHost, assertListingUnderWay, busiestReplica } from '../../src/faults/fault-targets.js';

const REPLICAS = { transfer: 3, lister: 2, api: 2 } as const;

// Each kill takes the replica that matters most at that moment: the transfer or lister holding most of the job's
// leases, the api hosting the job's actor; the others carry on while the supervisor restarts it.
describe('faults mid-import with replicas: three transfers, two listers, two apis', () => {
  let bench: FaultBench;
  let baselineSeconds: number | undefined;

  before(async () => {
    bench = await startFaultBench({ replicas: REPLICAS });
  });

  after(async () => {
    await bench?.close();
  });

  test('an import with no fault, for reference', async () => {
    baselineSeconds = (await checkWithoutFault(bench)).importSeconds;
  });

  test('SIGKILL of the transfer holding most of the job, one of three', async () => {
    await checkFault(bench, crash(`transfer SIGKILL (1 of ${REPLICAS.transfer})`, (jobId) => busiestReplica(bench, 'transfer', jobId)), baselineSeconds);
  });

  test('SIGKILL of the lister listing the job, one of two', async () => {
    const choose = async (jobId: string) => {
      await assertListingUnderWay(bench, jobId);
      return busiestReplica(bench, 'lister', jobId);
    };
    await checkFault(bench, crash(`lister SIGKILL (1 of ${REPLICAS.lister})`, choose), baselineSeconds);
  });

  test("SIGKILL of the api hosting the job's actor, one of two", async () => {
    await checkFault(bench, crash(`api SIGKILL (1 of ${REPLICAS.api})`, (jobId) => actorHost(bench, jobId)), baselineSeconds);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DriveEmulatorClient,
  DriveModel,
  DropboxEmulatorClient,
  DropboxFaultRuleSchema,
  DropboxModel,
  FaultRuleSchema,
  type RunningDriveEmulator,
  type RunningDropboxEmulator,
  startDriveEmulator,
  startDropboxEmulator,
} from '@importer/emulators';

const driveModel = new DriveModel('control-api');
const driveFolder = driveModel.folder('Root');
const driveImage = driveFolder.image('a.png', { size: 1_000 });
const dropboxModel = new DropboxModel('control-api');
const { folder: dropboxFolder, link } = dropboxModel.sharedFolder('Trip');
dropboxFolder.image('a.png', 1_000);

let drive: RunningDriveEmulator;
let dropbox: RunningDropboxEmulator;
before(async () => {
  drive = await startDriveEmulator({ model: driveModel, latencyMs: 5 });
  dropbox = await startDropboxEmulator({ model: dropboxModel, accessTokens: ['t'], latencyMs: 5 });
});
after(async () => {
  await Promise.all([drive?.close(), dropbox?.close()]);
});

const driveGet = () => fetch(new URL(`drive/v3/files/${driveImage.id}?key=k&alt=media`, drive.rootUrl));
const dropboxGet = () =>
  fetch(`${dropbox.contentUrl}/2/sharing/get_shared_link_file`, { method: 'POST', headers: { Authorization: 'Bearer t', 'Dropbox-API-Arg': JSON.stringify({ url: link.url, path: '/A.png' }) } });

/** Either client, given a rule of its own emulator's kind (or a malformed one). */
const addFault = (client: DriveEmulatorClient | DropboxEmulatorClient, rule: unknown) => (client.addFaults as (rule: unknown) => Promise<void>).call(client, rule);

/** The same operations against each emulator: one control API, one shape. */
const emulators = [
  {
    name: 'Drive',
    root: () => drive.rootUrl,
    client: () => new DriveEmulatorClient(drive.rootUrl),
    rule: { route: 'files.media', fileId: driveImage.id, responses: [{ type: 'error', status: 503 }] } as const,
    parse: (rule: unknown) => FaultRuleSchema.parse(rule),
    request: driveGet,
    route: 'files.media',
    folder: () => ({ id: driveFolder.id, name: 'Root', link: driveFolder.link }),
  },
  {
    name: 'Dropbox',
    root: () => `${dropbox.apiUrl}/`,
    client: () => new DropboxEmulatorClient(dropbox.apiUrl),
    rule: { route: 'get_shared_link_file', path: '/a.png', responses: [{ type: 'status', status: 503 }] } as const,
    parse: (rule: unknown) => DropboxFaultRuleSchema.parse(rule),
    request: dropboxGet,
    route: 'get_shared_link_file',
    folder: () => ({ id: link.root.id, name: 'Trip', link: link.url }),
  },
];

for (const emulator of emulators) {
  describe(`the ${emulator.name} emulator's /_emulator control API`, () => {
    test('state shows latency, faults with what remains of them, and counters', async () => {
      const client = emulator.client();
      await client.reset();
      await addFault(client, emulator.rule);
      const state = (await (await fetch(new URL('_emulator/state', emulator.root()))).json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(state), ['latencyMs', 'faults', 'counters']);
      assert.equal(state.latencyMs, 5);
      assert.deepEqual(state.faults, [{ rule: emulator.parse(emulator.rule), remaining: 1 }]);
    });

    test('a scripted fault answers once, and the counters see it', async () => {
      const client = emulator.client();
      await client.reset();
      await addFault(client, emulator.rule);
      assert.deepEqual([(await emulator.request()).status, (await emulator.request()).status], [503, 200]);
      const counters = (await client.counters()) as { routes: Record<string, number>; faultsServed: number };
      assert.deepEqual([counters.routes[emulator.route], counters.faultsServed], [2, 1]);
      await client.resetCounters();
      assert.equal(((await client.counters()) as { faultsServed: number }).faultsServed, 0);
    });

    test('latency can be set and reset; faults can be cleared; a malformed rule is a 400', async () => {
      const client = emulator.client();
      await client.setLatency(40);
      const started = Date.now();
      await emulator.request();
      assert.ok(Date.now() - started >= 35);
      await addFault(client, emulator.rule);
      await client.clearFaults();
      assert.equal((await emulator.request()).status, 200);
      await assert.rejects(addFault(client, { responses: [] }), /answered 400/);
      await client.reset();
      const state = (await (await fetch(new URL('_emulator/state', emulator.root()))).json()) as { latencyMs: number; faults: unknown[] };
      assert.deepEqual([state.latencyMs, state.faults], [5, []]);
    });

    test('folders lists the top-level folders with their links', async () => {
      assert.deepEqual(await emulator.client().folders(), [emulator.folder()]);
    });
  });
}

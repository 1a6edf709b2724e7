import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { buildBenchmarkFolder } from './demo-folders.js';
import { DriveModel } from './drive-model.js';

describe('DriveModel', () => {
  test('ids are Drive-like and the same from one build to the next', () => {
    const build = () => {
      const model = new DriveModel('seed');
      const folder = model.folder('F');
      return [folder.id, folder.image('a.png').id, folder.folder('S').id];
    };
    const ids = build();
    assert.deepEqual(build(), ids);
    for (const id of ids) assert.match(id, /^1[A-Za-z0-9_-]{32}$/);
    assert.equal(new Set(ids).size, 3);
  });

  test('children come in insertion order, generated ranges included, sliced across entries', () => {
    const model = new DriveModel();
    const folder = model.folder('F');
    const a = folder.image('a.png');
    const range = folder.generatedImages(5, { namePrefix: 'g_' });
    const z = folder.googleDoc('z');
    assert.equal(model.childCount(folder.id), 7);
    assert.deepEqual(model.childrenSlice(folder.id, 0, 3).map((i) => i.name), ['a.png', 'g_1.png', 'g_2.png']);
    assert.deepEqual(model.childrenSlice(folder.id, 4, 10).map((i) => i.id), [range.idAt(3), range.idAt(4), z.id]);
    assert.equal(model.get(range.idAt(4))?.name, 'g_5.png');
    assert.equal(model.get(a.id), a);
  });

  test('a generated id outside its range, or made up, is not found', () => {
    const model = new DriveModel();
    const range = model.folder('F').generatedImages(3);
    const prefix = range.idAt(0).slice(0, -7);
    assert.equal(model.get(`${prefix}0000003`), undefined);
    assert.equal(model.get(`${prefix}abc`), undefined);
    assert.equal(model.get('1nothing'), undefined);
  });

  test('md5 is the hash of the bytes served, computed once', () => {
    const model = new DriveModel();
    const image = model.folder('F').image('a.png', { size: 5000 });
    const expected = createHash('md5').update(Buffer.concat([...image.content.chunks()])).digest('hex');
    assert.equal(model.md5(image), expected);
    assert.equal(model.md5(image), expected);
    const file = model.folder('G').file('t.txt', { content: 'hello', mimeType: 'text/plain' });
    assert.equal(model.md5(file), '5d41402abc4b2a76b9719d911017c592');
  });

  test('duplicate ids and ids outside [A-Za-z0-9_-] are refused', () => {
    const model = new DriveModel();
    const folder = model.folder('F', { id: 'fixedFolderId1' });
    assert.throws(() => folder.image('x', { id: 'fixedFolderId1' }), /Duplicate id/);
    assert.throws(() => folder.image('x', { id: 'has/slash' }), /Drive ids use only/);
  });

  test('resourceKey: true makes a key shaped like Drive\'s', () => {
    const folder = new DriveModel().folder('F', { resourceKey: true });
    assert.match(folder.resourceKey ?? '', /^0-[A-Za-z0-9_-]{22}$/);
    assert.match(folder.link, /\?resourcekey=0-/);
  });

  test('a 100,000-file benchmark folder costs well under a few MB and serves its last file', () => {
    const before = process.memoryUsage().heapUsed;
    const { model, folder } = buildBenchmarkFolder({ count: 100_000 });
    const last = model.childrenSlice(folder.id, 99_999, 10);
    const grown = process.memoryUsage().heapUsed - before;
    assert.equal(model.childCount(folder.id), 100_000);
    assert.equal(last.length, 1);
    assert.equal(last[0]?.name, 'bench_100000.png');
    assert.equal(last[0]?.type === 'file' ? last[0].content.size : 0, 64 * 1024);
    assert.ok(grown < 5 * 1024 * 1024, `heap grew ${grown} bytes`);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Argon2idPasswordHasher } from './password-hasher.js';

describe('Argon2idPasswordHasher', () => {
  const hasher = new Argon2idPasswordHasher();

  test('hashes with argon2id at the OWASP cost, a new salt each time', async () => {
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');
    assert.match(first, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.notEqual(first, second);
  });

  test('verifies the password it hashed and nothing else', async () => {
    const stored = await hasher.hash('pässwörd with ünïcode');
    assert.equal(await hasher.verify(stored, 'pässwörd with ünïcode'), true);
    assert.equal(await hasher.verify(stored, 'pässwörd with ünïcodE'), false);
    assert.equal(await hasher.verify(stored, ''), false);
  });

  test('a hash it cannot read verifies nothing, without throwing', async () => {
    assert.equal(await hasher.verify('not a hash', 'anything'), false);
    assert.equal(await hasher.verify('', ''), false);
  });

  test('a hash made at another cost still verifies: the string carries its cost', async () => {
    const cheap = await new Argon2idPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }).hash('pw');
    assert.match(cheap, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    assert.equal(await hasher.verify(cheap, 'pw'), true);
  });
});

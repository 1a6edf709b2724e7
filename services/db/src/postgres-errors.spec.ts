import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDataError, sqlState } from './postgres-errors.js';

const serverError = (code: string) => Object.assign(new Error('refused'), { code, severity: 'ERROR' });

describe('postgres errors', () => {
  test('class 22 is a data error, from pg itself or inside a QueryFailedError', () => {
    for (const code of ['22021', '22P05', '22001']) assert.equal(isDataError(serverError(code)), true, code);
    assert.equal(isDataError(Object.assign(new Error('query failed'), { driverError: serverError('22021') })), true);
  });

  test('anything else is not: other classes, Node errors with a code, non-errors', () => {
    assert.equal(isDataError(serverError('40001')), false);
    assert.equal(isDataError(serverError('08006')), false);
    assert.equal(isDataError(Object.assign(new Error('pipe'), { code: 'EPIPE' })), false);
    assert.equal(sqlState(Object.assign(new Error('pipe'), { code: 'EPIPE' })), undefined);
    assert.equal(isDataError(undefined), false);
    assert.equal(isDataError('22021'), false);
  });
});

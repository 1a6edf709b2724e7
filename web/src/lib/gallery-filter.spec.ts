import { describe, expect, it } from 'vitest';
import { galleryFilterOf } from './gallery-filter.js';

describe('the gallery filter of an address', () => {
  it('reads a known source and a job', () => {
    expect(galleryFilterOf({ source: 'dropbox', job: 'j1' })).toEqual({ source: 'dropbox', jobId: 'j1' });
  });

  it('drops an unknown source and repeated keys, and reads nothing as no filter', () => {
    expect(galleryFilterOf({ source: 'ftp', job: ['a', 'b'] })).toEqual({ source: undefined, jobId: undefined });
    expect(galleryFilterOf({})).toEqual({ source: undefined, jobId: undefined });
  });
});

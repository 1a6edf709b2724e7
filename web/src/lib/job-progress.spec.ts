import { describe, expect, it } from 'vitest';
import { job } from '../test-support/fake-api.js';
import { averageRate, ProgressTracker } from './job-progress.js';

describe('job progress estimates', () => {
  it('gives files/s, bytes/s and the time left from samples over time', () => {
    const tracker = new ProgressTracker();
    tracker.add({ at: 0, files: 0, bytes: 0 });
    tracker.add({ at: 2_000, files: 40, bytes: 4_000 });
    expect(tracker.estimate(60)).toEqual({ filesPerSecond: 20, bytesPerSecond: 2_000, secondsLeft: 3 });
  });

  it('knows nothing from one sample or while the total is still growing', () => {
    const tracker = new ProgressTracker();
    tracker.add({ at: 0, files: 0, bytes: 0 });
    expect(tracker.estimate(10).filesPerSecond).toBeNull();
    tracker.add({ at: 5_000, files: 50, bytes: 0 });
    expect(tracker.estimate(null)).toMatchObject({ filesPerSecond: 10, secondsLeft: null });
  });

  it('forgets samples older than its window, so the speed follows the present', () => {
    const tracker = new ProgressTracker(10_000);
    tracker.add({ at: 0, files: 0, bytes: 0 });
    tracker.add({ at: 20_000, files: 20, bytes: 0 });
    tracker.add({ at: 25_000, files: 120, bytes: 0 });
    expect(tracker.estimate(0).filesPerSecond).toBe(20);
  });

  it('starts over when the counts go down (a retry reopened the job)', () => {
    const tracker = new ProgressTracker();
    tracker.add({ at: 0, files: 90, bytes: 0 });
    tracker.add({ at: 1_000, files: 5, bytes: 0 });
    expect(tracker.estimate(5).filesPerSecond).toBeNull();
  });

  it("gives a finished job's average speed from its start and end", () => {
    const finished = job({ status: 'completed', processed_files: 300, bytes: 3_000_000, created_at: '2026-11-21T10:00:00.000Z', finished_at: '2026-11-21T10:01:00.000Z' });
    expect(averageRate(finished)).toEqual({ filesPerSecond: 5, bytesPerSecond: 50_000, secondsLeft: 0 });
  });
});

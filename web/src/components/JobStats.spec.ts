import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { jobView } from '../stores/jobs.store.js';
import { job } from '../test-support/fake-api.js';
import JobStats from './JobStats.vue';

const stats = (view: ReturnType<typeof jobView>) => {
  const dl = mount(JobStats, { props: { view } });
  return { text: (stat: string) => dl.get(`[data-stat="${stat}"]`).text(), dd: (stat: string) => dl.get(`[data-stat="${stat}"]`), labels: dl.findAll('dt').map((dt) => dt.text()) };
};

describe("a job's stats", () => {
  it('shows a slow speed to one decimal, and a dash for what is not known yet', () => {
    const slow = stats(jobView(job(), { estimate: { filesPerSecond: 4.25, bytesPerSecond: 1536, secondsLeft: null } }));
    expect(slow.text('rate')).toBe('4.3 files/s · 1.5 KB/s');
    expect(slow.text('time-left')).toBe('—');
    expect(slow.labels).toEqual(['Imported', 'Failed', 'Skipped', 'Total', 'Size', 'Speed', 'Time left']);
    expect(stats(jobView(job())).text('rate')).toBe('—');
  });

  it('waits for the listing before a queued job has a time left, without a growing total', () => {
    const queued = stats(jobView(job({ status: 'queued', processed_files: 0, total_files: 0 })));
    expect(queued.text('total')).toBe('0 / 0');
    expect(queued.text('time-left')).toBe('after listing');
  });

  it('gives an ended job its duration, or a dash when it has no end time', () => {
    const ended = stats(jobView(job({ status: 'completed', finished_at: '2026-11-21T11:02:05.000Z' })));
    expect(ended.labels.at(-1)).toBe('Duration');
    expect(ended.text('time-left')).toBe('took 1 h 2 min');
    expect(stats(jobView(job({ status: 'cancelled' }))).text('time-left')).toBe('—');
  });

  it('marks the failed count only when files failed', () => {
    expect(stats(jobView(job({ failed_files: 0 }))).dd('failed').classes()).not.toContain('bad');
    expect(stats(jobView(job({ failed_files: 2 }))).dd('failed').classes()).toContain('bad');
  });
});

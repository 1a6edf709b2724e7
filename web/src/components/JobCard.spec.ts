import { mount, RouterLinkStub } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { NO_ESTIMATE } from '../lib/job-progress.js';
import { job } from '../test-support/fake-api.js';
import JobCard from './JobCard.vue';

const base = { estimate: NO_ESTIMATE, errors: undefined, showErrors: false, pending: undefined, actionError: undefined, highlighted: false };
const mountCard = (props: Partial<InstanceType<typeof JobCard>['$props']> & { job: ReturnType<typeof job> }) =>
  mount(JobCard, { props: { ...base, ...props }, global: { stubs: { RouterLink: RouterLinkStub } } });

describe('a job card', () => {
  it('shows the counts, the speed and the time left of a running job, with cancel', async () => {
    const card = mountCard({ job: job({ processed_files: 1200, failed_files: 3, total_files: 5000, bytes: 3 * 1024 * 1024 }), estimate: { filesPerSecond: 42, bytesPerSecond: 1024 * 1024, secondsLeft: 90 } });
    expect(card.get('[data-stat="processed"]').text()).toBe('1,200');
    expect(card.get('[data-stat="failed"]').text()).toBe('3');
    expect(card.get('[data-stat="total"]').text()).toBe('1,203 / 5,000');
    expect(card.get('[data-stat="bytes"]').text()).toBe('3.0 MB');
    expect(card.get('[data-stat="rate"]').text()).toBe('42 files/s · 1.0 MB/s');
    expect(card.get('[data-stat="time-left"]').text()).toBe('1 min 30 s');
    expect(card.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('24');
    await card.get('button.danger').trigger('click');
    expect(card.emitted('cancel')).toHaveLength(1);
    expect(card.text()).not.toMatch(/Retry failed/);
  });

  it('offers retry on a job that ended with errors, and lists the failed files with their reasons', async () => {
    const errors = [{ source_file_id: 'f1', name: 'broken.png', path: 'Trip/broken.png', reason: 'cannotDownloadAbusiveFile: malware' }];
    const card = mountCard({ job: job({ status: 'completed_with_errors', failed_files: 1, finished_at: '2026-11-21T10:02:05.000Z' }), errors, showErrors: true });
    expect(card.find('button.danger').exists()).toBe(false);
    await card.findAll('button').find((b) => b.text() === 'Retry failed')?.trigger('click');
    expect(card.emitted('retry')).toHaveLength(1);
    expect(card.get('.error-name').text()).toBe('Trip/broken.png');
    expect(card.get('.error-reason').text()).toBe('cannotDownloadAbusiveFile: malware');
    expect(card.get('[data-stat="time-left"]').text()).toBe('took 2 min 5 s');
  });

  it('shows the bar in motion and no time left while the source is being listed', () => {
    const card = mountCard({ job: job({ status: 'listing', total_files: 300 }) });
    expect(card.get('[role="progressbar"]').classes()).toContain('indeterminate');
    expect(card.get('[data-stat="total"]').text()).toBe('10 / 300+');
    expect(card.get('[data-stat="time-left"]').text()).toBe('after listing');
  });

  it("shows why a whole job failed", () => {
    const card = mountCard({ job: job({ status: 'failed', error: 'folder_not_found: the folder was deleted' }) });
    expect(card.get('[role="alert"]').text()).toBe('folder_not_found: the folder was deleted');
  });
});

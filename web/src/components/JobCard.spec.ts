import { mount, RouterLinkStub } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { jobView } from '../stores/jobs.store.js';
import { job, jobDetail } from '../test-support/fake-api.js';
import JobCard from './JobCard.vue';

const mountCard = (view: ReturnType<typeof jobView>, page: { showErrors?: boolean; highlighted?: boolean } = {}) =>
  mount(JobCard, { props: { view, showErrors: false, highlighted: false, ...page }, global: { stubs: { RouterLink: RouterLinkStub } } });

describe('a job card', () => {
  it('shows the counts, the speed and the time left of a running job, with cancel', async () => {
    const card = mountCard(jobView(job({ processed_files: 1200, failed_files: 3, total_files: 5000, bytes: 3 * 1024 * 1024 }), { estimate: { filesPerSecond: 42, bytesPerSecond: 1024 * 1024, secondsLeft: 90 } }));
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
    const ended = job({ status: 'completed_with_errors', failed_files: 1, finished_at: '2026-11-21T10:02:05.000Z' });
    const card = mountCard(jobView(ended, { detail: jobDetail({ ...ended, errors }) }), { showErrors: true });
    expect(card.find('button.danger').exists()).toBe(false);
    await card.findAll('button').find((b) => b.text() === 'Retry failed')?.trigger('click');
    expect(card.emitted('retry')).toHaveLength(1);
    expect(card.get('section[aria-label]').attributes('aria-label')).toBe('Failed files of https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp');
    expect(card.get('.error-name').text()).toBe('Trip/broken.png');
    expect(card.get('.error-reason').text()).toBe('cannotDownloadAbusiveFile: malware');
    expect(card.get('[data-stat="time-left"]').text()).toBe('took 2 min 5 s');
  });

  it('shows the bar in motion and no time left while the source is being listed', () => {
    const card = mountCard(jobView(job({ status: 'listing', total_files: 300 })));
    expect(card.get('[role="progressbar"]').classes()).toContain('indeterminate');
    expect(card.get('[data-stat="total"]').text()).toBe('10 / 300+');
    expect(card.get('[data-stat="time-left"]').text()).toBe('after listing');
  });

  it("shows why a whole job failed", () => {
    const card = mountCard(jobView(job({ status: 'failed', error: 'folder_not_found: the folder was deleted' })));
    expect(card.get('[role="alert"]').text()).toBe('folder_not_found: the folder was deleted');
  });

  it('carries the job id and status for the page, and marks the job it was opened for', () => {
    const card = mountCard(jobView(job({ status: 'completed_with_errors', failed_files: 2 })), { highlighted: true });
    const article = card.get('article');
    expect(article.attributes('data-job-id')).toBe(job().job_id);
    expect(article.attributes('data-status')).toBe('completed_with_errors');
    expect(article.attributes('aria-current')).toBe('true');
    expect(article.classes()).toContain('highlighted');
    expect(card.find('section').exists()).toBe(false);
  });

  it('opens and closes the failed files through the page, and says how many there are', async () => {
    const card = mountCard(jobView(job({ status: 'completed_with_errors', failed_files: 1 })));
    const toggle = card.get('button[aria-expanded]');
    expect(toggle.text()).toBe('Show 1 failed file');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    await toggle.trigger('click');
    expect(card.emitted('toggleErrors')).toHaveLength(1);
    await card.setProps({ showErrors: true });
    expect(card.get('button[aria-expanded]').text()).toBe('Hide 1 failed file');
    expect(card.get('section').text()).toBe('Loading the failed files…');
  });

  it('holds both buttons while an action is in flight, and shows why the last one was refused', () => {
    const card = mountCard(jobView(job(), { pending: 'cancel', actionError: 'The server could not be reached.' }));
    const cancel = card.get('button.danger');
    expect(cancel.text()).toBe('Cancelling…');
    expect(cancel.attributes('disabled')).toBeDefined();
    expect(card.get('[role="alert"]').text()).toBe('The server could not be reached.');
    const retrying = mountCard(jobView(job({ status: 'completed_with_errors', failed_files: 1 }), { pending: 'retry' }));
    const retry = retrying.findAll('button').find((b) => b.text() === 'Retrying…');
    expect(retry?.attributes('disabled')).toBeDefined();
  });

  it('links to the gallery only once an image was imported', () => {
    expect(mountCard(jobView(job({ processed_files: 0 }))).findComponent(RouterLinkStub).exists()).toBe(false);
    expect(mountCard(jobView(job())).getComponent(RouterLinkStub).props('to')).toEqual({ path: '/gallery', query: { job: job().job_id } });
  });
});

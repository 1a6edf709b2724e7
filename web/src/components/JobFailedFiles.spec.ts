import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { jobView } from '../stores/jobs.store.js';
import { job, jobDetail } from '../test-support/fake-api.js';
import JobFailedFiles from './JobFailedFiles.vue';

const errors = [
  { source_file_id: 'f1', name: 'broken.png', path: 'Trip/broken.png', reason: 'cannotDownloadAbusiveFile: malware' },
  { source_file_id: 'f2', name: 'gone.png', path: '', reason: 'notFound' },
];
const failedFiles = (failed: number, loaded = true) => {
  const ended = job({ status: 'completed_with_errors', failed_files: failed, folder_url: null, source: 'dropbox' });
  return mount(JobFailedFiles, { props: { view: jobView(ended, { detail: loaded ? jobDetail({ ...ended, errors }) : undefined }) } });
};

describe("a job's failed files", () => {
  it('is a region named after the job, listing each file by its path (or its name) with the reason', () => {
    const list = failedFiles(2);
    expect(list.get('section').attributes('aria-label')).toBe('Failed files of Dropbox import');
    expect(list.findAll('.error-name').map((n) => n.text())).toEqual(['Trip/broken.png', 'gone.png']);
    expect(list.findAll('.error-reason').map((n) => n.text())).toEqual(['cannotDownloadAbusiveFile: malware', 'notFound']);
    expect(list.text()).not.toMatch(/The first/);
  });

  it('says when it shows only the first of many', () => {
    expect(failedFiles(2500).get('p.small').text()).toBe('The first 2 of 2,500 failed files.');
  });

  it('says it is loading until the detail arrives', () => {
    const list = failedFiles(2, false);
    expect(list.text()).toBe('Loading the failed files…');
    expect(list.find('ul').exists()).toBe(false);
  });
});

import { Router } from 'express';
import { z } from 'zod';
import { expressPath, JobFilesQueryV1, JobListQueryV1, PublicRoutes } from '@importer/contracts';
import { asyncHandler } from '../http/async-handler.js';
import { ApiError } from '../http/api-error.js';
import { requireCaller } from '../accounts/caller.js';
import { jobScope } from '../accounts/owner-scope.js';
import type { JobsService } from './jobs.service.js';

function jobId(raw: string | undefined): string {
  const parsed = z.uuid().safeParse(raw);
  if (!parsed.success) throw new ApiError(404, 'job_not_found', `There is no import job ${String(raw).slice(0, 64)}: job ids are UUIDs.`);
  return parsed.data;
}

/** The jobs: read one, list them newest first, cancel one, retry its failed files. */
export function jobsRouter(jobs: JobsService): Router {
  const router = Router();
  router.get(
    expressPath(PublicRoutes.listJobs),
    asyncHandler(async (req, res) => {
      const { limit, cursor, all } = JobListQueryV1.parse(req.query);
      res.json(await jobs.list(jobScope(requireCaller(res), { all }), limit, cursor));
    }),
  );
  router.get(
    expressPath(PublicRoutes.getJob),
    asyncHandler(async (req, res) => {
      res.json(await jobs.get(jobScope(requireCaller(res)), jobId(req.params.job_id)));
    }),
  );
  router.get(
    expressPath(PublicRoutes.listJobFiles),
    asyncHandler(async (req, res) => {
      res.json(await jobs.files(jobScope(requireCaller(res)), jobId(req.params.job_id), JobFilesQueryV1.parse(req.query)));
    }),
  );
  router.post(
    expressPath(PublicRoutes.cancelJob),
    asyncHandler(async (req, res) => {
      res.json(await jobs.cancel(jobScope(requireCaller(res)), jobId(req.params.job_id)));
    }),
  );
  router.post(
    expressPath(PublicRoutes.retryJob),
    asyncHandler(async (req, res) => {
      res.status(202).json(await jobs.retry(jobScope(requireCaller(res)), jobId(req.params.job_id)));
    }),
  );
  return router;
}

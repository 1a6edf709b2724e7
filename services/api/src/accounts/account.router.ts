import { Router } from 'express';
import { ChangePasswordRequestV1, CreateApiKeyRequestV1, CreateUserRequestV1, expressPath, PublicRoutes } from '@importer/contracts';
import { asyncHandler } from '../http/async-handler.js';
import { ApiError } from '../http/api-error.js';
import type { UserWebhookSecrets } from '../webhooks/user-webhook-secrets.js';
import { answeringAccountErrors, toAccountBody, toApiKeyBody } from './account.mapper.js';
import type { AccountsService } from './accounts.service.js';
import { requireCaller } from './caller.js';

const noWebhooks = () => new ApiError(501, 'webhooks_not_configured', 'Webhooks are not configured here (the deployment has no WEBHOOK_SECRET).');

/** The signed-in user's own account: who they are, their password, API keys and webhook secret. */
export function accountRouter(accounts: AccountsService, webhookSecrets: UserWebhookSecrets | undefined): Router {
  const router = Router();
  router.get(expressPath(PublicRoutes.getAccount), (_req, res) => {
    res.json({ user: toAccountBody(requireCaller(res).account) });
  });
  router.post(
    expressPath(PublicRoutes.changePassword),
    asyncHandler(async (req, res) => {
      const caller = requireCaller(res);
      const body = ChangePasswordRequestV1.parse(req.body);
      const { sessionsEnded } = await answeringAccountErrors(() =>
        accounts.changePassword({
          userId: caller.account.id,
          currentPassword: body.current_password,
          newPassword: body.new_password,
          ...(caller.via === 'session' ? { keepSessionId: caller.sessionId } : {}),
        }),
      );
      res.json({ sessions_ended: sessionsEnded });
    }),
  );
  router.get(
    expressPath(PublicRoutes.listApiKeys),
    asyncHandler(async (_req, res) => {
      res.json({ api_keys: (await accounts.listApiKeys(requireCaller(res).account.id)).map(toApiKeyBody) });
    }),
  );
  router.post(
    expressPath(PublicRoutes.createApiKey),
    asyncHandler(async (req, res) => {
      const { name } = CreateApiKeyRequestV1.parse(req.body);
      const created = await answeringAccountErrors(() => accounts.createApiKey(requireCaller(res).account.id, name));
      res.status(201).json({ key: created.key, api_key: toApiKeyBody(created.apiKey) });
    }),
  );
  router.post(
    expressPath(PublicRoutes.revokeApiKey),
    asyncHandler(async (req, res) => {
      await answeringAccountErrors(() => accounts.revokeApiKey(requireCaller(res).account.id, req.params.key_id ?? ''));
      res.status(204).end();
    }),
  );
  router.get(
    expressPath(PublicRoutes.getWebhookSecret),
    asyncHandler(async (_req, res) => {
      const secret = webhookSecrets ? await webhookSecrets.current(requireCaller(res).account.id) : undefined;
      if (!webhookSecrets) throw noWebhooks();
      if (!secret) throw new ApiError(404, 'user_not_found', 'There is no such user.');
      res.set('Cache-Control', 'no-store').json({ webhook_secret: secret });
    }),
  );
  router.post(
    expressPath(PublicRoutes.rotateWebhookSecret),
    asyncHandler(async (_req, res) => {
      if (!webhookSecrets) throw noWebhooks();
      const secret = await webhookSecrets.rotate(requireCaller(res).account.id);
      if (!secret) throw new ApiError(404, 'user_not_found', 'There is no such user.');
      res.json({ webhook_secret: secret });
    }),
  );
  return router;
}

/** The administrators' users page: everyone, adding someone, disabling and enabling. */
export function usersRouter(accounts: AccountsService): Router {
  const router = Router();
  router.get(
    expressPath(PublicRoutes.listUsers),
    asyncHandler(async (_req, res) => {
      res.json({ users: (await accounts.listUsers()).map(toAccountBody) });
    }),
  );
  router.post(
    expressPath(PublicRoutes.createUser),
    asyncHandler(async (req, res) => {
      const body = CreateUserRequestV1.parse(req.body);
      const user = await answeringAccountErrors(() => accounts.createUser({ email: body.email, password: body.password, role: body.role }));
      res.status(201).json({ user: toAccountBody(user) });
    }),
  );
  for (const [route, disabled] of [
    [PublicRoutes.disableUser, true],
    [PublicRoutes.enableUser, false],
  ] as const) {
    router.post(
      expressPath(route),
      asyncHandler(async (req, res) => {
        const user = await answeringAccountErrors(() => accounts.setDisabled(requireCaller(res).account.id, req.params.user_id ?? '', disabled));
        res.json({ user: toAccountBody(user) });
      }),
    );
  }
  return router;
}

import { z } from 'zod';
import { AccountV1, type UserRoleName, UserListV1 } from '@importer/contracts';
import { type HttpClient, jsonBody } from './http-client.js';

export type UserList = z.infer<typeof UserListV1>;

/** The answer of every change to a user: the user as they are now. */
const UserAnswer = z.object({ user: AccountV1 });
export type UserAnswer = z.infer<typeof UserAnswer>;

export interface NewUser {
  email: string;
  password: string;
  role: UserRoleName;
}

/** An administrator's view of every account; anyone else gets 404 from each of these. */
export interface UsersApi {
  list(): Promise<UserList>;
  create(user: NewUser): Promise<UserAnswer>;
  disable(userId: string): Promise<UserAnswer>;
  enable(userId: string): Promise<UserAnswer>;
}

export function usersApi(http: HttpClient): UsersApi {
  const user = (userId: string) => `/admin/users/${encodeURIComponent(userId)}`;
  return {
    list: () => http.request(UserListV1, '/admin/users'),
    create: (newUser) => http.request(UserAnswer, '/admin/users', jsonBody(newUser)),
    disable: (userId) => http.request(UserAnswer, `${user(userId)}/disable`, { method: 'POST' }),
    enable: (userId) => http.request(UserAnswer, `${user(userId)}/enable`, { method: 'POST' }),
  };
}

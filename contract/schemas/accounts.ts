/** Schemas of the account routes: sign-up, sign-in, sessions, personal API tokens. */
import { z } from 'zod';
import { isoDate } from './common.js';

export const usernameSchema = z.string().trim().min(3).max(32).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, ".", "_" and "-" only');
export const passwordSchema = z.string().min(8, 'at least 8 characters').max(256);

export const signupFields = {
  username: usernameSchema,
  email: z.string().trim().max(254).email('an email address'),
  password: passwordSchema,
};
export const passwordNotUsername: [(b: { username: string; password: string }) => boolean, { message: string; path: string[] }] = [
  (b) => b.password.toLowerCase() !== b.username.toLowerCase(),
  { message: 'the password must not be the username', path: ['password'] },
];

export const signupBody = z.object(signupFields).strict().refine(...passwordNotUsername);

export const loginBody = z.object({
  login: z.string().trim().min(1).max(254).meta({ description: 'Username or email' }),
  password: z.string().min(1).max(256),
  /** cookie: the browser (HttpOnly cookies + a CSRF token); token: the CLI (tokens in the body). */
  mode: z.enum(['cookie', 'token']).default('cookie'),
}).strict();

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
  isAdmin: z.boolean(),
  createdAt: isoDate,
}).meta({ id: 'User' });

export const loginResponse = z.object({
  user: userSchema,
  csrfToken: z.string().optional().meta({ description: 'Cookie mode: send as X-CSRF-Token on unsafe requests' }),
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
  expiresIn: z.number().int().optional(),
}).meta({ id: 'SignIn' });

export const meResponse = z.object({ user: userSchema, csrfToken: z.string().nullable() }).meta({ id: 'Me' });

export const refreshBody = z.object({ refreshToken: z.string().min(10).max(200) }).strict();
export const refreshResponse = z.object({ accessToken: z.string(), expiresIn: z.number().int() });

export const sessionSchema = z.object({ id: z.string(), kind: z.string(), createdAt: isoDate, lastUsedAt: isoDate, userAgent: z.string(), current: z.boolean() }).meta({ id: 'Session' });

export const tokenCreateBody = z.object({
  name: z.string().trim().min(1).max(80),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
}).strict();

export const apiTokenSchema = z.object({
  id: z.string(), name: z.string(), prefix: z.string(), createdAt: isoDate, lastUsedAt: isoDate.nullable(), expiresAt: isoDate.nullable(),
}).meta({ id: 'ApiToken' });

export const createdTokenSchema = apiTokenSchema.extend({ token: z.string().meta({ description: 'Shown once; store it now' }) });

export const idParams = z.object({ id: z.string().max(64) });

export const authConfigResponse = z.object({ signupsAllowed: z.boolean(), firstUser: z.boolean() });

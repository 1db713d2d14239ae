/**
 * Schemas of the device-code sign-in (the CLI's `fp login`, after RFC 8628): the CLI asks for a code,
 * the person approves it in the web UI while signed in, the CLI polls and receives a CLI session.
 */
import { z } from 'zod';
import { userSchema } from './accounts.js';
import { isoDate } from './common.js';

export const deviceStartBody = z.object({
  client: z.string().trim().min(1).max(120).meta({ description: 'What asks, shown on the approval page (e.g. "fp 0.1.0 on laptop")' }),
}).strict();

export const deviceStartResponse = z.object({
  deviceCode: z.string().meta({ description: 'Secret: only the client that asked holds it; poll with it' }),
  userCode: z.string().meta({ example: 'WDJB-MJHT', description: 'What the person confirms in the browser' }),
  verificationUrl: z.string(),
  verificationUrlComplete: z.string().meta({ description: 'The approval page with the code filled in' }),
  expiresIn: z.number().int(),
  interval: z.number().int().meta({ description: 'Seconds to wait between polls' }),
}).meta({ id: 'DeviceLoginStart' });

export const devicePollBody = z.object({ deviceCode: z.string().min(10).max(200) }).strict();

export const devicePollResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending'), interval: z.number().int() }),
  z.object({ status: z.literal('slow_down'), interval: z.number().int() }),
  z.object({ status: z.literal('denied') }),
  z.object({
    status: z.literal('approved'), user: userSchema, accessToken: z.string(), refreshToken: z.string(), expiresIn: z.number().int(),
  }),
]).meta({ id: 'DeviceLoginPoll' });

export const userCodeParams = z.object({ userCode: z.string().max(20).meta({ example: 'WDJB-MJHT' }) });

export const deviceLoginSchema = z.object({
  userCode: z.string(),
  client: z.string(),
  address: z.string().meta({ description: 'The network address the request came from' }),
  requestedAt: isoDate,
  expiresAt: isoDate,
  status: z.enum(['pending', 'approved', 'denied']),
}).meta({ id: 'DeviceLogin' });

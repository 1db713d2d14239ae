/**
 * Device-code sign-in for the CLI (after RFC 8628), so `fp login` works over SSH and in containers
 * where no browser can call back: the CLI asks for a code, the person opens the approval page while
 * signed in and approves it, and the CLI, polling with its secret device code, receives a CLI session
 * exactly once. Requests live ten minutes; the user code is short and typeable (no vowels, so no
 * words), the device code long and secret (only its hash is stored).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { isDuplicateKey, type Database } from '../db/database.js';
import type { DeviceLoginDoc, SessionDoc } from '../db/documents.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { AccountService, PublicUser } from './accounts.js';
import { RateLimiter } from './rate-limit.js';
import { newSecretToken, tokenHash } from './tokens.js';

const alphabet = 'BCDFGHJKLMNPQRSTVWXZ';
const codeLength = 8;
const lifetimeSeconds = 600;
const intervalSeconds = 2;

type RequestDoc = Extract<DeviceLoginDoc, { kind: 'request' }>;
type DecisionDoc = Extract<DeviceLoginDoc, { kind: 'decision' }>;

export interface DeviceLoginView {
  readonly userCode: string;
  readonly client: string;
  readonly address: string;
  readonly requestedAt: string;
  readonly expiresAt: string;
  readonly status: 'pending' | 'approved' | 'denied';
}

export type DevicePoll =
  | { status: 'pending' | 'slow_down'; interval: number }
  | { status: 'denied' }
  | { status: 'approved'; user: PublicUser; accessToken: string; refreshToken: string; expiresIn: number };

export interface DeviceLoginOptions {
  /** The platform's public URL; the approval page is `<publicUrl>/device`. */
  readonly publicUrl: string;
  readonly sessionTtlDays: number;
}

/** `wdjb mjht`, `WDJB-MJHT` and `wdjbmjht` are one code; anything else is no code. */
export function normalizeUserCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === codeLength && [...code].every((c) => alphabet.includes(c)) ? code : undefined;
}

export const formatUserCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

const gone = () => new NotFoundError('This sign-in request has expired or does not exist; run `fp login` again for a new code.');

export class DeviceLoginService {
  private readonly startsByAddress: RateLimiter;
  private readonly missesByUser: RateLimiter;

  constructor(
    private readonly db: Database,
    private readonly accounts: AccountService,
    private readonly options: DeviceLoginOptions,
  ) {
    // In the database: every API replica spends the same budgets.
    this.startsByAddress = new RateLimiter(db.counters, 'device-starts', 30, 10 * 60_000);
    this.missesByUser = new RateLimiter(db.counters, 'device-misses', 20, 10 * 60_000);
  }

  async start(client: string, address: string): Promise<{ deviceCode: string; userCode: string; verificationUrl: string; verificationUrlComplete: string; expiresIn: number; interval: number }> {
    await this.startsByAddress.hit(address, 'sign-in requests from this address');
    const now = new Date();
    for (let attempt = 0; ; attempt++) {
      const code = Array.from({ length: codeLength }, () => alphabet[randomInt(alphabet.length)]).join('');
      const deviceCode = `fpd_${code}_${randomBytes(32).toString('base64url')}`;
      const doc: RequestDoc = {
        _id: code, kind: 'request', secretHash: tokenHash(deviceCode), client: client.trim(), address, createdAt: now,
        expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000),
      };
      try {
        await this.db.deviceLogins.insertOne(doc);
      } catch (error) {
        if (isDuplicateKey(error) && attempt < 5) continue;
        throw error;
      }
      const verificationUrl = `${this.options.publicUrl}/device`;
      return {
        deviceCode, userCode: formatUserCode(code), verificationUrl, verificationUrlComplete: `${verificationUrl}?code=${formatUserCode(code)}`,
        expiresIn: lifetimeSeconds, interval: intervalSeconds,
      };
    }
  }

  /** The CLI's poll: pending until someone decides; once approved, the session is handed over once. */
  async poll(deviceCode: string): Promise<DevicePoll> {
    const code = /^fpd_([A-Z]{8})_/.exec(deviceCode)?.[1];
    const request = code ? await this.request(code) : undefined;
    if (!code || !request || request.secretHash !== tokenHash(deviceCode)) throw gone();
    const now = Date.now();
    // When the previous poll came, from whichever API replica it reached.
    const before = await this.db.deviceLogins.findOneAndUpdate({ _id: code, kind: 'request' }, { $set: { lastPollAt: new Date(now) } }, { returnDocument: 'before' });
    const last = before?.kind === 'request' ? before.lastPollAt?.getTime() : undefined;
    if (last !== undefined && now - last < intervalSeconds * 1000 - 500) return { status: 'slow_down', interval: intervalSeconds + 3 };
    const decision = await this.decision(code);
    if (!decision) return { status: 'pending', interval: intervalSeconds };
    if (decision.decision === 'denied') return { status: 'denied' };
    try {
      await this.db.deviceLogins.insertOne({ _id: `${code}:claimed`, kind: 'claim', createdAt: new Date(), expiresAt: request.expiresAt });
    } catch (error) {
      if (isDuplicateKey(error)) throw gone();
      throw error;
    }
    return { status: 'approved', ...(await this.session(decision.userId, request.client)) };
  }

  /** The approval page's view of a request; unknown, malformed and expired codes are all "not found". */
  async get(userId: string, userCode: string): Promise<DeviceLoginView> {
    const code = normalizeUserCode(userCode);
    const request = code ? await this.request(code) : undefined;
    if (!code || !request) {
      await this.missesByUser.hit(userId, 'unknown sign-in codes');
      throw gone();
    }
    return this.view(request, await this.decision(code));
  }

  /** The first decision wins; a second one is a conflict that says what the first was. */
  async decide(userId: string, userCode: string, decision: 'approved' | 'denied'): Promise<DeviceLoginView> {
    const view = await this.get(userId, userCode);
    const code = normalizeUserCode(userCode) ?? '';
    const doc: DecisionDoc = { _id: `${code}:decision`, kind: 'decision', decision, userId, createdAt: new Date(), expiresAt: new Date(view.expiresAt) };
    try {
      await this.db.deviceLogins.insertOne(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const first = await this.decision(code);
      throw new ConflictError(`This sign-in request was already ${first?.decision ?? 'decided'}; run \`fp login\` again for a new code.`);
    }
    return { ...view, status: decision };
  }

  /** Deletes expired requests and their decisions (no TTL indexes on FerretDB). */
  async sweep(): Promise<number> {
    return (await this.db.deviceLogins.deleteMany({ expiresAt: { $lte: new Date() } })).deletedCount;
  }

  private async request(code: string): Promise<RequestDoc | undefined> {
    const doc = await this.db.deviceLogins.findOne({ _id: code });
    return doc?.kind === 'request' && doc.expiresAt > new Date() ? doc : undefined;
  }

  private async decision(code: string): Promise<DecisionDoc | undefined> {
    const doc = await this.db.deviceLogins.findOne({ _id: `${code}:decision` });
    return doc?.kind === 'decision' ? doc : undefined;
  }

  private view(request: RequestDoc, decision: DecisionDoc | undefined): DeviceLoginView {
    return {
      userCode: formatUserCode(request._id), client: request.client, address: request.address, requestedAt: request.createdAt.toISOString(),
      expiresAt: request.expiresAt.toISOString(), status: decision?.decision ?? 'pending',
    };
  }

  /**
   * A CLI session for the approving user, as a password sign-in from the CLI makes one: the refresh
   * token stored hashed, then the access token minted by AccountService.refresh (which also refuses a
   * user deleted meanwhile).
   */
  private async session(userId: string, client: string): Promise<{ user: PublicUser; accessToken: string; refreshToken: string; expiresIn: number }> {
    const refreshToken = newSecretToken('fps_');
    const now = new Date();
    const session: SessionDoc = {
      _id: tokenHash(refreshToken), id: randomBytes(12).toString('hex'), userId, kind: 'cli', createdAt: now, lastUsedAt: now,
      expiresAt: new Date(now.getTime() + this.options.sessionTtlDays * 86_400_000), userAgent: `${client} (device sign-in)`.slice(0, 200),
    };
    await this.db.sessions.insertOne(session);
    const { accessToken, expiresIn, user } = await this.accounts.refresh(refreshToken);
    return { user, accessToken, refreshToken, expiresIn };
  }
}

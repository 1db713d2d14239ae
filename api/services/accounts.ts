/**
 * Accounts: sign-up, sign-in, sessions and request authentication. Each normalized username and email
 * is claimed by a document whose `_id` is the name (`u:ada`, `e:ada@example.com`), so concurrent
 * sign-ups with one name produce one user (E11000 for the rest) and sign-in is an `_id` lookup; unique
 * indexes on the users collection back this up. The first account becomes admin through an insert-once
 * marker (no count-then-write race). A sign-in creates a revocable session (refresh token, stored
 * hashed) and a short-lived signed access token.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import { isDuplicateKey } from '../db/database.js';
import type { SessionDoc, UserDoc } from '../db/documents.js';
import { newHexId } from '../db/ids.js';
import { AuthenticationError, ConflictError, InputError, NotAllowedError } from '../errors.js';
import { isCommonPassword } from './common-passwords.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { RateLimiter } from './rate-limit.js';
import type { RevocationService } from './revocations.js';
import { hmac, safeEqual, type Keys } from './secrets.js';
import type { SettingsService } from './settings.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { newSecretToken, signAccessToken, tokenHash, verifyAccessToken, type AccessClaims } from './tokens.js';

export interface PublicUser {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly isAdmin: boolean;
  readonly createdAt: string;
}

export interface Principal {
  readonly userId: string;
  readonly isAdmin: boolean;
  /** The session's public id (browser and CLI sign-ins); null for personal API tokens. */
  readonly sessionId: string | null;
  readonly via: 'cookie' | 'bearer' | 'api-token';
}

export interface SignedIn {
  readonly user: PublicUser;
  readonly sessionId: string;
  readonly refreshToken: string;
  readonly accessToken: string;
  readonly expiresIn: number;
}

export function publicUser(user: UserDoc): PublicUser {
  return { id: user._id, username: user.username, email: user.email, isAdmin: user.isAdmin, createdAt: user.createdAt.toISOString() };
}

export const normalizeUsername = (username: string) => username.trim().toLowerCase();
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export interface AccountOptions {
  readonly accessTokenTtlSeconds: number;
  readonly sessionTtlDays: number;
  readonly loginRatePerMinute: number;
}

export class AccountService {
  private readonly loginsByIp: RateLimiter;
  private readonly throttle: SignInThrottle;
  private readonly signupsByIp: RateLimiter;

  constructor(
    private readonly db: Database,
    private readonly keys: Keys,
    private readonly settings: SettingsService,
    private readonly options: AccountOptions,
    /** Revoked sessions and users; kept in the database, so a restart forgets none. */
    readonly revocations: RevocationService,
  ) {
    // Counted in the database: every API replica spends the same budgets.
    this.loginsByIp = new RateLimiter(db.counters, 'logins', options.loginRatePerMinute, 60_000);
    this.signupsByIp = new RateLimiter(db.counters, 'signups', 20, 60 * 60_000);
    this.throttle = new SignInThrottle(db.counters);
  }

  async signup(input: { username: string; email: string; password: string }, ip: string): Promise<PublicUser> {
    await this.signupsByIp.hit(ip, 'sign-ups from this address');
    // Before the first-admin marker is claimed: a refused password must not use it up.
    await this.checkPassword(input.password);
    const first = (await this.db.users.estimatedDocumentCount()) === 0;
    if (!first && !(await this.settings.get()).allowSignups) {
      throw new NotAllowedError('Sign-ups are turned off on this platform; ask an admin to create your account.');
    }
    const isAdmin = first && (await this.claimFirstAdmin());
    return this.createUser(input, isAdmin);
  }

  /** Insert-once: exactly one account ever wins the first-admin marker. */
  private async claimFirstAdmin(): Promise<boolean> {
    try {
      await this.db.locks.insertOne({ _id: 'first-admin', holder: 'signup', expiresAt: new Date(8.64e15) });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Length is the schema's rule; here, the list of passwords attackers try first. */
  private async checkPassword(password: string): Promise<void> {
    if (!(await isCommonPassword(password))) return;
    const message = 'this password is one of the most common ones, which attackers try first; choose another (a few unrelated words make a strong one)';
    throw new InputError(`Invalid body: body.password: ${message}`, { details: { issues: [{ path: 'body.password', message }] } });
  }

  async createUser(input: { username: string; email: string; password: string }, isAdmin: boolean): Promise<PublicUser> {
    await this.checkPassword(input.password);
    const user: UserDoc = {
      _id: newHexId(),
      username: input.username.trim(),
      usernameKey: normalizeUsername(input.username),
      email: input.email.trim(),
      emailKey: normalizeEmail(input.email),
      passwordHash: await hashPassword(input.password),
      isAdmin,
      createdAt: new Date(),
      hiddenTemplates: [],
    };
    const claims: string[] = [];
    try {
      for (const [field, id] of [['username', `u:${user.usernameKey}`], ['email', `e:${user.emailKey}`]] as const) {
        if (!(await this.claim(id, user._id))) {
          throw new ConflictError(`That ${field} is already taken; choose another or sign in.`, { details: { field } });
        }
        claims.push(id);
      }
      await this.db.users.insertOne(user);
    } catch (error) {
      await Promise.all(claims.map((id) => this.db.names.deleteOne({ _id: id, userId: user._id })));
      if (isDuplicateKey(error)) throw new ConflictError('That username or email is already taken; choose another or sign in.');
      throw error;
    }
    return publicUser(user);
  }

  /** Claims a name for a user; a claim left by a sign-up that never finished is taken over. */
  private async claim(id: string, userId: string): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.db.names.insertOne({ _id: id, userId, createdAt: new Date() });
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const holder = await this.db.names.findOne({ _id: id });
      if (!holder) continue;
      const owner = await this.db.users.findOne({ _id: holder.userId });
      const orphaned = !owner && Date.now() - holder.createdAt.getTime() > 60_000;
      if (!orphaned) return false;
      await this.db.names.deleteOne({ _id: id, userId: holder.userId });
    }
    return false;
  }

  /** Frees a deleted user's names. */
  async releaseNames(user: Pick<UserDoc, '_id' | 'usernameKey' | 'emailKey'>): Promise<void> {
    await this.db.names.deleteOne({ _id: `u:${user.usernameKey}`, userId: user._id });
    await this.db.names.deleteOne({ _id: `e:${user.emailKey}`, userId: user._id });
  }

  async login(input: { login: string; password: string }, meta: { ip: string; userAgent: string; kind: SessionDoc['kind'] }): Promise<SignedIn> {
    const byEmail = input.login.includes('@');
    const key = byEmail ? normalizeEmail(input.login) : normalizeUsername(input.login);
    await this.loginsByIp.hit(meta.ip, 'sign-in attempts from this address');
    const claim = await this.db.names.findOne({ _id: `${byEmail ? 'e' : 'u'}:${key}` });
    // The username and the email name one account: failures are counted against the account itself.
    const account = claim?.userId ?? `unknown:${key}`;
    await this.throttle.check(account, meta.ip);
    const user = claim ? await this.db.users.findOne({ _id: claim.userId }) : null;
    const ok = await verifyPassword(input.password, user?.passwordHash);
    if (!user || !ok || user.deletingAt) {
      await this.throttle.failed(account, meta.ip);
      throw new AuthenticationError('The username or password is wrong.');
    }
    await this.throttle.succeeded(account, meta.ip);
    if (needsRehash(user.passwordHash)) {
      await this.db.users.updateOne({ _id: user._id }, { $set: { passwordHash: await hashPassword(input.password) } });
    }
    const refreshToken = newSecretToken('fps_');
    const now = new Date();
    const session: SessionDoc = {
      _id: tokenHash(refreshToken),
      id: randomBytes(12).toString('hex'),
      userId: user._id,
      kind: meta.kind,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + this.options.sessionTtlDays * 86_400_000),
      userAgent: meta.userAgent.slice(0, 200),
    };
    await this.db.sessions.insertOne(session);
    return { user: publicUser(user), sessionId: session.id, refreshToken, ...this.access(user, session.id) };
  }

  private access(user: UserDoc, sessionId: string): { accessToken: string; expiresIn: number } {
    const claims: AccessClaims = { sub: user._id, sid: sessionId, adm: user.isAdmin, iat: Date.now(), exp: Math.floor(Date.now() / 1000) + this.options.accessTokenTtlSeconds };
    return { accessToken: signAccessToken(this.keys.tokens, claims), expiresIn: this.options.accessTokenTtlSeconds };
  }

  /** A new access token for a live session (the CLI's refresh, and the browser's session cookie). */
  async refresh(refreshToken: string): Promise<{ accessToken: string; expiresIn: number; user: PublicUser; sessionId: string }> {
    const session = refreshToken.startsWith('fps_') ? await this.db.sessions.findOne({ _id: tokenHash(refreshToken) }) : null;
    if (!session || session.expiresAt <= new Date()) throw new AuthenticationError('The session has ended; sign in again.');
    const user = await this.db.users.findOne({ _id: session.userId });
    if (!user || user.deletingAt) throw new AuthenticationError('The session has ended; sign in again.');
    await this.db.sessions.updateOne({ _id: session._id }, { $set: { lastUsedAt: new Date() } });
    return { ...this.access(user, session.id), user: publicUser(user), sessionId: session.id };
  }

  async logout(principal: Principal): Promise<void> {
    if (!principal.sessionId) return;
    await this.db.sessions.deleteOne({ id: principal.sessionId, userId: principal.userId });
    await this.revocations.revoke(principal.sessionId);
  }

  async me(userId: string): Promise<PublicUser> {
    const user = await this.db.users.findOne({ _id: userId });
    if (!user || user.deletingAt) throw new AuthenticationError('The account no longer exists.');
    return publicUser(user);
  }

  async sessions(userId: string): Promise<{ id: string; kind: string; createdAt: string; lastUsedAt: string; userAgent: string }[]> {
    const docs = await this.db.sessions.find({ userId, expiresAt: { $gt: new Date() } }).sort({ lastUsedAt: -1 }).limit(100).toArray();
    return docs.map((s) => ({ id: s.id, kind: s.kind, createdAt: s.createdAt.toISOString(), lastUsedAt: s.lastUsedAt.toISOString(), userAgent: s.userAgent }));
  }

  /** Returns false when the session is not the user's (the route answers 404). */
  async revokeSession(userId: string, sessionId: string): Promise<boolean> {
    const result = await this.db.sessions.deleteOne({ id: sessionId, userId });
    if (result.deletedCount === 0) return false;
    await this.revocations.revoke(sessionId);
    return true;
  }

  /** Ends every session of a user and refuses every access token issued to them until now. */
  async revokeUser(userId: string): Promise<void> {
    await this.revocations.revoke(userId);
    await this.db.sessions.deleteMany({ userId });
  }

  /** The principal of a valid access token, or undefined. */
  async fromAccessToken(token: string, via: Principal['via']): Promise<Principal | undefined> {
    const claims = verifyAccessToken(this.keys.tokens, token, Math.floor(Date.now() / 1000));
    if (!claims) return undefined;
    await this.revocations.current();
    if ( this.revocations.isRevoked(claims.sid, claims.iat) || this.revocations.isRevoked(claims.sub, claims.iat)) return undefined;
    return { userId: claims.sub, isAdmin: claims.adm, sessionId: claims.sid, via };
  }

  /** Double-submit-free CSRF token: bound to the session, verifiable without a database read. */
  csrfToken(sessionId: string): string {
    return hmac(this.keys.csrf, sessionId);
  }

  checkCsrf(sessionId: string, token: string | undefined): boolean {
    return token !== undefined && safeEqual(this.csrfToken(sessionId), token);
  }

  /** Deletes expired sessions and revocations (no TTL index on FerretDB). */
  async sweep(): Promise<number> {
    await this.revocations.sweep();
    return (await this.db.sessions.deleteMany({ expiresAt: { $lte: new Date() } })).deletedCount;
  }
}

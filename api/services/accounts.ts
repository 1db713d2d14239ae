/**
 * Accounts: sign-up, sign-in, sessions and request authentication. Usernames and emails are unique
 * by index on their normalized forms, so concurrent sign-ups with one name produce one user. The
 * first account becomes admin through an insert-once marker (no count-then-write race). A sign-in
 * creates a revocable session (refresh token, stored hashed) and a short-lived signed access token.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import { isDuplicateKey } from '../db/database.js';
import type { SessionDoc, UserDoc } from '../db/documents.js';
import { newHexId } from '../db/ids.js';
import { AuthenticationError, ConflictError, NotAllowedError } from '../errors.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { RateLimiter } from './rate-limit.js';
import { hmac, safeEqual, type Keys } from './secrets.js';
import type { SettingsService } from './settings.js';
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
}

export class AccountService {
  /** Sessions and users revoked in this process, remembered for an access token's lifetime. */
  private readonly revoked = new Map<string, number>();
  private readonly loginsByIp = new RateLimiter(30, 60_000);
  private readonly failuresByAccount = new RateLimiter(10, 15 * 60_000);
  private readonly signupsByIp = new RateLimiter(20, 60 * 60_000);

  constructor(
    private readonly db: Database,
    private readonly keys: Keys,
    private readonly settings: SettingsService,
    private readonly options: AccountOptions,
  ) {}

  async signup(input: { username: string; email: string; password: string }, ip: string): Promise<PublicUser> {
    this.signupsByIp.hit(ip, 'sign-ups from this address');
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

  async createUser(input: { username: string; email: string; password: string }, isAdmin: boolean): Promise<PublicUser> {
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
    try {
      await this.db.users.insertOne(user);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const taken = (await this.db.users.findOne({ usernameKey: user.usernameKey })) ? 'username' : 'email';
      throw new ConflictError(`That ${taken} is already taken; choose another or sign in.`, { details: { field: taken } });
    }
    return publicUser(user);
  }

  async login(input: { login: string; password: string }, meta: { ip: string; userAgent: string; kind: SessionDoc['kind'] }): Promise<SignedIn> {
    const key = input.login.includes('@') ? normalizeEmail(input.login) : normalizeUsername(input.login);
    this.loginsByIp.hit(meta.ip, 'sign-in attempts from this address');
    this.failuresByAccount.check(key, 'failed sign-ins for this account');
    const user = await this.db.users.findOne(input.login.includes('@') ? { emailKey: key } : { usernameKey: key });
    const ok = await verifyPassword(input.password, user?.passwordHash);
    if (!user || !ok || user.deletingAt) {
      this.failuresByAccount.hit(key, 'failed sign-ins for this account');
      throw new AuthenticationError('The username or password is wrong.');
    }
    this.failuresByAccount.reset(key);
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
    const claims: AccessClaims = { sub: user._id, sid: sessionId, adm: user.isAdmin, exp: Math.floor(Date.now() / 1000) + this.options.accessTokenTtlSeconds };
    return { accessToken: signAccessToken(this.keys.tokens, claims), expiresIn: this.options.accessTokenTtlSeconds };
  }

  /** A new access token for a live session (the CLI's refresh, and the browser's session cookie). */
  async refresh(refreshToken: string): Promise<{ accessToken: string; expiresIn: number; user: PublicUser; sessionId: string }> {
    const session = refreshToken.startsWith('fps_') ? await this.db.sessions.findOne({ _id: tokenHash(refreshToken) }) : null;
    if (!session || session.expiresAt <= new Date() || this.isRevoked(session.id)) throw new AuthenticationError('The session has ended; sign in again.');
    const user = await this.db.users.findOne({ _id: session.userId });
    if (!user || user.deletingAt) throw new AuthenticationError('The session has ended; sign in again.');
    await this.db.sessions.updateOne({ _id: session._id }, { $set: { lastUsedAt: new Date() } });
    return { ...this.access(user, session.id), user: publicUser(user), sessionId: session.id };
  }

  async logout(principal: Principal): Promise<void> {
    if (!principal.sessionId) return;
    await this.db.sessions.deleteOne({ id: principal.sessionId, userId: principal.userId });
    this.revoke(principal.sessionId);
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
    this.revoke(sessionId);
    return true;
  }

  /** Forget every session of a user, in the database and in this process's verdicts. */
  async revokeUser(userId: string): Promise<void> {
    this.revoke(userId);
    await this.db.sessions.deleteMany({ userId });
  }

  revoke(id: string): void {
    this.revoked.set(id, Date.now() + this.options.accessTokenTtlSeconds * 1000);
    if (this.revoked.size > 10_000) for (const [k, until] of this.revoked) if (until < Date.now()) this.revoked.delete(k);
  }

  private isRevoked(id: string): boolean {
    const until = this.revoked.get(id);
    return until !== undefined && until > Date.now();
  }

  /** The principal of a valid access token, or undefined. */
  fromAccessToken(token: string, via: Principal['via']): Principal | undefined {
    const claims = verifyAccessToken(this.keys.tokens, token, Math.floor(Date.now() / 1000));
    if (!claims || this.isRevoked(claims.sid) || this.isRevoked(claims.sub)) return undefined;
    return { userId: claims.sub, isAdmin: claims.adm, sessionId: claims.sid, via };
  }

  /** Double-submit-free CSRF token: bound to the session, verifiable without a database read. */
  csrfToken(sessionId: string): string {
    return hmac(this.keys.csrf, sessionId);
  }

  checkCsrf(sessionId: string, token: string | undefined): boolean {
    return token !== undefined && safeEqual(this.csrfToken(sessionId), token);
  }

  /** Deletes expired sessions (no TTL index on FerretDB). */
  async sweep(): Promise<number> {
    return (await this.db.sessions.deleteMany({ expiresAt: { $lte: new Date() } })).deletedCount;
  }
}

/**
 * Tickets for the log WebSocket: browsers cannot set headers on a WebSocket, and a long-lived token in
 * a URL ends up in logs and histories. A ticket is random, good for one connection to one app, and
 * expires after 30 seconds. Stored in the database by its hash, so a ticket issued by one API replica
 * opens the socket on any other, and taken by an atomic find-and-delete, so it opens exactly one.
 */
import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { LogTicketDoc } from '../db/documents.js';
import { tokenHash } from './tokens.js';

const lifetimeMs = 30_000;

export class LogTicketService {
  constructor(private readonly tickets: Collection<LogTicketDoc>) {}

  async issue(userId: string, appId: string): Promise<{ ticket: string; expiresIn: number }> {
    const ticket = randomBytes(24).toString('base64url');
    await this.tickets.insertOne({ _id: tokenHash(ticket), userId, appId, expiresAt: new Date(Date.now() + lifetimeMs) });
    return { ticket, expiresIn: lifetimeMs / 1000 };
  }

  /** The user the ticket was issued to, once; undefined when unknown, used, expired or for another app. */
  async consume(ticket: string, appId: string): Promise<string | undefined> {
    if (!/^[\w-]{32}$/.test(ticket)) return undefined;
    const found = await this.tickets.findOneAndDelete({ _id: tokenHash(ticket) });
    return found && found.appId === appId && found.expiresAt.getTime() > Date.now() ? found.userId : undefined;
  }

  async sweep(): Promise<number> {
    return (await this.tickets.deleteMany({ expiresAt: { $lte: new Date() } })).deletedCount;
  }
}

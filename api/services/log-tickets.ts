/**
 * Tickets for the log WebSocket: browsers cannot set headers on a WebSocket, and a long-lived token in
 * a URL ends up in logs and histories. A ticket is random, good for one connection to one app, and
 * expires after 30 seconds.
 */
import { randomBytes } from 'node:crypto';

interface Ticket {
  readonly userId: string;
  readonly appId: string;
  readonly expiresAt: number;
}

export class LogTicketService {
  private readonly tickets = new Map<string, Ticket>();

  issue(userId: string, appId: string): { ticket: string; expiresIn: number } {
    const now = Date.now();
    for (const [key, t] of this.tickets) if (t.expiresAt <= now) this.tickets.delete(key);
    const ticket = randomBytes(24).toString('base64url');
    this.tickets.set(ticket, { userId, appId, expiresAt: now + 30_000 });
    return { ticket, expiresIn: 30 };
  }

  /** The user the ticket was issued to, once; undefined when unknown, used, expired or for another app. */
  consume(ticket: string, appId: string): string | undefined {
    const found = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return found && found.appId === appId && found.expiresAt > Date.now() ? found.userId : undefined;
  }
}

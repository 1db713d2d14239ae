/**
 * One host UID (and GID) per tenant, for a platform that runs as root: a tenant's sandboxes run as it,
 * and its socket directories belong to it with mode 0700, so file modes keep tenants apart as well
 * as mount namespaces. Numbers are handed out once, in order from `base` (above the shared UID), and never reused (a new
 * tenant never inherits an old one's leftovers); the map lives in `<dataDir>/tenant-uids.json`,
 * written by rename so a crash never leaves half a file.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface Stored {
  next: number;
  owners: Record<string, number>;
}

export class TenantIds {
  private stored: Stored | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly dataDir: string, private readonly base: number) {}

  private get file(): string {
    return join(this.dataDir, 'tenant-uids.json');
  }

  private async load(): Promise<Stored> {
    if (this.stored) return this.stored;
    const text = await readFile(this.file, 'utf8').catch(() => null);
    const parsed = text ? (JSON.parse(text) as Stored) : { next: this.base, owners: {} };
    this.stored ??= { next: Math.max(parsed.next, this.base), owners: parsed.owners };
    return this.stored;
  }

  /** The tenant's UID, allocated on first use. */
  async uidOf(ownerId: string): Promise<number> {
    const stored = await this.load();
    const known = stored.owners[ownerId];
    if (known !== undefined) return known;
    const uid = stored.next;
    stored.next += 1;
    stored.owners[ownerId] = uid;
    const snapshot = JSON.stringify(stored);
    this.writing = this.writing.then(async () => {
      const staging = `${this.file}.${process.pid}.tmp`;
      await writeFile(staging, snapshot, { mode: 0o600 });
      await rename(staging, this.file);
    });
    await this.writing;
    return uid;
  }
}

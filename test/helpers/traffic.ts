/** Writes request records as a gateway would (its own replica name), for tests of the API's reading side. */
import { randomBytes } from 'node:crypto';
import { TrafficWriter, type TrafficRecord } from '../../api/gateway/index.js';
import type { Database } from '../../api/db/database.js';

export async function recordRequests(api: { db: Database }, appId: string, ownerId: string, records: readonly TrafficRecord[]): Promise<void> {
  const writer = new TrafficWriter(api.db.traffic, { replica: `seed-${randomBytes(3).toString('hex')}`, log: () => {} });
  for (const record of records) writer.record(appId, ownerId, record);
  await writer.close();
}

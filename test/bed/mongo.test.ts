/**
 * What the API will rely on from the MongoDB-protocol server (FerretDB 1.24 unless MONGO_URI is set),
 * proven before anything is built on it.
 */
import test, { type ExecutionContext } from 'ava';
import { MongoClient, MongoServerError } from 'mongodb';
import { mongoUri, uniqueName } from '../helpers/bed.js';

async function database(t: ExecutionContext) {
  const client = await MongoClient.connect(mongoUri(), { serverSelectionTimeoutMS: 5000 });
  const db = client.db(uniqueName('bed-mongo'));
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
  });
  return db;
}

test('a unique index rejects a duplicate with E11000', async (t) => {
  const users = (await database(t)).collection('users');
  await users.createIndex({ usernameNormalized: 1 }, { unique: true });
  await users.insertOne({ usernameNormalized: 'ada' });
  const error = await t.throwsAsync(users.insertOne({ usernameNormalized: 'ada' }), { instanceOf: MongoServerError });
  t.is(error?.code, 11000);
  t.is(await users.countDocuments(), 1);
});

test('a compound unique index allows the same value under different owners only', async (t) => {
  const keys = (await database(t)).collection('idempotency');
  await keys.createIndex({ owner: 1, key: 1 }, { unique: true });
  await keys.insertMany([{ owner: 'u1', key: 'k' }, { owner: 'u2', key: 'k' }]);
  const error = await t.throwsAsync(keys.insertOne({ owner: 'u1', key: 'k' }), { instanceOf: MongoServerError });
  t.is(error?.code, 11000);
});

// FerretDB 1.24 (SQLite) does not make single-document updates atomic: measured here, 20 concurrent
// `$inc`s applied 7, 4 and 1 times, and 20 compare-and-set updates on one revision had 6, 4 and 16
// winners. Unique-index inserts are the primitive that serializes, so the API builds on them.
test('twenty concurrent inserts of one unique key: exactly one wins, the rest get E11000', async (t) => {
  const locks = (await database(t)).collection('locks');
  await locks.createIndex({ key: 1 }, { unique: true });
  const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => locks.insertOne({ key: 'app-1', holder: i })));
  t.is(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const result of results) {
    if (result.status === 'rejected') t.is((result.reason as MongoServerError).code, 11000);
  }
  t.is(await locks.countDocuments(), 1);
});

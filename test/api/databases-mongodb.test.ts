/**
 * The `mongodb` provider's commands, for operators who bring MongoDB ≥ 4.4. No MongoDB server is
 * installable here (Debian has none, and mongodb-memory-server downloads binaries from a host this
 * machine cannot reach; FerretDB 1.x refuses roles), so the provider is checked against the exact
 * command documents it sends through its one seam (ARCHITECTURE.md says so): a user created in the
 * database with `readWrite` on it alone, `authSource` the database, `updateUser` to rotate, and
 * `dropUser` + `dropDatabase` to delete.
 */
import test from 'ava';
import { ConnectionString } from 'mongodb-connection-string-url';
import { mongodbProvider, type AdminCommands } from '../../api/databases/index.js';

function recorder(): AdminCommands & { sent: { database: string; command: Record<string, unknown> }[] } {
  const sent: { database: string; command: Record<string, unknown> }[] = [];
  return {
    sent,
    async command(database, command) {
      sent.push({ database, command });
      return command.dbStats ? { totalSize: 4096 } : { ok: 1 };
    },
    async close() {},
  };
}

const db = { id: 'abc', ownerId: 'owner1', dbName: 'd_abc', username: 'u_abc' };
const admin = 'mongodb://platform:s3cret@mongo-0.db:27017,mongo-1.db:27017/admin?replicaSet=rs0&tls=true&authSource=admin';

test('creates the database\'s own user with readWrite on that database only', async (t) => {
  const commands = recorder();
  await mongodbProvider(admin, commands).create(db, 'pw-1');
  t.deepEqual(commands.sent, [{ database: 'd_abc', command: { createUser: 'u_abc', pwd: 'pw-1', roles: [{ role: 'readWrite', db: 'd_abc' }] } }]);
});

test('the app\'s URI keeps the operator\'s hosts and TLS, carries the database\'s own user, and authSource is the database', (t) => {
  const uri = new ConnectionString(mongodbProvider(admin, recorder()).appUri(db, 'p@ss/word'));
  t.is(uri.username, 'u_abc');
  t.is(decodeURIComponent(uri.password), 'p@ss/word');
  t.deepEqual(uri.hosts, ['mongo-0.db:27017', 'mongo-1.db:27017']);
  t.is(uri.pathname, '/d_abc');
  t.is(uri.searchParams.get('authSource'), 'd_abc');
  t.is(uri.searchParams.get('replicaSet'), 'rs0');
  t.is(uri.searchParams.get('tls'), 'true');
  t.false(uri.toString().includes('s3cret'), 'never the platform\'s credentials');
});

test('rotates with updateUser, deletes with dropUser and dropDatabase, and sizes with dbStats', async (t) => {
  const commands = recorder();
  const provider = mongodbProvider(admin, commands);
  await provider.rotate(db, 'pw-2');
  await provider.drop(db);
  t.is(await provider.sizeBytes(db), 4096);
  t.deepEqual(commands.sent, [
    { database: 'd_abc', command: { updateUser: 'u_abc', pwd: 'pw-2' } },
    { database: 'd_abc', command: { dropUser: 'u_abc' } },
    { database: 'd_abc', command: { dropDatabase: 1 } },
    { database: 'd_abc', command: { dbStats: 1 } },
  ]);
});

/** The bed's image cache stays bounded: old keyed archives go, the newest and the ones in use stay. */
import test from 'ava';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pruneKeyed } from './images/prune.js';

test('pruning keeps the newest archives of each name and the ones in use, and drops stale staging', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fp-prune-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const now = Date.now() / 1000;
  const put = async (file: string, ageSeconds: number) => {
    await writeFile(join(dir, file), file);
    await utimes(join(dir, file), now - ageSeconds, now - ageSeconds);
  };
  for (let i = 0; i < 5; i++) {
    await put(`api-${String(i).repeat(16)}.tar`, i * 100);
    await put(`api-${String(i).repeat(16)}.tar.sha256`, i * 100);
  }
  await put('coredns-aaaaaaaaaaaaaaaa.tar', 10_000);
  await put('base.tar', 10_000);
  await mkdir(join(dir, 'stage-api-app-old'));
  await utimes(join(dir, 'stage-api-app-old'), now - 7200, now - 7200);
  await mkdir(join(dir, 'stage-api-app-now'));

  const removed = await pruneKeyed(dir, 2, new Set([join(dir, `api-${'4'.repeat(16)}.tar`)]));

  t.deepEqual(removed.sort(), ['api-2222222222222222.tar', 'api-3333333333333333.tar', 'stage-api-app-old']);
  t.deepEqual((await readdir(dir)).sort(), [
    'api-0000000000000000.tar', 'api-0000000000000000.tar.sha256', 'api-1111111111111111.tar', 'api-1111111111111111.tar.sha256',
    'api-4444444444444444.tar', 'api-4444444444444444.tar.sha256', 'base.tar', 'coredns-aaaaaaaaaaaaaaaa.tar', 'stage-api-app-now',
  ]);
});

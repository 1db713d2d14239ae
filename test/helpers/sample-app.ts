/** A small multi-file project (a package, a static file, env and a database URI) for construct and apply tests. */
import type { UserAppChartProps } from '../../constructs/index.js';

export function sampleApp(overrides: Partial<UserAppChartProps> = {}): UserAppChartProps {
  return {
    namespace: 'apps',
    appId: 'abc123',
    ownerId: '65f0c0ffee00000000000001',
    appDomain: 'apps.example.com',
    image: 'ghcr.io/example/runner:1.0.0',
    files: {
      'app.py': 'from fastapi import FastAPI\nfrom pkg import mod\napp = FastAPI()\n',
      'pkg/__init__.py': '',
      'pkg/mod.py': 'VALUE = 1\n',
      'static/css/site.css': 'body { margin: 0 }\n',
    },
    env: { GREETING: 'hello' },
    databaseUri: 'mongodb://user:pw@mongo.mongodb:27017/db',
    ...overrides,
  };
}

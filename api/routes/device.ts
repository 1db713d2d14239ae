/** Device-code sign-in routes: the CLI starts and polls; the signed-in person looks the code up and approves or denies it. */
import { route, type RouteSpec } from '../http/route.js';
import type { Services } from '../services/index.js';

export function deviceRoutes(s: Services): RouteSpec[] {
  return [
    route('startDeviceLogin', async ({ body, ctx }) => s.deviceLogins.start(body.client, ctx.ip)),
    route('pollDeviceLogin', async ({ body }) => s.deviceLogins.poll(body.deviceCode)),
    route('getDeviceLogin', async ({ principal, params }) => s.deviceLogins.get(principal?.userId ?? '', params.userCode)),
    route('approveDeviceLogin', async ({ principal, params }) => s.deviceLogins.decide(principal?.userId ?? '', params.userCode, 'approved')),
    route('denyDeviceLogin', async ({ principal, params }) => s.deviceLogins.decide(principal?.userId ?? '', params.userCode, 'denied')),
  ];
}

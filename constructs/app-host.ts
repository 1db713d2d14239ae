/**
 * An app's host name, built in one place for everything that names or routes it: the UserApp's
 * IngressRoute, the runtimes' URLs and the gateway that reads the Host header back. App ids are ten
 * lower-case letters and digits (api/db/ids.ts).
 */
export function appHostName(appId: string, appDomain: string): string {
  return `app-${appId}.${appDomain}`;
}

/** The app a Host header names on `appDomain` (any port), or null when it names none. */
export function appIdOfHost(host: string | undefined, appDomain: string): string | null {
  const name = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  const suffix = `.${appDomain.toLowerCase()}`;
  if (!name.startsWith('app-') || !name.endsWith(suffix)) return null;
  const id = name.slice(4, -suffix.length);
  return /^[a-z0-9]{10}$/.test(id) ? id : null;
}

/** Where people reach an app: the scheme and the port people reach the platform on, if not the default. */
export function appUrl(appId: string, appDomain: string, base: { scheme: 'http' | 'https'; port?: string | undefined }): string {
  return `${base.scheme}://${appHostName(appId, appDomain)}${base.port ? `:${base.port}` : ''}`;
}

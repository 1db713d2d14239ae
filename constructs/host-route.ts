/**
 * HostRoute: a Traefik IngressRoute for one host name, in the platform's terms (host, backends by
 * path prefix, optional TLS). Used for every user app and for the platform's own API and UI.
 */
import { Construct } from 'constructs';
import { IngressRoute, IngressRouteSpecRoutesKind, IngressRouteSpecRoutesServicesPort } from './imports/traefik.io.js';
import { check, isDnsName } from './_validate.js';

/** TLS for a route: a certificate Secret, a Traefik certificate resolver, or both. */
export interface RouteTls {
  /**
   * Name of a `kubernetes.io/tls` Secret in the route's namespace.
   * @default - none; Traefik's default certificate, or the resolver's
   */
  readonly secretName?: string;
  /**
   * Name of a Traefik certificate resolver (e.g. an ACME resolver).
   * @default - none
   */
  readonly certResolver?: string;
}

/** One backend of a HostRoute. */
export interface HostRouteBackend {
  /**
   * Only requests whose path starts with this prefix go to this backend.
   * @default - every path of the host
   */
  readonly pathPrefix?: string;
  /** Name of the Service. */
  readonly serviceName: string;
  /**
   * Namespace of the Service, when not the route's (Traefik's kubernetesCRD provider must allow
   * cross-namespace references: `--providers.kubernetesCRD.allowCrossNamespace=true`).
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * Port of the Service.
   * @default 80
   */
  readonly servicePort?: number;
}

export interface HostRouteProps {
  /** Object name of the IngressRoute. */
  readonly name: string;
  /** The DNS name this route serves, e.g. `app-abc123.apps.example.com`. */
  readonly host: string;
  /** Backends; a backend with a path prefix wins over one without (Traefik orders by rule length). */
  readonly backends: readonly HostRouteBackend[];
  /**
   * Labels on the IngressRoute.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * TLS settings; when present the route is served on the TLS entry point.
   * @default - plain HTTP (TLS terminated in front of Traefik)
   */
  readonly tls?: RouteTls;
  /**
   * Traefik entry points.
   * @default - ['websecure'] with TLS, ['web'] without
   */
  readonly entryPoints?: readonly string[];
}

export class HostRoute extends Construct {
  readonly host: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: HostRouteProps) {
    super(scope, id);
    check(isDnsName(props.host), 'HostRoute', 'host', props.host, 'use a lower-case DNS name such as app-abc.apps.example.com');
    check(props.backends.length > 0, 'HostRoute', 'backends', '[]', 'give at least one backend');
    for (const backend of props.backends) {
      const prefix = backend.pathPrefix;
      check(prefix === undefined || /^\/[A-Za-z0-9._~/-]*$/.test(prefix), 'HostRoute', 'backends[].pathPrefix', prefix, 'use a path such as /api');
    }
    this.host = props.host;
    this.name = props.name;
    const tls = props.tls;
    new IngressRoute(this, 'Resource', {
      metadata: { name: props.name, ...(props.labels ? { labels: { ...props.labels } } : {}) },
      spec: {
        entryPoints: [...(props.entryPoints ?? (tls ? ['websecure'] : ['web']))],
        routes: props.backends.map((backend) => ({
          kind: IngressRouteSpecRoutesKind.RULE,
          match: backend.pathPrefix
            ? `Host(\`${props.host}\`) && PathPrefix(\`${backend.pathPrefix}\`)`
            : `Host(\`${props.host}\`)`,
          services: [{
            name: backend.serviceName, port: IngressRouteSpecRoutesServicesPort.fromNumber(backend.servicePort ?? 80),
            ...(backend.namespace ? { namespace: backend.namespace } : {}),
          }],
        })),
        ...(tls ? { tls: { ...(tls.secretName ? { secretName: tls.secretName } : {}), ...(tls.certResolver ? { certResolver: tls.certResolver } : {}) } } : {}),
      },
    });
  }
}

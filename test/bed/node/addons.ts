/**
 * What runs on the node as pods, as in a real cluster: CoreDNS (cluster DNS only: nothing is forwarded
 * off the machine), Traefik (the kubernetescrd provider, the role from its docs, no dashboard) behind a
 * fixed ClusterIP, and a FerretDB for the platform's own state when the platform chart runs in the
 * cluster (apps' databases are their tenants' own servers, which the platform makes: TenantDatabase).
 * Every pod runs non-root with every capability dropped.
 */
const nonRoot = (uid: number) => ({
  runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
});

export interface AddonOptions {
  readonly images: { readonly coredns: string; readonly traefik: string; readonly ferretdb: string };
  readonly dnsIp: string;
  readonly ingressIp: string;
  readonly ingressNamespace: string;
  readonly databaseNamespace: string;
}

function coreDns(options: AddonOptions): object[] {
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:coredns' },
      rules: [
        { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'system:coredns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
      subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }],
    },
    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' },
      data: {
        // No `forward`: names outside the cluster do not resolve, so nothing leaves the machine.
        Corefile: '.:53 {\n    errors\n    health :8080\n    ready :8181\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    cache 5\n    loop\n    reload\n}\n',
      },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: 'kube-system', labels },
      spec: {
        replicas: 1, selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'coredns', priorityClassName: 'system-cluster-critical', dnsPolicy: 'Default',
            // containerd 1.6 gives no ambient capabilities, so a non-root CoreDNS binds :53 through this (safe) sysctl.
            securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '53' }] },
            containers: [{
              name: 'coredns', image: options.images.coredns, imagePullPolicy: 'Never', args: ['-conf', '/etc/coredns/Corefile'],
              ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }],
              readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 1 },
              livenessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10 },
              securityContext: nonRoot(65532),
              resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '128Mi' } },
              volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
            }],
            volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system', labels },
      spec: {
        clusterIP: options.dnsIp, selector: labels,
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
      },
    },
  ];
}

function traefik(options: AddonOptions): object[] {
  const ns = options.ingressNamespace;
  const labels = { 'app.kubernetes.io/name': 'traefik' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'traefik', namespace: ns } },
    {
      // Traefik's docs (docs/content/reference/dynamic-configuration/kubernetes-crd-rbac.yml), without OTel's pods rule.
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'traefik-ingress-controller' },
      rules: [
        { apiGroups: [''], resources: ['services', 'secrets', 'nodes', 'configmaps'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
        { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
        {
          apiGroups: ['traefik.io'], verbs: ['get', 'list', 'watch'],
          resources: ['middlewares', 'middlewaretcps', 'ingressroutes', 'traefikservices', 'ingressroutetcps', 'ingressrouteudps', 'tlsoptions', 'tlsstores', 'serverstransports', 'serverstransporttcps'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'traefik-ingress-controller' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'traefik-ingress-controller' },
      subjects: [{ kind: 'ServiceAccount', name: 'traefik', namespace: ns }],
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'traefik', namespace: ns, labels },
      spec: {
        replicas: 1, selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'traefik',
            terminationGracePeriodSeconds: 5,
            containers: [{
              name: 'traefik', image: options.images.traefik, imagePullPolicy: 'Never',
              args: [
                '--entryPoints.web.address=:8000', '--entryPoints.traefik.address=:9000', '--ping=true', '--ping.entryPoint=traefik',
                '--providers.kubernetescrd=true', '--api.dashboard=false', '--log.level=INFO',
                '--global.checkNewVersion=false', '--global.sendAnonymousUsage=false',
                // Configuration changes (a new route, a pod going away) apply as they arrive, not batched for 2 s.
                '--providers.providersThrottleDuration=0s', '--providers.kubernetescrd.throttleDuration=0s',
                // Apps' routes (apps namespace) send to the platform's gateway Service (platform namespace), as operators configure it.
                '--providers.kubernetescrd.allowCrossNamespace=true',
              ],
              ports: [{ name: 'web', containerPort: 8000 }, { name: 'ping', containerPort: 9000 }],
              readinessProbe: { httpGet: { path: '/ping', port: 9000 }, periodSeconds: 1 },
              securityContext: nonRoot(65532),
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'traefik', namespace: ns, labels },
      spec: { clusterIP: options.ingressIp, selector: labels, ports: [{ name: 'web', port: 80, targetPort: 8000 }] },
    },
  ];
}

function ferretDb(options: AddonOptions): object[] {
  const ns = options.databaseNamespace;
  const labels = { 'app.kubernetes.io/name': 'mongodb' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'mongodb', namespace: ns, labels },
      spec: {
        replicas: 1, selector: { matchLabels: labels }, strategy: { type: 'Recreate' },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { fsGroup: 10002 },
            containers: [{
              name: 'ferretdb', image: options.images.ferretdb, imagePullPolicy: 'Never',
              args: ['--handler=sqlite', '--sqlite-url=file:/state/', '--state-dir=/state', '--listen-addr=:27017',
                '--debug-addr=127.0.0.1:8088', '--telemetry=disable', '--log-level=warn'],
              ports: [{ name: 'mongodb', containerPort: 27017 }],
              readinessProbe: { tcpSocket: { port: 27017 }, periodSeconds: 1 },
              securityContext: nonRoot(10002),
              resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '512Mi' } },
              volumeMounts: [{ name: 'state', mountPath: '/state' }],
            }],
            volumes: [{ name: 'state', emptyDir: {} }],
          },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'mongodb', namespace: ns, labels },
      spec: { selector: labels, ports: [{ name: 'mongodb', port: 27017, targetPort: 27017 }] },
    },
  ];
}

export function addonObjects(options: AddonOptions): object[] {
  return [...coreDns(options), ...traefik(options), ...ferretDb(options)];
}

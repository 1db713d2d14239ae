import test from 'ava';
import { App, Chart } from 'cdk8s';
import {
  PlatformApiAccess, labelKeys, platformLabels, synthTenantDatabase, synthUserApp, tenantDatabaseHost, tenantDatabaseKinds, tenantDatabaseName,
  type ManifestObject, type TenantDatabaseChartProps,
} from '../../constructs/index.js';
import { sampleApp } from '../helpers/sample-app.js';

const ownerA = '65f0c0ffee00000000000001';
const ownerB = '65f0c0ffee00000000000002';

function props(overrides: Partial<TenantDatabaseChartProps> = {}): TenantDatabaseChartProps {
  return {
    namespace: 'apps', ownerId: ownerA, image: 'ghcr.io/ferretdb/ferretdb:1.24.2', adminPassword: 'a-long-admin-password-0123456789',
    platform: { namespace: 'fastapi-platform', podLabels: platformLabels('api') }, ...overrides,
  };
}

function find(objects: ManifestObject[], kind: string): ManifestObject & Record<string, any> {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} in ${objects.map((o) => o.kind).join(', ')}`);
  return found;
}

test('synthesizes a tenant database exactly as snapshotted, on a claim and on an emptyDir', (t) => {
  t.snapshot(synthTenantDatabase(props({ storage: { kind: 'volume', storageClassName: 'fast-ssd', sizeMebibytes: 2048 } })), 'volume');
  t.snapshot(synthTenantDatabase(props({ storage: { kind: 'ephemeral' } })), 'ephemeral');
});

test('synthesizes exactly the kinds the RBAC table lists (the claim only with a volume), all named from the tenant', (t) => {
  const volume = synthTenantDatabase(props());
  t.deepEqual(volume.map((o) => o.kind), tenantDatabaseKinds.map((k) => k.kind));
  const ephemeral = synthTenantDatabase(props({ storage: { kind: 'ephemeral' } }));
  t.deepEqual(ephemeral.map((o) => o.kind), tenantDatabaseKinds.map((k) => k.kind).filter((k) => k !== 'PersistentVolumeClaim'));
  const name = tenantDatabaseName(ownerA);
  t.regex(name, /^tenant-db-[0-9a-f]{16}$/);
  t.not(name, tenantDatabaseName(ownerB));
  t.true(volume.every((o) => o.metadata.name === name && o.metadata.namespace === 'apps' && o.metadata.labels?.[labelKeys.owner] === ownerA));
  t.is(tenantDatabaseHost(ownerA, 'apps'), `${name}.apps.svc.cluster.local`);
  t.like(find(volume, 'PersistentVolumeClaim').spec, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1024Mi' } } });
  t.is(find(synthTenantDatabase(props({ storage: { kind: 'volume', storageClassName: 'local-path' } })), 'PersistentVolumeClaim').spec.storageClassName, 'local-path');
});

test('FerretDB runs non-root under the restricted profile, SQLite on its volume, with the password only in the Secret', (t) => {
  const objects = synthTenantDatabase(props());
  const deployment = find(objects, 'Deployment');
  t.is(deployment.spec.strategy.type, 'Recreate', 'one server per SQLite directory, ever');
  t.false('replicas' in deployment.spec, 'the replica count is the scale subresource\'s (sleep and wake), never apply\'s');
  const pod = deployment.spec.template.spec;
  t.false(pod.automountServiceAccountToken);
  t.false(pod.enableServiceLinks);
  t.like(pod.securityContext, { runAsNonRoot: true, runAsUser: 10002, fsGroup: 10002 });
  const [server] = pod.containers;
  t.like(server.securityContext, {
    runAsNonRoot: true, runAsUser: 10002, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false,
    capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
  });
  t.true(server.args.includes('--handler=sqlite'));
  t.true(server.args.includes('--listen-addr=:27017'));
  t.deepEqual(server.volumeMounts, [{ mountPath: '/state', name: 'state' }]);
  t.deepEqual(pod.volumes, [{ name: 'state', persistentVolumeClaim: { claimName: tenantDatabaseName(ownerA), readOnly: false } }]);
  const password = server.env.find((e: { name: string }) => e.name === 'FERRETDB_SETUP_PASSWORD');
  t.deepEqual(password.valueFrom, { secretKeyRef: { name: tenantDatabaseName(ownerA), key: 'password' } });
  t.false(JSON.stringify(deployment).includes('a-long-admin-password'), 'the password is in no object but the Secret');
  t.is(Buffer.from(find(objects, 'Secret').data.password, 'base64').toString(), 'a-long-admin-password-0123456789');
  const other = find(synthTenantDatabase(props({ adminPassword: 'another-admin-password-987654321' })), 'Deployment');
  t.not(other.spec.template.metadata.annotations['fastapi-platform.io/admin-hash'], deployment.spec.template.metadata.annotations['fastapi-platform.io/admin-hash'], 'a new password restarts the server');
  t.deepEqual(find(synthTenantDatabase(props({ storage: { kind: 'ephemeral', sizeMebibytes: 64 } })), 'Deployment').spec.template.spec.volumes, [{ name: 'state', emptyDir: { sizeLimit: '64Mi' } }]);
});

test('its NetworkPolicy admits only the tenant\'s own app pods and the platform\'s API, and lets the server reach nothing', (t) => {
  const policy = find(synthTenantDatabase(props()), 'NetworkPolicy');
  t.deepEqual(policy.spec, {
    podSelector: { matchLabels: { [labelKeys.name]: 'tenant-database', [labelKeys.owner]: ownerA } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{
      from: [
        { podSelector: { matchLabels: { [labelKeys.name]: 'user-app', [labelKeys.owner]: ownerA } } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'fastapi-platform' } }, podSelector: { matchLabels: platformLabels('api') } },
      ],
      ports: [{ port: 27017, protocol: 'TCP' }],
    }],
    egress: [],
  });
  const service = find(synthTenantDatabase(props()), 'Service');
  t.deepEqual(service.spec.selector, { [labelKeys.name]: 'tenant-database', [labelKeys.owner]: ownerA });
});

test('an app with a tenant database may reach its own tenant\'s server and no shared one', (t) => {
  const egress = (network: Parameters<typeof synthUserApp>[0]['network']) =>
    find(synthUserApp(sampleApp({ ownerId: ownerB, ...(network ? { network } : {}) })).objects, 'NetworkPolicy').spec.egress;
  const own = egress({ database: 'none', tenantDatabase: {} });
  t.deepEqual(own[1], { to: [{ podSelector: { matchLabels: { [labelKeys.name]: 'tenant-database', [labelKeys.owner]: ownerB } } }], ports: [{ port: 27017, protocol: 'TCP' }] });
  t.is(own.length, 3, 'DNS, the own tenant\'s database, the internet');
  t.false(JSON.stringify(own).includes('"mongodb"'), 'no shared database namespace');
  const shared = egress(undefined);
  t.deepEqual(shared[1], { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mongodb' } } }], ports: [{ port: 27017, protocol: 'TCP' }] });
  t.false(JSON.stringify(shared).includes('tenant-database'));
  const pod = find(synthUserApp(sampleApp({ ownerId: ownerB })).objects, 'Deployment').spec.template.metadata.labels;
  t.is(pod[labelKeys.owner], ownerB, 'app pods carry the tenant label their database admits');
});

test('bad props are refused with the prop and the fix', (t) => {
  t.throws(() => synthTenantDatabase(props({ platform: { namespace: 'fastapi-platform', podLabels: {} } })), { message: /platform\.podLabels.*empty selector would admit every pod/ });
  t.throws(() => synthTenantDatabase(props({ adminPassword: 'short' })), { message: /adminPassword.*at least 16/ });
  t.throws(() => synthTenantDatabase(props({ image: 'has space' })), { message: /image/ });
  t.throws(() => synthTenantDatabase(props({ storage: { kind: 'volume', sizeMebibytes: 1 } })), { message: /storage\.sizeMebibytes/ });
  t.throws(() => synthUserApp(sampleApp({ network: { tenantDatabase: { port: 0 } } })), { message: /network\.tenantDatabase\.port/ });
});

test('the API\'s Role may apply and delete tenant databases\' kinds, claims included, and nothing more', (t) => {
  const chart = new Chart(new App(), 'access', { disableResourceNameHashes: true });
  new PlatformApiAccess(chart, 'Access', { platformNamespace: 'p', appsNamespace: 'a' });
  const role = chart.toJson().find((o: ManifestObject) => o.kind === 'Role');
  const core = role.rules.find((r: { apiGroups: string[]; verbs: string[] }) => r.apiGroups[0] === '' && r.verbs.includes('create'));
  t.deepEqual(core.resources, ['configmaps', 'secrets', 'services', 'persistentvolumeclaims']);
  t.deepEqual(core.verbs, ['create', 'patch', 'list', 'watch', 'delete']);
  t.false(JSON.stringify(role.rules).includes('persistentvolumes"'), 'no cluster-wide volumes');
});

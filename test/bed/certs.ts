/**
 * The test bed's PKI, made with the openssl CLI (Node can parse X.509 but not issue it): one CA, the
 * apiserver's serving certificate, client certificates (the apiserver's kubelet client), and the
 * service-account signing key pair. EC P-256 keys keep generation in milliseconds.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertFiles {
  readonly cert: string;
  readonly key: string;
}

/** A certificate's subject: `sans` are `IP:…`/`DNS:…` entries, `org` the O= groups. */
export interface IssueOptions {
  readonly cn: string;
  readonly org?: string;
  readonly sans?: readonly string[];
}

export interface Pki {
  readonly dir: string;
  readonly ca: CertFiles;
  /** Issues a certificate signed by the CA. */
  issue(name: string, options: IssueOptions): Promise<CertFiles>;
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export async function createPki(dir: string): Promise<Pki> {
  const ca = { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
  await run('openssl', ['req', '-x509', ...ecKey, '-keyout', ca.key, '-out', ca.cert, '-days', '7', '-subj', '/CN=fastapi-platform-testbed-ca']);
  return { dir, ca, issue: (name, options) => issueCert(ca, dir, name, options) };
}

/**
 * Issues a certificate signed by an existing CA (the bed's, for test servers and clients) into `dir`.
 * Serials are random rather than kept in a serial file, so test processes can sign concurrently.
 */
export async function issueCert(
  ca: CertFiles,
  dir: string,
  name: string,
  { cn, org, sans = [] }: IssueOptions,
): Promise<CertFiles> {
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  const subject = org ? `/O=${org}/CN=${cn}` : `/CN=${cn}`;
  await run('openssl', ['req', ...ecKey, '-keyout', files.key, '-out', csr, '-subj', subject]);
  const lines = ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth,clientAuth'];
  if (sans.length > 0) lines.push(`subjectAltName=${sans.join(',')}`);
  await writeFile(ext, `${lines.join('\n')}\n`);
  const serial = `0x${randomBytes(16).toString('hex')}`;
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', serial, '-out', files.cert, '-days', '7', '-extfile', ext]);
  return files;
}

/** An EC key pair for signing and verifying service-account tokens. */
export async function createSigningKey(dir: string): Promise<{ key: string; pub: string }> {
  const key = join(dir, 'sa.key');
  const pub = join(dir, 'sa.pub');
  await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  await run('openssl', ['ec', '-in', key, '-pubout', '-out', pub]);
  return { key, pub };
}

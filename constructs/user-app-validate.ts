/** Checks a UserApp's props before anything is synthesized: a bad prop names itself and what to use instead. */
import { envNameProblem } from './env-names.js';
import { fileKey } from './file-keys.js';
import { check, invalid, isDnsLabel, isDnsName, isLabelValue, isSafeRelativePath } from './_validate.js';
import { entrypointExtensions, languageOfEntrypoint, type AppLanguage } from './languages.js';
import { maxCodeBytes, type UserAppProps } from './user-app-props.js';

export function validate(props: UserAppProps, entrypoint: string, language: AppLanguage): void {
  const c = 'UserApp';
  check(isDnsLabel(props.appId, 40), c, 'appId', props.appId, 'use 1-40 lower-case letters, digits or dashes, starting and ending with a letter or digit');
  check(props.ownerId.length > 0 && isLabelValue(props.ownerId), c, 'ownerId', props.ownerId, 'use at most 63 letters, digits, dashes, dots or underscores');
  check(isDnsName(props.appDomain), c, 'appDomain', props.appDomain, 'use a lower-case DNS name such as apps.example.com');
  check(props.image.length > 0 && !/\s/.test(props.image), c, 'image', props.image, 'give an image reference such as registry/runner:1.0');
  const paths = Object.keys(props.files);
  check(paths.length > 0, c, 'files', '{}', 'give at least the entrypoint file');
  let bytes = 0;
  for (const path of paths) {
    check(isSafeRelativePath(path), c, 'files', path, 'use a relative path without "..", ".", empty segments, backslashes or control characters');
    check(fileKey(path).length <= 253, c, 'files', path, 'shorten the path (its ConfigMap key would exceed 253 characters)');
    bytes += Buffer.byteLength(props.files[path] ?? '') + fileKey(path).length;
  }
  check(bytes <= maxCodeBytes, c, 'files', `${bytes} bytes`, `keep the project under ${maxCodeBytes} bytes in total`);
  const extensions = entrypointExtensions[language];
  check(languageOfEntrypoint(entrypoint) === language && paths.includes(entrypoint), c, 'entrypoint', entrypoint, `name a ${extensions.join(', ')} file that is in files (the ${language} runner imports it)`);
  for (const name of Object.keys(props.env ?? {})) {
    const problem = envNameProblem(name);
    if (problem) invalid(c, 'env', name, problem);
  }
  const replicas = props.replicas ?? 1;
  check(Number.isInteger(replicas) && replicas >= 0 && replicas <= 10, c, 'replicas', replicas, 'use a whole number from 0 to 10');
  if (props.gateway) {
    check(isDnsLabel(props.gateway.namespace), c, 'gateway.namespace', props.gateway.namespace, 'use a namespace name');
    check(isDnsLabel(props.gateway.serviceName), c, 'gateway.serviceName', props.gateway.serviceName, 'use a Service name');
    check(Object.keys(props.gateway.podLabels).length > 0, c, 'gateway.podLabels', '{}', 'give the labels that select the gateway\'s pods (an empty selector would admit every pod)');
  }
  if (props.version !== undefined) check(Number.isInteger(props.version) && props.version > 0, c, 'version', props.version, 'use a positive whole number');
  for (const [prop, pair] of [['resources.cpuMillis', props.resources?.cpuMillis], ['resources.memoryMebibytes', props.resources?.memoryMebibytes]] as const) {
    if (pair) check(pair.request > 0 && pair.request <= pair.limit, c, prop, `${pair.request}/${pair.limit}`, 'use a positive request no larger than the limit');
  }
  const windows = props.failureWindows ?? {};
  if (windows.startupSeconds !== undefined) check(Number.isInteger(windows.startupSeconds) && windows.startupSeconds >= 1 && windows.startupSeconds <= 3600, c, 'failureWindows.startupSeconds', windows.startupSeconds, 'use a whole number of seconds from 1 to 3600');
  if (windows.progressDeadlineSeconds !== undefined) check(Number.isInteger(windows.progressDeadlineSeconds) && windows.progressDeadlineSeconds >= 1, c, 'failureWindows.progressDeadlineSeconds', windows.progressDeadlineSeconds, 'use a positive whole number of seconds');
  for (const [prop, value] of [['drain.delaySeconds', props.drain?.delaySeconds], ['drain.requestSeconds', props.drain?.requestSeconds]] as const) {
    if (value !== undefined) check(Number.isInteger(value) && value >= 0 && value <= 600, c, prop, value, 'use a whole number of seconds from 0 to 600');
  }
  for (const cidr of props.network?.blockedCidrs ?? []) check(isCidr(cidr), c, 'network.blockedCidrs', cidr, 'use an IPv4 range such as 192.0.2.0/24');
  const database = props.network?.database;
  const tenantPort = props.network?.tenantDatabase?.port;
  if (tenantPort !== undefined) check(Number.isInteger(tenantPort) && tenantPort > 0 && tenantPort < 65536, c, 'network.tenantDatabase.port', tenantPort, 'use a port from 1 to 65535');
  if (database === 'none' || database === undefined) return;
  if ('cidr' in database) check(isCidr(database.cidr), c, 'network.database.cidr', database.cidr, 'use an IPv4 range such as 10.1.2.3/32');
  if (database.port !== undefined) check(Number.isInteger(database.port) && database.port > 0 && database.port < 65536, c, 'network.database.port', database.port, 'use a port from 1 to 65535');
}

function isCidr(value: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  return !!match && match.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(match[5]) <= 32;
}

/**
 * The platform's gateway as apps see it: the Service their routes send requests to and the pods
 * their NetworkPolicies admit. The platform chart runs it under these names (cluster/platform-chart.ts).
 */
import { labelKeys, managedBy } from './labels.js';
import type { AppGateway } from './user-app-props.js';

export const gatewayName = 'gateway';

export function platformGateway(namespace: string): AppGateway {
  return { namespace, serviceName: gatewayName, servicePort: 80, podLabels: { [labelKeys.name]: gatewayName, [labelKeys.partOf]: managedBy } };
}

/**
 * RestrictedNamespace: a Namespace whose pods must pass the "restricted" Pod Security Standard
 * (enforced, and also audited and warned so violations are visible before they block).
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { check, isDnsLabel } from './_validate.js';

export interface RestrictedNamespaceProps {
  /** The namespace's name. */
  readonly name: string;
  /**
   * Extra labels.
   * @default - the Pod Security labels only
   */
  readonly labels?: Readonly<Record<string, string>>;
}

export const podSecurityLabels: Readonly<Record<string, string>> = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};

export class RestrictedNamespace extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    super(scope, id);
    check(isDnsLabel(props.name), 'RestrictedNamespace', 'name', props.name, 'use a lower-case DNS label');
    this.name = props.name;
    const namespace = new k8s.KubeNamespace(this, 'Resource', {
      metadata: { name: props.name, labels: { ...props.labels, ...podSecurityLabels } },
    });
    // A Namespace is cluster-scoped, but cdk8s stamps the chart's namespace on every object.
    if (Chart.of(this).namespace) ApiObject.of(namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}

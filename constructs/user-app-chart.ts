/**
 * UserAppChart puts one UserApp in a namespace with deterministic names, and `synthUserApp` turns
 * props into the plain Kubernetes objects the API applies: a fresh App per call, no disk I/O
 * (`chart.toJson()`, never `app.synth()`), so it is safe on the request path.
 */
import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { UserApp } from './user-app.js';
import type { UserAppProps } from './user-app-props.js';

export interface UserAppChartProps extends UserAppProps {
  /** Namespace every object goes in (the apps namespace). */
  readonly namespace: string;
}

export class UserAppChart extends Chart {
  readonly app: UserApp;

  constructor(scope: Construct, id: string, props: UserAppChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    this.app = new UserApp(this, 'Resource', props);
  }
}

/** A synthesized Kubernetes object, as applied. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface SynthesizedUserApp {
  /** In apply order: ConfigMap and Secret before the Deployment that mounts them. */
  readonly objects: ManifestObject[];
  readonly host: string;
  readonly codeHash: string;
  readonly envHash: string;
}

export function synthUserApp(props: UserAppChartProps): SynthesizedUserApp {
  const chart = new UserAppChart(new App(), `app-${props.appId}`, props);
  return {
    objects: chart.toJson() as ManifestObject[],
    host: chart.app.host,
    codeHash: chart.app.codeHash,
    envHash: chart.app.envHash,
  };
}

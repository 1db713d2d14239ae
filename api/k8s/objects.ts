/**
 * The fields of watched objects the platform reads, as the apiserver's JSON has them (the watch cache
 * holds plain JSON; see exact-object-api.ts). Everything is optional because the apiserver omits
 * empty fields.
 */
export interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface DeploymentJson {
  kind?: 'Deployment';
  metadata: Meta;
  spec?: { replicas?: number; template?: { metadata?: { annotations?: Record<string, string> } } };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; conditions?: Condition[] };
}

export interface ReplicaSetJson {
  kind?: 'ReplicaSet';
  metadata: Meta;
  spec?: { replicas?: number; template?: { metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> } } };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

export interface ContainerStateJson {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
}

export interface ContainerStatusJson {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerStateJson;
  lastState?: ContainerStateJson;
}

export interface PodJson {
  kind?: 'Pod';
  metadata: Meta;
  spec?: { nodeName?: string; containers?: { name: string; image?: string; resources?: { limits?: Record<string, string> } }[] };
  status?: { phase?: string; conditions?: Condition[]; containerStatuses?: ContainerStatusJson[]; startTime?: string };
}

export interface EventJson {
  kind?: 'Event';
  metadata: Meta;
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
}

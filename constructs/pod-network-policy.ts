/**
 * PodNetworkPolicy: which peers may reach a set of pods and which the pods may reach, written as
 * namespaces, labels and address ranges. Used to fence each user app and the platform's own pods.
 * (NetworkPolicies need a network plugin to take effect; see ARCHITECTURE.md.)
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';

/** A peer: pods in another namespace, pods in the policy's own namespace, or an address range. */
export type NetworkPeer =
  | { readonly namespace: string; readonly podLabels?: Readonly<Record<string, string>> }
  | { readonly podLabels: Readonly<Record<string, string>> }
  | { readonly cidr: string; readonly except?: readonly string[] };

export interface NetworkPort {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface TrafficRule {
  /** Who (ingress) or what (egress) the rule allows. */
  readonly peers: readonly NetworkPeer[];
  /**
   * Ports the rule allows.
   * @default - every port
   */
  readonly ports?: readonly NetworkPort[];
}

export interface PodNetworkPolicyProps {
  readonly name: string;
  /** Labels selecting the pods the policy fences. */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * Allowed incoming traffic; anything else is denied.
   * @default - all incoming traffic denied
   */
  readonly ingress?: readonly TrafficRule[];
  /**
   * Allowed outgoing traffic; anything else is denied.
   * @default - all outgoing traffic denied
   */
  readonly egress?: readonly TrafficRule[];
  /**
   * Labels on the NetworkPolicy object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

function peerToKube(peer: NetworkPeer): k8s.NetworkPolicyPeer {
  if ('cidr' in peer) return { ipBlock: { cidr: peer.cidr, ...(peer.except ? { except: [...peer.except] } : {}) } };
  const podSelector = 'podLabels' in peer && peer.podLabels ? { matchLabels: { ...peer.podLabels } } : undefined;
  if ('namespace' in peer) {
    return {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
      ...(podSelector ? { podSelector } : {}),
    };
  }
  return { podSelector: podSelector ?? {} };
}

function portsToKube(ports: readonly NetworkPort[] | undefined): k8s.NetworkPolicyPort[] | undefined {
  return ports?.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' }));
}

export class PodNetworkPolicy extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: PodNetworkPolicyProps) {
    super(scope, id);
    this.name = props.name;
    new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, ...(props.labels ? { labels: { ...props.labels } } : {}) },
      spec: {
        podSelector: { matchLabels: { ...props.podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: (props.ingress ?? []).map((rule) => {
          const ports = portsToKube(rule.ports);
          return { from: rule.peers.map(peerToKube), ...(ports ? { ports } : {}) };
        }),
        egress: (props.egress ?? []).map((rule) => {
          const ports = portsToKube(rule.ports);
          return { to: rule.peers.map(peerToKube), ...(ports ? { ports } : {}) };
        }),
      },
    });
  }
}

/** Address ranges that are never "the internet": private, carrier-grade NAT and link-local (cloud metadata). */
export const privateCidrs: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];

/** Egress to cluster DNS (kube-system, port 53 over UDP and TCP). */
export const dnsEgress: TrafficRule = {
  peers: [{ namespace: 'kube-system' }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

/** Egress to public addresses only. */
export const internetEgress: TrafficRule = { peers: [{ cidr: '0.0.0.0/0', except: privateCidrs }] };

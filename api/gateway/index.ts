export type { AppBackend, AppOwners, Resolution, Target, Upstream, Waker } from './backend.js';
export { downstreamHeaders, fromRunner, upstreamHeaders } from './forward.js';
export { Gateway, type GatewayDeps } from './gateway.js';
export { latencyBoundsMs, quantile } from './histogram.js';
export { sendPage, type ProxyPage } from './pages.js';
export {
  classOf, retentionMinutes, statusClasses, type RecordedError, type StatusClass, type TrafficCollections, type TrafficRecord,
} from './traffic.js';
export { TrafficReader, type MinuteRollup } from './traffic-reader.js';
export { TrafficWriter } from './traffic-writer.js';
export { DatabaseAppOwners } from './owners.js';
export { createGateway, type CreateGatewayOptions, type RunningGateway } from './create.js';
export { prometheusText } from './prometheus.js';
export { gatewayServer, metricsServer, type ListeningServer } from './server.js';

/**
 * The platform's cdk8s app (what `cdk8s synth` runs, per cdk8s.yaml): loads the typed config and
 * writes the platform's manifests to dist/ (or CDK8S_OUTDIR).
 */
import { App } from 'cdk8s';
import { loadPlatformConfig } from './config.js';
import { PlatformChart } from './platform-chart.js';

const app = new App();
new PlatformChart(app, 'platform', loadPlatformConfig());
app.synth();

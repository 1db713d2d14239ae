/**
 * Where this API process is in its start: it serves requests at once, while the first reconcile
 * brings deployed apps back in the background. Health reports `starting` with the reconcile's
 * progress until that pass ends, then `ok`. Once told to stop, health answers 503 while the process
 * drains, so the kubelet's readiness probe takes the pod out of the Service before it closes.
 */
export class BootState {
  private phase: 'starting' | 'ok' = 'starting';
  private draining = false;
  private total = 0;
  private done = 0;

  reconciling(total: number): void {
    this.total = total;
  }

  reconciled(): void {
    this.done += 1;
  }

  ready(): void {
    this.phase = 'ok';
  }

  stopping(): void {
    this.draining = true;
  }

  isStopping(): boolean {
    return this.draining;
  }

  view(): { status: 'starting' | 'ok'; reconcile: { total: number; done: number } } {
    return { status: this.phase, reconcile: { total: this.total, done: this.done } };
  }
}

/**
 * Where this API process is in its start: it serves requests at once, while the first reconcile
 * brings deployed apps back in the background. Health reports `starting` with the reconcile's
 * progress until that pass ends, then `ok`.
 */
export class BootState {
  private phase: 'starting' | 'ok' = 'starting';
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

  view(): { status: 'starting' | 'ok'; reconcile: { total: number; done: number } } {
    return { status: this.phase, reconcile: { total: this.total, done: this.done } };
  }
}

/**
 * KubernetesObjectApi, except that server-side apply sends the object exactly as synthesized, and
 * reads can return the apiserver's JSON as it is (watch events arrive as plain JSON too, so the
 * watch cache holds one representation: no model classes, no Date objects).
 *
 * client-node's `patch()` passes every built-in kind through its generated model serializer, which
 * reads model property names, not JSON names: a NetworkPolicy's `ingress[].from` (model `_from`) is
 * silently dropped, turning "only the ingress controller may connect" into "anyone may" (caught by
 * test/api/k8s/user-app.test.ts), and any field newer than its v1.34 models vanishes the same way.
 * This subclass keeps client-node's discovery, authentication and error handling, and sends JSON.
 */
import * as k8s from '@kubernetes/client-node';

export class ExactObjectApi extends k8s.KubernetesObjectApi {
  /** Server-side apply requests sent (what a reconcile pass with nothing changed must not add to). */
  applies = 0;

  async apply(object: k8s.KubernetesObject, fieldManager: string, force: boolean): Promise<k8s.KubernetesObject> {
    this.applies += 1;
    const path = await this.specUriPath(object, 'patch');
    const request = this.configuration.baseServer.makeRequestContext(path, k8s.HttpMethod.PATCH);
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', k8s.PatchStrategy.ServerSideApply);
    request.setQueryParam('fieldManager', fieldManager);
    request.setQueryParam('force', String(force));
    request.setBody(JSON.stringify(object));
    return this.requestPromise(request);
  }

  /** Server-side apply of `body` at `path` (a subresource such as a Deployment's `scale`). */
  async applyAt<T>(path: string, body: unknown, fieldManager: string, force: boolean): Promise<T> {
    this.applies += 1;
    const request = this.configuration.baseServer.makeRequestContext(path, k8s.HttpMethod.PATCH);
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', k8s.PatchStrategy.ServerSideApply);
    request.setQueryParam('fieldManager', fieldManager);
    request.setQueryParam('force', String(force));
    request.setBody(JSON.stringify(body));
    return this.requestPromise(request, 'any') as Promise<T>;
  }

  /** GET `path` and return the parsed JSON unchanged (client-node's serializer is bypassed with type `any`). */
  async getJson<T>(path: string, query: Readonly<Record<string, string>> = {}): Promise<T> {
    const request = this.configuration.baseServer.makeRequestContext(path, k8s.HttpMethod.GET);
    request.setHeaderParam('Accept', 'application/json');
    for (const [name, value] of Object.entries(query)) request.setQueryParam(name, value);
    return this.requestPromise(request, 'any') as Promise<T>;
  }

  /** POST or PUT `body` (JSON, as given) at `path`; the apiserver's JSON back unchanged. A PUT carrying `metadata.resourceVersion` is a compare-and-set (409 when stale). */
  async sendJson<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
    const request = this.configuration.baseServer.makeRequestContext(path, method === 'POST' ? k8s.HttpMethod.POST : k8s.HttpMethod.PUT);
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', 'application/json');
    request.setBody(JSON.stringify(body));
    return this.requestPromise(request, 'any') as Promise<T>;
  }
}

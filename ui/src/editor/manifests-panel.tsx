/**
 * The Kubernetes objects of this app as YAML, read-only: what was applied for the deployed version, or
 * what the saved draft would apply. Secret values arrive masked. Fetched again when the deployed
 * version or the saved draft changes.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../http/client';
import type { Manifests } from '../http/client';
import { toYaml } from '../lib/yaml';
import type { EditorStore } from '../stores/editor';

type Of = 'deployed' | 'draft';

const nameOf = (object: Record<string, unknown>) => {
  const metadata = object.metadata as { name?: string } | undefined;
  return `${String(object.kind)} ${metadata?.name ?? ''}`.trim();
};

export function ManifestsPanel({ store }: { readonly store: EditorStore }) {
  const deployedVersion = store.app.value?.status.version ?? null;
  const [of, setOf] = useState<Of>(deployedVersion ? 'deployed' : 'draft');
  // With the choice it answers, so a switch shows "Loading…" rather than the other list under the new label.
  const [answer, setAnswer] = useState<{ of: Of; manifests: Manifests } | null>(null);
  const result = answer?.of === of ? answer.manifests : null;
  const [error, setError] = useState<string | null>(null);
  const appId = store.app.value?.id;
  const revision = store.revision.value;
  useEffect(() => {
    if (!appId) return;
    let current = true;
    setError(null);
    api.manifests({ params: { appId }, query: { of } }).then(
      (manifests) => { if (current) setAnswer({ of, manifests }); },
      (e: Error) => { if (current) { setAnswer(null); setError(e.message); } },
    );
    return () => { current = false; };
  }, [appId, of, of === 'deployed' ? deployedVersion : revision]);

  return (
    <section aria-labelledby="manifests-heading" class="manifests">
      <h2 id="manifests-heading" class="visually-hidden">Manifests</h2>
      <fieldset class="choice">
        <legend class="visually-hidden">Which manifests</legend>
        <label><input type="radio" name="manifests-of" checked={of === 'deployed'} disabled={!deployedVersion} onChange={() => setOf('deployed')} /> {deployedVersion ? `Applied (version ${deployedVersion})` : 'Applied (none yet)'}</label>
        <label><input type="radio" name="manifests-of" checked={of === 'draft'} onChange={() => setOf('draft')} /> From the saved draft</label>
      </fieldset>
      {error && <div class="alert" role="alert">{error}</div>}
      {!result && !error && <p role="status" class="muted">Loading…</p>}
      {result && (
        <>
          <p class="muted">{result.objects.length} objects{of === 'draft' ? ', as the next deploy would apply them' : ''}. Secret values are masked.</p>
          {result.objects.map((object) => {
            const name = nameOf(object);
            return (
              <div key={name} class="manifest">
                <h3>{name}</h3>
                <pre tabIndex={0} aria-label={`YAML of ${name}`}>{toYaml(object)}</pre>
              </div>
            );
          })}
        </>
      )}
    </section>
  );
}

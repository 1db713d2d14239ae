/**
 * A component loaded on first render (a route's code split into its own chunk); shows `fallback`
 * meanwhile. The import() specifier must stay a literal at the call site, or Vite drops the chunk's CSS.
 */
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazy<P extends object>(load: () => Promise<{ default: ComponentType<P> }>, fallback: () => JSX.Element): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    useEffect(() => {
      if (component) return;
      void load().then((module) => {
        loaded = module.default;
        setComponent(() => module.default);
      });
    }, [component]);
    const Component = component;
    return Component ? <Component {...props} /> : fallback();
  };
}

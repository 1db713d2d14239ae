/**
 * The languages an app can be written in, each run by its own runner image: Python (runner/, uvicorn)
 * and TypeScript (runner-node/, Hono on Node). The entrypoint's extension names the language, so every
 * version of an app, and its manifests, agree with the language it was created with.
 */
export const appLanguages = ['python', 'typescript'] as const;
export type AppLanguage = (typeof appLanguages)[number];

/** Entry files each runner can import, and the default when none is given. */
export const entrypointExtensions: Readonly<Record<AppLanguage, readonly string[]>> = {
  python: ['.py'],
  typescript: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.jsx'],
};

export const defaultEntrypoints: Readonly<Record<AppLanguage, string>> = { python: 'app.py', typescript: 'app.ts' };

/** The language whose runner imports `entrypoint`, or undefined for a file neither runs. */
export function languageOfEntrypoint(entrypoint: string): AppLanguage | undefined {
  const lower = entrypoint.toLowerCase();
  return appLanguages.find((language) => entrypointExtensions[language].some((extension) => lower.endsWith(extension)));
}

/** The Node runner's packages' type declarations, collected at build time (ui/vite.config.ts, runnerTypes). */
declare module 'virtual:runner-types' {
  /** `file:///node_modules/<package>/<path>` → the file's text (package.json and .d.ts files). */
  const files: Readonly<Record<string, string>>;
  export default files;
}

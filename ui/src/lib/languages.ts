/** Which Monaco language a project file is edited as, from its extension. */
const byExtension: Record<string, string> = {
  py: 'python', ts: 'typescript', tsx: 'typescript', mts: 'typescript', js: 'javascript', mjs: 'javascript', jsx: 'javascript',
  css: 'css', json: 'javascript', html: 'html', svg: 'xml', md: 'markdown', txt: 'plaintext',
};

export function languageOf(path: string): string {
  const extension = path.split('.').pop()?.toLowerCase() ?? '';
  return byExtension[extension] ?? 'plaintext';
}

/** Files TypeScript's language service reads: the ones a TypeScript app's runner loads. */
export function isScript(path: string): boolean {
  return /\.(ts|tsx|mts|js|mjs|jsx)$/i.test(path);
}

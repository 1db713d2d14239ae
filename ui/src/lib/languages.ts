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

/** The extensions the platform accepts (validation's rule), for the new-file hint. */
export const allowedExtensions = ['.py', '.ts', '.tsx', '.mts', '.js', '.mjs', '.jsx', '.css', '.html', '.json', '.svg', '.txt', '.md'];

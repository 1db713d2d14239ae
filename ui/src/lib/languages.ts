/** Which Monaco language a project file is edited as, from its extension. */
const byExtension: Record<string, string> = {
  py: 'python', css: 'css', js: 'javascript', json: 'javascript', html: 'html', svg: 'xml', md: 'markdown', txt: 'plaintext',
};

export function languageOf(path: string): string {
  const extension = path.split('.').pop()?.toLowerCase() ?? '';
  return byExtension[extension] ?? 'plaintext';
}

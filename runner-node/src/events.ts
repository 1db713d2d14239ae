/** Structured lines the platform reads from the runner's stderr: one JSON object per line, tagged "fp". */
export function emit(kind: string, fields: Record<string, unknown> = {}): string {
  const line = JSON.stringify({ fp: kind, ...fields });
  process.stderr.write(`${line}\n`);
  return line;
}

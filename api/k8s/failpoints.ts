/**
 * Named places where a test may kill the API process outright (SIGKILL, no clean-up), to prove that a
 * crash there leaves nothing the next start cannot finish. Inert unless FP_FAILPOINTS names them
 * (comma-separated); nothing else reads the variable.
 */
const armed = new Set((process.env.FP_FAILPOINTS ?? '').split(',').map((s) => s.trim()).filter(Boolean));

export function failpoint(name: string): void {
  if (armed.has(name)) process.kill(process.pid, 'SIGKILL');
}

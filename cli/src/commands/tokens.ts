/** fp tokens list|create|revoke: personal API tokens, for CI (FP_TOKEN). A new token's value is printed once. */
import { output, session, type GlobalOptions } from '../context.js';
import { ago, json, table } from '../output.js';

type Options = GlobalOptions & { expiresInDays?: number };

export async function list(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const { api } = await session(options);
  const { tokens } = await api.listTokens();
  if (out.json) return json(out.out, { tokens });
  if (tokens.length === 0) return out.line('No personal API tokens: `fp tokens create <name>` makes one.');
  out.line(table([
    ['ID', 'NAME', 'STARTS WITH', 'CREATED', 'LAST USED', 'EXPIRES'].map((h) => out.paint('dim', h)),
    ...tokens.map((t) => [t.id, t.name, `${t.prefix}…`, ago(t.createdAt), t.lastUsedAt ? ago(t.lastUsedAt) : 'never', t.expiresAt ? t.expiresAt.slice(0, 10) : 'never']),
  ]));
}

export async function create(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const { api } = await session(options);
  const token = await api.createToken({ body: { name: args[0] ?? '', ...(options.expiresInDays ? { expiresInDays: options.expiresInDays } : {}) } });
  if (out.json) return json(out.out, token);
  out.line(token.token);
  out.note(out.paintErr('dim', `Token "${token.name}" (${token.id}) is shown once: store it now, e.g. as FP_TOKEN in your CI's secrets.`));
}

export async function revoke(args: string[], options: Options): Promise<void> {
  const { api } = await session(options);
  await api.revokeToken({ params: { id: args[0] ?? '' } });
  output(options).line(`Revoked token ${args[0]}; anything still using it is refused from now on.`);
}

/**
 * Passwords people pick most often, refused outright (NIST SP 800-63B §5.1.1.2: check against a list
 * of commonly used or compromised values). The list is zxcvbn-ts's 49,000 most common passwords,
 * bundled with the API (no network); only entries long enough to pass the length rule matter. It is
 * loaded on first use, not at boot.
 */
let common: Promise<Set<string>> | undefined;

async function load(): Promise<Set<string>> {
  const { dictionary } = await import('@zxcvbn-ts/language-common');
  const words = (dictionary as Record<string, string[] | undefined>)['passwords-common'] ?? [];
  return new Set(words.filter((word) => word.length >= 8).map((word) => word.toLowerCase()));
}

/** Whether `password` (any case) is on the list of common passwords. */
export async function isCommonPassword(password: string): Promise<boolean> {
  common ??= load();
  return (await common).has(password.normalize('NFKC').toLowerCase());
}

/** How many entries the check knows (for the tests' sake: a list of at least 10,000). */
export async function commonPasswordCount(): Promise<number> {
  common ??= load();
  return (await common).size;
}

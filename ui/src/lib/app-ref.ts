/**
 * An app named the ways an admin has at hand: its id, its address (https://app-<id>.example.com/…) or
 * a link to one of its screens (/apps/<id>/dashboard). Pure, so it is tested on its own.
 */

/** The app id in what was pasted, or null when there is none to find. */
export function appIdIn(text: string): string | null {
  const trimmed = text.trim().toLowerCase();
  if (/^[a-z0-9]{10}$/.test(trimmed)) return trimmed;
  const host = /(?:^|\/\/|\.)app-([a-z0-9]{10})(?=[.:/]|$)/.exec(trimmed);
  if (host?.[1]) return host[1];
  const path = /(?:^|\/)apps\/([a-z0-9]{10})(?=[/?#]|$)/.exec(trimmed);
  return path?.[1] ?? null;
}

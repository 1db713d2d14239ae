/**
 * Generates realistic FastAPI project files of a target size, deterministically (seeded): Pydantic
 * models, dataclasses, services with loops and comprehensions, async routes, f-strings, regexes
 * (`re.compile`), decorators and docstrings; only allowed imports, plus sibling imports.
 */

/** A small seeded generator (an LCG): the same project every run. */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const words = ['order', 'invoice', 'customer', 'product', 'shipment', 'account', 'ticket', 'report', 'session', 'widget', 'payment', 'review'];

function block(kind: number, n: number, pick: <T>(items: readonly T[]) => T): string {
  const noun = pick(words);
  const Noun = noun[0]?.toUpperCase() + noun.slice(1);
  switch (kind % 5) {
    case 0:
      return `
class ${Noun}Model${n}(BaseModel):
    """A ${noun} as the API sees it."""

    id: int
    name: str = Field(min_length=1, max_length=120)
    tags: list[str] = []
    amount: float = 0.0
    created_at: datetime | None = None

    def label(self) -> str:
        return f"{self.name} (#{self.id}) {', '.join(self.tags)}"
`;
    case 1:
      return `
@dataclass
class ${Noun}Stats${n}:
    count: int = 0
    total: float = 0.0
    samples: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.samples.append(value)

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else 0.0
`;
    case 2:
      return `
_${noun}_pattern_${n} = re.compile(r"^(?P<prefix>[a-z]{2,8})-(?P<number>\\d{3,9})$")


def parse_${noun}_${n}(raw: str) -> dict[str, str] | None:
    # Accepts codes such as "ord-12345"; anything else is rejected early.
    match = _${noun}_pattern_${n}.match(raw.strip().lower())
    if not match:
        return None
    parts = match.groupdict()
    return {key: value for key, value in parts.items() if value}
`;
    case 3:
      return `
def summarize_${noun}s_${n}(items: list[dict], limit: int = 10) -> dict:
    """Totals and the top entries, for the dashboard."""
    totals: dict[str, float] = defaultdict(float)
    for item in items:
        for key, value in item.items():
            if isinstance(value, (int, float)):
                totals[key] += value
    ranked = sorted(items, key=lambda i: i.get("amount", 0), reverse=True)[:limit]
    return {"totals": dict(totals), "top": [r.get("name", "?") for r in ranked], "count": len(items)}
`;
    default:
      return `
@router.get("/${noun}s/${n}/{item_id}")
async def get_${noun}_${n}(item_id: int, verbose: bool = False):
    if item_id < 0:
        raise HTTPException(status_code=404, detail=f"No ${noun} {item_id}")
    payload = {"id": item_id, "kind": "${noun}", "hash": hashlib.sha256(str(item_id).encode()).hexdigest()[:12]}
    if verbose:
        payload["details"] = [json.dumps({"step": step, "at": step * 1.5}) for step in range(3)]
    return payload
`;
  }
}

export function generateModule(name: string, targetBytes: number, seed: number, siblings: readonly string[] = []): string {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let text = `"""${name}: generated for bench/validate."""
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field
${siblings.map((s) => `import ${s}`).join('\n')}

router = APIRouter()
`;
  let n = 0;
  while (text.length < targetBytes) text += block(Math.floor(random() * 5), n++, pick);
  return text;
}

/** The entry module: the app plus routers from the sibling modules. */
export function generateApp(targetBytes: number, seed: number, modules: readonly string[]): string {
  const header = `from fastapi import FastAPI\n${modules.map((m) => `import ${m}`).join('\n')}\n\napp = FastAPI(title="Generated")\n${modules.map((m) => `app.include_router(${m}.router)`).join('\n')}\n`;
  return targetBytes <= header.length ? header : header + generateModule('app', targetBytes - header.length, seed);
}

/** A five-file project of about `totalBytes` (each file under the 100 KB limit). */
export function generateProject(totalBytes = 480 * 1024, smallApp = false): Record<string, string> {
  const modules = ['models', 'services', 'views', 'utils'];
  const per = smallApp ? Math.min(99 * 1024, totalBytes / 4) : totalBytes / 5;
  const files: Record<string, string> = { 'app.py': generateApp(smallApp ? 600 : per, 1, modules) };
  modules.forEach((m, i) => { files[`${m}.py`] = generateModule(m, per, 10 + i); });
  return files;
}

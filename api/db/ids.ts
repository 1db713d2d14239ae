/** Random ids: app ids are DNS-friendly (they name Kubernetes objects and hosts); others are hex. */
import { randomBytes } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const appIdPattern = /^[a-z0-9]{10}$/;
export const hexIdPattern = /^[a-f0-9]{24}$/;

export function newAppId(): string {
  // 36^10 ≈ 3.7e15; rejection sampling keeps every character uniform.
  let id = '';
  while (id.length < 10) {
    for (const byte of randomBytes(16)) {
      if (byte < 252 && id.length < 10) id += alphabet[byte % 36];
    }
  }
  return id;
}

export function newHexId(): string {
  return randomBytes(12).toString('hex');
}

/**
 * Page tokens of the list routes: Temporal's own, passed through opaque but sealed with an HMAC, so a token
 * the caller made up or altered is a 400 here instead of an error deep in the server. The key derives from
 * the payload encryption key, which every API replica shares, so any replica serves the next page (after a
 * key rotation, tokens handed out before it are refused: start the list again).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { loadKeyring } from '../worker/encryption';
import { Problem } from './problems';

export interface PageTokens {
  /** The caller's token for Temporal's next page, or null on the last page. */
  seal(raw: Uint8Array | null | undefined): string | null;
  /** Temporal's page token inside a caller's token (undefined for the first page); 400 when it was not ours. */
  open(token: string | undefined): Buffer | undefined;
}

/** Tokens for one list (`purpose` keeps one list's tokens from opening another's). */
export function pageTokens(purpose: string, env: NodeJS.ProcessEnv = process.env): PageTokens {
  const keyring = loadKeyring(env);
  const key = createHmac('sha256', keyring.keys.get(keyring.currentId)!).update(purpose).digest();
  const mac = (body: Buffer) => createHmac('sha256', key).update(body).digest();
  return {
    seal(raw) {
      if (!raw || raw.length === 0) return null;
      const body = Buffer.from(raw);
      return `${body.toString('base64url')}.${mac(body).toString('base64url')}`;
    },
    open(token) {
      if (token === undefined) return undefined;
      const [body, given] = token.split('.');
      const raw = Buffer.from(body ?? '', 'base64url');
      const presented = Buffer.from(given ?? '', 'base64url');
      const expected = mac(raw);
      if (raw.length === 0 || presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
        throw new Problem(400, 'invalid-request', 'pageToken is not a token from a previous page');
      }
      return raw;
    },
  };
}

/**
 * A small HTTP client for tests: real requests to the API with a development key, an Idempotency-Key
 * per call unless given, and JSON answers. Also `eventually`, since deadlines and visibility take time.
 */
import { randomUUID } from 'node:crypto';

export interface ApiAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  key?: string;
  idempotencyKey?: string | null;
  headers?: Record<string, string>;
}

export function apiClient(baseUrl: string) {
  async function call<T = any>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if ((method === 'POST' || method === 'PUT') && options.idempotencyKey !== null) {
      headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
  return {
    get: <T = any>(path: string, options?: CallOptions) => call<T>('GET', path, undefined, options),
    post: <T = any>(path: string, body: unknown, options?: CallOptions) => call<T>('POST', path, body, options),
    put: <T = any>(path: string, body: unknown, options?: CallOptions) => call<T>('PUT', path, body, options),
    call,
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/** Polls `probe` until it returns a value without throwing, or fails with the last error. */
export async function eventually<T>(probe: () => Promise<T>, { timeoutMs = 30_000, intervalMs = 250 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

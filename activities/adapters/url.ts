/**
 * URL joining shared by the HTTP adapters: a configured base URL (with or without a trailing slash, with
 * or without a path of its own) plus a relative endpoint path. `new URL(path, base)` alone would drop the
 * base's last segment when it lacks a trailing slash (`https://x/api` + `refunds` → `https://x/refunds`).
 */

/** `base` + `path`: the base's path is kept whole, exactly one `/` between them; the base's query stays. */
export function joinUrl(base: string, path: string): URL {
  const url = new URL(base);
  const relative = path.replace(/^\/+/, '');
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${relative}`;
  return url;
}

/**
 * Outbound events over signed webhooks: each event is POSTed as JSON to every subscription of its
 * merchant with `x-signature: sha256=<HMAC-SHA256 of the body with the subscriber's secret>` and
 * `x-event-id`. Any failure fails the batch, so the activity retries it with backoff: delivery is at least
 * once and in order per case; receivers deduplicate by event id.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CaseEvent, EventPublisher } from './events';

export interface WebhookSubscription {
  /** A merchant id, or `*` for every merchant (a marketplace's own back office). */
  merchantId: string;
  url: string;
  secret: string;
}

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookPublisher implements EventPublisher {
  constructor(private readonly subscriptions: readonly WebhookSubscription[], private readonly timeoutMs = 10_000) {}

  async publish(events: CaseEvent[]): Promise<void> {
    for (const event of events) {
      const body = JSON.stringify(event);
      for (const subscription of this.subscriptions) {
        if (subscription.merchantId !== '*' && subscription.merchantId !== event.merchantId) continue;
        const response = await fetch(subscription.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-signature': signBody(body, subscription.secret), 'x-event-id': event.id },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        }).catch((err: Error) => {
          throw new Error(`webhook for ${event.merchantId} unreachable: ${err.message}`);
        });
        if (!response.ok) throw new Error(`webhook for ${event.merchantId} answered HTTP ${response.status} for event ${event.id}`);
      }
    }
  }
}

/** WEBHOOKS (JSON) or WEBHOOKS_FILE: `[{ "merchantId": "m-a" | "*", "url": "https://…", "secret": "…" }]`. */
export function webhookSubscriptionsFrom(env: NodeJS.ProcessEnv): WebhookSubscription[] {
  const json = env.WEBHOOKS ?? (env.WEBHOOKS_FILE ? readFileSync(env.WEBHOOKS_FILE, 'utf8') : undefined);
  if (json === undefined) return [];
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed)) throw new Error('WEBHOOKS must be a JSON array of { merchantId, url, secret }');
  return parsed.map((entry, i) => {
    const s = entry as Partial<WebhookSubscription>;
    if (typeof s.merchantId !== 'string' || typeof s.url !== 'string' || typeof s.secret !== 'string' || s.secret.length < 16) {
      throw new Error(`WEBHOOKS[${i}] needs merchantId, url and a secret of at least 16 characters`);
    }
    new URL(s.url);
    return { merchantId: s.merchantId, url: s.url, secret: s.secret };
  });
}

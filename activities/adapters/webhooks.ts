/**
 * Outbound events over signed webhooks: each event is POSTed as JSON to a subscription of its merchant
 * with `x-signature: sha256=<HMAC-SHA256 of the body with the subscriber's secret>` and `x-event-id`.
 * Every subscription is a sink of its own (`sinks`): the case hands events to one delivery per
 * (subscription, case), which retries with backoff and parks after its attempts, so a dead endpoint never
 * holds up another subscriber or a case. `publish` POSTs to every subscription at once (a direct check).
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { withSchemaVersion, type CaseEvent, type DeliveryPolicy, type EventSink, type NewCaseEvent, type SinkPublisher } from './events';

export interface WebhookSubscription {
  /** Stable id admins name it by; default: a hash of merchantId and url (never of the secret). */
  id?: string;
  /** A merchant id, or `*` for every merchant (a marketplace's own back office). */
  merchantId: string;
  url: string;
  secret: string;
}

export interface WebhookPublisherOptions {
  /** Per POST (default 10 s). */
  timeoutMs?: number;
  /** Retries before parking, idle end of a delivery (see DEFAULT_DELIVERY_POLICY). */
  delivery?: Partial<DeliveryPolicy>;
}

export const SUBSCRIPTION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The subscription's id: its own, or `sub_<16 hex of sha256(merchantId \n url)>`. */
export function subscriptionIdOf(subscription: Pick<WebhookSubscription, 'id' | 'merchantId' | 'url'>): string {
  return subscription.id ?? `sub_${createHash('sha256').update(`${subscription.merchantId}\n${subscription.url}`).digest('hex').slice(0, 16)}`;
}

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function post(subscription: WebhookSubscription, event: CaseEvent, timeoutMs: number): Promise<void> {
  const body = JSON.stringify(event);
  const response = await fetch(subscription.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signBody(body, subscription.secret), 'x-event-id': event.id },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((err: Error) => {
    throw new Error(`webhook ${subscriptionIdOf(subscription)} for ${event.merchantId} unreachable: ${err.message}`);
  });
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) throw new Error(`webhook ${subscriptionIdOf(subscription)} for ${event.merchantId} answered HTTP ${response.status} for event ${event.id}`);
}

const accepts = (subscription: WebhookSubscription, event: { merchantId: string }) =>
  subscription.merchantId === '*' || subscription.merchantId === event.merchantId;

export class WebhookPublisher implements SinkPublisher {
  readonly sinks: readonly EventSink[];
  readonly delivery?: Partial<DeliveryPolicy>;
  private readonly timeoutMs: number;

  /** `options` may be a number: the per-POST timeout in ms (as before). */
  constructor(private readonly subscriptions: readonly WebhookSubscription[], options: number | WebhookPublisherOptions = {}) {
    const o = typeof options === 'number' ? { timeoutMs: options } : options;
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.delivery = o.delivery;
    const seen = new Set<string>();
    this.sinks = subscriptions.map((subscription) => {
      const id = subscriptionIdOf(subscription);
      if (!SUBSCRIPTION_ID_PATTERN.test(id)) throw new Error(`webhook subscription id ${JSON.stringify(id)} must be 1-64 letters, digits, . _ -`);
      if (seen.has(id)) throw new Error(`webhook subscription id ${id} is used twice: give each subscription its own id`);
      seen.add(id);
      return { id, accepts: (event: CaseEvent) => accepts(subscription, event), deliver: (event: CaseEvent) => post(subscription, event, this.timeoutMs) };
    });
  }

  /** Every event to every subscription of its merchant, in order; any failure fails the call. */
  async publish(events: NewCaseEvent[]): Promise<void> {
    for (const event of events.map(withSchemaVersion)) {
      for (const subscription of this.subscriptions) {
        if (accepts(subscription, event)) await post(subscription, event, this.timeoutMs);
      }
    }
  }
}

/**
 * WEBHOOKS (JSON) or WEBHOOKS_FILE: `[{ "id"?: "…", "merchantId": "m-a" | "*", "url": "https://…", "secret": "…" }]`.
 * Ids must be unique (the default, a hash of merchantId and url, is unique for distinct pairs).
 */
export function webhookSubscriptionsFrom(env: NodeJS.ProcessEnv): WebhookSubscription[] {
  const json = env.WEBHOOKS ?? (env.WEBHOOKS_FILE ? readFileSync(env.WEBHOOKS_FILE, 'utf8') : undefined);
  if (json === undefined) return [];
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed)) throw new Error('WEBHOOKS must be a JSON array of { id?, merchantId, url, secret }');
  const ids = new Set<string>();
  return parsed.map((entry, i) => {
    const s = entry as Partial<WebhookSubscription>;
    if (typeof s.merchantId !== 'string' || typeof s.url !== 'string' || typeof s.secret !== 'string' || s.secret.length < 16) {
      throw new Error(`WEBHOOKS[${i}] needs merchantId, url and a secret of at least 16 characters`);
    }
    if (s.id !== undefined && (typeof s.id !== 'string' || !SUBSCRIPTION_ID_PATTERN.test(s.id))) {
      throw new Error(`WEBHOOKS[${i}].id must be 1-64 letters, digits, . _ - (it names the subscription to admins; never a secret)`);
    }
    new URL(s.url);
    const subscription = { ...(s.id !== undefined ? { id: s.id } : {}), merchantId: s.merchantId, url: s.url, secret: s.secret };
    const id = subscriptionIdOf(subscription);
    if (ids.has(id)) throw new Error(`WEBHOOKS[${i}]: subscription id ${id} is used twice`);
    ids.add(id);
    return subscription;
  });
}

/**
 * Delivery settings from the environment: WEBHOOK_MAX_ATTEMPTS (per event before parking),
 * WEBHOOK_RETRY_INITIAL_MS, WEBHOOK_RETRY_MAX_MS (backoff bounds), WEBHOOK_IDLE_TIMEOUT_MS.
 */
export function webhookDeliveryFrom(env: NodeJS.ProcessEnv): Partial<DeliveryPolicy> {
  const names = {
    maxAttempts: 'WEBHOOK_MAX_ATTEMPTS', initialIntervalMs: 'WEBHOOK_RETRY_INITIAL_MS', maximumIntervalMs: 'WEBHOOK_RETRY_MAX_MS', idleTimeoutMs: 'WEBHOOK_IDLE_TIMEOUT_MS',
  } as const;
  const policy: Partial<DeliveryPolicy> = {};
  for (const [field, variable] of Object.entries(names) as Array<[keyof typeof names, string]>) {
    const raw = env[variable]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${variable} must be a positive integer, got ${JSON.stringify(raw)}`);
    policy[field] = value;
  }
  return policy;
}

/**
 * Production notifier: POSTs each notification as JSON to the merchant's messaging service (which knows
 * how to reach a staff queue or a customer behind a pseudonymous customerRef), signed like the webhooks
 * and carrying the notification id as Idempotency-Key so a retried send delivers once.
 */
import type { Notification, Notifier } from './notifications';
import { signBody } from './webhooks';

export class HttpNotifier implements Notifier {
  constructor(private readonly options: { url: string; secret: string; timeoutMs?: number }) {}

  async send(notification: Notification): Promise<void> {
    const body = JSON.stringify(notification);
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': notification.id, 'x-signature': signBody(body, this.options.secret) },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    }).catch((err: Error) => {
      throw new Error(`notification service unreachable: ${err.message}`);
    });
    if (!response.ok) throw new Error(`notification service answered HTTP ${response.status} for ${notification.id}`);
  }
}

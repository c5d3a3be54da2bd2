/**
 * Worker configuration: production never runs on the sandbox payment gateway, webhook subscriptions
 * are validated, and signatures are HMAC-SHA256 of the exact body.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HttpPaymentGateway } from '../../../activities/adapters/http-payments';
import { HttpNotifier } from '../../../activities/adapters/http-notifications';
import { SandboxPaymentGateway } from '../../../activities/adapters/sandbox-payments';
import { WebhookPublisher, signBody, webhookSubscriptionsFrom } from '../../../activities/adapters/webhooks';
import { adaptersFrom } from '../../../worker/config';
import { HttpLogistics, HttpOrders } from '../../../activities/adapters/http-order-systems';
import { SandboxLogistics } from '../../../activities/adapters/logistics';

const ORDER_SYSTEMS = { LOGISTICS_URL: 'https://logistics.example/', LOGISTICS_SECRET: 'l', ORDERS_URL: 'https://orders.example/', ORDERS_SECRET: 'o' };

const hook = { merchantId: 'm-a', url: 'https://hooks.example/cases', secret: 'whsec-0123456789abcdef' };

describe('adaptersFrom', () => {
  it('uses the sandboxes in development', () => {
    expect(adaptersFrom({}).payments).toBeInstanceOf(SandboxPaymentGateway);
  });
  it('refuses production without a payment gateway', () => {
    expect(() => adaptersFrom({ NODE_ENV: 'production' })).toThrow(/PAYMENT_GATEWAY_URL/);
  });
  it('uses the HTTP gateway and webhooks when configured', () => {
    const adapters = adaptersFrom({
      NODE_ENV: 'production', PAYMENT_GATEWAY_URL: 'https://pay.example/', PAYMENT_GATEWAY_SECRET: 's', WEBHOOKS: JSON.stringify([hook]),
      NOTIFICATIONS_URL: 'https://notify.example/messages', NOTIFICATIONS_SECRET: 'n', ...ORDER_SYSTEMS,
    });
    expect(adapters.logistics).toBeInstanceOf(HttpLogistics);
    expect(adapters.orders).toBeInstanceOf(HttpOrders);
    expect(adapters.payments).toBeInstanceOf(HttpPaymentGateway);
    expect(adapters.events).toBeInstanceOf(WebhookPublisher);
    expect(adapters.notifications).toBeInstanceOf(HttpNotifier);
  });
  it.each(['LOGISTICS', 'ORDERS'])('refuses production without the %s service, and a URL without its secret', (name) => {
    const production = { NODE_ENV: 'production', PAYMENT_GATEWAY_URL: 'https://pay.example/', PAYMENT_GATEWAY_SECRET: 's', NOTIFICATIONS_URL: 'https://n.example/', NOTIFICATIONS_SECRET: 'n', ...ORDER_SYSTEMS };
    const without = { ...production } as Record<string, string>;
    delete without[`${name}_URL`];
    expect(() => adaptersFrom(without)).toThrow(new RegExp(`${name}_URL`));
    expect(() => adaptersFrom({ [`${name}_URL`]: 'https://x.example/' })).toThrow(new RegExp(`${name}_SECRET`));
    expect(adaptersFrom({}).logistics).toBeInstanceOf(SandboxLogistics);
  });
  it('refuses production without a notification service', () => {
    expect(() => adaptersFrom({ NODE_ENV: 'production', PAYMENT_GATEWAY_URL: 'https://pay.example/', PAYMENT_GATEWAY_SECRET: 's' })).toThrow(/NOTIFICATIONS_URL/);
  });
});

describe('webhook subscriptions', () => {
  it('parse a valid list', () => {
    expect(webhookSubscriptionsFrom({ WEBHOOKS: JSON.stringify([hook, { ...hook, merchantId: '*' }]) })).toHaveLength(2);
    expect(webhookSubscriptionsFrom({})).toEqual([]);
  });
  it.each([
    ['not an array', JSON.stringify(hook)],
    ['short secret', JSON.stringify([{ ...hook, secret: 'short' }])],
    ['bad url', JSON.stringify([{ ...hook, url: 'not a url' }])],
    ['missing merchant', JSON.stringify([{ url: hook.url, secret: hook.secret }])],
  ])('reject %s', (_name, json) => {
    expect(() => webhookSubscriptionsFrom({ WEBHOOKS: json })).toThrow();
  });
  it('sign the exact body', () => {
    const body = '{"id":"as_1:0"}';
    expect(signBody(body, 'k')).toBe(`sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`);
    expect(signBody(`${body} `, 'k')).not.toBe(signBody(body, 'k'));
  });
});

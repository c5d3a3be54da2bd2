/**
 * A sandbox webhook receiver for tests: a loopback HTTP server that checks each event's signature,
 * keeps what it received (duplicates included) and can be told to fail the next N deliveries.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signBody } from '../../activities/adapters/webhooks';

export interface ReceivedEvent {
  id: string;
  type: string;
  caseId: string;
  kind: string;
  merchantId: string;
  at: string;
  data: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedEvent[];
  badSignatures: number;
  failNext(count: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  let failures = 0;
  const receiver: Omit<WebhookReceiver, 'url' | 'close'> & { badSignatures: number } = {
    received: [],
    badSignatures: 0,
    failNext: (count: number) => { failures = count; },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.headers['x-signature'] !== signBody(body, secret)) {
        receiver.badSignatures += 1;
        res.writeHead(401).end();
        return;
      }
      if (failures > 0) {
        failures -= 1;
        res.writeHead(500).end();
        return;
      }
      receiver.received.push(JSON.parse(body) as ReceivedEvent);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/events`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

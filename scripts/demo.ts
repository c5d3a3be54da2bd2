/**
 * `npm run demo`: fills a running cs-cases (the embedded default of `npm start`, or any API given by
 * --api) with a handful of cases of every kind on a demo policy whose deadlines last seconds to minutes,
 * so that within a few minutes the Temporal UI shows warnings, escalations, default outcomes, an
 * arbitration, refunds and surveys. Prints each case's UI link and the supervisors' views.
 *
 * Every call goes through the typed client with a fixed body and an Idempotency-Key carrying the demo
 * set's id (`demo-<set>-<n>`), so a second run finds the same cases instead of opening new ones; the set
 * id is kept in a small state file (`--state`, default data/demo.json, one set per API URL); `--fresh`
 * opens a new set. `--scale 0.1` makes every deadline ten times shorter (the suite runs it that way).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { casesOnly, createCasesClient, ProblemError, supervisorViews, temporalUiListUrl, type paths } from '../api/client';

type Body<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { 'application/json': infer B } } } } ? B : never;
type AfterSaleBody = Body<'/v1/after-sales'>;
type ComplaintBody = Body<'/v1/complaints'>;

export interface DemoOptions {
  api: string;
  ui: string;
  scale: number;
  fresh: boolean;
  stateFile: string;
  namespace: string;
}

/** One case of the demo: what it is, the story it shows, and what it reaches by itself. */
export interface DemoCase {
  n: number;
  kind: 'after_sale' | 'complaint' | 'inquiry' | 'order_issue';
  id: string;
  story: string;
  url: string;
}

const USAGE = `usage: npm run demo -- [--api <url>] [--ui <url>] [--scale <factor>] [--fresh] [--state <file>]
  --api    the cs-cases API (default http://127.0.0.1:3000)
  --ui     the Temporal UI (default http://127.0.0.1:8233)
  --scale  multiplies every demo deadline (default 1: seconds to minutes; 0.1 for a quick run)
  --fresh  open a new demo set instead of reusing the last one
  --state  where the demo set id is kept (default data/demo.json)`;

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): DemoOptions {
  const options: DemoOptions = {
    api: env.DEMO_API_URL ?? 'http://127.0.0.1:3000',
    ui: env.DEMO_UI_URL ?? 'http://127.0.0.1:8233',
    scale: 1,
    fresh: false,
    stateFile: path.resolve(__dirname, '..', 'data', 'demo.json'),
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    if (name === '--api') options.api = value().replace(/\/+$/, '');
    else if (name === '--ui') options.ui = value().replace(/\/+$/, '');
    else if (name === '--scale') options.scale = Number(value());
    else if (name === '--state') options.stateFile = path.resolve(value());
    else if (name === '--fresh') options.fresh = true;
    else if (name === '--help' || name === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (!Number.isFinite(options.scale) || options.scale <= 0 || options.scale > 1000) throw new Error(`--scale must be a positive number\n${USAGE}`);
  return options;
}

interface DemoSet {
  set: string;
  /** When the set was opened: the fixed instant its bodies' dates derive from. */
  openedAt: string;
}

/** The set to use for this API: the last one (kept per API URL), or a new one with --fresh or none kept. */
async function demoSet(options: DemoOptions): Promise<{ set: DemoSet; reused: boolean }> {
  let stored: Record<string, DemoSet> = {};
  try {
    stored = JSON.parse(await fs.readFile(options.stateFile, 'utf8')) as Record<string, DemoSet>;
  } catch {
    // No state yet (or unreadable): a new set.
  }
  const existing = stored[options.api];
  if (existing && !options.fresh) return { set: existing, reused: true };
  const set: DemoSet = { set: randomBytes(3).toString('hex'), openedAt: new Date().toISOString() };
  stored[options.api] = set;
  await fs.mkdir(path.dirname(options.stateFile), { recursive: true });
  await fs.writeFile(options.stateFile, `${JSON.stringify(stored, null, 2)}\n`);
  return { set, reused: false };
}

const cny = (amount: number) => ({ amount, currency: 'CNY' });

/** The demo policy: cn-marketplace with the deadlines the demo lets pass shortened to `scale` × seconds. */
export function demoPolicy(scale: number) {
  const s = (seconds: number) => ({ amount: Math.max(1, Math.round(seconds * scale)), unit: 'seconds' as const });
  return {
    name: 'Demo (deadlines of seconds to minutes)',
    description: 'Opened by npm run demo: cn-marketplace with short clocks, so silence and escalation show within minutes.',
    extends: 'cn-marketplace',
    afterSale: { deadlines: { merchantResponse: s(40), buyerReturnShipment: s(60), escalationWindow: s(600), disputeAnswer: s(600), rulingExecution: s(40) } },
    complaint: { deadlines: { firstResponse: s(50), resolution: s(900), customerDecision: s(40) } },
    inquiry: { deadlines: { firstResponse: s(50), followUp: s(30) }, followUps: 1 },
    orderIssue: { deadlines: { trackingWait: s(600), carrierResponse: s(600), customerChoice: s(40) } },
    survey: { deadlines: { delay: s(20), reminder: s(300), expiry: s(900) } },
  };
}

/** Sends a step of a case's story; a 409 means the case has moved past it (a later run): skipped. */
async function step(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (err instanceof ProblemError && err.status === 409) return;
    throw err;
  }
}

export async function runDemo(options: DemoOptions, print: (line: string) => void = console.log): Promise<DemoCase[]> {
  const { set, reused } = await demoSet(options);
  const as = (apiKey: string) => createCasesClient({ baseUrl: options.api, apiKey });
  const admin = as('dev-admin');
  const channel = as('dev-channel');
  const merchant = as('dev-merchant-a');
  const agent = as('dev-agent');
  const arbiter = as('dev-arbiter');
  const key = (n: number | string, ...rest: string[]) => ({ 'idempotency-key': ['demo', set.set, String(n), ...rest].join('-') });
  const policyId = `demo-${set.set}`;
  // The same content publishes nothing new; another --scale publishes a new version (cases keep theirs).
  await admin.PUT('/v1/policies/{id}', { params: { path: { id: policyId } }, body: demoPolicy(options.scale), headers: key('policy', `x${options.scale}`) });

  const deliveredAt = new Date(Date.parse(set.openedAt) - 2 * 86_400_000).toISOString();
  const orderOf = (n: number) => `order-demo-${set.set}-${n}`;
  const customerRef = (n: number) => `cust-demo-${n}`;
  const goods = (sku: string, price: number) => ({ items: [{ sku, quantity: 1, unitPrice: cny(price) }], paidTotal: cny(price + 1_000), shippingFee: cny(1_000) });
  const cases: DemoCase[] = [];
  const add = (n: number, kind: DemoCase['kind'], id: string, story: string) => {
    cases.push({ n, kind, id, story, url: `${options.ui}/namespaces/${encodeURIComponent(options.namespace)}/workflows/${encodeURIComponent(id)}` });
  };
  const common = (n: number) => ({ merchantId: 'm-a', orderId: orderOf(n), customerRef: customerRef(n), policyId });
  const afterSale = (n: number, body: AfterSaleBody) => channel.POST('/v1/after-sales', { body, headers: key(n) });

  // 1. Merchant silent → approved by the system → refunded (the sandbox gateway) → surveyed.
  const refundOnly = await afterSale(1, { ...common(1), type: 'refund_only', reason: 'quality', items: [{ sku: 'lamp-1', quantity: 1, unitPrice: cny(6_900) }], order: { paidTotal: cny(6_900), shippingFee: cny(0) } });
  add(1, 'after_sale', refundOnly.id, 'refund only, merchant silent → approved by the system → refunded → survey sent');

  // 2. Merchant silent → approved; the buyer never ships back → closed expired.
  const returnExpires = await afterSale(2, { ...common(2), type: 'return_and_refund', reason: 'quality', items: [{ sku: 'shoe-42', quantity: 1, unitPrice: cny(19_900) }], order: { paidTotal: cny(20_900), shippingFee: cny(1_000), deliveredAt } });
  add(2, 'after_sale', returnExpires.id, 'return, merchant silent → approved; buyer never ships back → closed expired');

  // 3. Rejected, the buyer calls in the platform, the arbiter rules a full refund, the merchant stays silent
  //    → the platform executes the ruling → refunded.
  const disputed = await afterSale(3, { ...common(3), type: 'return_and_refund', reason: 'not_as_described', items: [{ sku: 'coat-7', quantity: 1, unitPrice: cny(39_900) }], order: { paidTotal: cny(40_900), shippingFee: cny(1_000), deliveredAt } });
  const path3 = { params: { path: { id: disputed.id } } };
  await step(() => merchant.POST('/v1/after-sales/{id}/actions/reject', { ...path3, body: { reason: 'signs of wear', actorRef: 'staff-demo' }, headers: key(3, 'reject') }));
  await step(() => channel.POST('/v1/after-sales/{id}/actions/escalate', { ...path3, body: { reason: 'it came with a tear' }, headers: key(3, 'escalate') }));
  await step(() => arbiter.POST('/v1/after-sales/{id}/actions/rule', { ...path3, body: { decision: 'refund_full', actorRef: 'arb-demo' }, headers: key(3, 'rule') }));
  add(3, 'after_sale', disputed.id, 'rejected → arbitration → ruled refund_full; merchant silent → platform executes → refunded');

  // 4. A P1 complaint nobody answers: warned at 80%, then L1 → L2 → L3 → L4 breach by breach.
  const complaintBody = (n: number, extra: Pick<ComplaintBody, 'severity' | 'urgency'>): ComplaintBody => ({
    merchantId: 'm-a', customerRef: customerRef(n), channel: 'chat', category: 'product_quality', customerTier: 'regular',
    summary: 'the kettle leaks from the base', orderId: orderOf(n), order: goods('kettle-1', 15_900), policyId, ...extra,
  });
  const unanswered = await channel.POST('/v1/complaints', { body: complaintBody(4, { severity: 'high', urgency: 'high' }), headers: key(4) });
  add(4, 'complaint', unanswered.id, 'P1 complaint nobody answers → warned, escalated L1 → L2 → L3 → L4');

  // 5. A complaint answered with a refund the customer does not answer: accepted by silence → the linked
  //    refund → resolved, confirmed by silence → closed → survey sent.
  const proposed = await channel.POST('/v1/complaints', { body: complaintBody(5, { severity: 'medium', urgency: 'normal' }), headers: key(5) });
  const path5 = { params: { path: { id: proposed.id } } };
  await step(() => agent.POST('/v1/complaints/{id}/actions/acknowledge', { ...path5, body: { actorRef: 'agent-demo' }, headers: key(5, 'ack') }));
  await step(() => agent.POST('/v1/complaints/{id}/actions/propose-solution', { ...path5, body: { solution: { kind: 'refund', amount: cny(5_000) }, actorRef: 'agent-demo' }, headers: key(5, 'solution') }));
  add(5, 'complaint', proposed.id, 'complaint, refund proposed; customer silent → accepted → refunded → closed → survey sent');

  // 6. An inquiry nobody answers: warned, then a team lead (L2) owns it, and each breach moves it up a tier.
  const inquiryBody = (n: number, topic: string) => ({ merchantId: 'm-a', customerRef: customerRef(n), channel: 'chat' as const, topic, policyId });
  const ignored = await channel.POST('/v1/inquiries', { body: inquiryBody(6, 'sizing'), headers: key(6) });
  add(6, 'inquiry', ignored.id, 'inquiry nobody answers → warned, escalated to a team lead (L2), then higher');

  // 7. An inquiry answered, the customer goes quiet: a follow-up, then closed no_response by itself.
  const quiet = await channel.POST('/v1/inquiries', { body: inquiryBody(7, 'delivery_time'), headers: key(7) });
  await step(() => agent.POST('/v1/inquiries/{id}/actions/reply', { params: { path: { id: quiet.id } }, body: { actorRef: 'agent-demo' }, headers: key(7, 'reply') }));
  add(7, 'inquiry', quiet.id, 'inquiry answered, customer quiet → follow-up → closed no_response');

  // 8. Out of stock, the customer never chooses → cancelled with a full refund (a linked after-sale).
  const shortage = await channel.POST('/v1/order-issues', {
    body: { merchantId: 'm-a', orderId: orderOf(8), customerRef: customerRef(8), type: 'stock_shortage', order: goods('lamp-2', 12_900), policyId }, headers: key(8),
  });
  add(8, 'order_issue', shortage.id, 'stock shortage, customer never chooses → cancelled with a full refund');

  print(`Demo set ${set.set} (${reused ? 'reused: the same cases as before' : 'new'}), policy ${policyId}, deadlines ×${options.scale}, API ${options.api}`);
  print('');
  print('Cases (open each in the Temporal UI; within a few minutes their deadlines pass):');
  const width = Math.max(...cases.map((c) => c.story.length));
  for (const c of cases) print(`  ${c.n}. ${c.story.padEnd(width)}  ${c.url}`);
  print('');
  print('Supervisor views (cases only; bookmark the link, or paste the query into the UI\'s query box):');
  const setQuery = casesOnly(`PolicyId = '${policyId}'`);
  const views = [
    { title: `This demo set's cases`, query: setQuery, url: temporalUiListUrl(options.ui, options.namespace, setQuery) },
    ...supervisorViews({ uiUrl: options.ui, namespace: options.namespace }),
  ];
  const titleWidth = Math.max(...views.map((v) => v.title.length));
  for (const view of views) {
    print(`  ${view.title.padEnd(titleWidth)}  ${view.url}`);
    print(`  ${''.padEnd(titleWidth)}  ${view.query}`);
  }
  print('');
  print(`Run it again to find the same cases; npm run demo -- --fresh opens a new set.`);
  return cases;
}

if (require.main === module) {
  let options: DemoOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  runDemo(options).catch((err) => {
    const detail = err instanceof ProblemError ? `${err.status} ${err.title}: ${err.detail}` : (err as Error).message;
    console.error(`[demo] failed: ${detail}`);
    console.error(`[demo] is cs-cases running at ${options.api}? (npm start)`);
    process.exit(1);
  });
}

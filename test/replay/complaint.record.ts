/**
 * Complaint and satisfaction-survey scenarios recorded as replay histories: the main path (refund through a
 * linked after-sale, confirmed, reopen window passes), the timeout path (a P1 first response breached tier by
 * tier to L4, then closed by a supervisor), four-eyes approval, and the survey workflow answered and silent.
 * Record only this file: HISTORIES_LABEL=<label> npx vitest run --config vitest.record.mts test/replay/complaint.record.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../support/case-system';
import { eventually, apiClient, type ApiClient } from '../support/http';
import { act, cny, complaintBody, createComplaint, publishComplaintPolicy, waitForComplaint } from '../integration/complaint/fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'record-complaint' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

const LABEL = process.env.HISTORIES_LABEL ?? new Date().toISOString().slice(0, 10);

/** Waits for the workflow to finish, then writes its history as `<name>@<label>.json`. */
async function save(name: string, workflowId: string): Promise<void> {
  const handle = system.client.workflow.getHandle(workflowId);
  await handle.result();
  const history = JSON.parse(historyToJSON(await handle.fetchHistory()));
  writeFileSync(path.resolve(__dirname, '..', 'histories', `${name}@${LABEL}.json`), `${JSON.stringify({ workflowId, history }, null, 1)}\n`);
}

/** Every clock short enough that the complaint (reopen window) and its survey finish within the run. */
const quick = { customerDecision: 3600, reopenWindow: 2 };
const quickSurvey = { delay: 1, reminder: 2, expiry: 4 };

const surveySent = (caseId: string) => eventually(async () => {
  if (system.adapters.notifications.sent(caseId, 'survey.sent').length !== 1) throw new Error('survey not sent yet');
}, { timeoutMs: 30_000 });

describe('complaint', () => {
  it('main path: refund through a linked after-sale, confirmed, reopen window passes; survey answered', async () => {
    const policyId = await publishComplaintPolicy(api, { deadlines: quick, survey: { delay: 1, reminder: 600, expiry: 3600 } });
    const c = await createComplaint(api, complaintBody({ policyId }));
    await act(api, c.id, 'acknowledge', 'dev-agent', { actorRef: 'agent-1' });
    await act(api, c.id, 'propose-solution', 'dev-agent', { actorRef: 'agent-1', solution: { kind: 'refund', amount: cny(8_000) } });
    await act(api, c.id, 'accept-solution', 'dev-channel');
    const resolved = await waitForComplaint(api, c.id, (v) => v.status === 'resolved', 60_000);
    await act(api, c.id, 'accept-solution', 'dev-channel');
    await surveySent(c.id);
    const answer = await api.post('/v1/callbacks/satisfaction', { caseId: c.id, score: 4, requestId: 'svy-record-1' }, { key: 'dev-channel', idempotencyKey: null });
    if (answer.status !== 202) throw new Error(`survey answer: ${answer.status} ${JSON.stringify(answer.body)}`);
    await save('complaint-refund-linked-after-sale-closed', c.id);
    await save('complaint-linked-after-sale-refund', resolved.solutions[0].linkedCase.id);
    await save('survey-answered', `${c.id}:survey`);
  });

  it('timeout path: a P1 nobody answers climbs to L4, then a supervisor closes it; survey unanswered after a reminder', async () => {
    const policyId = await publishComplaintPolicy(api, {
      deadlines: quick, targets: { P1: { firstResponse: 3, resolution: 3600 } }, survey: quickSurvey, reminders: 1,
    });
    const c = await createComplaint(api, complaintBody({ policyId, severity: 'high', urgency: 'high' }));
    await waitForComplaint(api, c.id, (v) => v.escalationLevel === 4, 90_000);
    await act(api, c.id, 'close', 'dev-supervisor', { actorRef: 'lead-1', reason: 'customer unreachable' });
    await save('complaint-timeout-p1-escalated-to-l4-closed', c.id);
    await save('survey-timeout-no-response', `${c.id}:survey`);
  });

  it('four eyes: compensation above the agent limit approved by a supervisor, resolved and confirmed', async () => {
    const policyId = await publishComplaintPolicy(api, { deadlines: quick, survey: quickSurvey, reminders: 1 });
    const c = await createComplaint(api, complaintBody({ policyId }));
    await act(api, c.id, 'acknowledge', 'dev-agent', { actorRef: 'agent-1' });
    await act(api, c.id, 'propose-solution', 'dev-agent', { actorRef: 'agent-1', solution: { kind: 'compensation', amount: cny(30_000) } });
    await act(api, c.id, 'approve-solution', 'dev-supervisor', { actorRef: 'lead-1' });
    await act(api, c.id, 'accept-solution', 'dev-channel');
    await act(api, c.id, 'resolve', 'dev-agent', { actorRef: 'agent-1' });
    await act(api, c.id, 'accept-solution', 'dev-channel');
    await save('complaint-four-eyes-approved', c.id);
  });
});

/**
 * The notification port: messages to staff (an owner person or tier queue: SLA warnings, escalations,
 * assignments) and to customers (satisfaction survey and its reminder). Every notification carries an id
 * derived from its case, so a retried send delivers once.
 */
import type { Owner } from '../../workflows/domain/case';

export interface Notification {
  /** `<caseId>:notice:<n>` or `<surveyId>:sent` ...: stable across retries and restarts. */
  id: string;
  type: string;
  caseId: string;
  merchantId: string;
  /** Staff recipients: role and tier queue, or a person in it. */
  to: Owner | { customerRef: string };
  data: Record<string, unknown>;
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
}

/** Sandbox notifier: keeps what was sent (deduplicated by id) for tests and the embedded default. */
export class SandboxNotifier implements Notifier {
  private readonly byId = new Map<string, Notification>();

  async send(notification: Notification): Promise<void> {
    if (!this.byId.has(notification.id)) this.byId.set(notification.id, notification);
  }

  sent(caseId?: string, type?: string): Notification[] {
    return [...this.byId.values()].filter((n) => (caseId === undefined || n.caseId === caseId) && (type === undefined || n.type === type));
  }
}

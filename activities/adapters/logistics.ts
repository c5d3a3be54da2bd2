/**
 * The logistics port (物流): what tracking says about a parcel, and inquiries or claims opened with its
 * carrier. Inquiry ids come from the case, so a retried call opens one inquiry. The sandbox keeps parcels
 * and inquiries in memory for the embedded default and for tests, which steer a parcel's status.
 */
import type { ParcelStatus } from '../../workflows/domain/order-issue/types';

export interface TrackingAnswer {
  trackingNumber: string;
  status: ParcelStatus;
  lastEventAt?: number;
}

export interface CarrierInquiryRequest {
  /** `<caseId>:carrier:<n>`: the same inquiry on every retry. */
  id: string;
  caseId: string;
  merchantId: string;
  kind: 'trace' | 'expedite' | 'claim';
  trackingNumber?: string;
}

export interface LogisticsService {
  track(trackingNumber: string): Promise<TrackingAnswer>;
  openCarrierInquiry(request: CarrierInquiryRequest): Promise<{ reference: string }>;
}

export class SandboxLogistics implements LogisticsService {
  private readonly parcels = new Map<string, TrackingAnswer>();
  private readonly inquiries = new Map<string, CarrierInquiryRequest & { reference: string }>();

  /** Tests and demos decide what tracking says; a parcel nobody set shows no trace yet. */
  setParcel(trackingNumber: string, status: ParcelStatus, lastEventAt = Date.now()): void {
    this.parcels.set(trackingNumber, { trackingNumber, status, lastEventAt });
  }

  async track(trackingNumber: string): Promise<TrackingAnswer> {
    return this.parcels.get(trackingNumber) ?? { trackingNumber, status: 'no_trace' };
  }

  async openCarrierInquiry(request: CarrierInquiryRequest): Promise<{ reference: string }> {
    const existing = this.inquiries.get(request.id);
    if (existing) return { reference: existing.reference };
    const reference = `CI-${this.inquiries.size + 1}`;
    this.inquiries.set(request.id, { ...request, reference });
    return { reference };
  }

  carrierInquiries(caseId?: string): Array<CarrierInquiryRequest & { reference: string }> {
    return [...this.inquiries.values()].filter((i) => caseId === undefined || i.caseId === caseId);
  }
}

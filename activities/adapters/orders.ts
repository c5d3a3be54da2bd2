/**
 * The order port (订单系统): whether an order has shipped and how its payment stands, and the one change the
 * service side may make to it: the shipping address, before shipment only. Change ids come from the case, so
 * a retried change applies once. The sandbox keeps orders in memory; tests set an order's state.
 */
import type { PaymentStatus, ShippingAddress } from '../../workflows/domain/order-issue/types';

export interface OrderStatusAnswer {
  orderId: string;
  shipped: boolean;
  paymentStatus: PaymentStatus;
}

export interface AddressChangeRequest {
  /** `<caseId>:address:<n>`: the same change on every retry. */
  id: string;
  merchantId: string;
  orderId: string;
  address: ShippingAddress;
}

export interface OrderService {
  status(merchantId: string, orderId: string): Promise<OrderStatusAnswer>;
  /** `changed: false` with a reason (e.g. `already_shipped`) when the order system refuses. */
  changeAddress(request: AddressChangeRequest): Promise<{ changed: boolean; reason?: string }>;
}

export class SandboxOrders implements OrderService {
  private readonly orders = new Map<string, OrderStatusAnswer>();
  private readonly changes = new Map<string, AddressChangeRequest>();

  /** An order nobody set is paid and not yet shipped. */
  setOrder(orderId: string, state: Partial<Omit<OrderStatusAnswer, 'orderId'>>): void {
    this.orders.set(orderId, { ...this.current(orderId), ...state });
  }

  private current(orderId: string): OrderStatusAnswer {
    return this.orders.get(orderId) ?? { orderId, shipped: false, paymentStatus: 'paid' };
  }

  async status(_merchantId: string, orderId: string): Promise<OrderStatusAnswer> {
    return this.current(orderId);
  }

  async changeAddress(request: AddressChangeRequest): Promise<{ changed: boolean; reason?: string }> {
    if (this.changes.has(request.id)) return { changed: true };
    // Shipped between the check and the change: the order system has the last word.
    if (this.current(request.orderId).shipped) return { changed: false, reason: 'already_shipped' };
    this.changes.set(request.id, request);
    return { changed: true };
  }

  addressChanges(orderId?: string): AddressChangeRequest[] {
    return [...this.changes.values()].filter((c) => orderId === undefined || c.orderId === orderId);
  }
}

/** Activities over the logistics and order ports: each call carries an id derived from the case. */
import type { CarrierInquiryRequest, LogisticsService } from './adapters/logistics';
import type { AddressChangeRequest, OrderService } from './adapters/orders';

export function createOrderSystemActivities(logistics: LogisticsService, orders: OrderService) {
  return {
    trackParcel: (trackingNumber: string) => logistics.track(trackingNumber),
    openCarrierInquiry: (request: CarrierInquiryRequest) => logistics.openCarrierInquiry(request),
    orderStatus: (request: { merchantId: string; orderId: string }) => orders.status(request.merchantId, request.orderId),
    changeShippingAddress: (request: AddressChangeRequest) => orders.changeAddress(request),
  };
}

/** Every workflow the plugin registers. The worker bundles this file. */
export { afterSale } from './after-sale';
export { documentRegistry } from './document-registry';
export { policyRegistry } from './policy-registry';
export { complaint } from './complaint';
export { satisfactionSurvey } from './survey';
export { inquiry } from './inquiry';
export { orderIssue } from './order-issue';
export { webhookDelivery } from './webhook-delivery';

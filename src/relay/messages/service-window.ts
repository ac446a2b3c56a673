// Which inbound messages open or refresh the 24-hour customer-service window (cloud-api.md 5.1):
// every message from the customer, reactions and interactive replies included. System notices
// (a number or identity change) are written by WhatsApp, not by the customer, so they do not.
export function opensServiceWindow(messageType: string): boolean {
  return messageType !== 'system';
}

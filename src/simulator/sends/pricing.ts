// How Meta prices a delivered message since July 2025 (cloud-api.md §5.2): free-form replies are
// free customer service; templates are charged by category, except utility templates inside an
// open customer-service window. The status webhooks of a send carry this pricing.
export interface SendPricing {
  category: string;
  type: 'regular' | 'free_customer_service';
}

/** `templateCategory`: MARKETING, UTILITY, AUTHENTICATION (as listed), or null for a free-form message. */
export function pricingOf(templateCategory: string | null, windowOpen: boolean): SendPricing {
  if (templateCategory === null) return { category: 'service', type: 'free_customer_service' };
  const category = templateCategory.toLowerCase();
  if (category === 'utility' && windowOpen) return { category, type: 'free_customer_service' };
  return { category, type: 'regular' };
}

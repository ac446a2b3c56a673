// WhatsApp's own error codes with the titles and details Meta writes for them (Meta's error-codes
// page, as mirrored by pywa and YCloud; cloud-api.md §3.9). Used for send answers, fault answers and
// `failed` status webhooks, so tests meet the same text a relay meets in production. Titles are what
// Meta puts in `title` and after "(#code) " in `message`; details go to `error_data.details`.

export interface WhatsAppErrorInfo {
  title: string;
  details: string;
  /** The HTTP status Meta answers a send with; 400 unless said otherwise. */
  httpStatus: number;
}

const CATALOG: Record<number, { title: string; details?: string; httpStatus?: number }> = {
  0: { title: 'AuthException', details: 'We were unable to authenticate the app user.', httpStatus: 401 },
  4: { title: 'Application request limit reached' },
  190: { title: 'Access token has expired', httpStatus: 401 },
  368: { title: 'Temporarily blocked for policies violations' },
  80007: { title: 'Rate limit issues', details: 'The WhatsApp Business Account has reached its rate limit.' },
  100: { title: 'Invalid parameter' },
  130429: {
    title: 'Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
    httpStatus: 429,
  },
  130472: {
    title: "User's number is part of an experiment",
    details: "Failed to send message because this user's phone number is part of an experiment",
  },
  131000: { title: 'Something went wrong', details: 'Message failed to send due to an unknown error.' },
  131005: { title: 'Access denied', details: 'Permission is either not granted or has been removed.' },
  131008: { title: 'Required parameter is missing' },
  131009: { title: 'Parameter value is not valid' },
  131016: { title: 'Service unavailable', details: 'A service is temporarily unavailable.', httpStatus: 503 },
  131021: { title: 'Recipient cannot be sender', details: 'Sender and recipient phone number is the same.' },
  131026: {
    title: 'Message undeliverable',
    details:
      'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone ' +
      'number; the recipient has not accepted our new Terms of Service and Privacy Policy; the recipient is ' +
      'using an old WhatsApp version.',
  },
  131030: {
    title: 'Recipient phone number not in allowed list',
    details: 'Add recipient phone number to recipient list and try again.',
  },
  131031: {
    title: 'Business Account locked',
    details: 'The business account has been locked for violating a policy, or its PIN could not be verified.',
  },
  131042: {
    title: 'Business eligibility payment issue',
    details: 'Message failed to send because there were one or more errors related to your payment method.',
  },
  131047: {
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131048: {
    title: 'Spam rate limit hit',
    details:
      'Message failed to send because there are restrictions on how many messages can be sent from this phone ' +
      'number. This may be because too many previous messages were blocked or flagged as spam.',
  },
  131049: {
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
  131050: {
    title:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
  },
  131051: { title: 'Unsupported message type', details: 'Message type is not currently supported.' },
  131052: { title: 'Media download error', details: 'Unable to download the media sent by the user.' },
  131053: { title: 'Media upload error', details: 'Unable to upload the media used in the message.' },
  131056: {
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same ' +
      'phone number in a short period of time.',
  },
  131057: { title: 'Account in maintenance mode', details: 'Business Account is in maintenance mode.' },
  132000: { title: 'Number of parameters does not match the expected number of params' },
  132001: { title: 'Template name does not exist in the translation' },
  132005: { title: 'Translated text too long' },
  132007: { title: 'Template Format Character Policy Violated' },
  132012: { title: 'Parameter format does not match format in the created template' },
  132015: {
    title: 'Template is Paused',
    details: 'Template is paused due to low quality so it cannot be sent in a template message.',
  },
  132016: {
    title: 'Template is Disabled',
    details: 'Template has been paused too many times due to low quality and is now permanently disabled.',
  },
  132018: { title: 'There’s an issue with the parameters in your template.' },
  133010: {
    title: 'Phone number Not Registered',
    details: 'Phone number not registered on the Whatsapp Business Platform.',
  },
};

/** Meta's title, details and HTTP status for `code`; unknown codes get a generic title. */
export function whatsAppErrorInfo(code: number): WhatsAppErrorInfo {
  const entry = CATALOG[code];
  const title = entry?.title ?? 'Something went wrong';
  return { title, details: entry?.details ?? title, httpStatus: entry?.httpStatus ?? 400 };
}

/** Graph-level codes (token, app limits, parameters): their error bodies carry no WhatsApp error_data. */
export function isGraphLevelCode(code: number): boolean {
  return code < 1000;
}

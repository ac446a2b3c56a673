// The relay is configured by its HTTP address; the sync stream is the same host over WebSocket.
import { SYNC_PATH } from '../../shared/protocol.ts';
import { CodedError } from '../../shared/result.ts';

export function syncUrl(relayUrl: string): string {
  let url: URL;
  try {
    url = new URL(relayUrl);
  } catch {
    throw new CodedError('INVALID_RELAY_URL', `The relay address ${JSON.stringify(relayUrl)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CodedError(
      'INVALID_RELAY_URL',
      `The relay address must start with http:// or https:// (got ${url.protocol})`,
    );
  }
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${SYNC_PATH}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

// What a command needs from the relay: its store, the Graph API, its clock and its log, the agents
// (assignment targets) and the team's own tables (notes, quick replies).
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { AgentStore } from '../agents/agent-store.ts';
import type { GraphClient } from '../graph/graph-client.ts';
import type { OutboundDispatcher } from '../outbound/dispatcher.ts';
import type { RelayStore } from '../store/relay-store.ts';
import type { TemplateSync } from '../templates/template-sync.ts';
import type { NoteStore } from '../team/note-store.ts';
import type { QuickReplyStore } from '../team/quick-reply-store.ts';
import type { UploadStore } from '../uploads/upload-table.ts';

export interface CommandContext {
  store: RelayStore;
  graph: GraphClient;
  clock: Clock;
  logger: Logger;
  agents: AgentStore;
  notes: NoteStore;
  quickReplies: QuickReplyStore;
  /** Files agents uploaded to send (POST /v1/uploads). */
  uploads: UploadStore;
  /** Where message-creating commands queue their Graph send (inside their transaction). */
  outbound: OutboundDispatcher;
  /** Meta's template list, read on demand (sync_templates). */
  templates: TemplateSync;
}

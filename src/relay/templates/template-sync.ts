// Keeps the relay's templates in step with Meta's list: once at start (in the background: a Graph
// outage must not keep the relay from taking webhooks), every few hours, on the sync_templates
// command, and soon after a webhook names an approved template whose content the relay has never
// seen. Each sync reads every page, then applies the whole list in one transaction.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import { templateKey } from '../../shared/domain.ts';
import { relayEventSchema } from '../../shared/protocol.ts';
import { CodedError, toErrorInfo } from '../../shared/result.ts';
import { applyTemplateListing, type ListingOutcome } from '../catalog/templates.ts';
import type { RelayStore } from '../store/relay-store.ts';
import type { TemplateListing, TemplateSource } from './template-source.ts';

export interface TemplateSyncReport {
  /** Templates in Meta's list (readable ones). */
  listed: number;
  /** Templates whose stored state changed (one event each), delisted ones included. */
  changed: number;
  /** Templates marked deleted because Meta no longer lists them. */
  delisted: number;
  /** List entries the relay could not read (logged, left as they were). */
  unreadable: number;
  pages: number;
}

export interface TemplateSync {
  /**
   * Reads Meta's whole list now and applies it. A call while a sync is under way waits for it and
   * runs one more (which every caller meanwhile shares), so the answer reflects Meta after the call.
   * Rejects with TEMPLATE_SYNC_FAILED (nothing applied) when Meta cannot be read.
   */
  syncNow(why: string): Promise<TemplateSyncReport>;
  /** The first sync (in the background), the periodic ones, and the webhook-triggered ones. */
  start(): void;
  /** Stops the timer and the trigger, cancels a sync under way and waits for it to end. */
  stop(): Promise<void>;
}

export interface TemplateSyncDeps {
  store: RelayStore;
  source: TemplateSource;
  clock: Clock;
  logger: Logger;
  /** Time between periodic syncs (default 6 h). */
  intervalMs?: number;
}

export const DEFAULT_TEMPLATE_SYNC_INTERVAL_MS = 6 * 60 * 60 * 1000;

export function createTemplateSync(deps: TemplateSyncDeps): TemplateSync {
  const { store, source, clock, logger } = deps;
  const intervalMs = deps.intervalMs ?? DEFAULT_TEMPLATE_SYNC_INTERVAL_MS;
  const stopping = new AbortController();
  let running: Promise<TemplateSyncReport> | null = null;
  let queued: Promise<TemplateSyncReport> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;
  // Set while a sync applies its list, so its own events do not trigger another sync.
  let applying = false;

  function apply(listing: TemplateListing, at: number): ListingOutcome {
    applying = true;
    try {
      return store.transaction(() =>
        applyTemplateListing(
          store,
          {
            templates: listing.templates,
            alsoListed: listing.unreadable.flatMap((entry) =>
              entry.key === null ? [] : [templateKey(entry.key.name, entry.key.language)],
            ),
            // An entry without even a name might be any template: delist nothing this time.
            complete: listing.unreadable.every((entry) => entry.key !== null),
          },
          at,
        ),
      );
    } finally {
      applying = false;
    }
  }

  async function run(why: string): Promise<TemplateSyncReport> {
    const at = clock.now();
    const listing = await source.listAll(stopping.signal);
    for (const entry of listing.unreadable) {
      logger.warn(
        {
          template: entry.key === null ? null : templateKey(entry.key.name, entry.key.language),
          problem: entry.problem,
        },
        'a template in Meta’s list could not be read; left as it was',
      );
    }
    const outcome = apply(listing, at);
    const report: TemplateSyncReport = {
      listed: listing.templates.length,
      changed: outcome.changed,
      delisted: outcome.delisted,
      unreadable: listing.unreadable.length,
      pages: listing.pages,
    };
    logger.info({ why, ...report }, 'templates synced from Meta');
    return report;
  }

  function syncNow(why: string): Promise<TemplateSyncReport> {
    if (stopping.signal.aborted)
      return Promise.reject(new CodedError('TEMPLATE_SYNC_FAILED', 'The relay is stopping.'));
    if (running === null) {
      running = run(why).finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return syncNow(why);
      });
    return queued;
  }

  /** A sync nobody waits for: its failure is logged (the next one will try again). */
  function syncInBackground(why: string): void {
    syncNow(why).catch((error: unknown) => {
      if (stopping.signal.aborted) return;
      const { code, message } = toErrorInfo(error);
      logger.warn({ why, code, reason: message }, 'template sync failed; templates stay as they were');
    });
  }

  function schedule(): void {
    timer = setTimeout(() => {
      syncInBackground('periodic');
      schedule();
    }, intervalMs);
    timer.unref();
  }

  /** An approved template the relay knows only from a webhook cannot be sent until its content is read. */
  function watchTemplateWebhooks(): () => void {
    return store.onEvents((events) => {
      if (applying) return;
      const unknownContent = events.some((stored) => {
        if (stored.type !== 'template.upserted') return false;
        const parsed = relayEventSchema.safeParse(JSON.parse(stored.json));
        return (
          parsed.success &&
          parsed.data.type === 'template.upserted' &&
          parsed.data.template.status.toUpperCase() === 'APPROVED' &&
          parsed.data.template.components.length === 0
        );
      });
      if (unknownContent) syncInBackground('an approved template whose content is not known yet');
    });
  }

  return {
    syncNow,
    start() {
      unsubscribe = watchTemplateWebhooks();
      syncInBackground('relay start');
      schedule();
    },
    async stop() {
      stopping.abort();
      if (timer !== null) clearTimeout(timer);
      unsubscribe?.();
      await Promise.allSettled([running, queued]);
    },
  };
}

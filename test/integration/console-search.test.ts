// Searching the console cache (real SQLite files): accents and case folded, the last word a prefix,
// matched words highlighted, newest first, hostile input harmless, and the index kept right through
// upserts, late conversations, renames, rebuilds and schema upgrades.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/api/dispatch.ts';
import { CacheRepository } from '../../src/main/cache/cache-repository.ts';
import { migrate } from '../../src/main/cache/migrate.ts';
import { initialSchema } from '../../src/main/cache/migrations/001-initial.ts';
import { inboundSchema } from '../../src/main/cache/migrations/002-inbound.ts';
import { openCacheDatabase } from '../../src/main/cache/open-cache.ts';
import { MessageSearch, toMatchExpression } from '../../src/main/cache/search.ts';
import { openConsoleCore } from '../../src/main/core/console-core.ts';
import { Rebuild } from '../../src/main/sync/rebuild.ts';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../src/shared/console-api.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import {
  conversationFixture,
  inboundFixture,
  outboundFixture,
  snapshotFrame,
  T0,
} from '../helpers/console-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'ventana-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

interface SearchCache {
  db: Database.Database;
  repo: CacheRepository;
  path: string;
  find: (query: string, options?: { limit?: number; conversationId?: string }) => string[];
  search: MessageSearch;
}

function freshCache(): SearchCache {
  const path = join(dir, `cache-${++files}.sqlite`);
  const db = openCacheDatabase(path);
  const search = new MessageSearch(db);
  const find = (query: string, options: { limit?: number; conversationId?: string } = {}) =>
    search
      .search({ query, limit: options.limit ?? 50, conversationId: options.conversationId })
      .map((hit) => hit.messageId);
  return { db, repo: new CacheRepository(db), path, find, search };
}

/** FTS5's own check that the index holds exactly what the messages and names say. */
function expectIndexInStep(db: Database.Database): void {
  expect(() =>
    db.exec(`INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 1)`),
  ).not.toThrow();
}

const rosa = conversationFixture('593991110001', {
  customer: { key: '593991110001', waId: '593991110001', userId: null, name: 'Rosa Peñafiel' },
});
const jorge = conversationFixture('593991110002', {
  customer: { key: '593991110002', waId: '593991110002', userId: null, name: 'Jorge Núñez' },
});

function seeded(): SearchCache {
  const cache = freshCache();
  const { repo } = cache;
  repo.transaction(() => {
    repo.upsertConversation(rosa);
    repo.upsertConversation(jorge);
    repo.upsertMessage(
      inboundFixture('593991110001', 'r1', { text: 'Quiero la Canción de cuna', timestamp: T0 }),
    );
    repo.upsertMessage(
      inboundFixture('593991110001', 'r2', { text: '¿Tienen envíos a Quito?', timestamp: T0 + 1000 }),
    );
    repo.upsertMessage(
      outboundFixture('593991110001', 'r3', { text: 'Sí, enviamos mañana', timestamp: T0 + 2000 }),
    );
    repo.upsertMessage(
      inboundFixture('593991110002', 'j1', { text: 'ENVÍO urgente por favor', timestamp: T0 + 3000 }),
    );
    repo.upsertMessage(
      inboundFixture('593991110002', 'j2', { type: 'image', text: null, timestamp: T0 + 4000 }),
    );
  });
  return cache;
}

describe('message search', () => {
  it('folds accents and case both ways', () => {
    const { find, db } = seeded();
    expect(find('cancion')).toEqual(['r1']);
    expect(find('CANCIÓN')).toEqual(['r1']);
    expect(find('manana')).toEqual(['r3']);
    // A decomposed accent (o + U+0301), as some keyboards type it, is the same word.
    expect(find('Cancio\u0301n')).toEqual(['r1']);
    db.close();
  });

  it('takes the last word as a prefix, the others as whole words, all required, newest first', () => {
    const { find, db } = seeded();
    expect(find('envi')).toEqual(['j1', 'r3', 'r2']);
    expect(find('tienen envi')).toEqual(['r2']);
    expect(find('tien envios')).toEqual([]);
    expect(find('envi', { limit: 2 })).toEqual(['j1', 'r3']);
    db.close();
  });

  it('finds messages by the customer name, a message with no text included', () => {
    const { find, search, db } = seeded();
    expect(find('nunez')).toEqual(['j2', 'j1']);
    expect(find('penafiel envi')).toEqual(['r3', 'r2']);
    const [hit] = search.search({ query: 'jorge', limit: 1 });
    expect(hit).toEqual({
      messageId: 'j2',
      conversationId: jorge.id,
      customerName: 'Jorge Núñez',
      timestamp: T0 + 4000,
      snippet: `${HIGHLIGHT_START}Jorge${HIGHLIGHT_END} Núñez`,
    });
    db.close();
  });

  it('wraps each matched word of the snippet in highlight markers', () => {
    const { search, db } = seeded();
    const [hit] = search.search({ query: 'tienen envi', limit: 50 });
    expect(hit?.snippet).toBe(
      `¿${HIGHLIGHT_START}Tienen${HIGHLIGHT_END} ${HIGHLIGHT_START}envíos${HIGHLIGHT_END} a Quito?`,
    );
    expect(hit?.customerName).toBe('Rosa Peñafiel');
    db.close();
  });

  it('searches one conversation when asked', () => {
    const { find, db } = seeded();
    expect(find('envi', { conversationId: rosa.id })).toEqual(['r3', 'r2']);
    expect(find('envi', { conversationId: jorge.id })).toEqual(['j1']);
    expect(find('envi', { conversationId: 'pn:unknown' })).toEqual([]);
    db.close();
  });

  it('treats FTS syntax typed by the agent as plain characters, never as an error', () => {
    const { find, db } = seeded();
    for (const nothing of ['', '   ', '"', '*', '-', 'NEAR(', '()', '^', ':', '"*"', '¿?', 'AND', 'OR NOT']) {
      // Operator words are searched as words: nothing here contains them.
      expect(find(nothing), JSON.stringify(nothing)).toEqual([]);
    }
    expect(find('"envi')).toEqual(['j1', 'r3', 'r2']);
    expect(find('envi*')).toEqual(['j1', 'r3', 'r2']);
    expect(find('-urgente')).toEqual(['j1']);
    expect(find('NEAR(envío urgente)')).toEqual([]);
    expect(find('envío: urgente')).toEqual(['j1']);
    expect(find('text:quito')).toEqual([]);
    expectIndexInStep(db);
    db.close();
  });

  it('builds a match expression of quoted words, the last one a prefix', () => {
    expect(toMatchExpression('  Hola, "qué" tal*  ')).toBe('"Hola" "qué" "tal"*');
    expect(toMatchExpression('NEAR(')).toBe('"NEAR"*');
    expect(toMatchExpression('"-*:^()')).toBeNull();
  });

  it('follows a message whose text changes, and ignores status ticks', () => {
    const { repo, find, db } = seeded();
    repo.upsertMessage(
      outboundFixture('593991110001', 'r3', { text: 'Llega el viernes', timestamp: T0 + 2000 }),
    );
    expect(find('manana')).toEqual([]);
    expect(find('viernes')).toEqual(['r3']);
    repo.upsertMessage(
      outboundFixture('593991110001', 'r3', {
        text: 'Llega el viernes',
        timestamp: T0 + 2000,
        status: 'delivered',
      }),
    );
    expect(find('viernes')).toEqual(['r3']);
    expectIndexInStep(db);
    db.close();
  });

  it('names messages that arrived before their conversation, and follows a rename', () => {
    const { repo, find, db } = freshCache();
    const late = conversationFixture('593991110003', {
      customer: { key: '593991110003', waId: '593991110003', userId: null, name: 'Ana Cárdenas' },
    });
    repo.upsertMessage(inboundFixture('593991110003', 'a1', { text: 'Buenos días' }));
    expect(find('cardenas')).toEqual([]);
    repo.upsertConversation(late);
    expect(find('cardenas')).toEqual(['a1']);
    repo.upsertConversation({ ...late, customer: { ...late.customer, name: 'Ana María' } });
    expect(find('cardenas')).toEqual([]);
    expect(find('maria')).toEqual(['a1']);
    expectIndexInStep(db);
    db.close();
  });

  it('is right after a rebuild: the wiped mirror is forgotten, the snapshot found', () => {
    const { repo, find, db } = seeded();
    const rebuild = Rebuild.begin(repo);
    expect(find('envi')).toEqual([]);
    rebuild.applyPage(
      snapshotFrame({
        messages: [inboundFixture('593991110002', 'j1', { text: 'Ya no es urgente', timestamp: T0 + 3000 })],
      }),
    );
    rebuild.applyPage(snapshotFrame({ conversations: [jorge] }));
    rebuild.finishSnapshot(10, 1);
    expect(find('envi')).toEqual([]);
    expect(find('urgente')).toEqual(['j1']);
    expect(find('nunez')).toEqual(['j1']);
    expectIndexInStep(db);
    db.close();
  });

  it('indexes the messages of a cache written before search existed', () => {
    const path = join(dir, 'from-version-2.sqlite');
    const old = new Database(path);
    migrate(old, [initialSchema, inboundSchema]);
    const repoBefore = new CacheRepository(old);
    repoBefore.upsertConversation(rosa);
    repoBefore.upsertMessage(inboundFixture('593991110001', 'old1', { text: 'Canción vieja' }));
    old.close();

    const db = openCacheDatabase(path);
    const search = new MessageSearch(db);
    expect(search.search({ query: 'cancion', limit: 50 }).map((hit) => hit.messageId)).toEqual(['old1']);
    expect(search.search({ query: 'rosa', limit: 50 }).map((hit) => hit.messageId)).toEqual(['old1']);
    expectIndexInStep(db);
    db.close();
  });
});

describe('searchMessages through the console API', () => {
  it('answers from the cache, offline, and refuses inputs out of range', async () => {
    const cache = seeded();
    cache.db.close();
    const core = await openConsoleCore({
      cachePath: cache.path,
      relayUrl: `http://127.0.0.1:${await closedPort()}`,
      token: 'token-unused',
      clientId: 'console-search',
      demo: false,
      clock: new ManualClock(T0 + 1000),
    });
    try {
      const answer = await dispatch(core, 'searchMessages', { query: 'cancion' });
      expect(answer).toMatchObject({
        ok: true,
        value: { hits: [{ messageId: 'r1', conversationId: rosa.id }] },
      });
      const scoped = await dispatch(core, 'searchMessages', { query: 'envi', conversationId: jorge.id });
      expect(scoped).toMatchObject({ ok: true, value: { hits: [{ messageId: 'j1' }] } });
      expect(await dispatch(core, 'searchMessages', { query: '"' })).toEqual({
        ok: true,
        value: { hits: [] },
      });
      for (const bad of [
        { query: 'x', limit: 0 },
        { query: 'x', limit: 101 },
        { limit: 5 },
        { query: 'x', extra: 1 },
      ]) {
        expect(await dispatch(core, 'searchMessages', bad), JSON.stringify(bad)).toMatchObject({ ok: false });
      }
    } finally {
      await core.close();
    }
  });
});

/** A loopback port nothing listens on: the console starts offline and serves from its cache. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

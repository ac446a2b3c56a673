// The account-wide part of the mirror: message templates, business phone numbers and admin alerts.
// Each event carries the whole new state of what it names, so every write is an idempotent upsert.
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import {
  alertSchema,
  templateSchema,
  type Alert,
  type PhoneNumber,
  type Template,
} from '../../shared/domain.ts';
import { fromJsonColumn } from './json-columns.ts';

interface TemplateRow {
  key: string;
  id: string | null;
  name: string;
  language: string;
  status: string;
  category: string | null;
  quality: string | null;
  reason: string | null;
  updated_at: number;
  parameter_format: string | null;
  components_json: string;
}

interface PhoneNumberRow {
  id: string;
  display_phone_number: string | null;
  quality_event: string | null;
  messaging_limit: string | null;
  updated_at: number;
}

interface AlertRow {
  id: string;
  kind: string;
  title: string;
  details_json: string;
  at: number;
}

const alertKindColumn = alertSchema.shape.kind;
const parameterFormatColumn = templateSchema.shape.parameterFormat;
const componentsColumn = templateSchema.shape.components;
const alertDetailsColumn = z.record(z.string(), z.unknown());

export class CatalogTables {
  readonly #upsertTemplate: Statement<[TemplateRow]>;
  readonly #listTemplates: Statement<[], TemplateRow>;
  readonly #upsertPhoneNumber: Statement<[PhoneNumberRow]>;
  readonly #listPhoneNumbers: Statement<[], PhoneNumberRow>;
  readonly #upsertAlert: Statement<[AlertRow]>;
  readonly #listAlerts: Statement<[number], AlertRow>;

  constructor(db: Database) {
    this.#upsertTemplate = db.prepare(`
      INSERT INTO templates (key, id, name, language, status, category, quality, reason, updated_at,
        parameter_format, components_json)
      VALUES (@key, @id, @name, @language, @status, @category, @quality, @reason, @updated_at,
        @parameter_format, @components_json)
      ON CONFLICT (key) DO UPDATE SET
        id = excluded.id, name = excluded.name, language = excluded.language, status = excluded.status,
        category = excluded.category, quality = excluded.quality, reason = excluded.reason,
        updated_at = excluded.updated_at, parameter_format = excluded.parameter_format,
        components_json = excluded.components_json`);
    this.#listTemplates = db.prepare('SELECT * FROM templates ORDER BY name, language');
    this.#upsertPhoneNumber = db.prepare(`
      INSERT INTO phone_numbers (id, display_phone_number, quality_event, messaging_limit, updated_at)
      VALUES (@id, @display_phone_number, @quality_event, @messaging_limit, @updated_at)
      ON CONFLICT (id) DO UPDATE SET
        display_phone_number = excluded.display_phone_number, quality_event = excluded.quality_event,
        messaging_limit = excluded.messaging_limit, updated_at = excluded.updated_at`);
    this.#listPhoneNumbers = db.prepare('SELECT * FROM phone_numbers ORDER BY id');
    this.#upsertAlert = db.prepare(`
      INSERT INTO alerts (id, kind, title, details_json, at) VALUES (@id, @kind, @title, @details_json, @at)
      ON CONFLICT (id) DO UPDATE SET
        kind = excluded.kind, title = excluded.title, details_json = excluded.details_json, at = excluded.at`);
    this.#listAlerts = db.prepare('SELECT * FROM alerts ORDER BY at DESC, id LIMIT ?');
  }

  upsertTemplate(template: Template): void {
    this.#upsertTemplate.run({
      key: template.key,
      id: template.id,
      name: template.name,
      language: template.language,
      status: template.status,
      category: template.category,
      quality: template.quality,
      reason: template.reason,
      updated_at: template.updatedAt,
      parameter_format: template.parameterFormat,
      components_json: JSON.stringify(template.components),
    });
  }

  /** By name, then language. */
  listTemplates(): Template[] {
    return this.#listTemplates.all().map((row) => ({
      key: row.key,
      id: row.id,
      name: row.name,
      language: row.language,
      status: row.status,
      category: row.category,
      quality: row.quality,
      reason: row.reason,
      updatedAt: row.updated_at,
      parameterFormat: parameterFormatColumn.parse(row.parameter_format),
      components: fromJsonColumn(componentsColumn, row.components_json, 'templates.components_json') ?? [],
    }));
  }

  upsertPhoneNumber(phoneNumber: PhoneNumber): void {
    this.#upsertPhoneNumber.run({
      id: phoneNumber.id,
      display_phone_number: phoneNumber.displayPhoneNumber,
      quality_event: phoneNumber.qualityEvent,
      messaging_limit: phoneNumber.messagingLimit,
      updated_at: phoneNumber.updatedAt,
    });
  }

  listPhoneNumbers(): PhoneNumber[] {
    return this.#listPhoneNumbers.all().map((row) => ({
      id: row.id,
      displayPhoneNumber: row.display_phone_number,
      qualityEvent: row.quality_event,
      messagingLimit: row.messaging_limit,
      updatedAt: row.updated_at,
    }));
  }

  upsertAlert(alert: Alert): void {
    this.#upsertAlert.run({
      id: alert.id,
      kind: alert.kind,
      title: alert.title,
      details_json: JSON.stringify(alert.details),
      at: alert.at,
    });
  }

  /** Newest first. */
  listAlerts(limit: number): Alert[] {
    return this.#listAlerts.all(limit).map((row) => ({
      id: row.id,
      kind: alertKindColumn.parse(row.kind),
      title: row.title,
      details: fromJsonColumn(alertDetailsColumn, row.details_json, 'alerts.details_json') ?? {},
      at: row.at,
    }));
  }
}

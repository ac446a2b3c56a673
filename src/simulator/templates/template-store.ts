// The account's message templates, keyed by name and language as Meta keys them, in the order the
// listing pages through them. Tests add templates and change their status while the simulator runs.
import { randomInt } from 'node:crypto';
import { CodedError } from '../../shared/result.ts';

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';
export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type ParameterFormat = 'POSITIONAL' | 'NAMED';
/** A component as Meta lists it: HEADER, BODY, FOOTER, BUTTONS, CAROUSEL, ... with its own fields. */
export type TemplateComponentListing = { type: string } & Record<string, unknown>;

export interface StoredTemplate {
  /** Meta's template id: digits (a number in template webhooks). */
  id: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  parameterFormat: ParameterFormat;
  components: TemplateComponentListing[];
  /** Why Meta rejected it (INVALID_FORMAT, ...); null otherwise. */
  rejectedReason: string | null;
}

/** One template as GET /{waba-id}/message_templates lists it. */
export interface MetaTemplate {
  name: string;
  parameter_format: ParameterFormat;
  components: TemplateComponentListing[];
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  id: string;
  rejected_reason?: string;
}

export interface TemplatePage {
  templates: StoredTemplate[];
  /** Whether templates come before / after this page. */
  hasPrevious: boolean;
  hasNext: boolean;
}

export function toMetaTemplate(template: StoredTemplate): MetaTemplate {
  return {
    name: template.name,
    parameter_format: template.parameterFormat,
    components: structuredClone(template.components),
    language: template.language,
    status: template.status,
    category: template.category,
    id: template.id,
    ...(template.rejectedReason === null ? {} : { rejected_reason: template.rejectedReason }),
  };
}

/** Template ids stay below 2^53: webhooks carry them as JSON numbers. */
function newTemplateId(): string {
  return `1${String(randomInt(0, 1_000_000_000_000)).padStart(15, '0')}`;
}

export class TemplateStore {
  readonly #templates: StoredTemplate[];

  constructor(seed: readonly StoredTemplate[] = []) {
    this.#templates = seed.map((template) => structuredClone(template));
  }

  all(): StoredTemplate[] {
    return this.#templates.map((template) => structuredClone(template));
  }

  find(name: string, language: string): StoredTemplate | undefined {
    const found = this.#find(name, language);
    return found === undefined ? undefined : structuredClone(found);
  }

  add(template: Omit<StoredTemplate, 'id'> & { id?: string }): StoredTemplate {
    if (this.#find(template.name, template.language) !== undefined) {
      throw new CodedError(
        'SIM_TEMPLATE_EXISTS',
        `A template '${template.name}' in ${template.language} already exists; change its status instead.`,
      );
    }
    let id = template.id ?? newTemplateId();
    while (this.#templates.some((t) => t.id === id)) id = newTemplateId();
    const stored: StoredTemplate = { ...structuredClone(template), id };
    this.#templates.push(stored);
    return structuredClone(stored);
  }

  setStatus(name: string, language: string, status: TemplateStatus, reason: string | null): StoredTemplate {
    const template = this.#find(name, language);
    if (template === undefined) {
      throw new CodedError(
        'SIM_UNKNOWN_TEMPLATE',
        `No template '${name}' in ${language}; list them with GET /_sim/templates.`,
      );
    }
    template.status = status;
    template.rejectedReason = status === 'REJECTED' ? (reason ?? 'NONE') : null;
    return structuredClone(template);
  }

  /**
   * At most `limit` templates after the one with id `after` (or before the one with id `before`,
   * or from the start). Unknown ids answer undefined: the cursor is not valid.
   */
  page(options: { limit: number; after?: string; before?: string }): TemplatePage | undefined {
    const { limit } = options;
    let start = 0;
    let end = Math.min(limit, this.#templates.length);
    if (options.after !== undefined) {
      const index = this.#indexOf(options.after);
      if (index < 0) return undefined;
      start = index + 1;
      end = Math.min(start + limit, this.#templates.length);
    } else if (options.before !== undefined) {
      const index = this.#indexOf(options.before);
      if (index < 0) return undefined;
      end = index;
      start = Math.max(0, end - limit);
    }
    return {
      templates: this.#templates.slice(start, end).map((template) => structuredClone(template)),
      hasPrevious: start > 0,
      hasNext: end < this.#templates.length,
    };
  }

  #find(name: string, language: string): StoredTemplate | undefined {
    return this.#templates.find((t) => t.name === name && t.language === language);
  }

  #indexOf(id: string): number {
    return this.#templates.findIndex((t) => t.id === id);
  }
}

// The OpenAPI document as generated from the route declarations: every route with its method, the
// router's own answers, security on every authenticated route, and references that resolve.
import { describe, expect, it } from 'vitest';
import { apiRoutes, type RouteSpec } from '../../../src/relay/api/api-spec.ts';
import { buildOpenApiDocument } from '../../../src/relay/api/openapi.ts';

const document = buildOpenApiDocument();
const routes = Object.entries(apiRoutes as Record<string, RouteSpec>);
type Operation = {
  operationId: string;
  security: unknown[];
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};
const operation = (spec: RouteSpec) => document.paths[spec.path]?.[spec.method.toLowerCase()] as Operation;

/** Every `$ref` anywhere in `value`. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner),
  );
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with one operation per declared route', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const [operationId, spec] of routes)
      expect(operation(spec)?.operationId, operationId).toBe(operationId);
    const operations = Object.values(document.paths).flatMap((methods) => Object.keys(methods));
    expect(operations).toHaveLength(routes.length);
  });

  it('asks for the bearer token exactly where the router does, and lists the refusals it gives', () => {
    for (const [operationId, spec] of routes) {
      const op = operation(spec);
      const codes = Object.keys(op.responses);
      if (spec.access === 'public') {
        expect(op.security, operationId).toEqual([]);
        expect(codes, operationId).not.toContain('401');
      } else {
        expect(op.security, operationId).toEqual([{ agentToken: [] }]);
        expect(codes, operationId).toContain('401');
      }
      expect(codes.includes('403'), operationId).toBe(
        spec.access === 'supervisor' || spec.access === 'admin',
      );
      expect(codes.includes('415'), operationId).toBe(spec.body !== undefined);
      expect(op.requestBody !== undefined, operationId).toBe(spec.body !== undefined);
    }
  });

  it('names every path and query parameter the route validates', () => {
    for (const [operationId, spec] of routes) {
      const names = (where: string) =>
        operation(spec)
          .parameters.filter((p) => p.in === where)
          .map((p) => p.name);
      expect(names('path'), operationId).toEqual(Object.keys(spec.params?.shape ?? {}));
      expect(names('query'), operationId).toEqual(Object.keys(spec.query?.shape ?? {}));
      for (const p of operation(spec).parameters.filter((p) => p.in === 'path'))
        expect(p.required).toBe(true);
    }
  });

  it('has only references that resolve, and components without standalone keywords', () => {
    const components = document.components.schemas;
    for (const ref of refs(document)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(components[ref.split('/').at(-1)!], ref).toBeDefined();
    }
    for (const [id, schema] of Object.entries(components)) {
      expect(schema, id).not.toHaveProperty('$schema');
      expect(schema, id).not.toHaveProperty('$id');
    }
  });
});

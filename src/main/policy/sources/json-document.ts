// Turns policy text in JSON (the policy file, or a managed-preferences plist converted by plutil)
// into a document, or a problem naming where the text came from.
import type { PolicyDocument } from '../policy-source.ts';

export function parseJsonDocument(text: string, location: string): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { entries: {}, problems: [`${location}: is not valid JSON (${detail}); its policy is ignored`] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      entries: {},
      problems: [`${location}: must hold a JSON object of settings; its policy is ignored`],
    };
  }
  return { entries: parsed as Record<string, unknown>, problems: [] };
}

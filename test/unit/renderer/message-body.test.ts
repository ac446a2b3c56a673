// What a bubble says for messages with no text of their own.
import { describe, expect, it } from 'vitest';
import { initials } from '../../../src/renderer/format/initials.ts';
import { messageBody } from '../../../src/renderer/format/message-body.ts';
import { createI18n } from '../../../src/renderer/i18n/index.ts';

const { t } = createI18n('es');

describe('message bodies', () => {
  it('shows text as it came', () => {
    expect(messageBody({ type: 'text', text: 'Hola\n¿qué tal?' }, t)).toEqual({
      typeLabel: null,
      text: 'Hola\n¿qué tal?',
    });
  });

  it('names media and keeps their caption', () => {
    expect(messageBody({ type: 'image', text: 'la blusa' }, t)).toEqual({
      typeLabel: 'Imagen',
      text: 'la blusa',
    });
    expect(messageBody({ type: 'location', text: null }, t)).toEqual({ typeLabel: 'Ubicación', text: null });
  });

  it('names types it does not know by their own name', () => {
    expect(messageBody({ type: 'order', text: '  ' }, t)).toEqual({
      typeLabel: 'Mensaje de tipo «order»',
      text: null,
    });
  });
});

describe('avatar initials', () => {
  it('takes the first letter of the first two words', () => {
    expect(initials('María José Pérez')).toBe('MJ');
    expect(initials('  ñandú ')).toBe('Ñ');
    expect(initials('Ángel')).toBe('Á');
  });

  it('has none for numbers or missing names', () => {
    expect(initials('+34 612 34 56 78')).toBeNull();
    expect(initials(null)).toBeNull();
  });
});

// Deterministic message text for the benchmark: a seeded generator, so every run syncs, inserts and
// searches the very same words (Spanish, with diacritics, as the FTS index must fold them).

/** mulberry32: tiny, fast and good enough to pick words. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'hola',
  'buenos',
  'días',
  'gracias',
  'pedido',
  'envío',
  'factura',
  'canción',
  'dirección',
  'mañana',
  'precio',
  'pago',
  'tarjeta',
  'devolución',
  'talla',
  'camisa',
  'zapatos',
  'entrega',
  'número',
  'cuándo',
  'llega',
  'ayuda',
  'por',
  'favor',
  'quiero',
  'cambiar',
  'reserva',
  'habitación',
  'vuelo',
  'horario',
  'tienda',
  'abierta',
  'sábado',
  'domingo',
  'garantía',
  'producto',
  'código',
  'descuento',
  'oferta',
  'stock',
];

export const FIRST_NAMES = ['María', 'José', 'Lucía', 'Andrés', 'Sofía', 'Martín', 'Camila', 'Tomás'];

/** A short message of 4 to 12 words. */
export function messageText(random: () => number): string {
  const count = 4 + Math.floor(random() * 9);
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(WORDS[Math.floor(random() * WORDS.length)] ?? 'hola');
  return words.join(' ');
}

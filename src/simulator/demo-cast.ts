// Who writes to the demo business and what they say: customers of an online shop across Latin
// America and Spain (one in Brazil writes Portuguese). Their seeded history spreads over the past
// day so the demo shows every window state: open, about to close and closed.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface DemoCustomer {
  name: string;
  /** E.164 digits without '+', as Meta's wa_id. */
  waId: string;
  /** Messages already in the conversation when the demo starts; the last one was `lastMessageAgoMs` ago. */
  history: { lastMessageAgoMs: number; lines: [string, ...string[]] };
  /** What the customer writes when they come back on their own. */
  later: [string, ...string[]];
  /** Answers to the business's replies, used in order. */
  followUps: [string, ...string[]];
}

export const DEMO_CAST: readonly [DemoCustomer, ...DemoCustomer[]] = [
  {
    name: 'María Fernanda de los Ángeles Gutiérrez Villalobos',
    waId: '525587654321',
    history: {
      lastMessageAgoMs: 4 * MINUTE,
      lines: [
        'Hola, buenas tardes 👋',
        'Quisiera saber si todavía tienen la blusa bordada de Oaxaca en talla M',
        'Es para un regalo de cumpleaños 🎁',
      ],
    },
    later: ['¿Siguen ahí? 😊', 'Otra pregunta: ¿hacen envoltura para regalo?'],
    followUps: [
      '¡Muchas gracias!',
      '¿Y cuánto tarda el envío a Puebla?',
      'Perfecto, ¿puedo pagar con transferencia?',
      'Va, gracias por la ayuda 🙌',
    ],
  },
  {
    name: 'Javier Ortega Ruiz',
    waId: '34612345678',
    history: {
      lastMessageAgoMs: 23 * HOUR + 40 * MINUTE,
      lines: [
        'Buenas, hice un pedido ayer por la web y no me ha llegado el correo de confirmación',
        'El número de pedido es el 10482',
      ],
    },
    later: ['¿Me podéis decir algo del pedido 10482?'],
    followUps: ['Vale, gracias', '¿Y sabéis cuándo sale del almacén?', 'Genial, quedo atento'],
  },
  {
    name: 'Lucía Benítez',
    waId: '5491123456789',
    history: {
      lastMessageAgoMs: 30 * HOUR,
      lines: ['Hola! Tienen local en Buenos Aires o solo venden online?'],
    },
    later: ['Hola de nuevo, ¿hacen envíos a Córdoba?'],
    followUps: ['Dale, gracias!', '¿Y cuánto sale el envío?', 'Buenísimo 🙌'],
  },
  {
    name: 'Andrés Felipe Cárdenas Restrepo',
    waId: '573105550123',
    history: {
      lastMessageAgoMs: 18 * MINUTE,
      lines: [
        'Buenos días, necesito cambiar la dirección de entrega del pedido #4821',
        'La nueva es Carrera 43A #1-50, Medellín',
      ],
    },
    later: ['¿Pudieron cambiar la dirección?'],
    followUps: ['Listo, muchas gracias', '¿Me confirman cuándo llega?', 'Perfecto, quedo pendiente'],
  },
  {
    name: 'João Pedro Almeida',
    waId: '5511987654321',
    history: {
      lastMessageAgoMs: 55 * MINUTE,
      lines: ['Olá! Vocês entregam no Brasil?', 'Moro em São Paulo'],
    },
    later: ['Alguma novidade sobre a entrega?'],
    followUps: ['Muito obrigado!', 'E quanto custa o frete?', 'Beleza, vou fazer o pedido então 👍'],
  },
  {
    name: 'Valentina Rojas Mendoza',
    waId: '523312345678',
    history: {
      lastMessageAgoMs: 2 * HOUR + 30 * MINUTE,
      lines: ['¿Aceptan pagos con tarjeta a meses sin intereses?'],
    },
    later: ['¿También aceptan pago en OXXO?'],
    followUps: [
      '¡Muchas gracias!',
      '¿Y cuánto tarda el envío a Guadalajara?',
      'Súper, ahorita hago el pedido',
    ],
  },
];

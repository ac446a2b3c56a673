// Who writes to the demo business and what they say: customers of an online shop across Latin
// America and Spain (one in Brazil writes Portuguese). Their seeded history spreads over the past
// day so the demo shows every window state: open, about to close and closed; and what customers
// really send: a photo with a caption, a location pin, a voice note, a first message from a
// Click-to-WhatsApp ad, and a 👍 on the business's reply.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A line of a customer's history: text, or one of the other things customers send. */
export type DemoLine =
  | string
  | { photo: { caption: string } }
  | { location: { latitude: number; longitude: number; name: string; address: string } }
  | { voiceNote: { seconds: number } };

/** The ad a customer tapped to write (a free entry point), in Meta's referral terms. */
export interface DemoAd {
  sourceId: string;
  sourceUrl: string;
  headline: string;
  body: string;
  ctwaClid: string;
}

export interface DemoCustomer {
  name: string;
  /** E.164 digits without '+', as Meta's wa_id. */
  waId: string;
  /** Messages already in the conversation when the demo starts; the last one was `lastMessageAgoMs` ago. */
  history: { lastMessageAgoMs: number; lines: [DemoLine, ...DemoLine[]] };
  /** The Click-to-WhatsApp ad the customer's first message came from. */
  fromAd?: DemoAd;
  /** The emoji the customer reacts with to the business's replies, before answering them. */
  reactsToReplies?: string;
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
        { photo: { caption: 'Es esta, la vi en su Instagram 😍' } },
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
        {
          location: {
            latitude: 6.19815,
            longitude: -75.57362,
            name: 'Nueva dirección de entrega',
            address: 'Carrera 43A #1-50, El Poblado, Medellín, Antioquia',
          },
        },
      ],
    },
    reactsToReplies: '👍',
    later: ['¿Pudieron cambiar la dirección?'],
    followUps: ['Listo, muchas gracias', '¿Me confirman cuándo llega?', 'Perfecto, quedo pendiente'],
  },
  {
    name: 'João Pedro Almeida',
    waId: '5511987654321',
    history: {
      lastMessageAgoMs: 55 * MINUTE,
      lines: ['Olá! Vocês entregam no Brasil?', { voiceNote: { seconds: 6 } }, 'Moro em São Paulo'],
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
    fromAd: {
      sourceId: '120208865510430171',
      sourceUrl: 'https://fb.me/3ZcVx8kQp',
      headline: 'Hot Sale: blusas bordadas a 12 meses sin intereses',
      body: 'Bordadas a mano en Oaxaca. Envío gratis a todo México 🇲🇽',
      ctwaClid:
        'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
    },
    later: ['¿También aceptan pago en OXXO?'],
    followUps: [
      '¡Muchas gracias!',
      '¿Y cuánto tarda el envío a Guadalajara?',
      'Súper, ahorita hago el pedido',
    ],
  },
];

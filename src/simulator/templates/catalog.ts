// The message templates every simulator starts with: a Spanish-speaking shop's account, in the shape
// GET /{version}/{waba-id}/message_templates lists them (upper-case types and formats, `example`
// values, authentication buttons as the URL Meta turns a COPY_CODE button into). Together they cover
// what a relay must handle: positional and named parameters, text and media headers, URL suffixes,
// quick replies, a copy-code button, a paused, a rejected and a carousel template, and one name in
// two languages.
import type { StoredTemplate } from './template-store.ts';

const SAMPLE_IMAGE = 'https://scontent.whatsapp.net/v/t61.29466-34/temporada_otono.jpg';
const SAMPLE_PDF = 'https://scontent.whatsapp.net/v/t61.29466-34/factura_10482.pdf';

export const SEED_TEMPLATES: readonly StoredTemplate[] = [
  {
    id: '1689556908129832',
    name: 'confirmacion_pedido',
    language: 'es_MX',
    status: 'APPROVED',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    rejectedReason: null,
    components: [
      {
        type: 'BODY',
        text: 'Hola {{1}}, confirmamos tu pedido {{2}}. Te avisaremos en cuanto salga de nuestra bodega.',
        example: { body_text: [['María', '#10482']] },
      },
      { type: 'FOOTER', text: 'Tienda La Ventana' },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Ver pedido',
            url: 'https://tienda.example.mx/pedidos/{{1}}',
            example: ['https://tienda.example.mx/pedidos/10482'],
          },
          { type: 'PHONE_NUMBER', text: 'Llamar a soporte', phone_number: '+525512345000' },
        ],
      },
    ],
  },
  {
    id: '1689556908129833',
    name: 'confirmacion_pedido',
    language: 'pt_BR',
    status: 'APPROVED',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    rejectedReason: null,
    components: [
      {
        type: 'BODY',
        text: 'Olá {{1}}, confirmamos o seu pedido {{2}}. Avisaremos assim que ele sair do nosso depósito.',
        example: { body_text: [['João', '#10482']] },
      },
      { type: 'FOOTER', text: 'Loja La Ventana' },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Ver pedido',
            url: 'https://tienda.example.mx/pedidos/{{1}}',
            example: ['https://tienda.example.mx/pedidos/10482'],
          },
          { type: 'PHONE_NUMBER', text: 'Ligar para o suporte', phone_number: '+525512345000' },
        ],
      },
    ],
  },
  {
    id: '1689556908129834',
    name: 'envio_en_camino',
    language: 'es_MX',
    status: 'APPROVED',
    category: 'UTILITY',
    parameterFormat: 'NAMED',
    rejectedReason: null,
    components: [
      {
        type: 'HEADER',
        format: 'TEXT',
        text: 'Tu pedido {{numero_pedido}} va en camino',
        example: { header_text_named_params: [{ param_name: 'numero_pedido', example: '10482' }] },
      },
      {
        type: 'BODY',
        text: 'Hola {{nombre}}, tu paquete salió hoy con {{paqueteria}} y llegará el {{fecha_entrega}}.',
        example: {
          body_text_named_params: [
            { param_name: 'nombre', example: 'María' },
            { param_name: 'paqueteria', example: 'Estafeta' },
            { param_name: 'fecha_entrega', example: 'jueves 26 de noviembre' },
          ],
        },
      },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Rastrear envío',
            url: 'https://tienda.example.mx/rastreo/{{1}}',
            example: ['https://tienda.example.mx/rastreo/EST10482MX'],
          },
        ],
      },
    ],
  },
  {
    id: '1689556908129835',
    name: 'promo_temporada',
    language: 'es_MX',
    status: 'APPROVED',
    category: 'MARKETING',
    parameterFormat: 'POSITIONAL',
    rejectedReason: null,
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: [SAMPLE_IMAGE] } },
      {
        type: 'BODY',
        text: '¡{{1}}, llegó la temporada de otoño! Usa el código {{2}} y llévate 20% de descuento en toda la tienda.',
        example: { body_text: [['María', 'OTONO20']] },
      },
      { type: 'FOOTER', text: 'Responde BAJA para dejar de recibir promociones' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Me interesa' },
          { type: 'QUICK_REPLY', text: 'No, gracias' },
        ],
      },
    ],
  },
  {
    id: '1689556908129836',
    name: 'codigo_verificacion',
    language: 'es_MX',
    status: 'APPROVED',
    category: 'AUTHENTICATION',
    parameterFormat: 'POSITIONAL',
    rejectedReason: null,
    components: [
      {
        type: 'BODY',
        text: '*{{1}}* es tu código de verificación. Por tu seguridad, no lo compartas.',
        add_security_recommendation: true,
        example: { body_text: [['482913']] },
      },
      { type: 'FOOTER', text: 'Este código caduca en 10 minutos.', code_expiration_minutes: 10 },
      {
        type: 'BUTTONS',
        buttons: [
          {
            // Created as {type: OTP, otp_type: COPY_CODE}; Meta lists it as this URL button.
            type: 'URL',
            text: 'Copiar código',
            url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code_expiration_minutes=10&code=otp{{1}}',
            example: [
              'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code_expiration_minutes=10&code=otp482913',
            ],
          },
        ],
      },
    ],
  },
  {
    id: '1689556908129837',
    name: 'factura_disponible',
    language: 'es_MX',
    status: 'APPROVED',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    rejectedReason: null,
    components: [
      { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: [SAMPLE_PDF] } },
      {
        type: 'BODY',
        text: 'Hola {{1}}, adjuntamos la factura de tu pedido. Gracias por tu compra.',
        example: { body_text: [['María']] },
      },
    ],
  },
  {
    id: '1689556908129838',
    name: 'recordatorio_carrito',
    language: 'es_MX',
    status: 'PAUSED',
    category: 'MARKETING',
    parameterFormat: 'POSITIONAL',
    rejectedReason: null,
    components: [
      {
        type: 'BODY',
        text: 'Hola {{1}}, dejaste productos en tu carrito. ¿Te ayudamos a terminar tu compra?',
        example: { body_text: [['María']] },
      },
    ],
  },
  {
    id: '1689556908129839',
    name: 'oferta_relampago',
    language: 'es_MX',
    status: 'REJECTED',
    category: 'MARKETING',
    parameterFormat: 'POSITIONAL',
    rejectedReason: 'INVALID_FORMAT',
    components: [
      {
        type: 'BODY',
        text: 'Solo hoy: {{1}}{{2}} de descuento',
        example: { body_text: [['30', '%']] },
      },
    ],
  },
  {
    id: '1689556908129840',
    name: 'catalogo_novedades',
    language: 'es_MX',
    status: 'APPROVED',
    category: 'MARKETING',
    parameterFormat: 'POSITIONAL',
    rejectedReason: null,
    components: [
      {
        type: 'BODY',
        text: '{{1}}, mira lo nuevo de esta semana:',
        example: { body_text: [['María']] },
      },
      {
        type: 'CAROUSEL',
        cards: [0, 1].map((card) => ({
          components: [
            { type: 'HEADER', format: 'IMAGE', example: { header_handle: [SAMPLE_IMAGE] } },
            { type: 'BODY', text: card === 0 ? 'Chamarra de mezclilla' : 'Botas de piel' },
            {
              type: 'BUTTONS',
              buttons: [
                { type: 'QUICK_REPLY', text: 'Quiero más como este' },
                {
                  type: 'URL',
                  text: 'Comprar',
                  url: 'https://tienda.example.mx/productos/{{1}}',
                  example: ['https://tienda.example.mx/productos/chamarra-mezclilla'],
                },
              ],
            },
          ],
        })),
      },
    ],
  },
];

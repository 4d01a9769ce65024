// JSON Schema of the POST /decide body; compiled once by ajv (see request-validator.ts).

const jsonObject = { type: 'object' } as const;

const historyEntry = {
  type: 'object',
  required: ['tool'],
  additionalProperties: true,
  properties: {
    tool: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 256 },
        server: { type: ['string', 'null'], maxLength: 2048 },
        arguments: jsonObject,
      },
    },
    decision: { enum: ['allow', 'deny', 'ask'] },
    reasons: { type: 'array', maxItems: 64, items: { type: 'string', maxLength: 256 } },
    time: { type: 'string', maxLength: 64 },
  },
} as const;

export const MAX_CLIENT_HISTORY = 1000;

export const decideRequestSchema = {
  type: 'object',
  required: ['tool'],
  additionalProperties: false,
  properties: {
    tool: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 256 },
        arguments: jsonObject,
        server: { type: 'string', maxLength: 2048 },
        annotations: jsonObject,
      },
    },
    token: { type: 'string', minLength: 1, maxLength: 16384 },
    claims: jsonObject,
    session: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' },
        history: { type: 'array', maxItems: MAX_CLIENT_HISTORY, items: historyEntry },
      },
    },
    resource: { type: 'string', minLength: 1, maxLength: 2048 },
    context: jsonObject,
  },
} as const;

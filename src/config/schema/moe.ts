import type { FromSchema } from 'json-schema-to-ts';

/** The gating network (src/gates). */
export const gateSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { enum: ['mlp', 'transformer'], default: 'mlp', description: 'mlp = MILE-Cat / the papers\' gate; transformer = MILE-Att.' },
    input: {
      enum: ['standard', 'enhanced', 'concat'],
      default: 'enhanced',
      description:
        "standard = the gate sees the input; enhanced = the experts' embeddings (projected, with the cross term); concat = the experts' embeddings concatenated as they are (mlp gate only).",
    },
    hidden: { type: 'integer', minimum: 1, default: 64, description: 'mlp: hidden width.' },
    dim: { type: 'integer', minimum: 4, default: 32, description: 'transformer: model width; enhanced input (both gates): width each expert embedding is projected to.' },
    layers: { type: 'integer', minimum: 1, maximum: 12, default: 2, description: 'transformer: encoder layers.' },
    heads: { type: 'integer', minimum: 1, maximum: 16, default: 2, description: 'transformer: attention heads.' },
    // No schema default: a filled-in one would change existing trial ids (normalise.ts drops 4 x dim).
    feedForward: { type: 'integer', minimum: 1, maximum: 16384, description: "transformer: width of each encoder layer's feed-forward block (default 4 x dim)." },
    dropout: { type: 'number', minimum: 0, maximum: 0.9, default: 0.2 },
  },
} as const;

/** How gate logits become weights. */
export const routingSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: { enum: ['soft', 'topk', 'noisy-topk'], default: 'soft', description: 'soft = softmax over all experts; topk/noisy-topk = hard routing.' },
    k: { type: 'integer', minimum: 1, default: 1, description: 'experts per item under hard routing.' },
    weighting: {
      enum: ['router', 'renormalized'],
      default: 'router',
      description:
        "hard routing: 'router' keeps each selected expert's router probability (Switch Transformer; the unrouted mass goes to chance), so a top-1 gate still learns; " +
        "'renormalized' rescales the selected to sum to 1 (Shazeer 2017), where a top-1 weight is always 1 and the gate learns only from a balancing loss.",
    },
    balance: { enum: ['none', 'cv2', 'switch'], default: 'none', description: 'load-balancing loss.' },
    balanceWeight: { type: 'number', minimum: 0, default: 0.01 },
  },
} as const;

/** How the mixture is trained. */
export const mixtureSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    loss: { enum: ['shared', 'separate'], default: 'shared', description: "shared = only the mixture's loss; separate = plus each expert's own loss." },
    expertLossWeight: { type: 'number', minimum: 0, default: 0.5, description: 'weight of each expert\'s loss under `separate`.' },
    freezeExperts: { type: 'boolean', default: false, description: 'train only the gate (needs pre-trained experts).' },
    mix: { enum: ['prob', 'logit'], default: 'prob', description: 'mix probabilities (scored with the mixture NLL) or logits.' },
  },
} as const;

export type GateConfig = FromSchema<typeof gateSchema, { keepDefaultedPropertiesOptional: true }>;
export type RoutingConfig = FromSchema<typeof routingSchema, { keepDefaultedPropertiesOptional: true }>;
export type MixtureConfig = FromSchema<typeof mixtureSchema, { keepDefaultedPropertiesOptional: true }>;

/** The search strategies by name; a leaf module, so the CLI's help can list them without the samplers' code. */
export const SAMPLERS = ['tpe', 'random'] as const;
export type SamplerName = (typeof SAMPLERS)[number];

/** Whose batch a rehearsed cycle runs on; a leaf module, so the CLI's help can list them without the generators. */
export const PRODUCERS = ['ours', 'foreign'] as const;
export type Producer = (typeof PRODUCERS)[number];

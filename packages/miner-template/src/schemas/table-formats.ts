/**
 * The table formats of a batch folder. A leaf module without zod, so that `aml-miner --help`
 * can name them without loading the schemas.
 */
export const TABLE_FORMATS = ['json', 'arrow', 'parquet'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** The formats `export-training-data` writes; a leaf module, so the CLI's help can list them without the encoders. */
export const EXPORT_FORMATS = ['parquet', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

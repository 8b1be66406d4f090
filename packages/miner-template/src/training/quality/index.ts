/** Model quality reports: curves (pure), per-model quality, the text table and the HTML page. */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../data/fs-atomic.js';
import { type QualityReport, renderQualityReport } from './html.js';

export * from './curves.js';
export { formatModelQuality } from './format.js';
export { type QualityReport, renderQualityReport } from './html.js';
export {
  DEFAULT_TOP_FRACTIONS,
  type FeatureShare,
  type ModelQuality,
  modelQuality,
  type QualityInput,
  topFeatures,
} from './model-quality.js';

/** Where `train` puts a model's report: beside its text file, `{name}_v{version}.report.html`. */
export function reportPathBeside(modelTextPath: string): string {
  return modelTextPath.replace(/\.txt$/, '.report.html');
}

export async function writeQualityReport(path: string, report: QualityReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, renderQualityReport(report));
}

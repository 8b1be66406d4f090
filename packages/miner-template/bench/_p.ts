import { randomModel } from '../src/gbdt/predict/test-models.js';
import { ShapPool } from '../src/gbdt/shap/pool.js';
const m = randomModel(1, 10, 15, 10);
const t = Date.now();
const p = await ShapPool.create(m, { threads: 2 });
console.log(Date.now() - t, p.threads, p.fallbackReason);
await p.close();

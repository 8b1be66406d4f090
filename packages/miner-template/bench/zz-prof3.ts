import { generateBatch, encodeBatchArrowField, requestFromBody } from '../src/index.js';
const { batch } = generateBatch({ network: 'torus', date: '2026-01-01', windowDays: 7, alerts: 10000, seed: 1 });
const f = encodeBatchArrowField(batch);
for (let r = 0; r < 4; r++) { const s = performance.now(); requestFromBody({ batch_arrow: f }, 2 ** 31); console.log((performance.now() - s).toFixed(0)); }

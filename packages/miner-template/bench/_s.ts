import { readFileSync } from 'node:fs';
import { buildShapPlan } from '../src/gbdt/shap/shap-plan.js';
import { readModelText } from '../src/gbdt/text/index.js';
for (const trees of [100, 200]) {
  const model = readModelText(readFileSync(`/tmp/shapk/m${trees}.txt`, 'utf8'));
  const p = buildShapPlan(model);
  const hist = new Array(10).fill(0);
  for (let i=0;i<p.leafInfo.length;i+=3) hist[p.leafInfo[i]]++;
  console.log(trees, 'leaves', p.leafInfo.length/3, 'nodes', p.order.length, 'hist', hist.join(','), 'modes', [...p.treeMode].filter(x=>x!==1).length, 'maxDepth', p.maxDepth);
}

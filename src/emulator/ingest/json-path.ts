import { KustoServiceError } from '../contracts.js';

/**
 * The JSONPath subset ingestion mappings use: `$`, `.name`, `['name']`, `["name"]`, `[index]`.
 * Compiled once per mapping into a list of steps.
 */
export type PathStep = string | number;

export function compileJsonPath(path: string): PathStep[] {
  const p = path.trim();
  if (!p.startsWith('$')) throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `JSON path '${path}' must start with '$'.`);
  const steps: PathStep[] = [];
  let i = 1;
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      let j = i + 1;
      while (j < p.length && p[j] !== '.' && p[j] !== '[') j++;
      if (j === i + 1) throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `JSON path '${path}' has an empty name at position ${i}.`);
      steps.push(p.slice(i + 1, j));
      i = j;
    } else if (c === '[') {
      const q = p[i + 1];
      if (q === "'" || q === '"') {
        const end = p.indexOf(`${q}]`, i + 2);
        if (end < 0) throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `JSON path '${path}' has an unterminated [${q}...${q}] step.`);
        steps.push(p.slice(i + 2, end));
        i = end + 2;
      } else {
        const end = p.indexOf(']', i);
        const idx = Number(p.slice(i + 1, end));
        if (end < 0 || !Number.isInteger(idx)) throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `JSON path '${path}' has an invalid index step.`);
        steps.push(idx);
        i = end + 1;
      }
    } else {
      throw new KustoServiceError(400, 'BadRequest_InvalidMapping', `JSON path '${path}' is not supported (unexpected '${c}' at position ${i}).`);
    }
  }
  return steps;
}

export function evalJsonPath(doc: unknown, steps: readonly PathStep[]): unknown {
  let cur: unknown = doc;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s < 0 ? cur.length + s : s];
    } else {
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return cur;
}

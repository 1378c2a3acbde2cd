import { squadNormalize } from '@vhb/sdk';
import { goldAnswers, type SquadDialect } from './dialects.js';

/** SQuAD's tokens: the normalised answer split on its single spaces; none for an answer that normalises to nothing. */
function tokens(text: string): string[] {
  const normalised = squadNormalize(text);
  return normalised === '' ? [] : normalised.split(' ');
}

/**
 * Token F1 of a prediction against one answer, as SQuAD's scripts compute it: the tokens in
 * common counted with multiplicity (`Counter(a) & Counter(b)`), precision over the prediction's
 * tokens, recall over the answer's, `2PR / (P + R)`, and 0 when nothing is in common. When either
 * side has no token, `squad-v2` scores 1 if both have none, else 0; `squad-v1.1` scores 0.
 */
export function tokenF1(prediction: string, answer: string, dialect: SquadDialect = 'squad-v2'): number {
  const predicted = tokens(prediction);
  const gold = tokens(answer);
  if (dialect === 'squad-v2' && (gold.length === 0 || predicted.length === 0)) return gold.length === predicted.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of gold) counts.set(token, (counts.get(token) ?? 0) + 1);
  let same = 0;
  for (const token of predicted) {
    const left = counts.get(token);
    if (left) {
      same++;
      counts.set(token, left - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / predicted.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

/** The item's F1: the best over its answers, after the dialect's choice of answers. */
export function maxTokenF1(prediction: string, references: readonly string[], dialect: SquadDialect = 'squad-v2'): number {
  let best = 0;
  for (const answer of goldAnswers(references, dialect)) {
    const f1 = tokenF1(prediction, answer, dialect);
    if (f1 > best) best = f1;
  }
  return best;
}

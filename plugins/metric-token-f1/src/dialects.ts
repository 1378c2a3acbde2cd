import { squadNormalize } from '@vhb/sdk';

/**
 * The SQuAD evaluation scripts the metric reproduces; the first is the default. v2.0 is the
 * default because it scores an empty prediction of an empty answer 1, as exact match does, where
 * v1.1 scores it 0 (an F1 below the exact match of the same item).
 */
export const SQUAD_DIALECTS = ['squad-v2', 'squad-v1.1'] as const;

/** `squad-v1.1`: evaluate-v1.1.py; `squad-v2`: evaluate-v2.0.py. */
export type SquadDialect = (typeof SQUAD_DIALECTS)[number];

/**
 * The answers an item is compared with. SQuAD v2.0's script first drops every answer that
 * normalises to nothing (`if normalize_answer(a['text'])`) and, when none is left, compares with
 * the empty answer alone; v1.1 keeps them all.
 */
export function goldAnswers(references: readonly string[], dialect: SquadDialect): readonly string[] {
  if (dialect === 'squad-v1.1') return references;
  const kept = references.filter((reference) => squadNormalize(reference) !== '');
  return kept.length > 0 ? kept : [''];
}

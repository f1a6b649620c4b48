import type { ModelVersionRow } from '../catalog/repositories/models-repository.ts';
import { ConflictError, LearnedNothingError } from '../errors.ts';
import type { PromotionGate } from '../schemas/library.ts';
import { evaluateShared, recallOf, type SharedTestImage } from './shared-test-images.ts';
import { notUseful } from './trivial-answer.ts';

// The promotion gate: whether a version may replace the active one. A rule with no HTTP and no SQL: the model
// library gathers what it needs and calls it on every promotion, and the Library page asks it before promoting.

export interface GateInput {
  candidate: ModelVersionRow;
  /** The plot type's active version, if any. */
  active: ModelVersionRow | null;
  /** The test images of the candidate (a) and the active version (b) they share; empty without an active one. */
  shared: SharedTestImage[];
  /** Classes of severity alarm ("Bad"): their pooled recall must not drop. */
  alarmClasses: string[];
  /** How far accuracy or Bad recall may fall before the candidate counts as worse (HYDRA_PROMOTION_MARGIN). */
  margin: number;
}

/** What a promotion asks for: a reason, and a confirmation where the gate says worse. */
export interface Promotion {
  reason?: string;
  confirmWorse?: boolean;
}

/** A reason shorter than this does not say why a worse version was promoted. */
const MIN_REASON_LENGTH = 3;

const fixed = (value: number) => value.toFixed(2);

/** How a version is named in the gate's sentences: its number, and its model where the two differ. */
function nameOf(version: ModelVersionRow, other: ModelVersionRow | null): string {
  const number = `v${version.version}`;
  return other && other.model_name !== version.model_name ? `${version.model_name} ${number}` : number;
}

export function promotionGate({ candidate, active, shared, alarmClasses, margin }: GateInput): PromotionGate {
  const own = candidate.metrics?.evaluation;
  const trivialAnswer = candidate.metrics?.trivialAnswer ?? null;
  const candidateName = nameOf(candidate, active);
  const onShared = shared.length > 0 && active !== null;
  const candidateEvaluation = onShared ? evaluateShared(shared, 'a', candidate) : own;
  const activeEvaluation = onShared ? evaluateShared(shared, 'b', active) : undefined;
  const accuracy = {
    active: activeEvaluation?.accuracy ?? null,
    candidate: candidateEvaluation?.accuracy ?? 0,
  };
  const badRecall = {
    active: activeEvaluation ? recallOf(activeEvaluation, alarmClasses) : null,
    candidate: candidateEvaluation ? recallOf(candidateEvaluation, alarmClasses) : 0,
  };
  const gate = (verdict: PromotionGate['verdict'], reasons: string[]): PromotionGate => ({
    verdict,
    margin,
    sharedTestImages: onShared ? shared.length : 0,
    accuracy,
    badRecall,
    trivialAnswer,
    reasons,
  });

  const nothingLearned = candidate.metrics && notUseful(candidate.metrics);
  if (nothingLearned) return gate('trivial', [`${candidateName} learned nothing: ${nothingLearned}`]);
  if (active === null) return gate('no-active', ['no version is active: nothing to compare with']);
  const activeName = nameOf(active, candidate);
  if (!onShared) {
    const why =
      candidate.metrics === null || active.metrics === null
        ? 'an imported version has no stored test predictions'
        : 'their test splits have no image in common';
    return gate('not-comparable', [`${candidateName} and ${activeName} share no test images: ${why}`]);
  }
  const images = `on ${shared.length} shared test images`;
  const sentence = (what: string, mine: number, theirs: number) =>
    `${candidateName} has ${what} ${fixed(mine)} against ${activeName}'s ${fixed(theirs)} ${images}`;
  const worse: string[] = [];
  if (accuracy.candidate < accuracy.active! - margin) {
    worse.push(sentence('accuracy', accuracy.candidate, accuracy.active!));
  }
  const alarmImages = shared.filter((image) => alarmClasses.includes(image.trueClass)).length;
  if (alarmImages > 0 && badRecall.candidate < badRecall.active! - margin) {
    worse.push(sentence('Bad recall', badRecall.candidate, badRecall.active!));
  }
  if (worse.length > 0) return gate('worse', worse);
  return gate('better', [
    `${sentence('accuracy', accuracy.candidate, accuracy.active!)}: not worse by more than ${margin}`,
  ]);
}

/**
 * Why the gate refuses the promotion, as the error to throw, or undefined when it may go ahead: a trivial version
 * never, a worse one only with a confirmation and a reason.
 */
export function gateRefusal(gate: PromotionGate, promotion: Promotion): Error | undefined {
  if (gate.verdict === 'trivial') {
    return new LearnedNothingError(`${gate.reasons.join('; ')}: it is never activated`, { gate });
  }
  if (gate.verdict !== 'worse') return undefined;
  const reason = promotion.reason?.trim() ?? '';
  if (promotion.confirmWorse === true && reason.length >= MIN_REASON_LENGTH) return undefined;
  return new ConflictError(
    `${gate.reasons.join('; ')}. To promote it all the same, send confirmWorse: true and a reason of at least ` +
      `${MIN_REASON_LENGTH} characters`,
    { gate },
  );
}

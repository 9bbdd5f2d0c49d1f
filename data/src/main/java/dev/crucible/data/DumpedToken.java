package dev.crucible.data;

/**
 * One position of a row an RL optimizer step trained on, with every input of its loss, a row of the
 * table {@code --dump-batches} writes so anyone can recompute the step's loss from its parts. Position
 * {@code position} of the sequence is the target predicted from the positions before it.
 *
 * @param step optimizer step, from 1, numbered across the run's iterations
 * @param row the row's index among the step's rows
 * @param episodeId the episode the row's sequence comes from
 * @param turn the assistant turn that sampled the token, or {@code null} for prompt, tool and template tokens
 * @param position the token's position in its sequence, from 1
 * @param tokenId the token
 * @param lossMask whether the token counts in the loss (it was sampled)
 * @param rolloutLogprob the sampler's log-prob of the token, or {@code null} where not sampled
 * @param oldLogprob the trainer's log-prob under the sampling policy, before the update
 * @param referenceLogprob the frozen reference's log-prob, or {@code null} without a reference (kl_beta 0); with
 *     PPO's {@code kl_in_reward} it is present though the loss holds no KL term (the KL is in the advantages)
 * @param currentLogprob the policy's log-prob in this step's forward pass
 * @param advantage the token's advantage (0 where not counted)
 * @param value PPO: the value head's estimate before the update; else {@code null}
 * @param returns PPO: the return the value head is fitted to; else {@code null}
 * @param stepLoss the loss the step logged
 */
public record DumpedToken(int step, int row, String episodeId, Integer turn, int position, int tokenId, boolean lossMask,
    Float rolloutLogprob, float oldLogprob, Float referenceLogprob, float currentLogprob, float advantage, Float value, Float returns,
    double stepLoss) {

  public DumpedToken withStep(int newStep) {
    return new DumpedToken(newStep, row, episodeId, turn, position, tokenId, lossMask, rolloutLogprob, oldLogprob, referenceLogprob,
        currentLogprob, advantage, value, returns, stepLoss);
  }

  public DumpedToken withStepLoss(double loss) {
    return new DumpedToken(step, row, episodeId, turn, position, tokenId, lossMask, rolloutLogprob, oldLogprob, referenceLogprob,
        currentLogprob, advantage, value, returns, loss);
  }

  /** The row's identity in its table: step, row and position. */
  public String key() {
    return step + "/" + row + "/" + position;
  }
}

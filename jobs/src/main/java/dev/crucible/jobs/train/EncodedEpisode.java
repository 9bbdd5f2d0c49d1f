package dev.crucible.jobs.train;

import java.io.Serializable;
import java.util.List;

/**
 * One episode read from a trajectory table, tokenized on an executor: the token ids and assistant mask of
 * each conversation (or of each context window of it), with what pairing and filtering need.
 *
 * @param reward the episode's reward, or {@code null} when it was not graded
 */
public record EncodedEpisode(
    String episodeId, String runId, int iteration, String taskId, boolean resolved, Double reward, List<long[]> ids, List<boolean[]> masks)
    implements Serializable {}

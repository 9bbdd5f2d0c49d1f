package dev.crucible.rollout.search;

import java.util.List;

/** Texts to dense vectors of one dimension, for {@link CodeIndex}'s vector search (an embeddings endpoint in use). */
@FunctionalInterface
public interface Embedder {
  /** One vector per text, in order, all of the same length. */
  List<float[]> embed(List<String> texts);
}

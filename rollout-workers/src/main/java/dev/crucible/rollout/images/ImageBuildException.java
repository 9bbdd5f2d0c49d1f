package dev.crucible.rollout.images;

/** An image could not be built; the message says what is missing or which step failed, with its output. */
public final class ImageBuildException extends RuntimeException {
  public ImageBuildException(String message) {
    super(message);
  }
}

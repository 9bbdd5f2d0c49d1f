package dev.crucible.jobs.k8s;

/** The Crucible runtime image (k8s/image/Dockerfile). */
public final class K8sImage {
  /** The name every manifest under k8s/ uses, and {@code k8s render}'s default. */
  public static final String DEFAULT = "crucible/crucible:0.1.0";

  private K8sImage() {}
}

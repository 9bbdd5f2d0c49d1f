package dev.crucible.rollout.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What goes into a sandbox image: a Debian suite and a package list. Its {@link #version()} is a hash
 * of both, stored as the image label {@value #LABEL}; an image whose label differs was built from an
 * older recipe and is rebuilt.
 *
 * @param name the image name, for example {@code crucible/python:bookworm}
 * @param suite the Debian suite
 * @param packages packages installed on top of the minimal base
 * @param dockerfile the Dockerfile of the same image, as text
 * @param directory the recipe's folder name under {@code images/}
 */
public record ImageRecipe(String name, String suite, List<String> packages, String dockerfile, String directory) {
  /** The image label that holds the recipe version. */
  public static final String LABEL = "dev.crucible.image.recipe";

  /** Bump when the way images are built changes without the package list changing. */
  private static final int BUILDER_VERSION = 1;

  public ImageRecipe {
    packages = List.copyOf(packages);
  }

  /** The Python sandbox image the bundled tasks use. */
  public static ImageRecipe python() {
    List<String> packages =
        resource("python/packages.txt").lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    return new ImageRecipe(
        dev.crucible.rollout.sandbox.SandboxSpec.DEFAULT_IMAGE, "bookworm", packages, resource("python/Dockerfile"), "python");
  }

  /** A short hash of the suite, the packages and the builder version. */
  public String version() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((BUILDER_VERSION + "\n" + suite + "\n" + String.join("\n", packages)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static String resource(String path) {
    String location = "/dev/crucible/rollout/images/" + path;
    try (InputStream in = ImageRecipe.class.getResourceAsStream(location)) {
      if (in == null) {
        throw new IllegalStateException("image recipe " + location + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

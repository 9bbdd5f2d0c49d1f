package dev.crucible.rollout.sandbox;

/** Checks on scratch file names: a plain name, so a scratch file cannot land anywhere else. */
public final class ScratchFiles {
  private ScratchFiles() {}

  public static void requirePlainName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.equals(".") || name.equals("..")) {
      throw new SandboxException(SandboxException.Kind.BAD_REQUEST, "scratch file name '" + name + "' must be a plain file name");
    }
  }
}

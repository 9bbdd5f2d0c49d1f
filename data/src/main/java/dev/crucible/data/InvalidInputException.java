package dev.crucible.data;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An input file is malformed. Carries every problem found, not only the first, so a user fixes them
 * in one pass; nothing is returned or written from a file that raised it.
 */
public final class InvalidInputException extends RuntimeException {
  /** At most this many problems are spelled out in the message; all stay in {@link #problems()}. */
  static final int PROBLEMS_IN_MESSAGE = 20;

  private final List<InputProblem> problems;

  public InvalidInputException(List<InputProblem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  public InvalidInputException(InputProblem problem) {
    this(List.of(problem));
  }

  public List<InputProblem> problems() {
    return problems;
  }

  private static String describe(List<InputProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InvalidInputException needs at least one problem");
    }
    String listed =
        problems.stream()
            .limit(PROBLEMS_IN_MESSAGE)
            .map(InputProblem::toString)
            .collect(Collectors.joining("\n"));
    int rest = problems.size() - PROBLEMS_IN_MESSAGE;
    return rest > 0 ? listed + "\n... and " + rest + " more problems" : listed;
  }
}

package dev.crucible.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command a user can run has its section in the README, headed {@code ### `crucible <command> ...`};
 * a heading may name several at once ({@code train sft|dpo}).
 */
class ReadmeCommandsTest {
  private static final Pattern HEADING = Pattern.compile("(?m)^### `crucible ([^`]*)`");
  private static final Pattern WORDS = Pattern.compile("[a-z][a-z0-9-]*(\\|[a-z][a-z0-9-]*)*");

  @Test
  void everyCommandHasItsReadmeSection() throws Exception {
    Set<String> documented = documented(Files.readString(Path.of("..", "README.md")));
    List<String> commands = new ArrayList<>();
    leaves(CrucibleCommand.commandLine(), "", commands);
    assertThat(commands).contains("bench memory", "plan", "train grpo");
    assertThat(commands.stream().filter(command -> !documented.contains(command)).toList())
        .as("commands without a README section").isEmpty();
  }

  /** Every command path a heading names, with its prefixes: {@code train sft|dpo} gives train, train sft, train dpo. */
  private static Set<String> documented(String readme) {
    Set<String> paths = new HashSet<>();
    Matcher heading = HEADING.matcher(readme);
    while (heading.find()) {
      List<String> prefixes = List.of("");
      for (String token : heading.group(1).split(" ")) {
        if (!WORDS.matcher(token).matches()) {
          break;
        }
        List<String> longer = new ArrayList<>();
        for (String prefix : prefixes) {
          for (String word : token.split("\\|")) {
            longer.add(prefix.isEmpty() ? word : prefix + " " + word);
          }
        }
        paths.addAll(longer);
        prefixes = longer;
      }
    }
    return paths;
  }

  private static void leaves(CommandLine command, String path, List<String> out) {
    if (command.getSubcommands().isEmpty()) {
      out.add(path);
      return;
    }
    command.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help") && sub.getCommandName().equals(name)) {
        leaves(sub, path.isEmpty() ? name : path + " " + name, out);
      }
    });
  }
}

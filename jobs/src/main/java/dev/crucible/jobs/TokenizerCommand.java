package dev.crucible.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.data.io.InputFiles;
import dev.crucible.rollout.agent.Mode;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.agent.SingleScaffold;
import dev.crucible.rollout.tools.ToolBox;
import dev.crucible.trainer.chat.ChatTemplate;
import dev.crucible.trainer.chat.Message;
import dev.crucible.trainer.tokenizer.BpeTrainer;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code crucible tokenizer train}. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Builds tokenizers.", subcommands = TokenizerCommand.Train.class)
final class TokenizerCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: train");
  }

  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = {
        "Learns a byte-level BPE tokenizer (Hugging Face tokenizer.json, with the Qwen2.5 chat tokens) from the",
        "text files under --corpus plus the agent's own prompt, tools and call syntax. The built-in tokenizer",
        "was made with: --corpus examples/repos --merges 1500."
      })
  static final class Train implements Runnable {
    private static final List<String> TEXT_SUFFIXES = List.of(".py", ".md", ".txt", ".toml", ".cfg", ".json", ".jsonl", ".yaml", ".yml");

    @Option(names = "--corpus", required = true, paramLabel = "PATH", description = "Files or folders of text (repeatable).")
    List<Path> corpus;

    @Option(names = "--merges", defaultValue = "1500", description = "Merges to learn; the vocabulary is 256 + merges + 7 (default: ${DEFAULT-VALUE}).")
    int merges;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The tokenizer.json to write.")
    Path out;

    @Override
    public void run() {
      BpeTrainer trainer = new BpeTrainer();
      int files = 0;
      for (Path root : corpus) {
        InputFiles.require(root, InputFiles.Kind.FILE_OR_DIRECTORY);
        try (Stream<Path> walk = Files.walk(root)) {
          for (Path file : walk.filter(Files::isRegularFile).filter(Train::isText).sorted().toList()) {
            try {
              trainer.add(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
              files++;
            } catch (IOException e) {
              throw new UncheckedIOException("cannot read " + file, e);
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + root, e);
        }
      }
      addAgentText(trainer);
      String json = trainer.build(merges, ChatTokenizer.CHAT_TOKENS);
      try {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + out, e);
      }
      try (ChatTokenizer tokenizer = ChatTokenizer.of(json)) {
        System.out.println("wrote " + out + ": " + tokenizer.vocabularySize() + " tokens learned from " + files + " files");
      }
    }

    private static boolean isText(Path file) {
      String name = file.getFileName().toString();
      return TEXT_SUFFIXES.stream().anyMatch(name::endsWith) && !file.toString().contains("/.git/");
    }

    /** What every episode's prompt holds, so it takes few tokens: the system prompt, tools and a call of each tool. */
    private static void addAgentText(BpeTrainer trainer) {
      ArrayNode tools = ToolBox.standard(new SimpleMeterRegistry()).schemas();
      for (Mode mode : Modes.DEFAULT.modes()) {
        trainer.add(ChatTemplate.systemText(SingleScaffold.SYSTEM_PROMPT + mode.guidance(), tools));
      }
      tools.forEach(tool -> trainer.add(ChatTemplate.assistantText(new Message("assistant", "", tool.path("function").path("name").asText(), "{}"))));
    }
  }
}

package dev.crucible.jobs.config;

import dev.crucible.rollout.agent.Mode;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.tools.ToolBox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config's {@code modes} section: what each mode is, as data.
 *
 * <pre>
 * modes:
 *   fast: {max_steps: 4, tools: [str_replace_editor, run_tests, submit]}   # a built-in mode changed
 *   deep: {max_steps: 40, guidance: "Read every file the failing tests touch first."}
 *   survey: {max_steps: 6, guidance: "Only read the code and submit a one-line fix."}   # a new mode
 * </pre>
 *
 * A built-in mode (fast, standard, deep) keeps its default for each key left out; a new mode needs
 * {@code max_steps} and {@code guidance}. {@code tools} lists the tools offered (every tool when absent).
 * The built-in modes come first, then the new ones in the file's order.
 */
public final class ModesSection {
  private ModesSection() {}

  /** The {@code modes} section of the YAML file {@code file} (nothing else in it is read), every problem reported with its line. */
  public static Modes load(java.nio.file.Path file) {
    YamlSection root = YamlSection.load(file);
    Modes modes = read(root.section("modes"));
    root.problems().throwIfAny();
    return modes;
  }

  /** The modes, the built-in ones when the section is absent; problems are recorded on the section. */
  public static Modes read(YamlSection section) {
    Map<String, Mode> modes = new LinkedHashMap<>();
    Modes.DEFAULT.modes().forEach(mode -> modes.put(mode.name(), mode));
    List<String> knownTools = ToolBox.standard(new SimpleMeterRegistry()).names();
    for (String name : section.keys()) {
      YamlSection entry = section.section(name);
      Mode builtIn = modes.get(name);
      if (builtIn == null && (!entry.has("max_steps") || !entry.has("guidance"))) {
        section.reject(name, "a mode that is not built in (fast, standard, deep) needs max_steps and guidance");
      }
      int maxSteps = entry.integer("max_steps", builtIn == null ? 1 : builtIn.maxSteps(), 1);
      String guidance = entry.string("guidance", builtIn == null ? "-" : builtIn.guidance());
      List<String> tools = entry.has("tools") ? entry.stringList("tools") : builtIn == null ? List.of() : builtIn.tools();
      List<String> unknown = new ArrayList<>(tools);
      unknown.removeAll(knownTools);
      if (!unknown.isEmpty()) {
        entry.reject("tools", "unknown tools " + unknown + "; the tools are " + String.join(", ", knownTools));
      }
      if (entry.has("tools") && tools.isEmpty()) {
        entry.reject("tools", "an empty list offers no tool; leave the key out to offer every tool");
      }
      entry.finish();
      try {
        modes.put(name, new Mode(name, Math.max(1, maxSteps), guidance.isBlank() ? "-" : guidance, tools));
      } catch (IllegalArgumentException e) {
        section.reject(name, e.getMessage());
      }
    }
    try {
      return new Modes(new ArrayList<>(modes.values()));
    } catch (IllegalArgumentException e) {
      section.reject(Modes.AUTO, e.getMessage());
      return Modes.DEFAULT;
    }
  }
}

package dev.crucible.jobs.config;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.io.InputFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One mapping of a YAML file, read key by key. Each typed getter records a problem (file, line, dotted
 * key, what is wrong) instead of throwing, so a file with several mistakes reports them all; call
 * {@link #finish()} on every section, then {@link Problems#throwIfAny()} once.
 *
 * <p>Keys nobody asked for are reported by {@link #finish()} as unknown, with the known keys listed.
 */
public final class YamlSection {
  /** The problems found so far in one file. */
  public static final class Problems {
    private final String source;
    private final List<InputProblem> found = new ArrayList<>();

    Problems(String source) {
      this.source = source;
    }

    void add(Node at, String key, String message) {
      found.add(new InputProblem(source, at == null ? 0 : at.getStartMark().getLine() + 1, key, message));
    }

    /** @throws InvalidInputException listing every problem, when there is one */
    public void throwIfAny() {
      if (!found.isEmpty()) {
        throw new InvalidInputException(found);
      }
    }
  }

  private final String prefix;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> known = new LinkedHashSet<>();
  private final Problems problems;

  private YamlSection(String prefix, MappingNode node, Problems problems) {
    this.prefix = prefix;
    this.problems = problems;
    if (node != null) {
      for (NodeTuple tuple : node.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key) {
          entries.put(key.getValue(), tuple);
        } else {
          problems.add(tuple.getKeyNode(), prefix, "keys must be plain names");
        }
      }
    }
  }

  /**
   * Parses {@code file}; the root must be a mapping.
   *
   * @throws InvalidInputException when the file is missing, not YAML, or its root is not a mapping
   * @throws UncheckedIOException when reading fails after the file was opened
   */
  public static YamlSection load(Path file) {
    InputFiles.require(file, InputFiles.Kind.FILE);
    Problems problems = new Problems(file.toString());
    Node root;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new LoaderOptions()).compose(reader);
    } catch (MarkedYAMLException e) {
      problems.add(null, null, "not valid YAML: " + e.getMessage().replace('\n', ' '));
      problems.throwIfAny();
      throw new AssertionError("unreachable");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config " + file, e);
    }
    if (!(root instanceof MappingNode)) {
      problems.add(root, null, "the config must be a mapping of keys to values");
      problems.throwIfAny();
    }
    return new YamlSection("", (MappingNode) root, problems);
  }

  public Problems problems() {
    return problems;
  }

  /** A nested mapping; absent means an empty section, so its defaults apply. */
  public YamlSection section(String key) {
    Node value = value(key);
    if (value == null) {
      return new YamlSection(path(key) + ".", null, problems);
    }
    if (!(value instanceof MappingNode mapping)) {
      problems.add(value, path(key), "expected a mapping of keys to values");
      return new YamlSection(path(key) + ".", null, problems);
    }
    return new YamlSection(path(key) + ".", mapping, problems);
  }

  /** A string, or {@code defaultValue} (which may be null) when absent. */
  public String string(String key, String defaultValue) {
    ScalarNode scalar = scalar(key);
    return scalar == null ? defaultValue : scalar.getValue();
  }

  /** A string that must be present and non-empty; null (with a problem recorded) otherwise. */
  public String requiredString(String key) {
    ScalarNode scalar = scalar(key);
    if (scalar == null || scalar.getValue().isBlank()) {
      problems.add(scalar, path(key), "required; give a non-empty value");
      return null;
    }
    return scalar.getValue();
  }

  /** An integer of at least {@code minimum}, or {@code defaultValue} when absent. */
  public int integer(String key, int defaultValue, int minimum) {
    long value = longValue(key, defaultValue);
    if (value < minimum) {
      reject(key, "must be at least " + minimum + ", got " + value);
      return defaultValue;
    }
    if (value > Integer.MAX_VALUE) {
      reject(key, "must be at most " + Integer.MAX_VALUE + ", got " + value);
      return defaultValue;
    }
    return (int) value;
  }

  /** A long, or {@code defaultValue} when absent. */
  public long longValue(String key, long defaultValue) {
    ScalarNode scalar = scalar(key);
    if (scalar == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(scalar.getValue().trim());
    } catch (NumberFormatException e) {
      problems.add(scalar, path(key), "expected an integer, got '" + scalar.getValue() + "'");
      return defaultValue;
    }
  }

  /** A number within {@code [minimum, maximum]}, or {@code defaultValue} when absent. */
  public double decimal(String key, double defaultValue, double minimum, double maximum) {
    ScalarNode scalar = scalar(key);
    if (scalar == null) {
      return defaultValue;
    }
    double value;
    try {
      value = Double.parseDouble(scalar.getValue().trim());
    } catch (NumberFormatException e) {
      problems.add(scalar, path(key), "expected a number, got '" + scalar.getValue() + "'");
      return defaultValue;
    }
    if (!(value >= minimum && value <= maximum)) {
      reject(key, "must be between " + minimum + " and " + maximum + ", got " + value);
      return defaultValue;
    }
    return value;
  }

  /** {@code true} or {@code false}, or {@code defaultValue} when absent. */
  public boolean bool(String key, boolean defaultValue) {
    ScalarNode scalar = scalar(key);
    if (scalar == null) {
      return defaultValue;
    }
    return switch (scalar.getValue().trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problems.add(scalar, path(key), "expected true or false, got '" + scalar.getValue() + "'");
        yield defaultValue;
      }
    };
  }

  /** A list of strings, or an empty list when absent. */
  public List<String> stringList(String key) {
    Node value = value(key);
    List<String> result = new ArrayList<>();
    if (value == null) {
      return result;
    }
    if (!(value instanceof SequenceNode sequence)) {
      problems.add(value, path(key), "expected a list");
      return result;
    }
    for (Node item : sequence.getValue()) {
      if (item instanceof ScalarNode scalar) {
        result.add(scalar.getValue());
      } else {
        problems.add(item, path(key), "expected a list of plain values");
      }
    }
    return result;
  }

  /** The section's keys, in the file's order. */
  public List<String> keys() {
    return List.copyOf(entries.keySet());
  }

  /** Whether the section has {@code key} at all. */
  public boolean has(String key) {
    return entries.containsKey(key);
  }

  /** A mapping of plain names to scalars, for pass-through settings such as Spark configuration. */
  public Map<String, String> stringMap(String key) {
    Map<String, String> result = new LinkedHashMap<>();
    YamlSection section = section(key);
    for (String name : section.entries.keySet()) {
      String value = section.string(name, null);
      if (value != null) {
        result.put(name, value);
      }
    }
    return result;
  }

  /** Records a problem with the value of {@code key}, found by a check beyond its type. */
  public void reject(String key, String message) {
    NodeTuple tuple = entries.get(key);
    problems.add(tuple == null ? null : tuple.getValueNode(), path(key), message);
  }

  /**
   * Runs a check of the value of {@code key} beyond its type (a known name, an existing file) when the
   * key is present, and records the message of the {@link IllegalArgumentException} or
   * {@link InvalidInputException} it throws as a problem of that key.
   */
  public void check(String key, Runnable check) {
    if (!has(key)) {
      return;
    }
    try {
      check.run();
    } catch (IllegalArgumentException | InvalidInputException e) {
      reject(key, e.getMessage());
    }
  }

  /** Records every key of this section that no getter asked for. */
  public void finish() {
    for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
      if (!known.contains(entry.getKey())) {
        problems.add(
            entry.getValue().getKeyNode(),
            path(entry.getKey()),
            "unknown key; known keys here: " + String.join(", ", known));
      }
    }
  }

  private Node value(String key) {
    known.add(key);
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : tuple.getValueNode();
  }

  private ScalarNode scalar(String key) {
    Node value = value(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof ScalarNode scalar)) {
      problems.add(value, path(key), "expected a single value, not a list or mapping");
      return null;
    }
    return "null".equals(scalar.getTag().getValue().replace("tag:yaml.org,2002:", "")) ? null : scalar;
  }

  private String path(String key) {
    return prefix + key;
  }
}

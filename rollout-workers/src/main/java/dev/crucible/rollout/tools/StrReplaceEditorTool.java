package dev.crucible.rollout.tools;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.ShellQuote;
import dev.crucible.rollout.sandbox.WorkdirPaths;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code str_replace_editor}: view a file, create one, replace a unique string, insert lines, and undo
 * the last edit of a file.
 */
public final class StrReplaceEditorTool implements Tool {
  /** Lines of context shown around an edit. */
  static final int SNIPPET_CONTEXT = 4;

  private static final ObjectNode PARAMETERS =
      Schemas.parse(
          """
          {"type": "object",
           "properties": {
             "command": {"type": "string", "enum": ["view", "create", "str_replace", "insert", "undo_edit"]},
             "path": {"type": "string", "description": "File path relative to the repository root."},
             "file_text": {"type": "string", "description": "create: the content of the new file."},
             "old_str": {"type": "string", "description": "str_replace: text to replace; must occur exactly once."},
             "new_str": {"type": "string", "description": "str_replace: the replacement; insert: the text to insert."},
             "insert_line": {"type": "integer", "description": "insert: the new text goes after this line (0 for the top)."},
             "view_range": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}
           },
           "required": ["command", "path"]}
          """);

  @Override
  public String name() {
    return "str_replace_editor";
  }

  @Override
  public String description() {
    return "Edit files: 'view' shows a file, 'create' writes a new file, 'str_replace' replaces old_str (which"
        + " must occur exactly once) with new_str, 'insert' adds new_str after insert_line, 'undo_edit' reverts"
        + " the last edit of the file.";
  }

  @Override
  public ObjectNode parameters() {
    return PARAMETERS;
  }

  @Override
  public String call(Arguments arguments, ToolContext context) {
    String command = arguments.requiredString("command");
    String path = arguments.requiredString("path");
    if (command.equals("view")) {
      return ViewFileTool.show(path, arguments.optionalRange("view_range"), context);
    }
    String observation = switch (command) {
      case "create" -> create(path, arguments.requiredString("file_text"), context);
      case "str_replace" ->
          replace(path, arguments.requiredString("old_str"), arguments.optionalString("new_str", ""), context);
      case "insert" -> insert(path, requiredInt(arguments, "insert_line"), arguments.requiredString("new_str"), context);
      case "undo_edit" -> undo(path, context);
      default ->
          throw new ToolFailure(
              "unknown command '" + command + "'; use view, create, str_replace, insert or undo_edit");
    };
    context.editBoundary();
    return observation;
  }

  private static String create(String path, String text, ToolContext context) {
    if (existing(path, context).isPresent()) {
      throw new ToolFailure("'" + path + "' already exists; use str_replace or insert to change it");
    }
    context.recordBeforeEdit(key(path, context), Optional.empty());
    context.sandbox().writeFile(path, text.getBytes(UTF_8));
    return "Created " + path + " (" + text.lines().count() + " lines).";
  }

  private static String replace(String path, String oldText, String newText, ToolContext context) {
    String content = new String(read(path, context), UTF_8);
    if (oldText.isEmpty()) {
      throw new ToolFailure("old_str is empty; give the exact text to replace");
    }
    int count = occurrences(content, oldText);
    if (count == 0) {
      throw new ToolFailure("old_str was not found in " + path + "; it must match exactly, whitespace included");
    }
    if (count > 1) {
      throw new ToolFailure(
          "old_str occurs " + count + " times in " + path + "; add surrounding lines so it occurs exactly once");
    }
    int at = content.indexOf(oldText);
    String updated = content.substring(0, at) + newText + content.substring(at + oldText.length());
    write(path, content, updated, context);
    int firstLine = lineOf(updated, at);
    return "Edited " + path + ". Around the change:\n" + snippet(path, updated, firstLine, firstLine + (int) newText.lines().count());
  }

  private static String insert(String path, int afterLine, String text, ToolContext context) {
    String content = new String(read(path, context), UTF_8);
    FileText file = FileText.of(path, content.getBytes(UTF_8));
    if (afterLine < 0 || afterLine > file.lineCount()) {
      throw new ToolFailure("insert_line " + afterLine + " is outside the file, which has " + file.lineCount() + " lines");
    }
    String base = content.isEmpty() || content.endsWith("\n") ? content : content + "\n";
    int offset = 0;
    for (int line = 0; line < afterLine; line++) {
      offset = base.indexOf('\n', offset) + 1;
    }
    String inserted = text.endsWith("\n") ? text : text + "\n";
    String updated = base.substring(0, offset) + inserted + base.substring(offset);
    write(path, content, updated, context);
    return "Inserted " + inserted.lines().count() + " lines after line " + afterLine + " of " + path + ":\n"
        + snippet(path, updated, afterLine + 1, afterLine + (int) inserted.lines().count());
  }

  private static String undo(String path, ToolContext context) {
    Optional<byte[]> previous = context.popEdit(key(path, context));
    if (previous == null) {
      throw new ToolFailure("there is no edit of " + path + " to undo");
    }
    if (previous.isEmpty()) {
      context.sandbox().exec("rm -f -- " + ShellQuote.quote(context.sandbox().resolvePath(path, true)), Duration.ofSeconds(30));
      return "Undid the creation of " + path + "; it no longer exists.";
    }
    context.sandbox().writeFile(path, previous.get());
    return "Reverted the last edit of " + path + ".";
  }

  private static void write(String path, String before, String after, ToolContext context) {
    context.recordBeforeEdit(key(path, context), Optional.of(before.getBytes(UTF_8)));
    context.sandbox().writeFile(path, after.getBytes(UTF_8));
  }

  private static byte[] read(String path, ToolContext context) {
    return existing(path, context).orElseThrow(() -> new ToolFailure("'" + path + "' does not exist; use create"));
  }

  /** The file's content, or empty when it does not exist; any other problem (outside the repository) is raised. */
  private static Optional<byte[]> existing(String path, ToolContext context) {
    try {
      return Optional.of(context.sandbox().readFile(path));
    } catch (SandboxException e) {
      if (e.kind() == SandboxException.Kind.FILE_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Edits of {@code a/../b.py} and {@code b.py} share one history (paths compared lexically). */
  private static String key(String path, ToolContext context) {
    return WorkdirPaths.normalize(path);
  }

  private static int requiredInt(Arguments arguments, String name) {
    Integer value = arguments.optionalInt(name);
    if (value == null) {
      throw new ToolFailure("missing required argument '" + name + "'");
    }
    return value;
  }

  /** How many times {@code part} occurs in {@code text}, overlaps included: the count {@code str_replace} requires to be 1. */
  public static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String snippet(String path, String content, int firstChanged, int lastChanged) {
    FileText file = FileText.of(path, content.getBytes(UTF_8));
    if (file.lineCount() == 0) {
      return "(the file is now empty)\n";
    }
    int first = Math.max(1, firstChanged - SNIPPET_CONTEXT);
    int last = Math.min(file.lineCount(), Math.max(firstChanged, lastChanged) + SNIPPET_CONTEXT);
    return file.numbered(first, last);
  }
}

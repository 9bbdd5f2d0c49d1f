package dev.crucible.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.trainer.chat.Message;
import java.util.ArrayList;
import java.util.List;

/** Small agent conversations for training tests: a task, then view and edit calls. */
public final class Conversations {
  private Conversations() {}

  public static final ArrayNode TOOLS = tools();

  public static List<Message> fixing(String file, String function) {
    List<Message> messages = new ArrayList<>();
    messages.add(Message.of("system", "You fix bugs."));
    messages.add(Message.of("user", "The function " + function + " in " + file + " returns the wrong value."));
    messages.add(new Message("assistant", "Let me look at the file.", "view_file", "{\"path\": \"" + file + "\"}"));
    messages.add(new Message("tool", "def " + function + "(a, b):\n    return a - b\n", "view_file", null));
    messages.add(new Message("assistant", "I will fix it.", "str_replace_editor",
        "{\"path\": \"" + file + "\", \"old_str\": \"a - b\", \"new_str\": \"a + b\"}"));
    return messages;
  }

  private static ArrayNode tools() {
    ArrayNode tools = new ObjectMapper().createArrayNode();
    tools.addObject().put("type", "function").putObject("function").put("name", "view_file").put("description", "Show a file.");
    return tools;
  }
}

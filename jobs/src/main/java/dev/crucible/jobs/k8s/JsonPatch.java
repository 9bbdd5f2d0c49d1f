package dev.crucible.jobs.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON patches of the operations the k8s components use ({@code add}, {@code replace}, {@code remove}),
 * applied as kustomize applies them, so a component means the same to {@code kubectl apply -k} and to
 * {@code k8s render}.
 */
final class JsonPatch {
  private JsonPatch() {}

  /**
   * Applies {@code operations} to {@code document} in place.
   *
   * @throws IllegalArgumentException naming the operation's path when it does not apply
   */
  static void apply(ObjectNode document, ArrayNode operations) {
    for (JsonNode operation : operations) {
      String path = operation.path("path").asText();
      String op = operation.path("op").asText();
      int slash = path.lastIndexOf('/');
      JsonNode parent = document.at(path.substring(0, slash));
      String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
      if (parent instanceof ObjectNode object && (op.equals("add") || op.equals("replace") && object.has(last))) {
        object.set(last, operation.get("value").deepCopy());
      } else if (parent instanceof ObjectNode object && op.equals("remove") && object.has(last)) {
        object.remove(last);
      } else if (parent instanceof ArrayNode array && op.equals("add") && last.equals("-")) {
        array.add(operation.get("value").deepCopy());
      } else if (parent instanceof ArrayNode array && last.matches("[0-9]+") && Integer.parseInt(last) < array.size()
          && (op.equals("replace") || op.equals("remove"))) {
        if (op.equals("replace")) {
          array.set(Integer.parseInt(last), operation.get("value").deepCopy());
        } else {
          array.remove(Integer.parseInt(last));
        }
      } else {
        throw new IllegalArgumentException("the patch's '" + op + "' of " + path + " does not apply: no such place");
      }
    }
  }
}

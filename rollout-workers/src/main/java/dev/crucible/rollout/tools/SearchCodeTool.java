package dev.crucible.rollout.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.rollout.search.CodeIndex;
import dev.crucible.rollout.search.EmbeddingsRefusedException;
import dev.crucible.rollout.search.UnitKind;
import java.util.List;

/**
 * {@code search_code}: the files or functions of the repository that best match a description, ranked by BM25
 * over their paths, names, signatures, docstrings and code ({@link CodeIndex}). The index is of the task's
 * snapshot, made before the agent's first step: edits the agent makes are not in it.
 */
public final class SearchCodeTool implements Tool {
  public static final String NAME = "search_code";
  static final int DEFAULT_RESULTS = 10;
  static final int MAX_RESULTS = 50;

  private static final ObjectNode PARAMETERS =
      Schemas.parse(
          """
          {"type": "object",
           "properties": {
             "query": {"type": "string", "description": "What to find, in words or identifiers: a behaviour, an error message, a name."},
             "kind": {"type": "string", "enum": ["function", "file"], "description": "Rank functions and methods (default) or whole files."},
             "k": {"type": "integer", "description": "How many results, 1 to 50; default 10."}
           },
           "required": ["query"]}
          """);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Find the functions (or files) of the repository that best match a description; shows path:lines and the signature of each,"
        + " best first. It searches the code as it was before your edits.";
  }

  @Override
  public ObjectNode parameters() {
    return PARAMETERS;
  }

  @Override
  public String call(Arguments arguments, ToolContext context) {
    String query = arguments.requiredString("query");
    UnitKind kind;
    try {
      kind = UnitKind.named(arguments.optionalString("kind", UnitKind.FUNCTION.argumentName()));
    } catch (IllegalArgumentException e) {
      throw new ToolFailure(e.getMessage());
    }
    Integer given = arguments.optionalInt("k");
    int k = given == null ? DEFAULT_RESULTS : given;
    if (k < 1 || k > MAX_RESULTS) {
      throw new ToolFailure("k must be between 1 and " + MAX_RESULTS + ", not " + k);
    }
    CodeIndex index = context.codeIndex();
    List<CodeIndex.Hit> hits;
    try {
      hits = index.search(query, kind, k);
    } catch (EmbeddingsRefusedException e) { // The endpoint embedded the snapshot; this query is what it refuses.
      throw new ToolFailure("the query could not be embedded, shorten or reword it (" + e.getMessage() + ")");
    }
    String plural = kind == UnitKind.FUNCTION ? "functions" : "files";
    if (hits.isEmpty()) {
      return "No " + plural + " match '" + query + "'.";
    }
    StringBuilder text = new StringBuilder();
    text.append(hits.size()).append(' ').append(hits.size() == 1 ? kind.argumentName() : plural).append(" for '").append(query).append("':\n");
    for (CodeIndex.Hit hit : hits) {
      text.append(hit.unit().path()).append(':').append(hit.unit().startLine()).append('-').append(hit.unit().endLine());
      if (kind == UnitKind.FUNCTION) {
        text.append("  ").append(hit.unit().name()).append("  ").append(hit.unit().signature());
      }
      text.append('\n');
    }
    return text.toString();
  }
}

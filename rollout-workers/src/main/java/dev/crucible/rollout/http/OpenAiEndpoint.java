package dev.crucible.rollout.http;

/**
 * An OpenAI-compatible server's base URL and a model it serves, as the command line and configs write them:
 * {@code URL#MODEL}, or {@code URL} alone for the model {@code default}; trailing slashes of the URL dropped.
 */
public record OpenAiEndpoint(String baseUrl, String model) {
  /** {@code spec} split at its first {@code #}; nothing checked. */
  public static OpenAiEndpoint parse(String spec) {
    int hash = spec.indexOf('#');
    return new OpenAiEndpoint((hash < 0 ? spec : spec.substring(0, hash)).replaceAll("/+$", ""), hash < 0 ? "default" : spec.substring(hash + 1));
  }

  /** Whether {@code url} is an http(s) one, as every client here needs. */
  public static boolean isHttp(String url) {
    return url.startsWith("http://") || url.startsWith("https://");
  }
}

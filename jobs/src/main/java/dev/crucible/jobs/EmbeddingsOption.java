package dev.crucible.jobs;

import dev.crucible.rollout.search.EmbeddingsEndpoint;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code --embeddings} option of the commands whose search_code may rank by dense vectors too. */
final class EmbeddingsOption {
  @Option(
      names = "--embeddings",
      paramLabel = "URL[#MODEL]",
      converter = Converter.class,
      description = "An OpenAI-compatible embeddings endpoint, for example http://127.0.0.1:8000/v1#bge-small: search_code fuses its"
          + " vectors with BM25 by reciprocal rank (default: BM25 alone).")
  EmbeddingsEndpoint endpoint;

  static final class Converter implements CommandLine.ITypeConverter<EmbeddingsEndpoint> {
    @Override
    public EmbeddingsEndpoint convert(String value) {
      try {
        return EmbeddingsEndpoint.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}

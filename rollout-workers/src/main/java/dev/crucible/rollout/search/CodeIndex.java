package dev.crucible.rollout.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The index of one repository snapshot: every file and every function, searched with BM25 (Lucene's
 * {@code BM25Similarity}, k1 = 1.2, b = 0.75) over their path, name, signature, docstring and text, each
 * analyzed by {@link IdentifierAnalyzer}. A query's words are looked up in every field, a word scoring by its
 * best field (a disjunction-max query); names, paths and signatures weigh more than bodies.
 *
 * <p>With an {@link Embedder}, every unit also gets a vector (of its path, name, signature, docstring and text) and a
 * query is answered by both searches fused by reciprocal rank ({@link #fuse}).
 *
 * <p>Built once per snapshot and then only read: searches may run from many threads at once.
 */
public final class CodeIndex implements AutoCloseable {
  /** Most distinct query words used: a long problem statement is cut, its first words kept. */
  static final int MAX_QUERY_WORDS = 256;
  private static final Map<String, Float> FIELD_WEIGHTS =
      Map.of("name", 3f, "path", 2f, "signature", 2f, "docstring", 1.5f, "text", 1f);

  private final Analyzer analyzer = new IdentifierAnalyzer();
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final int units;
  private final Embedder embedder;
  /** Results each search ranks before fusion. */
  static final int FUSED_DEPTH = 50;
  /** The constant of reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): rank r scores 1 / (60 + r). */
  static final int RRF_K = 60;

  /** One search result. */
  public record Hit(CodeUnit unit, float score) {}

  public CodeIndex(List<CodeUnit> units) {
    this(units, null);
  }

  /** @param embedder makes the units' and queries' vectors; {@code null} for BM25 alone */
  public CodeIndex(List<CodeUnit> units, Embedder embedder) {
    this.embedder = embedder;
    List<float[]> vectors = embedder == null ? null : embedder.embed(units.stream().map(CodeIndex::embeddedText).toList());
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
      for (int i = 0; i < units.size(); i++) {
        Document document = document(units.get(i));
        if (vectors != null) {
          document.add(new KnnFloatVectorField("vector", vectors.get(i), VectorSimilarityFunction.COSINE));
        }
        writer.addDocument(document);
      }
      writer.commit();
      reader = DirectoryReader.open(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the code index", e);
    }
    searcher = new IndexSearcher(reader);
    this.units = units.size();
  }

  /** How many files and functions it holds. */
  public int size() {
    return units;
  }

  /**
   * The {@code k} best units of {@code kind} for {@code query}, best first: by BM25, fused with the vector search when
   * the index has vectors. Empty when nothing matches.
   */
  public List<Hit> search(String query, UnitKind kind, int k) {
    if (embedder == null || k < 1) {
      return bm25(query, kind, k);
    }
    return fuse(List.of(bm25(query, kind, FUSED_DEPTH), dense(query, kind, FUSED_DEPTH)), k);
  }

  /** The {@code k} nearest units of {@code kind} to {@code query}'s vector; the index must have vectors. */
  public List<Hit> dense(String query, UnitKind kind, int k) {
    float[] vector = embedder.embed(List.of(query)).get(0);
    Query nearest = new KnnFloatVectorQuery("vector", vector, k, kindIs(kind));
    return hits(nearest, k);
  }

  /**
   * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each unit scores the sum over the rankings of
   * 1 / ({@value #RRF_K} + its rank), ranks counted from 1; the {@code k} best, ties by first appearance.
   */
  static List<Hit> fuse(List<List<Hit>> rankings, int k) {
    Map<CodeUnit, Float> scores = new LinkedHashMap<>(); // A unit read twice from the index is one equal record.
    for (List<Hit> ranking : rankings) {
      for (int rank = 0; rank < ranking.size(); rank++) {
        scores.merge(ranking.get(rank).unit(), 1f / (RRF_K + rank + 1), Float::sum);
      }
    }
    return scores.entrySet().stream()
        .sorted(Map.Entry.<CodeUnit, Float>comparingByValue().reversed())
        .limit(k)
        .map(entry -> new Hit(entry.getKey(), entry.getValue()))
        .toList();
  }

  /** The {@code k} best units of {@code kind} for {@code query} by BM25 alone; empty when no word of it matches. */
  public List<Hit> bm25(String query, UnitKind kind, int k) {
    List<String> words = words(query);
    if (words.isEmpty() || k < 1) {
      return List.of();
    }
    BooleanQuery.Builder anyWord = new BooleanQuery.Builder();
    for (String word : words) {
      List<Query> fields = new ArrayList<>();
      FIELD_WEIGHTS.forEach((field, weight) -> fields.add(new BoostQuery(new TermQuery(new Term(field, word)), weight)));
      anyWord.add(new DisjunctionMaxQuery(fields, 0.1f), BooleanClause.Occur.SHOULD);
    }
    Query matching = new BooleanQuery.Builder()
        .add(anyWord.setMinimumNumberShouldMatch(1).build(), BooleanClause.Occur.MUST)
        .add(kindIs(kind), BooleanClause.Occur.FILTER)
        .build();
    return hits(matching, k);
  }

  private List<Hit> hits(Query query, int k) {
    try {
      List<Hit> hits = new ArrayList<>();
      for (ScoreDoc scored : searcher.search(query, k).scoreDocs) {
        hits.add(new Hit(unit(searcher.storedFields().document(scored.doc)), scored.score));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search the code index", e);
    }
  }

  private static Query kindIs(UnitKind kind) {
    return new TermQuery(new Term("kind", kind.argumentName()));
  }

  /** What a unit's vector is made of: its path, name, signature, docstring and text, a line each. */
  public static String embeddedText(CodeUnit unit) {
    return String.join("\n", unit.path(), unit.name(), unit.signature(), unit.docstring(), unit.text());
  }

  /** The distinct words of {@code text} as the index holds them, in order of first appearance. */
  List<String> words(String text) {
    Set<String> words = new LinkedHashSet<>();
    try (TokenStream stream = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken() && words.size() < MAX_QUERY_WORDS) {
        words.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(words);
  }

  private static Document document(CodeUnit unit) {
    Document document = new Document();
    document.add(new StringField("kind", unit.kind().argumentName(), Field.Store.YES));
    document.add(new TextField("path", unit.path(), Field.Store.YES));
    document.add(new TextField("name", unit.name(), Field.Store.YES));
    document.add(new TextField("signature", unit.signature(), Field.Store.YES));
    document.add(new TextField("docstring", unit.docstring(), Field.Store.NO));
    document.add(new TextField("text", unit.text(), Field.Store.NO));
    document.add(new StoredField("start", unit.startLine()));
    document.add(new StoredField("end", unit.endLine()));
    return document;
  }

  private static CodeUnit unit(Document document) {
    return new CodeUnit(UnitKind.named(document.get("kind")), document.get("path"), document.get("name"),
        document.getField("start").numericValue().intValue(), document.getField("end").numericValue().intValue(),
        document.get("signature"), "", "");
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

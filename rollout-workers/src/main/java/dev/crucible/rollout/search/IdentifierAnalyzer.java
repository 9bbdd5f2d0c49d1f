package dev.crucible.rollout.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;

/**
 * Text and code to the same words: identifiers are kept whole and split at underscores, case changes and
 * digits ({@code countWords}, {@code count_words} → {@code countword}, {@code count}, {@code word}), everything
 * lower-cased, English stop words dropped, and each word stemmed (Porter's algorithm, as Lucene's
 * {@code PorterStemFilter} implements it). A problem statement that says "counting words" then meets a
 * function named {@code count_words}.
 */
public final class IdentifierAnalyzer extends Analyzer {
  /** English stop words and the keywords of Python that every file holds. */
  private static final CharArraySet STOP_WORDS;

  static {
    CharArraySet words = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
    for (String keyword : new String[] {"def", "self", "return", "import", "from", "class", "none", "true", "false", "elif", "else", "pass"}) {
      words.add(keyword);
    }
    STOP_WORDS = CharArraySet.unmodifiableSet(words);
  }

  @Override
  protected TokenStreamComponents createComponents(String field) {
    Tokenizer tokenizer = new PatternTokenizer(java.util.regex.Pattern.compile("[A-Za-z0-9_]+"), 0);
    int flags = WordDelimiterGraphFilter.GENERATE_WORD_PARTS | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
        | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS
        | WordDelimiterGraphFilter.PRESERVE_ORIGINAL;
    TokenStream words = new WordDelimiterGraphFilter(tokenizer, flags, null);
    // The split parts form a graph; an index holds flat token streams.
    TokenStream flat = new FlattenGraphFilter(words);
    return new TokenStreamComponents(tokenizer, new PorterStemFilter(new StopFilter(new LowerCaseFilter(flat), STOP_WORDS)));
  }
}

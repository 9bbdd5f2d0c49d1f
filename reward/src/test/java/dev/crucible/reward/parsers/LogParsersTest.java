package dev.crucible.reward.parsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogParsersTest {
  @Test
  void findsCrucibleParsersByTaskName() {
    assertThat(LogParsers.named("pytest")).isInstanceOf(PytestLogParser.class);
    assertThat(LogParsers.named("junit_xml")).isInstanceOf(JUnitXmlLogParser.class);
  }

  @Test
  void findsSweBenchParsersByTheirRegistryNames() {
    assertThat(LogParsers.named("parse_log_astropy").parse("PASSED a.py::t[x y]\n")).containsEntry("a.py::t[x y]", TestStatus.PASSED);
    assertThat(LogParsers.named("parse_log_flask").parse("PASSED a.py::t[x y]\n")).containsEntry("a.py::t[x", TestStatus.PASSED);
  }

  /** Every name of SWE-bench 5.0.2's {@code PARSER_REGISTRY} ({@code swebench/harness/log_parsers/__init__.py}). */
  @Test
  void hasEveryParserOfSweBenchsRegistry() {
    List<String> official =
        List.of(
        "parse_log_pytest", "parse_log_pytest_options", "parse_log_django", "parse_log_pytest_v2",
        "parse_log_seaborn", "parse_log_sympy", "parse_log_matplotlib", "parse_log_astroid", "parse_log_flask",
        "parse_log_marshmallow", "parse_log_pvlib", "parse_log_pyvista", "parse_log_sqlfluff", "parse_log_xarray",
        "parse_log_pydicom", "parse_log_requests", "parse_log_pylint", "parse_log_astropy", "parse_log_scikit",
        "parse_log_sphinx", "parse_log_calypso", "parse_log_bpmn_js", "parse_log_carbon", "parse_log_eslint",
        "parse_log_grommet", "parse_log_highlightjs", "parse_log_lighthouse", "parse_log_next",
        "parse_log_openlayers", "parse_log_prismjs", "parse_log_quarto_cli", "parse_log_chart_js",
        "parse_log_marked", "parse_log_p5js", "parse_log_react_pdf", "parse_log_jest", "parse_log_jest_json",
        "parse_log_vitest", "parse_log_karma", "parse_log_tap", "parse_log_immutable_js", "parse_log_redis",
        "parse_log_jq", "parse_log_doctest", "parse_log_micropython_test", "parse_log_googletest",
        "parse_log_gotest", "parse_log_maven", "parse_log_ant", "parse_log_gradle_custom", "parse_log_phpunit",
        "parse_log_minitest", "parse_log_cucumber", "parse_log_ruby_unit", "parse_log_rspec_transformed_json",
        "parse_log_jekyll", "parse_log_cargo");
    assertThat(official).hasSize(57);
    assertThat(SweBenchLogParsers.names()).containsExactlyInAnyOrderElementsOf(official);
  }

  @Test
  void givesTheParsersThatReadItTheRowsIdAndVersion() {
    String jestJson = "[PASSED] suite test a\n";
    assertThat(LogParsers.named("parse_log_immutable_js", "immutable-js__immutable-js-2005", null).parse(jestJson))
        .containsEntry("suite test a", TestStatus.PASSED);
    assertThat(LogParsers.named("parse_log_immutable_js", "immutable-js__immutable-js-2006", null).parse(jestJson))
        .as("2006 runs jest's verbose reporter").doesNotContainKey("suite test a");
    String minitest = "TestSite#test: builds the site.  = 0.04 s = .\n";
    assertThat(LogParsers.named("parse_log_jekyll", "jekyll__jekyll-9141", "4.3").parse(minitest)).isNotEmpty();
    assertThat(LogParsers.named("parse_log_jekyll", "jekyll__jekyll-1", "4.3").parse(minitest)).as("an unknown pull request").isEmpty();
  }

  @Test
  void namesTheKnownParsersForAnUnknownOne() {
    assertThatThrownBy(() -> LogParsers.named("nose"))
        .hasMessageStartingWith("unknown log_parser 'nose'; known: pytest, unittest, junit_xml, parse_log_pytest, ")
        .hasMessageContaining("parse_log_sphinx");
  }
}

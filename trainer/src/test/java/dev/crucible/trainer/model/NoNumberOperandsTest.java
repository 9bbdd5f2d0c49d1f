package dev.crucible.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The trainer's sources call no DJL array method that wraps a {@code Number} in a tensor PyTorch does not
 * own and whose backward pass reads it ({@link Scalars} says why). Compiles this module's main sources
 * with javac's tree API and resolves every call, so an alias or a helper variable cannot hide one.
 */
class NoNumberOperandsTest {
  /** Their backward passes do not read the number (add, sub), or the number is passed to PyTorch by value. */
  private static final Set<String> SAFE = Set.of("add", "addi", "sub", "subi", "clip", "eq", "neq", "gt", "gte", "lt", "lte");

  @Test
  void noArrayMethodTakesANumberOperandWhoseMemoryAutogradDoesNotOwn() throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler).as("a JDK's compiler").isNotNull();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      sources = files.filter(path -> path.toString().endsWith(".java")).toList();
    }
    assertThat(sources).as("the trainer's main sources, from the module's folder").isNotEmpty();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      JavacTask task = (JavacTask) compiler.getTask(null, fileManager, diagnostics,
          List.of("-proc:none", "-classpath", System.getProperty("java.class.path")), null, fileManager.getJavaFileObjectsFromPaths(sources));
      Iterable<? extends CompilationUnitTree> units = task.parse();
      task.analyze();
      assertThat(diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR))
          .as("the sources compile, so every call resolved").isEmpty();
      Trees trees = Trees.instance(task);
      Types types = task.getTypes();
      TypeElement ndArray = task.getElements().getTypeElement("ai.djl.ndarray.NDArray");
      TypeMirror number = task.getElements().getTypeElement("java.lang.Number").asType();
      List<String> offending = new ArrayList<>();
      for (CompilationUnitTree unit : units) {
        new TreePathScanner<Void, Void>() {
          @Override
          public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
            Element element = trees.getElement(getCurrentPath());
            if (element instanceof ExecutableElement method
                && types.isSubtype(types.erasure(method.getEnclosingElement().asType()), types.erasure(ndArray.asType()))
                && !SAFE.contains(method.getSimpleName().toString())
                && method.getParameters().stream().anyMatch(parameter -> types.isSameType(parameter.asType(), number))) {
              long line = unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, call));
              offending.add(Path.of(unit.getSourceFile().toUri()).getFileName() + ":" + line + " " + call);
            }
            return super.visitMethodInvocation(call, unused);
          }
        }.scan(unit, null);
      }
      assertThat(offending).as("use Scalars.times/over/like instead").isEmpty();
    }
  }
}

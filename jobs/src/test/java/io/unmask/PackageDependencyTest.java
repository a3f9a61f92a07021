package io.unmask;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Package dependencies that must run one way, checked on the main sources: linking uses the
 * features' IP enrichment, so features never use linking (the pipeline chains the two).
 */
class PackageDependencyTest {
  private static final Path MAIN = Path.of("src", "main", "java", "io", "unmask");

  /** Source files of {@code io.unmask.<pkg>} (and its subpackages) that mention {@code target}. */
  static List<String> offenders(String pkg, String target) throws IOException {
    Path dir = MAIN.resolve(pkg.replace('.', '/'));
    assertThat(dir)
        .as("main sources of io.unmask.%s (run from the jobs module)", pkg)
        .isDirectory();
    Pattern use = Pattern.compile("\\bio\\.unmask\\." + Pattern.quote(target) + "\\b");
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(
              p -> {
                try {
                  return use.matcher(Files.readString(p)).find();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .map(p -> MAIN.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void featuresNeverDependOnLinking() throws IOException {
    assertThat(offenders("features", "linking"))
        .as("io.unmask.features files importing or naming io.unmask.linking")
        .isEmpty();
  }

  @Test
  void theCheckFindsAUseWhereThereIsOne() throws IOException {
    // the pipeline legitimately chains features and linking: proves the scan sees imports
    assertThat(offenders("pipeline", "linking")).contains("pipeline/FeaturesStage.java");
  }
}

package io.unmask.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Progress;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GenerateDeterminismTest extends SparkTest {

  static Path generate(String name, GenerateJob.Options o) {
    GenerateJob.run(spark(), o, new Progress(new PrintStream(new ByteArrayOutputStream())));
    return Path.of(o.output());
  }

  static GenerateJob.Options options(Path dir, long n, Scenario s, OutputFormat f, int perFile) {
    return new GenerateJob.Options(dir.toString(), n, 7, s, f, 15, perFile, false);
  }

  static Map<String, String> hashes(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        out.put(
            root.relativize(p).toString(),
            HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }

  @Test
  void sameSeedGivesSameBytes() throws Exception {
    Path a = generate("a", options(tempDir("gen-a"), 400, Scenario.DIRTY, OutputFormat.CSV, 150));
    Path b = generate("b", options(tempDir("gen-b"), 400, Scenario.DIRTY, OutputFormat.CSV, 150));
    Map<String, String> ha = hashes(a);
    assertThat(ha).isEqualTo(hashes(b));
    assertThat(ha.keySet())
        .contains(
            "profiles/part-00000.csv.gz",
            "profiles/part-00002.csv.gz",
            "logins/part-00001.csv.gz",
            "payments/part-00002.csv.gz",
            "labels/part-00000.csv.gz",
            "_truth/accounts/part-00000.csv.gz",
            "_truth/summary.json",
            "_truth/expected_quarantine.csv");
    // Only deterministic names: no _SUCCESS, no .crc, no hidden temporary files.
    for (String f : ha.keySet()) {
      String name = Path.of(f).getFileName().toString();
      assertThat(name).matches("part-\\d{5}\\.csv\\.gz|summary\\.json|expected_quarantine\\.csv");
    }
    // gzip headers carry no modification time.
    byte[] head = Files.readAllBytes(a.resolve("logins/part-00000.csv.gz"));
    assertThat(new byte[] {head[4], head[5], head[6], head[7]}).containsOnly(0);
  }

  @Test
  void anotherSeedGivesOtherData() throws Exception {
    Path a =
        generate("a", options(tempDir("gen-s1"), 200, Scenario.STANDARD, OutputFormat.CSV, 1000));
    GenerateJob.Options o =
        new GenerateJob.Options(
            tempDir("gen-s2").toString(),
            200,
            8,
            Scenario.STANDARD,
            OutputFormat.CSV,
            15,
            1000,
            false);
    Path b = generate("b", o);
    assertThat(hashes(a).get("logins/part-00000.csv.gz"))
        .isNotEqualTo(hashes(b).get("logins/part-00000.csv.gz"));
  }

  @Test
  void contentDoesNotDependOnTheFileSplit() throws Exception {
    Path one =
        generate("one", options(tempDir("gen-1"), 300, Scenario.STANDARD, OutputFormat.CSV, 1000));
    Path three =
        generate("three", options(tempDir("gen-3"), 300, Scenario.STANDARD, OutputFormat.CSV, 100));
    for (String table : List.of("profiles", "logins", "payments", "labels", "_truth/accounts")) {
      assertThat(body(three.resolve(table))).as(table).isEqualTo(body(one.resolve(table)));
    }
  }

  @Test
  void jsonLinesAreDeterministicToo() throws Exception {
    Path a =
        generate("a", options(tempDir("gen-j1"), 250, Scenario.DIRTY, OutputFormat.JSONL, 100));
    Path b =
        generate("b", options(tempDir("gen-j2"), 250, Scenario.DIRTY, OutputFormat.JSONL, 100));
    assertThat(hashes(a)).isEqualTo(hashes(b)).containsKey("logins/part-00002.jsonl.gz");
  }

  @Test
  void parquetHoldsTheSameRowsAsCsv() {
    Path csv =
        generate("c", options(tempDir("gen-pc"), 300, Scenario.STANDARD, OutputFormat.CSV, 120));
    Path pq =
        generate(
            "p", options(tempDir("gen-pp"), 300, Scenario.STANDARD, OutputFormat.PARQUET, 120));
    assertThat(pq.resolve("logins/part-00002.parquet")).exists();
    for (String table : List.of("profiles", "logins", "payments")) {
      var fromCsv =
          spark()
              .read()
              .option("header", "true")
              .option("multiLine", "true")
              .csv(csv.resolve(table).toString());
      var fromParquet = spark().read().parquet(pq.resolve(table).toString());
      String key = fromParquet.columns()[0];
      assertThat(fromParquet.count()).as(table).isEqualTo(fromCsv.count());
      assertThat(fromParquet.select(key).except(fromCsv.select(key)).count()).as(table).isZero();
    }
    try (Stream<Path> files = Files.walk(pq)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".") || n.startsWith("_SUCCESS") || n.endsWith(".crc"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The decompressed rows of every part file of a folder, in order, without headers. */
  static String body(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
          String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          sb.append(text.substring(text.indexOf('\n') + 1));
        }
      }
    }
    return sb.toString();
  }
}

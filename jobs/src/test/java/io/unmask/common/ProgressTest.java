package io.unmask.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Long stages report tasks and rows as they go; the stage's summary line still ends it. */
class ProgressTest extends SparkTest {
  private static final Pattern TICK =
      Pattern.compile(
          "\\.\\.\\. demo +\\d+ s  ([\\d,]+) rows read, ([\\d,]+) rows written, tasks ([\\d,]+)/([\\d,]+)");

  @Test
  void aRunningStageReportsRowsAndTasksUntilItIsDone() throws Exception {
    String path = tempDir("progress").resolve("t").toString();
    spark().range(0, 20_000, 1, 4).write().parquet(path);

    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Progress p =
        new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8)).watch(spark(), 150);
    try {
      p.start("demo");
      spark()
          .read()
          .parquet(path)
          .foreachPartition(
              (ForeachPartitionFunction<Row>)
                  it -> {
                    while (it.hasNext()) {
                      it.next();
                    }
                    Thread.sleep(400);
                  });
      Thread.sleep(400); // the listener bus delivers task ends asynchronously
      p.done(20_000, "rows");
      String linesAfterDone = buf.toString(StandardCharsets.UTF_8);
      Thread.sleep(400);
      // Nothing more once the stage is done.
      assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(linesAfterDone);
    } finally {
      p.close();
    }
    List<String> lines = Arrays.asList(buf.toString(StandardCharsets.UTF_8).split("\n"));
    List<String> ticks = lines.stream().filter(l -> l.startsWith("... ")).toList();
    assertThat(ticks).isNotEmpty();
    Matcher last = TICK.matcher(ticks.get(ticks.size() - 1));
    assertThat(last.matches()).as(ticks.get(ticks.size() - 1)).isTrue();
    assertThat(Long.parseLong(last.group(1).replace(",", ""))).isEqualTo(20_000);
    assertThat(last.group(3)).isEqualTo(last.group(4));
    assertThat(lines.get(lines.size() - 1)).startsWith("demo").contains("20,000 rows");
  }
}

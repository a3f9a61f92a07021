package io.unmask.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command's option checks: bad values are usage errors (exit 2) before any Spark work. */
class GenerateCommandTest {
  private static int run(StringWriter err, String... args) {
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }

  @Test
  void unknownScenarioIsAUsageError() {
    StringWriter err = new StringWriter();
    assertThat(run(err, "generate", "--output", "/tmp/x", "--scenario", "chaos")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown scenario 'chaos'").contains("realistic");
  }

  @Test
  void unknownFormatIsAUsageError() {
    StringWriter err = new StringWriter();
    assertThat(run(err, "generate", "--output", "/tmp/x", "--format", "xml")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown format 'xml'");
  }

  @Test
  void nonPositiveAccountsIsAUsageError() {
    StringWriter err = new StringWriter();
    assertThat(run(err, "generate", "--output", "/tmp/x", "--accounts", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--accounts");
  }

  @Test
  void dailyNeedsTwoDaysOrMore() {
    StringWriter err = new StringWriter();
    assertThat(run(err, "generate", "--output", "/tmp/x", "--daily", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("--daily");
  }

  @Test
  void dailyConflictsWithDirtyAndParquet() {
    StringWriter err = new StringWriter();
    assertThat(run(err, "generate", "--output", "/tmp/x", "--daily", "7", "--scenario", "dirty"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--daily").contains("dirty");
    StringWriter err2 = new StringWriter();
    assertThat(run(err2, "generate", "--output", "/tmp/x", "--daily", "7", "--format", "parquet"))
        .isEqualTo(2);
    assertThat(err2.toString()).contains("parquet");
  }

  @Test
  void outputIsRequired() {
    StringWriter err = new StringWriter();
    assertThat(run(err, "generate")).isEqualTo(2);
    assertThat(err.toString()).contains("--output");
  }
}

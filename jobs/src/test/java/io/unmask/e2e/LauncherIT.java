package io.unmask.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.testing.Fixtures;
import io.unmask.testing.Processes;
import io.unmask.testing.SparkTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The real {@code bin/unmask} as a user runs it, on the Maven-resolved Spark (no SPARK_HOME). */
class LauncherIT extends SparkTest {

  @Test
  void pipelineIngestsAndWritesDeltaTables() {
    Path in = Fixtures.minimalInput("e2e");
    Fixtures.write(
        in, "logins.csv", Fixtures.LOGINS_CSV + "e9,a1,2026-03-01T10:00:00Z,not-an-ip,d1\n");
    Path wh = SparkTest.tempDir("e2e-wh");

    Processes.Result r =
        Processes.unmask(
            Map.of(), "pipeline", "--input", in.toString(), "--warehouse", wh.toString());

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("ingest").contains("as_of 2026-03-03").contains("bad_ip:ip");
    assertThat(r.output()).doesNotContain("INFO");
    assertThat(DeltaIO.read(spark(), wh.toString(), Tables.LOGINS).count()).isEqualTo(2);
    assertThat(
            DeltaIO.read(spark(), wh.toString(), Tables.QUARANTINE)
                .filter(col(Cols.RULE).equalTo("bad_ip:ip"))
                .count())
        .isEqualTo(1);

    // The quality gate: one of three sign-ins quarantined fails the default 5% share, exit 1.
    Processes.Result gate = Processes.unmask(Map.of(), "check", "--warehouse", wh.toString());
    assertThat(gate.exit()).as(gate.output()).isEqualTo(1);
    assertThat(gate.lastLine())
        .contains("quality gate failed for 2026-03-03")
        .contains("logins quarantined 1 of 3 rows");
    // The same threshold raised in a settings file lets it pass; a typo there is a usage error.
    Path conf = SparkTest.tempDir("settings");
    Path settings = Fixtures.write(conf, "unmask.properties", "check.max-quarantine-share = 0.5\n");
    Processes.Result loose =
        Processes.unmask(
            Map.of(), "check", "--warehouse", wh.toString(), "--config", settings.toString());
    assertThat(loose.exit()).as(loose.output()).isZero();
    assertThat(loose.output()).contains("2026-03-03 passed");
    Path typo = Fixtures.write(conf, "typo.properties", "max-quarantine-shar = 0.5\n");
    Processes.Result bad =
        Processes.unmask(
            Map.of(), "check", "--warehouse", wh.toString(), "--config", typo.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.output()).contains("unknown setting 'max-quarantine-shar'");
  }

  @Test
  void pipelineThenTopOnTheBundledSample() {
    Path wh = SparkTest.tempDir("sample-wh");
    String sample = Processes.root().resolve("data-samples/standard").toString();
    Processes.Result run =
        Processes.unmask(Map.of(), "pipeline", "--input", sample, "--warehouse", wh.toString());
    assertThat(run.exit()).as(run.output()).isZero();
    for (String stage : List.of("ingest", "linking", "features", "model", "score")) {
      assertThat(run.output()).contains(stage);
    }
    // quiet means quiet: no library warnings (MLlib's BLAS loader, Spark, Delta) reach the user,
    // only Unmask's own (Clusters says when it splits an oversized component)
    assertThat(run.output().lines().filter(l -> l.contains(" WARN ")))
        .as(run.output())
        .allSatisfy(l -> assertThat(l).contains(" WARN Clusters: "));
    assertThat(run.output()).doesNotContain("netlib");
    Dataset<Row> scores = DeltaIO.read(spark(), wh.toString(), Tables.RISK_SCORES);
    long profiles = DeltaIO.read(spark(), wh.toString(), Tables.PROFILES).count();
    assertThat(scores.count()).isEqualTo(profiles);
    assertThat(scores.select(Cols.ACCOUNT_ID).distinct().count()).isEqualTo(profiles);
    assertThat(scores.agg(min(Cols.RANK), max(Cols.RANK)).first().toString())
        .isEqualTo("[1," + profiles + "]");
    assertThat(scores.filter(col(Cols.SCORE).lt(0).or(col(Cols.SCORE).gt(1))).count()).isZero();

    Processes.Result top =
        Processes.unmask(Map.of(), "top", "--warehouse", wh.toString(), "--limit", "5", "--all");
    assertThat(top.exit()).as(top.output()).isZero();
    assertThat(top.output()).contains("rank").contains("    1  ");
    // the header may wrap (the model version is long): read it as one text
    assertThat(top.output().replace('\n', ' ')).contains("every account");
    assertThat(top.output().lines()).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(100));
    Processes.Result json =
        Processes.unmask(
            Map.of(), "top", "--warehouse", wh.toString(), "--limit", "3", "--format", "json");
    assertThat(json.exit()).isZero();
    assertThat(json.output()).contains("\"reasons\"").contains("\"detail\"");
    Processes.Result csv =
        Processes.unmask(Map.of(), "top", "--warehouse", wh.toString(), "--format", "csv");
    assertThat(csv.exit()).isZero();
    assertThat(csv.output()).contains("rank,account_id,score");
    // by default the review queue only: accounts with neither label nor decision
    assertThat(
            csv.output()
                .lines()
                .filter(l -> l.startsWith("rank,") || l.matches("^[0-9]+,.*"))
                .toList())
        .first()
        .asString()
        .endsWith(",mitigating,review_state");
    assertThat(csv.output().lines().filter(l -> l.matches("^[0-9]+,.*")))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).matches(".*,\"(to_review|evidence_changed)\"$"));

    decisionsReachTheNextRun(wh, run.output());
  }

  /**
   * The investigator's loop through the launcher: an unlabeled account confirmed by {@code review}
   * (and a file of decisions with a bad row) is a label of the next {@code pipeline --skip-ingest}.
   */
  private void decisionsReachTheNextRun(Path wh, String firstRun) {
    String w = wh.toString();
    java.sql.Date day =
        DeltaIO.read(spark(), w, Tables.RISK_SCORES).agg(max(Cols.AS_OF)).first().getDate(0);
    Dataset<Row> unlabeled =
        DeltaIO.read(spark(), w, Tables.RISK_SCORES)
            .join(
                io.unmask.review.Labels.effectiveOrEmpty(spark(), w, day.toLocalDate()),
                Cols.ACCOUNT_ID,
                "left_anti")
            .orderBy(Cols.RANK)
            .limit(2);
    List<String> ids =
        unlabeled
            .select(Cols.ACCOUNT_ID)
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    Processes.Result one =
        Processes.unmask(
            Map.of(),
            "review",
            "--warehouse",
            w,
            "--account",
            ids.get(0),
            "--decision",
            "concealed",
            "--note",
            "payout account shared with a confirmed ring",
            "--by",
            "ana");
    assertThat(one.exit()).as(one.output()).isZero();
    assertThat(one.output()).contains("recorded: " + ids.get(0) + " is concealed (by ana)");
    Path file =
        Fixtures.write(
            SparkTest.tempDir("decisions"),
            "decisions.csv",
            "account_id,decision,note\n"
                + ids.get(1)
                + ",concealed,same laptop\n"
                + ids.get(1)
                + ",maybe,\n");
    Processes.Result many =
        Processes.unmask(Map.of(), "review", "--warehouse", w, "--file", file.toString());
    assertThat(many.exit()).as(many.output()).isZero();
    assertThat(many.output())
        .contains("decisions: 2 read, 1 recorded, 1 quarantined (bad_value:decision 1)");
    Processes.Result both =
        Processes.unmask(
            Map.of(), "review", "--warehouse", w, "--file", file.toString(), "--account", "x");
    assertThat(both.exit()).as(both.output()).isEqualTo(2);

    Processes.Result again =
        Processes.unmask(
            Map.of(), "pipeline", "--skip-ingest", "--warehouse", w, "--as-of", day.toString());
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(positives(again.output())).isEqualTo(positives(firstRun) + 2);
    Processes.Result queue =
        Processes.unmask(Map.of(), "top", "--warehouse", w, "--format", "csv", "--limit", "100000");
    assertThat(queue.exit()).as(queue.output()).isZero();
    // the account column (a ring's cluster_id may carry a member's id)
    assertThat(queue.output().lines().filter(l -> l.matches("^[0-9]+,.*")))
        .isNotEmpty()
        .noneMatch(l -> l.contains(",\"" + ids.get(0) + "\","))
        .noneMatch(l -> l.contains(",\"" + ids.get(1) + "\","));
  }

  private static int positives(String output) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^model +([0-9,]+) rows .*confirmed positives")
            .matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return Integer.parseInt(m.group(1).replace(",", ""));
  }

  @Test
  void usageErrorsExitTwoAndNameTheOption() {
    Processes.Result badDate =
        Processes.unmask(
            Map.of(), "ingest", "--input", "/tmp", "--warehouse", "/tmp/x", "--as-of", "someday");
    assertThat(badDate.exit()).isEqualTo(2);
    assertThat(badDate.output()).contains("--as-of").contains("someday");

    Processes.Result unknown = Processes.unmask(Map.of(), "pipeline", "--inptu", "x");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.output()).contains("--inptu");

    Processes.Result launcher = Processes.unmask(Map.of(), "pipeline", "--master");
    assertThat(launcher.exit()).isEqualTo(2);
    assertThat(launcher.output()).contains("--master");
  }

  @Test
  void failureExitsOneWithOneLineCauseAtTheEnd() {
    Path in = SparkTest.tempDir("no-logins");
    Fixtures.write(in, "profiles.csv", Fixtures.PROFILES_CSV);
    Processes.Result r =
        Processes.unmask(Map.of(), "pipeline", "--input", in.toString(), "--warehouse", in + "/wh");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.lastLine()).contains("required table logins is missing");
  }

  /** Recognisable personal data: none of it may reach the output, even with --verbose. */
  private static final List<String> CANARIES =
      List.of(
          "Zebulon Quartermaine",
          "Xanthe Marrowby",
          "Yorick Bellweather",
          "Wilhelmina Thistlewood",
          "zebulon.canary@example.org",
          "xanthe.canary@example.org",
          "yorick.canary@example.org",
          "5550001111",
          "5011112222",
          "7700900123",
          "203.0.113.77",
          "198.51.100.23",
          "192.0.2.99",
          "2001:db8:cafe::77",
          "CANARY0123456789",
          "CANARY9999999999");

  @Test
  void personalDataStaysOutOfTheOutputEvenVerbose() {
    Path in = SparkTest.tempDir("pii");
    Fixtures.write(
        in,
        "profiles.csv",
        "account_id,created_at,display_name,email,phone,claimed_country,claimed_timezone\n"
            + "a1,2025-01-01T00:00:00Z,Zebulon Quartermaine,zebulon.canary@example.org,"
            + "+15550001111,US,America/Chicago\n"
            + "a2,2025-02-01T00:00:00Z,Xanthe Marrowby,xanthe.canary@example.org,"
            + "+815011112222,JP,Asia/Tokyo\n"
            + "a3,not-a-date,Yorick Bellweather,yorick.canary@example.org,+447700900123,GB,"
            + "Europe/London\n");
    Fixtures.write(
        in,
        "logins.csv",
        "event_id,account_id,ts,ip,device_id\n"
            + "e1,a1,2026-03-01T10:00:00Z,203.0.113.77,d1\n"
            + "e2,a2,2026-03-02T10:00:00Z,2001:db8:cafe::77,d1\n"
            + "e3,a1,2026-03-02T11:00:00Z,198.51.100.23,d1\n"
            + "e4,a9,2026-03-02T11:00:00Z,192.0.2.99,d1\n");
    Fixtures.write(
        in,
        "payments.csv",
        "payment_id,account_id,ts,kind,amount,method,payout_account,payout_country,"
            + "payout_holder_name\n"
            + "p1,a1,2026-03-02T00:00:00Z,withdrawal,100,bank,iban:CANARY0123456789,US,"
            + "Zebulon Quartermaine\n"
            + "p2,a2,2026-03-02T00:00:00Z,withdrawal,100,bank,iban:CANARY0123456789,JP,"
            + "Wilhelmina Thistlewood\n"
            + "p3,a1,2026-03-02T00:00:00Z,withdrawal,-5,bank,iban:CANARY9999999999,US,"
            + "Wilhelmina Thistlewood\n");
    String wh = in.resolve("wh").toString();
    StringBuilder out = new StringBuilder();
    Processes.Result run =
        Processes.unmask(
            Map.of(), "pipeline", "--input", in.toString(), "--warehouse", wh, "--verbose");
    assertThat(run.exit()).as(run.output()).isZero();
    out.append(run.output());
    assertThat(run.output()).contains("INFO"); // Spark's own logging was on
    Processes.Result top = Processes.unmask(Map.of(), "top", "--warehouse", wh, "--verbose");
    assertThat(top.exit()).as(top.output()).isZero();
    out.append(top.output());
    // a failing run prints its cause and, verbose, its stack trace
    Fixtures.write(in, "labels.csv", "account_id,label\na1,1\n");
    Fixtures.write(in, "labels/part-0.csv", "account_id,label\na2,0\n");
    Processes.Result failed =
        Processes.unmask(
            Map.of(), "ingest", "--input", in.toString(), "--warehouse", wh, "--verbose");
    assertThat(failed.exit()).isEqualTo(1);
    out.append(failed.output());
    for (String canary : CANARIES) {
      assertThat(out.toString()).as("output names " + canary).doesNotContain(canary);
    }
  }

  @Test
  void helpOnLauncherAndCommands() {
    Processes.Result top = Processes.unmask(Map.of(), "--help");
    assertThat(top.exit()).isZero();
    assertThat(top.output()).contains("pipeline").contains("--master");
    Processes.Result cmd = Processes.unmask(Map.of(), "pipeline", "--help");
    assertThat(cmd.exit()).isZero();
    assertThat(cmd.output()).contains("--input").contains("--warehouse").contains("--as-of");
  }
}

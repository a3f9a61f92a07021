package io.unmask.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The data-quality gate a scheduler runs between ingest and the rest of the pipeline ({@code
 * check}): a day fails when a required input table was not ingested or was empty that day (for an
 * increment, only sign-ins must not be empty: a quiet day may change no profile and pay no one), or
 * when the quarantined share of any table passes a threshold. It reads only {@code ingest_report}
 * (one row per table and day), so it costs one small Delta read.
 */
public final class QualityGate {
  private QualityGate() {}

  /** One table's figures for the day and whether it passes. */
  public record TableCheck(
      String table, long rowsRead, long quarantined, double share, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  /** The gate's verdict for one day: every table's figures and the problems found. */
  public record Verdict(LocalDate asOf, double maxShare, List<TableCheck> tables) {
    public boolean passed() {
      return tables.stream().allMatch(TableCheck::ok);
    }

    public List<String> problems() {
      return tables.stream().filter(t -> !t.ok()).map(TableCheck::problem).toList();
    }
  }

  /** Thrown when the gate fails: the message is the one-line cause, naming every problem. */
  public static final class Failed extends RuntimeException {
    public Failed(Verdict v) {
      super("quality gate failed for " + v.asOf() + ": " + String.join("; ", v.problems()));
    }
  }

  /**
   * Checks {@code day} (null = the latest day in {@code ingest_report}) against {@code maxShare} (a
   * fraction in [0, 1]: 0.05 = 5% of a table's rows quarantined).
   */
  public static Verdict check(
      SparkSession spark, String warehouse, LocalDate day, double maxShare) {
    if (!(maxShare >= 0 && maxShare <= 1)) {
      throw new IllegalArgumentException(
          "Invalid --max-quarantine-share: " + maxShare + " (a fraction from 0 to 1)");
    }
    if (!DeltaIO.exists(spark, warehouse, Tables.INGEST_REPORT)) {
      throw new IngestJob.InputException(
          "Nothing ingested in " + warehouse + " (no ingest_report table): run ingest first");
    }
    var report = DeltaIO.read(spark, warehouse, Tables.INGEST_REPORT);
    LocalDate d = day;
    if (d == null) {
      java.sql.Date last = report.agg(max(col(Cols.AS_OF))).first().getDate(0);
      if (last == null) {
        throw new IngestJob.InputException("ingest_report in " + warehouse + " is empty");
      }
      d = last.toLocalDate();
    }
    Map<String, Row> byTable = new LinkedHashMap<>();
    for (Row r :
        report
            .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(d))))
            .orderBy(Cols.SOURCE_TABLE)
            .collectAsList()) {
      byTable.put(r.getAs(Cols.SOURCE_TABLE), r);
    }
    return verdict(d, maxShare, byTable);
  }

  static Verdict verdict(LocalDate d, double maxShare, Map<String, Row> byTable) {
    List<TableCheck> checks = new ArrayList<>();
    for (Schemas.TableSpec spec : Schemas.INPUTS) {
      Row r = byTable.get(spec.name());
      if (r == null) {
        if (spec.required()) {
          checks.add(new TableCheck(spec.name(), 0, 0, 0, spec.name() + " was not ingested"));
        }
        continue;
      }
      long read = r.<Long>getAs(Cols.ROWS_READ);
      long bad = r.<Long>getAs(Cols.QUARANTINED);
      double share = read == 0 ? 0 : (double) bad / read;
      String problem = null;
      // a day's increment may bring no new or changed profiles, nor payments; never no sign-ins
      boolean increment =
          java.util.Arrays.asList(r.schema().fieldNames()).contains(Cols.MODE)
              && "increment".equals(r.getAs(Cols.MODE));
      if (read == 0 && spec.required() && (!increment || spec == Schemas.LOGINS_SPEC)) {
        problem = spec.name() + " is empty";
      } else if (share > maxShare) {
        problem =
            String.format(
                Locale.ROOT,
                "%s quarantined %,d of %,d rows (%.2f%% > %.2f%%)",
                spec.name(),
                bad,
                read,
                100 * share,
                100 * maxShare);
      }
      checks.add(new TableCheck(spec.name(), read, bad, share, problem));
    }
    return new Verdict(d, maxShare, checks);
  }

  /** One line per table, as {@code check} prints them. */
  public static List<String> lines(Verdict v) {
    List<String> out = new ArrayList<>();
    for (TableCheck t : v.tables()) {
      out.add(
          String.format(
              Locale.ROOT,
              "check      %-20s %,12d rows %,10d quarantined (%6.2f%%)  %s",
              t.table(),
              t.rowsRead(),
              t.quarantined(),
              100 * t.share(),
              t.ok() ? "ok" : "FAIL: " + t.problem()));
    }
    return out;
  }
}

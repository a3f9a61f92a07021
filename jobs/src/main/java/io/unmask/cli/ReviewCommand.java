package io.unmask.cli;

import io.unmask.review.Decisions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code review}: records investigators' decisions; the next run learns from them as labels. */
@Command(
    name = "review",
    mixinStandardHelpOptions = true,
    description = {
      "Records an investigator's decision about an account (or a file of decisions) in the",
      "decisions table. The next pipeline run (or pipeline --skip-ingest of the same day) uses",
      "them as labels: per account the latest label or decision wins; 'unsure' is kept on",
      "record but is not a label."
    })
public final class ReviewCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Mixin CommonOptions common;

  @Mixin WarehouseOption warehouse;

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  /** One decision, or a file of them. */
  static final class What {
    @ArgGroup(exclusive = false)
    One one;

    @Option(
        names = "--file",
        paramLabel = "FILE",
        description = {
          "CSV (.csv, .csv.gz), JSON Lines or Parquet file of decisions: account_id, decision",
          "(concealed|genuine|unsure), optional note, decided_by, decided_at. Bad rows go to",
          "quarantine (table decisions); the good ones are recorded."
        })
    String file;
  }

  /** The options of a single decision. */
  static final class One {
    @Option(names = "--account", required = true, paramLabel = "ID", description = "Account id.")
    String account;

    @Option(
        names = "--decision",
        required = true,
        paramLabel = "D",
        description = "concealed, genuine or unsure.")
    Decisions.Decision decision;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why: what was checked.")
    String note;
  }

  @Option(
      names = "--by",
      paramLabel = "NAME",
      description = "Who decided (default: the user running the command).")
  String by;

  @Override
  public Integer call() {
    String who =
        by != null && !by.isBlank() ? by.strip() : System.getProperty("user.name", "unknown");
    Instant at = Instant.now();
    SparkSession spark = io.unmask.common.SparkSessions.create("unmask review");
    if (what.one != null) {
      Decisions.recordOne(
          spark,
          warehouse.dir,
          what.one.account,
          what.one.decision,
          what.one.note,
          who,
          at,
          common.runId());
      System.out.printf(
          "recorded: %s is %s (by %s); the next run learns from it%n",
          Csv.printable(what.one.account), what.one.decision, Csv.printable(who));
      return 0;
    }
    Decisions.FileResult r =
        Decisions.recordFile(spark, warehouse.dir, what.file, who, at, common.runId());
    StringBuilder rules = new StringBuilder();
    for (Map.Entry<String, Long> e : r.quarantinedByRule().entrySet()) {
      rules.append(rules.length() == 0 ? " (" : ", ").append(e.getKey()).append(' ');
      rules.append(String.format("%,d", e.getValue()));
    }
    if (rules.length() > 0) {
      rules.append(')');
    }
    System.out.printf(
        "decisions: %,d read, %,d recorded, %,d quarantined%s; the next run learns from them%n",
        r.read(), r.accepted(), r.quarantined(), rules);
    return 0;
  }
}

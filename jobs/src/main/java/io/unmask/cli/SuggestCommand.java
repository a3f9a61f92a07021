package io.unmask.cli;

import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unmask.common.Cols;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.review.Labels;
import io.unmask.review.Suggestions;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code suggest}: beside the ranking, the unreviewed accounts whose review would most improve the
 * model, each with why ({@link Suggestions}).
 */
@Command(
    name = "suggest",
    mixinStandardHelpOptions = true,
    description = {
      "Lists unreviewed accounts (no label, no decision) whose review would most improve the",
      "model, with why: uncertain scores, bridges between a confirmed account and unreviewed",
      "ones, clusters with no labelled member, look-alike patterns with no genuine example."
    })
public final class SuggestCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "Accounts to suggest (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--format",
      paramLabel = "F",
      defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  TopCommand.Format format;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Use this day's ranking instead of the latest.")
  String asOf;

  @Option(names = "--verbose", description = "Show Spark's own logging.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (limit < 1) {
      throw new UsageException("Invalid --limit: " + limit + " (must be at least 1)");
    }
    LocalDate day = CommonOptions.parseDate("--as-of", asOf);
    SparkSession spark = io.unmask.common.SparkSessions.create("unmask suggest");
    if (!DeltaIO.exists(spark, warehouse.dir, Tables.RISK_SCORES)) {
      throw new UsageException(
          "Invalid --warehouse: "
              + warehouse.dir
              + " holds no risk_scores table; run pipeline first");
    }
    Dataset<Row> scores = DeltaIO.read(spark, warehouse.dir, Tables.RISK_SCORES);
    java.sql.Date d =
        day != null
            ? java.sql.Date.valueOf(day)
            : scores.agg(max(col(Cols.AS_OF))).first().getDate(0);
    if (d == null) {
      throw new UsageException("Invalid --warehouse: its risk_scores table is empty");
    }
    List<Row> rows = suggestions(spark, warehouse.dir, d.toLocalDate(), limit);
    print(rows, d, System.out);
    return 0;
  }

  /** The suggestions of a warehouse's day, collected (at most {@code limit} rows). */
  public static List<Row> suggestions(
      SparkSession spark, String warehouse, LocalDate day, int limit) {
    java.sql.Date d = java.sql.Date.valueOf(day);
    Dataset<Row> dayScores =
        DeltaIO.read(spark, warehouse, Tables.RISK_SCORES).filter(col(Cols.AS_OF).equalTo(lit(d)));
    Dataset<Row> links =
        DeltaIO.exists(spark, warehouse, Tables.ACCOUNT_LINKS)
            ? DeltaIO.read(spark, warehouse, Tables.ACCOUNT_LINKS)
                .filter(col(Cols.AS_OF).equalTo(lit(d)))
            : null;
    return Suggestions.suggest(dayScores, Labels.latestReviews(spark, warehouse, day), links, limit)
        .collectAsList();
  }

  void print(List<Row> rows, java.sql.Date day, PrintStream out) throws Exception {
    switch (format) {
      case json -> out.println(toJson(rows));
      case csv -> {
        out.println("position,account_id,score,rank,cluster_id,criteria,why");
        for (Row r : rows) {
          out.println(
              String.join(
                  ",",
                  String.valueOf(r.<Integer>getAs(Suggestions.POSITION)),
                  Csv.cell(r.getAs(Cols.ACCOUNT_ID)),
                  String.format(Locale.ROOT, "%.4f", r.<Double>getAs(Cols.SCORE)),
                  String.valueOf(r.<Integer>getAs(Cols.RANK)),
                  Csv.cell(r.getAs(Cols.CLUSTER_ID)),
                  Csv.cell(String.join(" ", criteria(r))),
                  Csv.cell(String.join(" | ", details(r)))));
        }
      }
      case table -> {
        out.printf("suggested reviews for risk_scores as_of %s (unreviewed accounts only)%n", day);
        out.printf("%3s  %-18s %6s %6s  %s%n", "#", "account_id", "score", "rank", "criteria");
        for (Row r : rows) {
          out.printf(
              Locale.ROOT,
              "%3d  %-18s %6.3f %6d  %s%n",
              r.<Integer>getAs(Suggestions.POSITION),
              Csv.printable(r.getAs(Cols.ACCOUNT_ID)),
              r.<Double>getAs(Cols.SCORE),
              r.<Integer>getAs(Cols.RANK),
              String.join(",", criteria(r)));
          for (String why : details(r)) {
            for (String line : wrap(Csv.printable(why), WIDTH - 7)) {
              out.println("       " + line);
            }
          }
        }
        if (rows.isEmpty()) {
          out.println("(nothing to suggest: every ranked account is reviewed)");
        }
      }
    }
  }

  /** Widest table line. */
  static final int WIDTH = 100;

  /** {@code text} in lines of at most {@code width} characters, broken at spaces when possible. */
  static List<String> wrap(String text, int width) {
    List<String> out = new java.util.ArrayList<>();
    String rest = text.strip();
    while (rest.length() > width) {
      int cut = rest.lastIndexOf(' ', width);
      if (cut <= 0) {
        cut = width;
      }
      out.add(rest.substring(0, cut).stripTrailing());
      rest = rest.substring(cut).stripLeading();
    }
    out.add(rest);
    return out;
  }

  static List<String> criteria(Row r) {
    return r.getList(r.fieldIndex(Suggestions.CRITERIA_COL));
  }

  static List<String> details(Row r) {
    List<Row> why = r.getList(r.fieldIndex(Suggestions.WHY));
    return why.stream().map(x -> x.<String>getAs("detail")).toList();
  }

  static String toJson(List<Row> rows) throws Exception {
    ObjectMapper m = new ObjectMapper();
    ArrayNode arr = m.createArrayNode();
    for (Row r : rows) {
      ObjectNode o = arr.addObject();
      o.put(Suggestions.POSITION, r.<Integer>getAs(Suggestions.POSITION));
      o.put(Cols.ACCOUNT_ID, r.<String>getAs(Cols.ACCOUNT_ID));
      o.put(Cols.SCORE, r.<Double>getAs(Cols.SCORE));
      o.put(Cols.RANK, r.<Integer>getAs(Cols.RANK));
      o.put(Cols.CLUSTER_ID, r.<String>getAs(Cols.CLUSTER_ID));
      ArrayNode why = o.putArray(Suggestions.WHY);
      for (Row x : r.<Row>getList(r.fieldIndex(Suggestions.WHY))) {
        why.addObject()
            .put("code", x.<String>getAs("code"))
            .put("detail", x.<String>getAs("detail"));
      }
    }
    return m.writerWithDefaultPrettyPrinter().writeValueAsString(arr);
  }
}

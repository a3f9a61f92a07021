package io.unmask.cli;

import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code top}: the latest ranking with its reasons, as a table, CSV or JSON. */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    description = "Prints the latest ranking (highest as_of in risk_scores) with reasons.")
public final class TopCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  /** Output formats. */
  public enum Format {
    table,
    csv,
    json
  }

  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "Rows to print (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--format",
      paramLabel = "F",
      defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Show this day instead of the latest.")
  String asOf;

  @Option(names = "--verbose", description = "Show Spark's own logging.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (limit < 1) {
      throw new UsageException("Invalid --limit: " + limit + " (must be at least 1)");
    }
    java.time.LocalDate day = CommonOptions.parseDate("--as-of", asOf);
    SparkSession spark = io.unmask.common.SparkSessions.create("unmask top");
    if (!DeltaIO.exists(spark, warehouse.dir, Tables.RISK_SCORES)) {
      throw new UsageException(
          "Invalid --warehouse: "
              + warehouse.dir
              + " holds no risk_scores table; run pipeline first");
    }
    var scores = DeltaIO.read(spark, warehouse.dir, Tables.RISK_SCORES);
    java.sql.Date d =
        day != null
            ? java.sql.Date.valueOf(day)
            : scores.agg(max(col(Cols.AS_OF))).first().getDate(0);
    List<Row> rows =
        scores
            .filter(col(Cols.AS_OF).equalTo(lit(d)))
            .orderBy(col(Cols.RANK))
            .limit(limit)
            .collectAsList();
    print(rows, d, System.out);
    return 0;
  }

  void print(List<Row> rows, java.sql.Date day, PrintStream out) throws Exception {
    switch (format) {
      case json -> out.println(toJson(rows));
      case csv -> {
        out.println("rank,account_id,score,cluster_id,model_version,as_of,reasons,mitigating");
        for (Row r : rows) {
          out.println(
              String.join(
                  ",",
                  String.valueOf(r.<Integer>getAs(Cols.RANK)),
                  Csv.cell(r.getAs(Cols.ACCOUNT_ID)),
                  String.format(Locale.ROOT, "%.4f", r.<Double>getAs(Cols.SCORE)),
                  Csv.cell(r.getAs(Cols.CLUSTER_ID)),
                  Csv.cell(r.getAs(Cols.MODEL_VERSION)),
                  String.valueOf(r.<java.sql.Date>getAs(Cols.AS_OF)),
                  Csv.cell(String.join(" | ", details(r))),
                  Csv.cell(String.join(" | ", mitigating(r)))));
        }
      }
      case table -> {
        out.printf(
            "risk_scores as_of %s, model %s%n",
            day, rows.isEmpty() ? "-" : rows.get(0).getAs(Cols.MODEL_VERSION));
        out.printf(
            "%5s  %-18s %6s  %-14s %s%n", "rank", "account_id", "score", "cluster", "reasons");
        for (Row r : rows) {
          List<String> reasons = details(r);
          out.printf(
              Locale.ROOT,
              "%5d  %-18s %6.3f  %-14s %s%n",
              r.<Integer>getAs(Cols.RANK),
              Csv.printable(r.getAs(Cols.ACCOUNT_ID)),
              r.<Double>getAs(Cols.SCORE),
              r.getAs(Cols.CLUSTER_ID) == null ? "-" : Csv.printable(r.getAs(Cols.CLUSTER_ID)),
              reasons.isEmpty() ? "-" : Csv.printable(reasons.get(0)));
          for (int i = 1; i < reasons.size(); i++) {
            out.printf("%5s  %-18s %6s  %-14s %s%n", "", "", "", "", Csv.printable(reasons.get(i)));
          }
          for (String m : mitigating(r)) {
            out.printf(
                "%5s  %-18s %6s  %-14s %s%n", "", "", "", "", "mitigating: " + Csv.printable(m));
          }
        }
      }
    }
  }

  static List<String> details(Row r) {
    List<Row> reasons = r.getList(r.fieldIndex(Cols.REASONS));
    return reasons == null
        ? List.of()
        : reasons.stream().map(x -> x.<String>getAs("detail")).toList();
  }

  /**
   * The details of the optional {@code mitigating} column (clearing evidence); empty for tables
   * written before it existed.
   */
  static List<String> mitigating(Row r) {
    if (!java.util.Arrays.asList(r.schema().fieldNames()).contains(Schemas.MITIGATING)) {
      return List.of();
    }
    List<Row> m = r.getList(r.fieldIndex(Schemas.MITIGATING));
    return m == null ? List.of() : m.stream().map(x -> x.<String>getAs("detail")).toList();
  }

  static String toJson(List<Row> rows) throws Exception {
    ObjectMapper m = new ObjectMapper();
    ArrayNode arr = m.createArrayNode();
    for (Row r : rows) {
      ObjectNode o = arr.addObject();
      o.put(Cols.RANK, r.<Integer>getAs(Cols.RANK));
      o.put(Cols.ACCOUNT_ID, r.<String>getAs(Cols.ACCOUNT_ID));
      o.put(Cols.SCORE, r.<Double>getAs(Cols.SCORE));
      o.put(Cols.CLUSTER_ID, r.<String>getAs(Cols.CLUSTER_ID));
      o.put(Cols.MODEL_VERSION, r.<String>getAs(Cols.MODEL_VERSION));
      o.put(Cols.AS_OF, String.valueOf(r.<java.sql.Date>getAs(Cols.AS_OF)));
      ArrayNode rs = o.putArray(Cols.REASONS);
      List<Row> reasons = r.getList(r.fieldIndex(Cols.REASONS));
      if (reasons != null) {
        for (Row x : reasons) {
          rs.addObject()
              .put("code", x.<String>getAs("code"))
              .put("weight", x.<Double>getAs("weight"))
              .put("detail", x.<String>getAs("detail"));
        }
      }
      ArrayNode ms = o.putArray(Schemas.MITIGATING);
      if (java.util.Arrays.asList(r.schema().fieldNames()).contains(Schemas.MITIGATING)) {
        List<Row> mitigating = r.getList(r.fieldIndex(Schemas.MITIGATING));
        if (mitigating != null) {
          for (Row x : mitigating) {
            ms.addObject()
                .put("code", x.<String>getAs("code"))
                .put("detail", x.<String>getAs("detail"));
          }
        }
      }
    }
    return m.writerWithDefaultPrettyPrinter().writeValueAsString(arr);
  }
}

package io.unmask.cli;

import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.review.QueueEntries;
import io.unmask.review.ReviewQueue;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
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

  @Option(
      names = "--all",
      description =
          "Show every ranked account, reviewed ones included (default: the review queue).")
  boolean all;

  @Option(names = "--verbose", description = "Show Spark's own logging.")
  boolean verbose;

  /** Width of the terminal the table is made for: no line is longer. */
  static final int WIDTH = 100;

  /** Members of a ring shown under it in the table; the rest are counted. */
  static final int MAX_MEMBERS = 10;

  private static final int RANK_W = 5;
  private static final int ACCOUNT_W = 18;
  private static final int SCORE_W = 6;
  private static final int CLUSTER_W = 14;

  /** Where the reasons column starts. */
  private static final int REASONS_AT = RANK_W + 2 + ACCOUNT_W + 1 + SCORE_W + 2 + CLUSTER_W + 1;

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
    if (d == null) {
      throw new UsageException(
          "Invalid --warehouse: " + warehouse.dir + " holds an empty risk_scores table");
    }
    Dataset<Row> ranked =
        ReviewQueue.annotate(
            spark,
            warehouse.dir,
            d.toLocalDate(),
            scores.filter(col(Cols.AS_OF).equalTo(lit(d))),
            scores);
    print(ranked, d, System.out);
    return 0;
  }

  /**
   * Prints the day's ranking ({@code risk_scores} rows of one day with {@code review_state}): the
   * review queue, or every account with {@code --all}.
   */
  void print(Dataset<Row> ranked, java.sql.Date day, PrintStream out) throws Exception {
    if (format != Format.table) {
      Dataset<Row> shown = all ? ranked : ranked.filter(ReviewQueue.inQueue());
      List<Row> rows = shown.orderBy(col(Cols.RANK)).limit(limit).collectAsList();
      if (format == Format.json) {
        out.println(toJson(rows));
      } else {
        printCsv(rows, out);
      }
      return;
    }
    // the table reads the annotated day four times (totals, entries, their members, ring sizes):
    // computed once (the annotation joins the day's scores with every review and past ranking)
    Dataset<Row> day1 = ranked.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      printTable(day1, day, out);
    } finally {
      day1.unpersist();
    }
  }

  private void printTable(Dataset<Row> ranked, java.sql.Date day, PrintStream out) {
    Dataset<Row> shown = all ? ranked : ranked.filter(ReviewQueue.inQueue());
    Row sum =
        ranked
            .agg(
                count(lit(1)),
                count(when(ReviewQueue.inQueue(), lit(1))),
                max(col(Cols.MODEL_VERSION)))
            .first();
    List<QueueEntries.Entry> entries = QueueEntries.first(shown, limit, MAX_MEMBERS);
    List<String> rings =
        entries.stream()
            .filter(QueueEntries.Entry::isRing)
            .map(QueueEntries.Entry::clusterId)
            .toList();
    Map<String, long[]> ringSizes = new HashMap<>();
    if (!rings.isEmpty()) {
      for (Row r :
          ranked
              .filter(col(Cols.CLUSTER_ID).isin(rings.toArray()))
              .groupBy(col(Cols.CLUSTER_ID))
              .agg(count(lit(1)), count(when(ReviewQueue.inQueue(), lit(1))))
              .collectAsList()) {
        ringSizes.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
      }
    }
    for (String line :
        table(
            day,
            sum.isNullAt(2) ? "-" : sum.getString(2),
            sum.getLong(0),
            sum.getLong(1),
            entries,
            ringSizes)) {
      out.println(line);
    }
  }

  private static void printCsv(List<Row> rows, PrintStream out) {
    // the first eight columns keep their order: scripts read them by position
    out.println(
        "rank,account_id,score,cluster_id,model_version,as_of,reasons,mitigating,"
            + Cols.REVIEW_STATE);
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
              Csv.cell(String.join(" | ", mitigating(r))),
              Csv.cell(reviewState(r))));
    }
  }

  /**
   * The table's lines, none longer than {@link #WIDTH}: a header saying what is shown, then one
   * entry per lone account or ring.
   *
   * @param ringSizes per ring shown: its accounts ranked that day, and how many are in the queue
   */
  List<String> table(
      java.sql.Date day,
      String model,
      long ranked,
      long toReview,
      List<QueueEntries.Entry> entries,
      Map<String, long[]> ringSizes) {
    List<String> lines = new ArrayList<>();
    String what =
        all
            ? String.format(
                Locale.ROOT, "every account: %,d ranked, %,d to review", ranked, toReview)
            : String.format(
                Locale.ROOT,
                "%,d %s to review of %,d ranked (--all: every account)",
                toReview,
                toReview == 1 ? "account" : "accounts",
                ranked);
    lines.addAll(
        wrap(
            "risk_scores as_of " + day + ", model " + Csv.printable(model) + ": " + what,
            WIDTH,
            0));
    lines.add(
        String.format(
            "%" + RANK_W + "s  %-" + ACCOUNT_W + "s %" + SCORE_W + "s  %-" + CLUSTER_W + "s %s",
            "rank",
            "account_id",
            "score",
            "cluster",
            "reasons"));
    if (entries.isEmpty()) {
      lines.add(all ? "(no accounts ranked that day)" : "(nothing to review)");
    }
    for (QueueEntries.Entry e : entries) {
      if (e.isRing()) {
        ring(e, ringSizes.getOrDefault(e.clusterId(), new long[] {e.size(), e.size()}), lines);
      } else {
        Row r = e.members().get(0);
        lines.addAll(
            row(
                String.valueOf(r.<Integer>getAs(Cols.RANK)),
                clip(Csv.printable(r.getAs(Cols.ACCOUNT_ID)), ACCOUNT_W),
                r.<Double>getAs(Cols.SCORE),
                r.getAs(Cols.CLUSTER_ID) == null
                    ? "-"
                    : clip(Csv.printable(r.getAs(Cols.CLUSTER_ID)), CLUSTER_W),
                reasonLines(r)));
      }
    }
    return lines;
  }

  /** A ring: its id, its queue count and best score, the lead's reasons, then its members. */
  private void ring(QueueEntries.Entry e, long[] sizes, List<String> lines) {
    Row lead = e.members().get(0);
    String id = Csv.printable(e.clusterId());
    String counts =
        all
            ? String.format(
                Locale.ROOT,
                "%,d %s, %,d to review",
                sizes[0],
                sizes[0] == 1 ? "account" : "accounts",
                sizes[1])
            : String.format(
                Locale.ROOT,
                "%,d of its %,d %s to review",
                sizes[1],
                sizes[0],
                sizes[0] == 1 ? "account" : "accounts");
    String head =
        String.format(
            Locale.ROOT,
            "ring %s: %s, best score %.3f; reasons of %s:",
            id,
            counts,
            lead.<Double>getAs(Cols.SCORE),
            Csv.printable(lead.getAs(Cols.ACCOUNT_ID)));
    String rank = pad(String.valueOf(e.rank()), RANK_W, true) + "  ";
    List<String> h = wrap(head, WIDTH - rank.length(), 5);
    lines.add(rank + h.get(0));
    for (int i = 1; i < h.size(); i++) {
      lines.add(" ".repeat(rank.length()) + h.get(i));
    }
    for (String l : reasonLines(lead)) {
      lines.add(" ".repeat(REASONS_AT) + l);
    }
    for (Row m : e.members()) {
      List<String> first = details(m);
      lines.addAll(
          row(
              String.valueOf(m.<Integer>getAs(Cols.RANK)),
              "\u00b7 " + clip(Csv.printable(m.getAs(Cols.ACCOUNT_ID)), ACCOUNT_W - 2),
              m.<Double>getAs(Cols.SCORE),
              memberState(m),
              // one line per member: its first reason, cut to the column
              List.of(
                  first.isEmpty() ? "-" : clip(Csv.printable(first.get(0)), WIDTH - REASONS_AT))));
    }
    if (e.size() > e.members().size()) {
      long more = e.size() - e.members().size();
      lines.add(
          String.format(
              Locale.ROOT,
              "%s\u2026 and %,d more %s",
              " ".repeat(RANK_W + 2),
              more,
              more == 1 ? "member" : "members"));
    }
  }

  /** A member's review state in the cluster column, blank while it is still to review. */
  private static String memberState(Row m) {
    String state = reviewState(m);
    if (state == null || ReviewQueue.TO_REVIEW.equals(state)) {
      return "";
    }
    return ReviewQueue.EVIDENCE_CHANGED.equals(state) ? "new evidence" : state;
  }

  /** One row of the grid, its reasons column continued on the lines below. */
  private static List<String> row(
      String rank, String account, double score, String cluster, List<String> reasons) {
    List<String> out = new ArrayList<>();
    out.add(
        pad(rank, RANK_W, true)
            + "  "
            + pad(account, ACCOUNT_W, false)
            + " "
            + pad(String.format(Locale.ROOT, "%.3f", score), SCORE_W, true)
            + "  "
            + pad(cluster, CLUSTER_W, false)
            + " "
            + (reasons.isEmpty() ? "-" : reasons.get(0)));
    for (int i = 1; i < reasons.size(); i++) {
      out.add(" ".repeat(REASONS_AT) + reasons.get(i));
    }
    return out;
  }

  /** The reasons column of an account: each reason, then clearing evidence, then its review. */
  private static List<String> reasonLines(Row r) {
    int w = WIDTH - REASONS_AT;
    List<String> out = new ArrayList<>();
    for (String d : details(r)) {
      out.addAll(wrap(Csv.printable(d), w, 0));
    }
    for (String m : mitigating(r)) {
      out.addAll(wrap("mitigating: " + Csv.printable(m), w, 2));
    }
    String state = reviewState(r);
    if (state != null && !ReviewQueue.TO_REVIEW.equals(state)) {
      String by = field(r, ReviewQueue.REVIEWED_BY);
      String at = field(r, ReviewQueue.REVIEWED_AT);
      String when =
          (at == null ? "" : " " + at.substring(0, Math.min(10, at.length())))
              + (by == null ? "" : " by " + Csv.printable(by));
      out.addAll(
          wrap(
              ReviewQueue.EVIDENCE_CHANGED.equals(state)
                  ? "review: new evidence since the review" + when
                  : "review: " + state + when,
              w,
              2));
    }
    return out;
  }

  private static String field(Row r, String name) {
    if (!Arrays.asList(r.schema().fieldNames()).contains(name) || r.isNullAt(r.fieldIndex(name))) {
      return null;
    }
    return String.valueOf(r.<Object>getAs(name));
  }

  /** The row's review_state, null for rows without one. */
  static String reviewState(Row r) {
    return field(r, Cols.REVIEW_STATE);
  }

  /** {@code s} cut to {@code width} characters, an ellipsis marking the cut. */
  static String clip(String s, int width) {
    if (s.codePointCount(0, s.length()) <= width) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, width - 1)) + "\u2026";
  }

  private static String pad(String s, int width, boolean right) {
    int n = width - s.codePointCount(0, s.length());
    if (n <= 0) {
      return s;
    }
    return right ? " ".repeat(n) + s : s + " ".repeat(n);
  }

  /**
   * {@code text} broken at spaces into lines of at most {@code width} characters; a word longer
   * than a line is cut. Lines after the first are indented by {@code hang}.
   */
  static List<String> wrap(String text, int width, int hang) {
    List<String> out = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int len = 0; // characters on the current line, its indent left out
    int w = width; // room on the current line
    for (String word : text.trim().split(" +")) {
      int[] cps = word.codePoints().toArray();
      int from = 0;
      while (from < cps.length) {
        int left = cps.length - from;
        int room = len == 0 ? Math.max(1, w) : w - len - 1;
        if (left <= room || len > 0) {
          if (left > room) { // on the next line
            out.add(line.toString());
            line.setLength(0);
            len = 0;
            w = width - hang;
            continue;
          }
          if (len > 0) {
            line.append(' ');
            len++;
          }
          line.append(new String(cps, from, left));
          len += left;
          from = cps.length;
        } else {
          // longer than a whole line: cut it, on lines of its own
          line.append(new String(cps, from, room));
          from += room;
          out.add(line.toString());
          line.setLength(0);
          len = 0;
          w = width - hang;
        }
      }
    }
    if (len > 0 || out.isEmpty()) {
      out.add(line.toString());
    }
    for (int i = 1; i < out.size(); i++) {
      out.set(i, " ".repeat(hang) + out.get(i));
    }
    return out;
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
      o.put(Cols.REVIEW_STATE, reviewState(r));
    }
    return m.writerWithDefaultPrettyPrinter().writeValueAsString(arr);
  }
}

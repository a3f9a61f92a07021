package io.unmask.report;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.model.ModelInputs;
import io.unmask.model.ModelJob;
import io.unmask.report.ReportData.Bin;
import io.unmask.report.ReportData.Cluster;
import io.unmask.report.ReportData.Header;
import io.unmask.report.ReportData.Histogram;
import io.unmask.report.ReportData.Labels;
import io.unmask.report.ReportData.Link;
import io.unmask.report.ReportData.Member;
import io.unmask.report.ReportData.Mitigation;
import io.unmask.report.ReportData.PrCurve;
import io.unmask.report.ReportData.PrPoint;
import io.unmask.report.ReportData.Reason;
import io.unmask.report.ReportData.ReasonStat;
import io.unmask.report.ReportData.TopAccount;
import io.unmask.review.Decisions;
import io.unmask.review.QueueEntries;
import io.unmask.review.ReviewQueue;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;

/**
 * Collects what the report shows from a warehouse: DataFrames in, small records out. Only
 * aggregates (histogram bins, label counts, reason-code means, queue counts, cluster rankings) and
 * top-N rows (the first queue entries with at most {@link #MAX_RING_MEMBERS} members each, the
 * highest-ranked confirmed accounts, at most {@link #MAX_DECISIONS} decisions per account shown,
 * drawn cluster members and their links, one point per confirmed positive at most {@link
 * #MAX_PR_POINTS}) reach the driver.
 */
public final class ReportGatherer {
  /** Bins of the score histogram. */
  public static final int BINS = 50;

  /** Members drawn per cluster (the highest-scored ones). */
  public static final int MAX_MEMBERS = 40;

  /** Points per precision-recall curve sent to the driver. */
  public static final int MAX_PR_POINTS = 400;

  /** Queued members listed under a ring's entry at most (the best-ranked ones). */
  public static final int MAX_RING_MEMBERS = 12;

  /** Decisions shown per account at most (the latest ones). */
  public static final int MAX_DECISIONS = 5;

  /** Links collected per drawn cluster at most. */
  static final int MAX_LINKS_PER_CLUSTER = 5000;

  /**
   * @param top entries of the review queue shown (a ring counts once), and rows of the confirmed
   *     table
   * @param clusters clusters to draw
   * @param maxMembers members drawn per cluster
   */
  public record Options(int top, int clusters, int maxMembers) {
    public Options {
      if (top < 1 || clusters < 1 || maxMembers < 1) {
        throw new IllegalArgumentException("top, clusters and maxMembers must be at least 1");
      }
    }
  }

  private static final String LABEL = ModelInputs.LABEL;

  private ReportGatherer() {}

  /**
   * Gathers the report of one day of {@code risk_scores}.
   *
   * @param asOf the day; null for the latest day in {@code risk_scores}
   * @param now the generation time shown in the header
   * @throws IllegalArgumentException ("Invalid --as-of ...", "Invalid --warehouse ...") when there
   *     are no scores to report
   */
  public static ReportData gather(
      SparkSession spark, String warehouse, LocalDate asOf, Options o, Instant now) {
    Dataset<Row> all = DeltaIO.read(spark, warehouse, Tables.RISK_SCORES);
    LocalDate day = asOf != null ? asOf : latestDay(all, warehouse);
    Dataset<Row> scores =
        all.filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row h =
          scores.agg(count(lit(1)), max(col(Cols.MODEL_VERSION)), max(col(Cols.RUN_ID))).first();
      long accounts = h.getLong(0);
      if (accounts == 0) {
        throw new IllegalArgumentException(
            "Invalid --as-of: risk_scores holds no rows for " + day + " (days: " + days(all) + ")");
      }
      String version = h.getString(1);
      ModelRow model = modelRow(spark, warehouse, version);
      Header header =
          new Header(
              warehouse,
              day,
              version,
              model.kind,
              accounts,
              h.getString(2),
              now,
              metrics(spark, warehouse, version, model.kind));
      Dataset<Row> labels = latestLabels(spark, warehouse, day);
      Dataset<Row> profiles = profiles(spark, warehouse, day);
      ModelImportances.Result imp = importances(spark, warehouse, model);
      return new ReportData(
          header,
          histogram(scores, labels),
          labels(scores, labels),
          new ReportData.Importances(imp.source(), imp.importances(), reasonStats(scores)),
          review(spark, warehouse, day, scores, all, profiles, labels, o.top()),
          clusters(spark, warehouse, day, scores, profiles, labels, o),
          o.clusters());
    } finally {
      scores.unpersist();
    }
  }

  private static LocalDate latestDay(Dataset<Row> all, String warehouse) {
    Row r = all.agg(max(col(Cols.AS_OF))).first();
    if (r.isNullAt(0)) {
      throw new IllegalArgumentException(
          "Invalid --warehouse: " + warehouse + " has an empty risk_scores table");
    }
    return r.getDate(0).toLocalDate();
  }

  private static String days(Dataset<Row> all) {
    List<String> d =
        all
            .select(col(Cols.AS_OF))
            .distinct()
            .orderBy(col(Cols.AS_OF).desc())
            .limit(10)
            .collectAsList()
            .stream()
            .map(r -> String.valueOf(r.getDate(0)))
            .toList();
    return d.isEmpty() ? "none" : String.join(", ", d);
  }

  private static Dataset<Row> dayOf(
      SparkSession spark, String warehouse, String table, LocalDate day) {
    return DeltaIO.read(spark, warehouse, table)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))));
  }

  /**
   * The label per account the day's run learned from (the labels export and the recorded decisions,
   * latest wins): account_id, label. Empty when there are none.
   */
  static Dataset<Row> latestLabels(SparkSession spark, String warehouse, LocalDate day) {
    return io.unmask.review.Labels.effectiveOrEmpty(spark, warehouse, day)
        .select(col(Cols.ACCOUNT_ID), col(Cols.LABEL).cast("int").as(LABEL));
  }

  private static Dataset<Row> profiles(SparkSession spark, String warehouse, LocalDate day) {
    if (!DeltaIO.exists(spark, warehouse, Tables.PROFILES)) {
      return spark
          .emptyDataFrame()
          .select(
              lit(null).cast("string").as(Cols.ACCOUNT_ID),
              lit(null).cast("string").as(Cols.DISPLAY_NAME),
              lit(null).cast("string").as(Cols.CLAIMED_COUNTRY));
    }
    return io.unmask.io.Inputs.profiles(spark, warehouse, day)
        .select(col(Cols.ACCOUNT_ID), col(Cols.DISPLAY_NAME), col(Cols.CLAIMED_COUNTRY));
  }

  // ---- header: the model ----

  /** What {@code models} says about a version; kind {@code rule_score} when it is not listed. */
  record ModelRow(String version, String kind, String path, List<String> features) {}

  static ModelRow modelRow(SparkSession spark, String warehouse, String version) {
    if (version != null && DeltaIO.exists(spark, warehouse, Tables.MODELS)) {
      List<Row> rows =
          DeltaIO.read(spark, warehouse, Tables.MODELS)
              .filter(col(Cols.MODEL_VERSION).equalTo(version))
              .orderBy(col("created_at").desc())
              .limit(1)
              .collectAsList();
      if (!rows.isEmpty()) {
        Row r = rows.get(0);
        String feats = r.getAs("features");
        return new ModelRow(
            version,
            r.getAs("kind"),
            r.getAs("path"),
            feats == null || feats.isEmpty() ? List.of() : List.of(feats.split(",")));
      }
    }
    // Versions not in the models table are the rule-score fallback ("rule-v1 (...)").
    return new ModelRow(version, ModelJob.RULE_KIND, null, List.of());
  }

  private static Map<String, Double> metrics(
      SparkSession spark, String warehouse, String version, String kind) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (version == null || !DeltaIO.exists(spark, warehouse, Tables.MODEL_METRICS)) {
      return m;
    }
    for (Row r :
        DeltaIO.read(spark, warehouse, Tables.MODEL_METRICS)
            .filter(col(Cols.MODEL_VERSION).equalTo(version).and(col("model").equalTo(kind)))
            .select("metric", "value")
            .limit(100)
            .collectAsList()) {
      if (!r.isNullAt(1)) {
        m.put(r.getString(0), r.getDouble(1));
      }
    }
    return m;
  }

  // ---- distribution ----

  static Histogram histogram(Dataset<Row> scores, Dataset<Row> labels) {
    Column bin =
        least(greatest(floor(col(Cols.SCORE).multiply(BINS)), lit(0L)), lit((long) BINS - 1));
    List<Row> rows =
        scores
            .select(col(Cols.ACCOUNT_ID), bin.as("_bin"))
            .join(broadcast(labels), new String[] {Cols.ACCOUNT_ID}, "left")
            .groupBy("_bin")
            .agg(
                count(lit(1)),
                sum(when(col(LABEL).equalTo(1), 1L).otherwise(0L)),
                sum(when(col(LABEL).equalTo(0), 1L).otherwise(0L)))
            .collectAsList();
    long[][] c = new long[BINS][3];
    for (Row r : rows) {
      int b = (int) r.getLong(0);
      c[b][0] = r.getLong(1);
      c[b][1] = r.getLong(2);
      c[b][2] = r.getLong(3);
    }
    List<Bin> bins = new ArrayList<>();
    for (int b = 0; b < BINS; b++) {
      bins.add(new Bin((double) b / BINS, (double) (b + 1) / BINS, c[b][0], c[b][1], c[b][2]));
    }
    return new Histogram(bins);
  }

  // ---- labels ----

  /**
   * Precision-recall at each confirmed positive, in rank order: against the confirmed genuine
   * accounts (precision = positives / labelled accounts at or above), and against every other
   * account (precision = positives / rank, as training's positive-unlabelled target counts). One
   * window over the labelled scored accounts only.
   */
  static Labels labels(Dataset<Row> scores, Dataset<Row> labels) {
    Dataset<Row> lab =
        scores
            .select(col(Cols.ACCOUNT_ID), col(Cols.SCORE), col(Cols.RANK))
            .join(labels.filter(col(LABEL).isin(0, 1)), Cols.ACCOUNT_ID);
    Row n =
        lab.agg(
                sum(when(col(LABEL).equalTo(1), 1L).otherwise(0L)),
                sum(when(col(LABEL).equalTo(0), 1L).otherwise(0L)))
            .first();
    long positives = n.isNullAt(0) ? 0 : n.getLong(0);
    long genuine = n.isNullAt(1) ? 0 : n.getLong(1);
    if (positives == 0) {
      return new Labels(0, genuine, List.of());
    }
    WindowSpec upTo =
        Window.orderBy(col(Cols.RANK))
            .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> atPositives =
        lab.withColumn("_tp", sum(when(col(LABEL).equalTo(1), 1L).otherwise(0L)).over(upTo))
            .withColumn("_seen", count(lit(1)).over(upTo))
            .filter(col(LABEL).equalTo(1))
            .select(
                col(Cols.RANK),
                col(Cols.SCORE),
                col("_tp"),
                col("_tp").divide(lit((double) positives)).as("_recall"),
                col("_tp").divide(col("_seen")).as("_p_genuine"),
                col("_tp").divide(col(Cols.RANK)).as("_p_all"))
            .cache();
    try {
      Row ap = atPositives.agg(avg("_p_genuine"), avg("_p_all")).first();
      long step = Math.max(1, (long) Math.ceil((double) positives / MAX_PR_POINTS));
      List<Row> pts =
          atPositives
              .filter(pmod(col("_tp"), lit(step)).equalTo(0).or(col("_tp").equalTo(positives)))
              .orderBy(col(Cols.RANK))
              .collectAsList();
      List<PrPoint> vsGenuine = new ArrayList<>();
      List<PrPoint> vsAll = new ArrayList<>();
      for (Row r : pts) {
        double recall = r.getDouble(3);
        double threshold = r.getDouble(1);
        vsGenuine.add(new PrPoint(recall, r.getDouble(4), threshold));
        vsAll.add(new PrPoint(recall, r.getDouble(5), threshold));
      }
      return new Labels(
          positives,
          genuine,
          List.of(
              new PrCurve(
                  "the " + genuine + " confirmed genuine accounts (label 0)",
                  vsGenuine,
                  ap.getDouble(0)),
              new PrCurve(
                  "every other account, unlabelled ones included", vsAll, ap.getDouble(1))));
    } finally {
      atPositives.unpersist();
    }
  }

  // ---- importances ----

  static ModelImportances.Result importances(SparkSession spark, String warehouse, ModelRow model) {
    if (ModelJob.RULE_KIND.equals(model.kind())) {
      // The rule score runs on the account_features rows (cluster and linking columns included),
      // not only on the model's feature list.
      List<String> available = new ArrayList<>(model.features());
      if (DeltaIO.exists(spark, warehouse, Tables.ACCOUNT_FEATURES)) {
        available.addAll(
            List.of(DeltaIO.read(spark, warehouse, Tables.ACCOUNT_FEATURES).columns()));
      }
      return ModelImportances.ofRuleScore(available);
    }
    List<String> dirs = new ArrayList<>();
    dirs.add(Tables.path(Tables.path(warehouse, Tables.MODEL_DIR), model.version()) + "/pipeline");
    if (model.path() != null) {
      dirs.add(model.path() + "/pipeline");
    }
    for (String dir : dirs) {
      try {
        return ModelImportances.ofPipeline(PipelineModel.load(dir), model.features());
      } catch (RuntimeException e) {
        // not there (moved warehouse): try the next place
      }
    }
    return new ModelImportances.Result(
        "The saved pipeline of " + model.version() + " could not be read.", List.of());
  }

  static List<ReasonStat> reasonStats(Dataset<Row> scores) {
    List<ReasonStat> out = new ArrayList<>();
    for (Row r :
        scores
            .select(explode(col(Cols.REASONS)).as("_r"))
            .groupBy(col("_r.code").as("_code"))
            .agg(avg(col("_r.weight")).as("_mean"), count(lit(1)).as("_n"))
            .filter(col("_code").isNotNull())
            .orderBy(col("_mean").desc_nulls_last(), col("_code"))
            .limit(200)
            .collectAsList()) {
      out.add(new ReasonStat(r.getString(0), r.isNullAt(1) ? 0 : r.getDouble(1), r.getLong(2)));
    }
    return out;
  }

  // ---- the review queue and the confirmed accounts ----

  /**
   * The day's ranking as investigators work it ({@link ReviewQueue#annotate}): the first {@code n}
   * entries of the queue (to_review and evidence_changed; a ring is one entry with at most {@link
   * #MAX_RING_MEMBERS} of its queued members), the {@code n} highest-ranked confirmed accounts, the
   * counts of the whole, and for every account shown its latest {@link #MAX_DECISIONS} decisions.
   */
  static ReportData.Review review(
      SparkSession spark,
      String warehouse,
      LocalDate day,
      Dataset<Row> scores,
      Dataset<Row> all,
      Dataset<Row> profiles,
      Dataset<Row> labels,
      int n) {
    Dataset<Row> annotated =
        ReviewQueue.annotate(spark, warehouse, day, scores, all)
            .join(profiles, new String[] {Cols.ACCOUNT_ID}, "left")
            .join(labels, new String[] {Cols.ACCOUNT_ID}, "left")
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Column state = col(Cols.REVIEW_STATE);
      Row c =
          annotated
              .agg(
                  count_if(ReviewQueue.inQueue()),
                  count_distinct(
                      when(
                          ReviewQueue.inQueue(),
                          coalesce(
                              col(Cols.CLUSTER_ID), concat(lit("\u0000"), col(Cols.ACCOUNT_ID))))),
                  count_if(state.equalTo(ReviewQueue.CONFIRMED)),
                  count_if(state.isin(ReviewQueue.GENUINE, ReviewQueue.UNSURE)))
              .first();
      List<QueueEntries.Entry> entries =
          QueueEntries.first(annotated.filter(ReviewQueue.inQueue()), n, MAX_RING_MEMBERS);
      List<Row> confirmedRows =
          annotated
              .filter(state.equalTo(ReviewQueue.CONFIRMED))
              .orderBy(col(Cols.RANK))
              .limit(n)
              .collectAsList();
      List<Row> clearedRows =
          annotated
              .filter(state.isin(ReviewQueue.GENUINE, ReviewQueue.UNSURE))
              .orderBy(col(Cols.RANK))
              .limit(n)
              .collectAsList();
      List<String> ids = new ArrayList<>();
      entries.forEach(e -> e.members().forEach(r -> ids.add(r.getAs(Cols.ACCOUNT_ID))));
      confirmedRows.forEach(r -> ids.add(r.getAs(Cols.ACCOUNT_ID)));
      clearedRows.forEach(r -> ids.add(r.getAs(Cols.ACCOUNT_ID)));
      Map<String, List<ReportData.Decision>> history = history(spark, warehouse, ids);
      List<ReportData.QueueEntry> queue = new ArrayList<>();
      for (QueueEntries.Entry e : entries) {
        queue.add(
            new ReportData.QueueEntry(
                e.clusterId(),
                e.size(),
                e.members().stream().map(r -> reviewed(r, history)).toList()));
      }
      return new ReportData.Review(
          queue,
          c.getLong(0),
          c.getLong(1),
          confirmedRows.stream().map(r -> reviewed(r, history)).toList(),
          c.getLong(2),
          c.getLong(3),
          clearedRows.stream().map(r -> reviewed(r, history)).toList());
    } finally {
      annotated.unpersist();
    }
  }

  /**
   * The latest {@link #MAX_DECISIONS} decisions of each of {@code accounts} from the {@code
   * decisions} table, newest first; empty when none was recorded.
   */
  static Map<String, List<ReportData.Decision>> history(
      SparkSession spark, String warehouse, List<String> accounts) {
    Map<String, List<ReportData.Decision>> out = new LinkedHashMap<>();
    if (accounts.isEmpty() || !DeltaIO.exists(spark, warehouse, Tables.DECISIONS)) {
      return out;
    }
    Dataset<Row> ids =
        spark
            .createDataset(List.copyOf(new java.util.LinkedHashSet<>(accounts)), Encoders.STRING())
            .toDF("_id");
    List<Row> rows =
        Decisions.read(spark, warehouse)
            .join(broadcast(ids), col(Cols.ACCOUNT_ID).equalTo(col("_id")))
            .withColumn(
                "_n",
                row_number()
                    .over(
                        Window.partitionBy(Cols.ACCOUNT_ID)
                            .orderBy(
                                col(Cols.DECIDED_AT).desc_nulls_last(),
                                col(Cols.DECISION_ID).desc())))
            .filter(col("_n").leq(MAX_DECISIONS))
            .select(
                col(Cols.ACCOUNT_ID),
                col(Cols.DECIDED_AT),
                col(Cols.DECIDED_BY),
                col(Cols.DECISION),
                col(Cols.NOTE))
            .orderBy(col(Cols.ACCOUNT_ID), col("_n"))
            .collectAsList();
    for (Row r : rows) {
      out.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(
              new ReportData.Decision(
                  r.isNullAt(1) ? null : r.getTimestamp(1).toInstant(),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4)));
    }
    return out;
  }

  private static ReportData.ReviewedAccount reviewed(
      Row r, Map<String, List<ReportData.Decision>> history) {
    java.sql.Timestamp at = r.getAs(ReviewQueue.REVIEWED_AT);
    return new ReportData.ReviewedAccount(
        topAccount(r),
        r.getAs(Cols.REVIEW_STATE),
        at == null ? null : at.toInstant(),
        r.getAs(ReviewQueue.REVIEWED_BY),
        history.getOrDefault(r.<String>getAs(Cols.ACCOUNT_ID), List.of()));
  }

  private static TopAccount topAccount(Row r) {
    return new TopAccount(
        r.<Integer>getAs(Cols.RANK),
        r.getAs(Cols.ACCOUNT_ID),
        r.<Double>getAs(Cols.SCORE),
        r.getAs(Cols.CLUSTER_ID),
        r.getAs(Cols.DISPLAY_NAME),
        r.getAs(Cols.CLAIMED_COUNTRY),
        r.getAs(LABEL),
        reasons(r),
        mitigating(r));
  }

  /** The optional mitigating column; empty for tables written before it existed. */
  private static List<Mitigation> mitigating(Row r) {
    if (!java.util.Arrays.asList(r.schema().fieldNames()).contains(Schemas.MITIGATING)) {
      return List.of();
    }
    List<Row> ms = r.getList(r.fieldIndex(Schemas.MITIGATING));
    List<Mitigation> out = new ArrayList<>();
    if (ms != null) {
      for (Row x : ms) {
        if (x != null) {
          out.add(new Mitigation(x.getAs("code"), x.getAs("detail")));
        }
      }
    }
    return out;
  }

  private static List<Reason> reasons(Row r) {
    List<Row> rs = r.getList(r.fieldIndex(Cols.REASONS));
    if (rs == null) {
      return List.of();
    }
    List<Reason> out = new ArrayList<>();
    for (Row x : rs) {
      if (x != null) {
        Double w = x.getAs("weight");
        out.add(new Reason(x.getAs("code"), w == null ? 0 : w, x.getAs("detail")));
      }
    }
    return out;
  }

  // ---- clusters ----

  /**
   * The {@code o.clusters()} clusters of two or more scored accounts with the highest member score
   * (then mean score, then id), each with its highest-scored members (at most {@code
   * o.maxMembers()}) and the {@code account_links} of the day between them.
   */
  static List<Cluster> clusters(
      SparkSession spark,
      String warehouse,
      LocalDate day,
      Dataset<Row> scores,
      Dataset<Row> profiles,
      Dataset<Row> labels,
      Options o) {
    List<Row> chosen =
        scores
            .filter(col(Cols.CLUSTER_ID).isNotNull())
            .groupBy(Cols.CLUSTER_ID)
            .agg(
                count(lit(1)).as("_n"),
                max(col(Cols.SCORE)).as("_max"),
                avg(col(Cols.SCORE)).as("_mean"))
            .filter(col("_n").geq(2))
            .orderBy(col("_max").desc(), col("_mean").desc(), col(Cols.CLUSTER_ID))
            .limit(o.clusters())
            .collectAsList();
    if (chosen.isEmpty()) {
      return List.of();
    }
    List<String> ids = chosen.stream().map(r -> r.getString(0)).toList();
    Dataset<Row> idFrame = spark.createDataset(ids, Encoders.STRING()).toDF(Cols.CLUSTER_ID);
    List<Row> memberRows =
        scores
            .join(broadcast(idFrame), Cols.CLUSTER_ID)
            .withColumn(
                "_rn",
                row_number()
                    .over(
                        Window.partitionBy(Cols.CLUSTER_ID)
                            .orderBy(col(Cols.SCORE).desc(), col(Cols.ACCOUNT_ID))))
            .filter(col("_rn").leq(o.maxMembers()))
            .select(Cols.CLUSTER_ID, Cols.ACCOUNT_ID, Cols.SCORE, Cols.RANK)
            .join(profiles.select(Cols.ACCOUNT_ID, Cols.DISPLAY_NAME), Cols.ACCOUNT_ID, "left")
            .join(labels, new String[] {Cols.ACCOUNT_ID}, "left")
            .orderBy(col(Cols.CLUSTER_ID), col(Cols.SCORE).desc(), col(Cols.ACCOUNT_ID))
            .collectAsList();
    Map<String, List<Member>> members = new LinkedHashMap<>();
    List<Row> pairs = new ArrayList<>();
    for (Row r : memberRows) {
      String c = r.getAs(Cols.CLUSTER_ID);
      members
          .computeIfAbsent(c, k -> new ArrayList<>())
          .add(
              new Member(
                  r.getAs(Cols.ACCOUNT_ID),
                  r.<Double>getAs(Cols.SCORE),
                  r.<Integer>getAs(Cols.RANK),
                  r.getAs(LABEL),
                  r.getAs(Cols.DISPLAY_NAME)));
      pairs.add(org.apache.spark.sql.RowFactory.create(c, r.<String>getAs(Cols.ACCOUNT_ID)));
    }
    Map<String, List<Link>> links = links(spark, warehouse, day, pairs, o.clusters());
    List<Cluster> out = new ArrayList<>();
    for (Row r : chosen) {
      String c = r.getString(0);
      out.add(
          new Cluster(
              c,
              r.getLong(1),
              r.getDouble(2),
              r.getDouble(3),
              members.getOrDefault(c, List.of()),
              links.getOrDefault(c, List.of())));
    }
    return out;
  }

  /** The day's links whose two ends are drawn members of one cluster, by cluster id. */
  private static Map<String, List<Link>> links(
      SparkSession spark, String warehouse, LocalDate day, List<Row> pairs, int clusters) {
    Map<String, List<Link>> out = new LinkedHashMap<>();
    if (!DeltaIO.exists(spark, warehouse, Tables.ACCOUNT_LINKS)) {
      return out;
    }
    Dataset<Row> m =
        spark.createDataFrame(
            pairs,
            new org.apache.spark.sql.types.StructType()
                .add("_c", org.apache.spark.sql.types.DataTypes.StringType)
                .add("_id", org.apache.spark.sql.types.DataTypes.StringType));
    Dataset<Row> a = m.select(col("_c").as("_ca"), col("_id").as("_ida"));
    Dataset<Row> b = m.select(col("_c").as("_cb"), col("_id").as("_idb"));
    List<Row> rows =
        dayOf(spark, warehouse, Tables.ACCOUNT_LINKS, day)
            .join(broadcast(a), col(Cols.ACCOUNT_A).equalTo(col("_ida")))
            .join(
                broadcast(b),
                col(Cols.ACCOUNT_B).equalTo(col("_idb")).and(col("_ca").equalTo(col("_cb"))))
            .select(
                col("_ca"),
                col(Cols.ACCOUNT_A),
                col(Cols.ACCOUNT_B),
                col(Cols.LINK_TYPE),
                col(Cols.WEIGHT),
                col(Cols.IN_GRAPH))
            .orderBy(col("_ca"), col(Cols.ACCOUNT_A), col(Cols.ACCOUNT_B), col(Cols.LINK_TYPE))
            .limit(clusters * MAX_LINKS_PER_CLUSTER)
            .collectAsList();
    for (Row r : rows) {
      out.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(
              new Link(
                  r.getString(1),
                  r.getString(2),
                  r.getString(3),
                  r.isNullAt(4) ? 0 : r.getDouble(4),
                  r.isNullAt(5) || r.getBoolean(5)));
    }
    return out;
  }
}

package io.unmask.bench;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.SparkSessions;
import io.unmask.common.Tables;
import io.unmask.generate.GenerateJob;
import io.unmask.generate.OutputFormat;
import io.unmask.generate.Scenario;
import io.unmask.ingest.IngestJob;
import io.unmask.io.DeltaIO;
import io.unmask.io.RunLock;
import io.unmask.model.ModelInputs;
import io.unmask.pipeline.PipelineJob;
import io.unmask.review.Decisions;
import io.unmask.review.Labels;
import io.unmask.review.ReviewQueue;
import io.unmask.review.Suggestions;
import io.unmask.score.Evaluation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Review simulation (prints figures; not a test), issue 15: does reviewing the accounts {@code
 * suggest} lists improve the model faster than reviewing the top of the queue or random accounts?
 *
 * <p>Generates a population (its truth under {@code _truth/}), runs the pipeline once, then for
 * each strategy works on its own copy of that warehouse: per round an investigator reviews {@code
 * PER_ROUND} accounts the strategy picks (suggested: {@code suggest}'s list; top: the first of the
 * review queue by rank; random: unreviewed accounts in a seeded random order), each decision being
 * the truth (concealed if truly concealed, else genuine) recorded through {@link
 * Decisions#recordFile} by "simulation"; then the day is analysed again exactly as {@code pipeline
 * --skip-ingest} does (linking, features, model, scoring: cluster label features and the model read
 * the new labels) and the ranking is measured. Printed per round and strategy: average precision on
 * that strategy's still-unreviewed accounts (the measure), on the accounts no strategy
 * reviewed in any round (the same accounts for every strategy), the concealed accounts the round's
 * reviews found, and the model used.
 *
 * <p>Usage: {@code bin/bench-review [WORKDIR] [ACCOUNTS] [SCENARIO] [LOGINS_PER_ACCOUNT] [ROUNDS]
 * [PER_ROUND] [SEED] [full|model] [TREES]} (defaults: a temp dir, 4000, evasive, 40, 5, 50, 7,
 * full, the production number of trees). {@code model} reruns only the model and scoring each round
 * (faster; the cluster label features keep the first run's labels). The generated input and the
 * first pipeline run are reused when present in WORKDIR.
 */
public final class ReviewSimulation {
  static final List<String> STRATEGIES =
      List.of(
          System.getenv().getOrDefault("UNMASK_SIM_STRATEGIES", "suggested,top,random").split(","));

  private ReviewSimulation() {}

  /** One strategy's state after a round. */
  record Round(
      String strategy, int round, double ap, long unreviewed, long found, String model, double s) {}

  public static void main(String[] args) throws IOException {
    Path work =
        args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("unmask-bench-review");
    long accounts = args.length > 1 ? Long.parseLong(args[1]) : 4000;
    Scenario scenario = args.length > 2 ? Scenario.parse(args[2]) : Scenario.EVASIVE;
    double logins = args.length > 3 ? Double.parseDouble(args[3]) : 40;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    int perRound = args.length > 5 ? Integer.parseInt(args[5]) : 50;
    long seed = args.length > 6 ? Long.parseLong(args[6]) : 7;
    boolean full = args.length <= 7 || !args[7].equals("model");
    boolean parallel = !"1".equals(System.getenv("UNMASK_SIM_SEQUENTIAL"));
    Files.createDirectories(work);
    SparkSession spark = SparkSessions.create("unmask bench-review");
    spark.sparkContext().setLogLevel("ERROR");
    Progress p = new Progress(System.out);
    PipelineJob.Settings prod = PipelineJob.Settings.defaults();
    io.unmask.model.Trainer.Settings t = prod.model().settings();
    int trees = args.length > 8 ? Integer.parseInt(args[8]) : t.trees();
    PipelineJob.Settings settings =
        new PipelineJob.Settings(
            prod.features(),
            prod.linking(),
            new io.unmask.model.ModelJob.Options(
                prod.model().retrain(),
                prod.model().pinnedVersion(),
                prod.model().minPositives(),
                new io.unmask.model.Trainer.Settings(
                    t.folds(), trees, t.depth(), t.genuineWeight(), t.seed())));
    System.out.printf(
        Locale.ROOT,
        "review simulation: %d accounts, %s, %.0f sign-ins per account, seed %d; %d rounds of %d"
            + " reviews per strategy; each round reruns %s; model settings %s (%s); %d cores;"
            + " work %s%n",
        accounts,
        scenario.label(),
        logins,
        seed,
        rounds,
        perRound,
        full ? "linking, features, model and scoring" : "model and scoring only",
        settings.model(),
        trees == t.trees() ? "production defaults" : "production defaults but " + trees + " trees",
        Runtime.getRuntime().availableProcessors(),
        work);

    Path in = work.resolve("in");
    if (!Files.exists(in.resolve(GenerateJob.TRUTH).resolve(GenerateJob.SUMMARY))) {
      GenerateJob.run(
          spark,
          new GenerateJob.Options(
              in.toString(),
              accounts,
              seed,
              scenario,
              OutputFormat.CSV,
              logins,
              GenerateJob.Options.DEFAULT_ACCOUNTS_PER_FILE,
              true),
          p);
    }
    Dataset<Row> truth =
        spark
            .read()
            .option("header", "true")
            .csv(in.resolve(GenerateJob.TRUTH + "/accounts").toString())
            .cache();
    Path base = work.resolve("wh-base");
    LocalDate day;
    long t0 = System.nanoTime();
    if (!Files.exists(base.resolve(Tables.ACCOUNT_FEATURES))) {
      deleteTree(base);
      day =
          PipelineJob.run(
                  spark,
                  new IngestJob.Options(in.toString(), base.toString(), null, "sim-base", false),
                  settings,
                  p)
              .asOf();
      RunLock.releaseAll(spark.sparkContext().hadoopConfiguration());
      System.out.printf(Locale.ROOT, "first pipeline run: %.0f s%n", secs(t0));
    } else {
      day = latestDay(spark, base.toString());
    }
    if (!Files.exists(base.resolve(Tables.RISK_SCORES))) {
      // a first run that stopped after its features: its model and the scores only
      day =
          DeltaIO.read(spark, base.toString(), Tables.ACCOUNT_FEATURES)
              .agg(max(col(Cols.AS_OF)))
              .first()
              .getDate(0)
              .toLocalDate();
      rescore(spark, base.toString(), day, "sim-base", settings, p);
      RunLock.releaseAll(spark.sparkContext().hadoopConfiguration());
    }
    final LocalDate d = day;
    Round start = measure(spark, base.toString(), day, truth, "start", 0, 0, secs(t0));
    Path scoresDir = work.resolve("scores");
    deleteTree(scoresDir);
    saveScores(spark, base.toString(), day, scoresDir, "start", 0);

    // The strategies run side by side, each on its own warehouse copy: a small model fit leaves
    // most cores idle between its many short jobs, which the other strategies' jobs then use.
    List<Round> results = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(parallel ? STRATEGIES.size() : 1);
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    for (String strategy : STRATEGIES) {
      running.add(
          pool.submit(
              () -> {
                runStrategy(
                    spark, work, base, d, truth, strategy, start, rounds, perRound, seed, full,
                    settings, scoresDir, results);
                return null;
              }));
    }
    for (java.util.concurrent.Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("a strategy failed", e.getCause());
      }
    }
    pool.shutdown();
    Map<String, Double> common = commonAp(spark, work, scoresDir, truth, rounds);
    print(results, common, rounds);
    spark.stop();
  }

  /** One strategy's rounds on its own copy of the first run's warehouse. */
  static void runStrategy(
      SparkSession spark,
      Path work,
      Path base,
      LocalDate day,
      Dataset<Row> truth,
      String strategy,
      Round start,
      int rounds,
      int perRound,
      long seed,
      boolean full,
      PipelineJob.Settings settings,
      Path scoresDir,
      List<Round> results)
      throws IOException {
    Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()));
    spark.sparkContext().setLocalProperty("spark.job.description", "strategy " + strategy);
    Path wh = work.resolve("wh-" + strategy);
    deleteTree(wh);
    copyTree(base, wh);
    String w = wh.toString();
    results.add(
        new Round(strategy, 0, start.ap(), start.unreviewed(), 0, start.model(), start.s()));
    for (int r = 1; r <= rounds; r++) {
      long r0 = System.nanoTime();
      List<String> picked = pick(spark, w, day, strategy, perRound, seed * 1000 + r);
      long found = recordTruth(spark, w, picked, truth, work, strategy, r);
      String runId = "sim-" + strategy + "-" + r;
      if (full) {
        PipelineJob.analyse(spark, w, day, runId, settings, quiet);
      } else {
        rescore(spark, w, day, runId, settings, quiet);
      }
      Round res = measure(spark, w, day, truth, strategy, r, found, secs(r0));
      saveScores(spark, w, day, scoresDir, strategy, r);
      results.add(res);
      System.out.printf(
          Locale.ROOT,
          "%-9s round %d: reviewed %d (%d concealed), AP on unreviewed %.3f over %d accounts,"
              + " model %s, %.0f s%n",
          strategy,
          r,
          picked.size(),
          found,
          res.ap(),
          res.unreviewed(),
          res.model(),
          res.s());
    }
  }

  // ---------------------------------------------------------------- strategies

  /** The accounts a strategy reviews this round. */
  static List<String> pick(
      SparkSession spark, String wh, LocalDate day, String strategy, int n, long seed) {
    Dataset<Row> dayScores =
        DeltaIO.read(spark, wh, Tables.RISK_SCORES)
            .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))));
    Dataset<Row> reviews = Labels.latestReviews(spark, wh, day);
    Dataset<Row> picked =
        switch (strategy) {
          case "suggested" -> {
            Dataset<Row> links =
                DeltaIO.exists(spark, wh, Tables.ACCOUNT_LINKS)
                    ? DeltaIO.read(spark, wh, Tables.ACCOUNT_LINKS)
                        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))))
                    : null;
            yield Suggestions.suggest(dayScores, reviews, links, n);
          }
          case "top" ->
              ReviewQueue.annotate(dayScores, dayScores, reviews, day)
                  .filter(col(Cols.REVIEW_STATE).equalTo(ReviewQueue.TO_REVIEW))
                  .orderBy(col(Cols.RANK))
                  .limit(n);
          case "random" ->
              dayScores
                  .join(
                      reviews.select(Cols.ACCOUNT_ID), new String[] {Cols.ACCOUNT_ID}, "left_anti")
                  .orderBy(xxhash64(col(Cols.ACCOUNT_ID), lit(seed)), col(Cols.ACCOUNT_ID))
                  .limit(n);
          default -> throw new IllegalArgumentException(strategy);
        };
    return picked
        .select(Cols.ACCOUNT_ID)
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  /**
   * Records the truth of each picked account as a decision (a decisions file, as an investigator
   * would give one); returns how many were concealed.
   */
  static long recordTruth(
      SparkSession spark,
      String wh,
      List<String> picked,
      Dataset<Row> truth,
      Path work,
      String strategy,
      int round)
      throws IOException {
    if (picked.isEmpty()) {
      return 0;
    }
    List<Row> rows =
        truth
            .filter(col(Cols.ACCOUNT_ID).isin(picked.toArray()))
            .select(col(Cols.ACCOUNT_ID), col(Evaluation.TRUTH_CONCEALED))
            .collectAsList();
    Path file = work.resolve("decisions").resolve(strategy + "-" + round + ".csv");
    Files.createDirectories(file.getParent());
    StringBuilder sb = new StringBuilder("account_id,decision,note\n");
    long found = 0;
    for (Row r : rows) {
      boolean concealed = "true".equalsIgnoreCase(String.valueOf(r.get(1)));
      found += concealed ? 1 : 0;
      sb.append(r.getString(0))
          .append(',')
          .append(concealed ? "concealed" : "genuine")
          .append(",simulated round ")
          .append(round)
          .append('\n');
    }
    Files.writeString(file, sb);
    Decisions.recordFile(
        spark, wh, file.toString(), "simulation", Instant.now(), "sim-" + strategy + "-" + round);
    return found;
  }

  /**
   * The model and scoring stages of {@link PipelineJob#analyse} on the day's stored features and
   * links (the cluster label features keep the labels of the first run).
   */
  static void rescore(
      SparkSession spark,
      String wh,
      LocalDate d,
      String runId,
      PipelineJob.Settings settings,
      Progress p) {
    Dataset<Row> rows = PipelineJob.dayOf(spark, wh, Tables.ACCOUNT_FEATURES, d);
    Dataset<Row> labels = Labels.effectiveOrEmpty(spark, wh, d);
    Dataset<Row> modelInput =
        io.unmask.model.RuleScore.score(rows, ModelInputs.RULE_SCORE, "_rule_contrib");
    List<String> featureCols = ModelInputs.present(modelInput, List.of(ModelInputs.RULE_SCORE));
    Dataset<Row> links = PipelineJob.dayOf(spark, wh, Tables.ACCOUNT_LINKS, d);
    io.unmask.model.ModelJob.Choice choice =
        io.unmask.model.ModelJob.run(
            spark, wh, d, modelInput, labels, links, featureCols, settings.model(), p);
    io.unmask.score.ScoringJob.run(
        spark, wh, d, runId, rows, PipelineJob.dayOf(spark, wh, Tables.PROFILES, d), choice, p);
  }

  // ---------------------------------------------------------------- measures

  static Round measure(
      SparkSession spark,
      String wh,
      LocalDate day,
      Dataset<Row> truth,
      String strategy,
      int round,
      long found,
      double seconds) {
    Dataset<Row> scores =
        DeltaIO.read(spark, wh, Tables.RISK_SCORES)
            .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))));
    Dataset<Row> labels = ModelInputs.latestLabels(Labels.effectiveOrEmpty(spark, wh, day));
    Map<String, Double> m = Evaluation.evaluate(scores, Cols.SCORE, truth, labels);
    String model = scores.select(Cols.MODEL_VERSION).first().getString(0).split("-")[0];
    return new Round(
        strategy,
        round,
        m.getOrDefault("average_precision", Double.NaN),
        Math.round(m.getOrDefault("accounts", 0.0)),
        found,
        model,
        seconds);
  }

  static void saveScores(
      SparkSession spark, String wh, LocalDate day, Path dir, String strategy, int round) {
    DeltaIO.read(spark, wh, Tables.RISK_SCORES)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))))
        .select(col(Cols.ACCOUNT_ID), col(Cols.SCORE))
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(dir.resolve(strategy + "-" + round).toString());
  }

  /**
   * AP of every strategy and round on the same accounts: those no strategy reviewed in any round
   * and without a label at the start.
   */
  static Map<String, Double> commonAp(
      SparkSession spark, Path work, Path scoresDir, Dataset<Row> truth, int rounds) {
    Dataset<Row> reviewed =
        spark
            .read()
            .option("header", "true")
            .csv(work.resolve("decisions").toString())
            .select(col(Cols.ACCOUNT_ID), lit(0).as(ModelInputs.LABEL));
    Dataset<Row> base =
        ModelInputs.latestLabels(
            Labels.effectiveOrEmpty(
                spark,
                work.resolve("wh-base").toString(),
                latestDay(spark, work.resolve("wh-base").toString())));
    Dataset<Row> excluded =
        reviewed
            .unionByName(base.select(col(Cols.ACCOUNT_ID), col(ModelInputs.LABEL)))
            .groupBy(Cols.ACCOUNT_ID)
            .agg(max(ModelInputs.LABEL).as(ModelInputs.LABEL))
            .cache();
    Map<String, Double> out = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>(List.of("start-0"));
    for (String s : STRATEGIES) {
      for (int r = 1; r <= rounds; r++) {
        keys.add(s + "-" + r);
      }
    }
    for (String k : keys) {
      Dataset<Row> sc = spark.read().parquet(scoresDir.resolve(k).toString());
      out.put(
          k,
          Evaluation.evaluate(sc, Cols.SCORE, truth, excluded)
              .getOrDefault("average_precision", Double.NaN));
      if (k.equals("start-0")) {
        System.out.printf(
            Locale.ROOT,
            "common accounts (no strategy reviewed them): %d%n",
            Math.round(
                Evaluation.evaluate(sc, Cols.SCORE, truth, excluded)
                    .getOrDefault("accounts", 0.0)));
      }
    }
    return out;
  }

  static void print(List<Round> results, Map<String, Double> common, int rounds) {
    System.out.println();
    System.out.println(
        "average precision after each round (AP own: on the strategy's still-unreviewed accounts;"
            + " AP common: on the accounts no strategy reviewed; found: concealed accounts among"
            + " that round's reviews)");
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s", "round"));
    for (String s : STRATEGIES) {
      head.append(
          String.format(
              Locale.ROOT, " | %-9s %7s %7s %5s %-6s", s, "AP own", "common", "found", "model"));
    }
    System.out.println(head);
    for (int r = 0; r <= rounds; r++) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-6d", r));
      for (String s : STRATEGIES) {
        int rr = r;
        Round x =
            results.stream()
                .filter(y -> y.strategy().equals(s) && y.round() == rr)
                .findFirst()
                .orElse(null);
        double c = common.getOrDefault(r == 0 ? "start-0" : s + "-" + r, Double.NaN);
        line.append(
            x == null
                ? " | -"
                : String.format(
                    Locale.ROOT,
                    " | %-9s %7.3f %7.3f %5d %-6s",
                    "",
                    x.ap(),
                    c,
                    x.found(),
                    x.model()));
      }
      System.out.println(line);
    }
    double topLast =
        results.stream()
            .filter(y -> y.strategy().equals("top") && y.round() == rounds)
            .mapToDouble(Round::ap)
            .findFirst()
            .orElse(Double.NaN);
    int reached = -1;
    for (Round x : results) {
      if (x.strategy().equals("suggested") && x.round() > 0 && x.ap() >= topLast) {
        reached = x.round();
        break;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "goal (suggested reaches the AP of %d top-ranked rounds, %.3f, in 3 rounds or fewer): %s%n",
        rounds,
        topLast,
        reached > 0 && reached <= 3
            ? "met in round " + reached
            : reached > 0 ? "reached only in round " + reached : "not reached");
  }

  // ---------------------------------------------------------------- files

  static LocalDate latestDay(SparkSession spark, String wh) {
    return DeltaIO.read(spark, wh, Tables.ACCOUNT_FEATURES)
        .agg(max(col(Cols.AS_OF)))
        .first()
        .getDate(0)
        .toLocalDate();
  }

  /** Copies a warehouse, leaving out run locks. */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path f : s.sorted(Comparator.naturalOrder()).toList()) {
        Path rel = from.relativize(f);
        if (rel.toString().startsWith(RunLock.DIR)) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(f, dest);
        }
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}

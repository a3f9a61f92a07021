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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
 * that strategy's still-unreviewed accounts (the measure), on a held-out set no strategy
 * may review ({@link #heldOut}: the same accounts for every strategy and round, so it measures only
 * what the labels taught the model), the concealed accounts the round's reviews found, and the
 * model used.
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
      String strategy,
      int round,
      double ap,
      long unreviewed,
      double heldOutAp,
      long found,
      String model,
      double s) {}

  /** Share of the accounts unlabelled at the start that no strategy may review (1 in N). */
  static final int HELD_OUT_ONE_IN = 4;

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
    Dataset<Row> heldOut = heldOut(spark, base.toString(), day, seed).cache();
    System.out.printf(
        Locale.ROOT,
        "held out: %d accounts (1 in %d of those unlabelled at the start, %d concealed) that no"
            + " strategy reviews; their AP measures the model alone%n",
        heldOut.count(),
        HELD_OUT_ONE_IN,
        heldOut
            .join(truth, Cols.ACCOUNT_ID)
            .filter(lower(col(Evaluation.TRUTH_CONCEALED)).isin("true", "1"))
            .count());
    Round start = measure(spark, base.toString(), day, truth, heldOut, "start", 0, 0, secs(t0));
    System.out.printf(
        Locale.ROOT,
        "start: AP on unreviewed %.3f over %d accounts, held-out AP %.3f, model %s%n",
        start.ap(),
        start.unreviewed(),
        start.heldOutAp(),
        start.model());

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
                    spark, work, base, d, truth, heldOut, strategy, start, rounds, perRound, seed,
                    full, settings, results);
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
    print(results, rounds);
    spark.stop();
  }

  /** One strategy's rounds on its own copy of the first run's warehouse. */
  static void runStrategy(
      SparkSession spark,
      Path work,
      Path base,
      LocalDate day,
      Dataset<Row> truth,
      Dataset<Row> heldOut,
      String strategy,
      Round start,
      int rounds,
      int perRound,
      long seed,
      boolean full,
      PipelineJob.Settings settings,
      List<Round> results)
      throws IOException {
    Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()));
    spark.sparkContext().setLocalProperty("spark.job.description", "strategy " + strategy);
    Path wh = work.resolve("wh-" + strategy);
    deleteTree(wh);
    copyTree(base, wh);
    String w = wh.toString();
    results.add(
        new Round(
            strategy,
            0,
            start.ap(),
            start.unreviewed(),
            start.heldOutAp(),
            0,
            start.model(),
            start.s()));
    for (int r = 1; r <= rounds; r++) {
      long r0 = System.nanoTime();
      List<String> picked = pick(spark, w, day, heldOut, strategy, perRound, seed * 1000 + r);
      long found = recordTruth(spark, w, picked, truth, work, strategy, r);
      String runId = "sim-" + strategy + "-" + r;
      if (full) {
        PipelineJob.analyse(spark, w, day, runId, settings, quiet);
      } else {
        rescore(spark, w, day, runId, settings, quiet);
      }
      Round res = measure(spark, w, day, truth, heldOut, strategy, r, found, secs(r0));
      results.add(res);
      System.out.printf(
          Locale.ROOT,
          "%-9s round %d: reviewed %d (%d concealed), AP on unreviewed %.3f over %d accounts,"
              + " held-out AP %.3f, model %s, %.0f s%n",
          strategy,
          r,
          picked.size(),
          found,
          res.ap(),
          res.unreviewed(),
          res.heldOutAp(),
          res.model(),
          res.s());
    }
  }

  // ---------------------------------------------------------------- strategies

  /**
   * The accounts a strategy reviews this round, never a held-out one: each strategy's own order,
   * with the held-out accounts skipped.
   */
  static List<String> pick(
      SparkSession spark,
      String wh,
      LocalDate day,
      Dataset<Row> heldOut,
      String strategy,
      int n,
      long seed) {
    Dataset<Row> dayScores =
        DeltaIO.read(spark, wh, Tables.RISK_SCORES)
            .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))));
    String[] id = {Cols.ACCOUNT_ID};
    Dataset<Row> reviews = Labels.latestReviews(spark, wh, day);
    Dataset<Row> picked =
        switch (strategy) {
          case "suggested" -> {
            Dataset<Row> links =
                DeltaIO.exists(spark, wh, Tables.ACCOUNT_LINKS)
                    ? DeltaIO.read(spark, wh, Tables.ACCOUNT_LINKS)
                        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))))
                    : null;
            // suggest's own list, longer than needed so that skipping held-out accounts leaves n
            yield Suggestions.suggest(dayScores, reviews, links, n * HELD_OUT_ONE_IN)
                .join(heldOut, id, "left_anti")
                .orderBy(col(Suggestions.POSITION))
                .limit(n);
          }
          case "top" ->
              ReviewQueue.annotate(dayScores, dayScores, reviews, day)
                  .filter(col(Cols.REVIEW_STATE).equalTo(ReviewQueue.TO_REVIEW))
                  .join(heldOut, id, "left_anti")
                  .orderBy(col(Cols.RANK))
                  .limit(n);
          case "random" ->
              dayScores
                  .join(reviews.select(Cols.ACCOUNT_ID), id, "left_anti")
                  .join(heldOut, id, "left_anti")
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
        spark, wh, d, runId, rows, io.unmask.io.Inputs.profiles(spark, wh, d), choice, p);
  }

  // ---------------------------------------------------------------- measures

  static Round measure(
      SparkSession spark,
      String wh,
      LocalDate day,
      Dataset<Row> truth,
      Dataset<Row> heldOut,
      String strategy,
      int round,
      long found,
      double seconds) {
    Dataset<Row> scores =
        DeltaIO.read(spark, wh, Tables.RISK_SCORES)
            .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))));
    Dataset<Row> labels = ModelInputs.latestLabels(Labels.effectiveOrEmpty(spark, wh, day));
    Map<String, Double> m = Evaluation.evaluate(scores, Cols.SCORE, truth, labels);
    Map<String, Double> h =
        Evaluation.evaluate(
            scores.join(heldOut, Cols.ACCOUNT_ID), Cols.SCORE, truth, labels.limit(0));
    String model = scores.select(Cols.MODEL_VERSION).first().getString(0).split("-")[0];
    return new Round(
        strategy,
        round,
        m.getOrDefault("average_precision", Double.NaN),
        Math.round(m.getOrDefault("accounts", 0.0)),
        h.getOrDefault("average_precision", Double.NaN),
        found,
        model,
        seconds);
  }

  /**
   * The held-out accounts (account_id): one in {@link #HELD_OUT_ONE_IN} of those without a label at
   * the start, by a seeded hash. No strategy reviews them, so the AP on them after a round measures
   * only how much the round's labels taught the model, not which accounts a strategy took out of
   * the pool (reviewing the top removes the easiest concealed accounts from "the still-unreviewed",
   * which lowers that AP whatever the model learned).
   */
  static Dataset<Row> heldOut(SparkSession spark, String wh, LocalDate day, long seed) {
    Dataset<Row> labelled = ModelInputs.latestLabels(Labels.effectiveOrEmpty(spark, wh, day));
    return DeltaIO.read(spark, wh, Tables.RISK_SCORES)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))))
        .select(Cols.ACCOUNT_ID)
        .join(labelled.select(Cols.ACCOUNT_ID), new String[] {Cols.ACCOUNT_ID}, "left_anti")
        .filter(
            pmod(xxhash64(col(Cols.ACCOUNT_ID), lit(seed + 17)), lit(HELD_OUT_ONE_IN)).equalTo(0))
        .distinct();
  }

  static void print(List<Round> results, int rounds) {
    System.out.println();
    System.out.println(
        "average precision after each round (AP own: on the strategy's still-unreviewed accounts,"
            + " the issue's measure; held-out: on the accounts no strategy may review; found:"
            + " concealed accounts among that round's reviews)");
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s", "round"));
    for (String s : STRATEGIES) {
      head.append(
          String.format(
              Locale.ROOT, " | %-9s %7s %8s %5s %-6s", s, "AP own", "held-out", "found", "model"));
    }
    System.out.println(head);
    for (int r = 0; r <= rounds; r++) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-6d", r));
      for (String s : STRATEGIES) {
        Round x = find(results, s, r);
        line.append(
            x == null
                ? " | -"
                : String.format(
                    Locale.ROOT,
                    " | %-9s %7.3f %8.3f %5d %-6s",
                    "",
                    x.ap(),
                    x.heldOutAp(),
                    x.found(),
                    x.model()));
      }
      System.out.println(line);
    }
    if (STRATEGIES.contains("suggested") && STRATEGIES.contains("top")) {
      System.out.println(goal(results, rounds, "AP own", Round::ap));
      System.out.println(goal(results, rounds, "held-out AP", Round::heldOutAp));
    }
  }

  static Round find(List<Round> results, String strategy, int round) {
    return results.stream()
        .filter(y -> y.strategy().equals(strategy) && y.round() == round)
        .findFirst()
        .orElse(null);
  }

  /**
   * The goal on one measure: the first round in which suggested reviewing reaches what
   * {@code rounds} rounds of top-ranked reviewing reach.
   */
  static String goal(
      List<Round> results,
      int rounds,
      String measure,
      java.util.function.ToDoubleFunction<Round> f) {
    Round topLast = find(results, "top", rounds);
    if (topLast == null) {
      return "goal on " + measure + ": top-ranked did not finish " + rounds + " rounds";
    }
    double target = f.applyAsDouble(topLast);
    int reached = -1;
    for (int r = 1; r <= rounds && reached < 0; r++) {
      Round x = find(results, "suggested", r);
      if (x != null && f.applyAsDouble(x) >= target) {
        reached = r;
      }
    }
    return String.format(
        Locale.ROOT,
        "goal on %s (suggested reaches the %.3f of %d top-ranked rounds in 3 rounds or fewer): %s",
        measure,
        target,
        rounds,
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

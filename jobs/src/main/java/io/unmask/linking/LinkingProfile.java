package io.unmask.linking;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.SparkSessions;
import io.unmask.common.Tables;
import io.unmask.features.FeatureConfig;
import io.unmask.features.FeaturesJob;
import io.unmask.features.IpEnrichment;
import io.unmask.features.IpLookup;
import io.unmask.io.DeltaIO;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Developer tool (prints figures; not a test): times each phase of the linking stage on a warehouse
 * that a {@code pipeline} run has filled, forcing each phase on its own and counting the Spark jobs
 * and stages it takes. Phases: the enriched sign-ins linking reads (features' work), each link type
 * of {@link Links}, the whole {@link Links#build}, {@link Clusters#build} (components and the
 * giant-component guard), {@link ClusterFeatures#compute}, and {@link LinkingJob#run} end to end.
 *
 * <p>Usage: {@code UNMASK_MAIN_CLASS=io.unmask.linking.LinkingProfile bin/unmask bench-x WAREHOUSE}
 */
public final class LinkingProfile {
  private static final AtomicInteger JOBS = new AtomicInteger();
  private static final AtomicInteger STAGES = new AtomicInteger();

  private LinkingProfile() {}

  public static void main(String[] args) {
    if (args[0].equals("--compare")) {
      compare(args[1], args[2]);
      return;
    }
    String wh = args[0];
    SparkSession spark = SparkSessions.create("unmask linking-profile");
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onJobStart(SparkListenerJobStart e) {
                JOBS.incrementAndGet();
              }

              @Override
              public void onStageCompleted(SparkListenerStageCompleted e) {
                if (e.stageInfo().failureReason().isEmpty()) {
                  STAGES.incrementAndGet();
                }
              }
            });
    LocalDate asOf =
        DeltaIO.read(spark, wh, Tables.INGEST_REPORT)
            .agg(max(col(Cols.AS_OF)))
            .first()
            .getDate(0)
            .toLocalDate();
    Dataset<Row> profiles = io.unmask.io.Inputs.profiles(spark, wh, asOf);
    Dataset<Row> payments = io.unmask.io.Inputs.payments(spark, wh, asOf);
    LinkingConfig cfg = LinkingConfig.defaults();

    Dataset<Row> enriched =
        time(
            "enriched sign-ins (features' IP look-up, persisted)",
            () -> {
              var lookup =
                  IpEnrichment.broadcast(
                      spark, IpLookup.fromRanges(DeltaIO.read(spark, wh, Tables.IP_RANGES)));
              Dataset<Row> e =
                  FeaturesJob.build(
                          spark,
                          profiles,
                          io.unmask.io.Inputs.logins(spark, wh, asOf),
                          payments,
                          lookup,
                          DeltaIO.read(spark, wh, Tables.SANCTIONED_ADDRESSES),
                          asOf,
                          FeatureConfig.defaults())
                      .enrichedLogins();
              e.count();
              return e;
            });
    Dataset<Row> ok = Links.successful(enriched);
    for (int round = 0; round < 2; round++) {
      String r = round == 0 ? " (cold)" : "";
      time(
          "links device" + r,
          () -> force(Links.keyLinks(Links.deviceUsage(ok), LinkType.DEVICE, cfg.deviceCap())));
      time(
          "links ip" + r, () -> force(Links.keyLinks(Links.ipUsage(ok), LinkType.IP, cfg.ipCap())));
      time(
          "links payout" + r,
          () ->
              force(Links.keyLinks(Links.payoutUsage(payments), LinkType.PAYOUT, cfg.payoutCap())));
      time(
          "links phone" + r,
          () -> force(Links.keyLinks(Links.phoneUsage(profiles), LinkType.PHONE, cfg.phoneCap())));
      time("links photo" + r, () -> force(Links.photoLinks(profiles, cfg)));
      time("links bio" + r, () -> force(Links.bioLinks(profiles, cfg)));
    }
    Dataset<Row> links =
        time(
            "Links.build (all, persisted)",
            () -> {
              Links.Result l = Links.build(profiles, enriched, payments, cfg);
              Dataset<Row> p = l.links().persist(StorageLevel.MEMORY_AND_DISK());
              System.out.printf(
                  Locale.ROOT,
                  "   %,d links (%,d in graph), %,d hubs%n",
                  p.count(),
                  p.filter(col(Cols.IN_GRAPH)).count(),
                  l.hubs().count());
              l.release();
              return p;
            });
    for (int round = 0; round < 2; round++) {
      time(
          "Clusters.build" + (round == 0 ? " (cold)" : ""),
          () -> {
            Clusters.Result c = Clusters.build(links, cfg);
            Dataset<Row> cl = c.clusters().persist();
            System.out.printf(
                Locale.ROOT,
                "   %,d clustered accounts, %,d clusters, largest %s, %,d oversized%n",
                cl.count(),
                cl.select(Cols.CLUSTER_ID).distinct().count(),
                cl.agg(max(Cols.CLUSTER_SIZE)).first().get(0),
                c.oversized().count());
            cl.unpersist();
            return null;
          });
    }
    time(
        "components only (all in-graph links)",
        () -> Clusters.components(Clusters.edges(links.filter(col(Cols.IN_GRAPH))), cfg).count());
    time(
        "ClusterFeatures.compute",
        () -> {
          Dataset<Row> labels = io.unmask.review.Labels.effective(spark, wh, asOf);
          noop(
              ClusterFeatures.compute(
                  profiles, day(spark, wh, Tables.CLUSTERS, asOf).drop(Cols.AS_OF), labels));
          return null;
        });
    links.unpersist();
    time(
        "LinkingJob.run (end to end, enriched sign-ins cached)",
        () ->
            LinkingJob.run(
                spark,
                wh,
                asOf,
                enriched,
                cfg,
                new Progress(new PrintStream(OutputStream.nullOutputStream()))));
    spark.stop();
  }

  /** Rows of the linking tables and account_features that differ between two warehouses. */
  static void compare(String wh1, String wh2) {
    SparkSession spark = SparkSessions.create("unmask linking-compare");
    boolean same = true;
    for (String t :
        new String[] {
          Tables.ACCOUNT_LINKS,
          Tables.CLUSTERS,
          Tables.LINK_HUBS,
          Tables.ACCOUNT_FEATURES,
          Tables.RISK_SCORES
        }) {
      Dataset<Row> a = DeltaIO.read(spark, wh1, t);
      Dataset<Row> b = DeltaIO.read(spark, wh2, t);
      for (String c : new String[] {"run_id", "scored_at", "created_at"}) {
        a = a.drop(c);
        b = b.drop(c);
      }
      long onlyA = a.exceptAll(b).count();
      long onlyB = b.exceptAll(a).count();
      System.out.printf(
          Locale.ROOT,
          "%-18s %,9d rows vs %,9d: %,d only in the first, %,d only in the second%n",
          t,
          a.count(),
          b.count(),
          onlyA,
          onlyB);
      same &= onlyA == 0 && onlyB == 0;
    }
    System.out.println(same ? "identical" : "DIFFERENT");
    spark.stop();
  }

  private static Dataset<Row> day(SparkSession spark, String wh, String table, LocalDate asOf) {
    return DeltaIO.read(spark, wh, table)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(asOf))));
  }

  private static Object force(Links.Result r) {
    noop(r.links());
    noop(r.hubs());
    return null;
  }

  private static void noop(Dataset<Row> d) {
    d.write().format("noop").mode("overwrite").save();
  }

  private static void drain() {
    try {
      SparkSession.active().sparkContext().listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T time(String phase, Supplier<T> body) {
    drain();
    int j0 = JOBS.get();
    int s0 = STAGES.get();
    long t0 = System.nanoTime();
    T out = body.get();
    double s = (System.nanoTime() - t0) / 1e9;
    drain();
    System.out.printf(
        Locale.ROOT,
        "%-55s %7.2f s %5d jobs %5d stages%n",
        phase,
        s,
        JOBS.get() - j0,
        STAGES.get() - s0);
    return out;
  }
}

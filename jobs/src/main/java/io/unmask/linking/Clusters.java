package io.unmask.linking;

import static io.unmask.common.Cols.*;
import static io.unmask.linking.Links.seq;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected components of the linking graph ({@code clusters}): accounts joined, directly or
 * through others, by links that count for clustering ({@code in_graph}; links a shared agency
 * explains do not).
 *
 * <p>Algorithm: min-label propagation with shortcutting, in DataFrames. Every account starts with
 * its own id as label; each iteration (1) takes the smallest label among itself and its neighbours
 * and (2) replaces its label by its label's label (pointer jumping, so that long chains converge in
 * a logarithmic rather than linear number of rounds). It stops when no label changes, or after
 * {@code maxIterations}. Labels are persisted each round and checkpointed every {@code
 * checkpointInterval} rounds (reliable checkpoint when a checkpoint directory is set, else local),
 * so the plan's lineage stays short. A component's label is its smallest account_id; its cluster_id
 * is {@code "c-" + label}: deterministic across runs.
 *
 * <p>Giant-component guard: a component of more than {@code maxClusterSize} accounts is recomputed
 * without the weakest link types ({@code giantDropOrder}, one more at each step); whatever is still
 * too big leaves its members unclustered and is reported in {@link Result#oversized()}.
 */
public final class Clusters {
  private static final Logger LOG = LoggerFactory.getLogger(Clusters.class);

  /** link_hubs.key_type of a component still too big after the guard. */
  public static final String OVERSIZED_KEY_TYPE = "oversized_cluster";

  static final String SRC = "src";
  static final String DST = "dst";
  static final String ID = "id";
  static final String LABEL = "label";

  /**
   * @param clusters one row per clustered account: account_id, cluster_id, cluster_size,
   *     device_links, ip_links, payout_links, phone_links, photo_links, bio_links (the cluster's
   *     in-graph links of each type); accounts without a link or in an oversized component have no
   *     row
   * @param oversized components still too big after the guard: key_type ({@code
   *     oversized_cluster}), hub_key (its would-be cluster_id), account_count
   */
  public record Result(Dataset<Row> clusters, Dataset<Row> oversized) {}

  private Clusters() {}

  /** Clusters from {@code account_links} rows (account_a, account_b, link_type, in_graph). */
  public static Result build(Dataset<Row> links, LinkingConfig cfg) {
    Dataset<Row> graph =
        links
            .filter(col(IN_GRAPH))
            .select(col(ACCOUNT_A), col(ACCOUNT_B), col(LINK_TYPE))
            .localCheckpoint();
    Dataset<Row> comp = components(edges(graph), cfg);
    Dataset<Row> sized = withSize(comp);
    Dataset<Row> accepted = sized.filter(col(CLUSTER_SIZE).leq(cfg.maxClusterSize()));
    Dataset<Row> big = sized.filter(col(CLUSTER_SIZE).gt(cfg.maxClusterSize()));
    List<String> dropped = new ArrayList<>();
    for (LinkType weakest : cfg.giantDropOrder()) {
      if (big.isEmpty()) {
        break;
      }
      dropped.add(weakest.code);
      LOG.warn(
          "clusters: {} accounts in components over {}; recomputing them without links {}",
          big.count(),
          cfg.maxClusterSize(),
          dropped);
      Dataset<Row> members = big.select(col(ID).as(ACCOUNT_A));
      Dataset<Row> sub =
          graph
              .filter(not(col(LINK_TYPE).isin(dropped.toArray())))
              .join(members, seq(ACCOUNT_A), "left_semi");
      Dataset<Row> subSized = withSize(components(edges(sub), cfg));
      accepted = accepted.unionByName(subSized.filter(col(CLUSTER_SIZE).leq(cfg.maxClusterSize())));
      big = subSized.filter(col(CLUSTER_SIZE).gt(cfg.maxClusterSize()));
    }
    Dataset<Row> oversized =
        big.groupBy(LABEL)
            .agg(count(lit(1)).as(ACCOUNT_COUNT))
            .select(
                lit(OVERSIZED_KEY_TYPE).as(KEY_TYPE),
                concat(lit("c-"), col(LABEL)).as(HUB_KEY),
                col(ACCOUNT_COUNT));
    Dataset<Row> members =
        accepted.select(
            col(ID).as(ACCOUNT_ID),
            concat(lit("c-"), col(LABEL)).as(CLUSTER_ID),
            col(CLUSTER_SIZE));
    return new Result(withLinkCounts(members, graph), oversized);
  }

  /** Undirected, de-duplicated edge list (src, dst) of the links. */
  static Dataset<Row> edges(Dataset<Row> links) {
    return links
        .select(col(ACCOUNT_A).as(SRC), col(ACCOUNT_B).as(DST))
        .filter(col(SRC).notEqual(col(DST)));
  }

  private static Dataset<Row> withSize(Dataset<Row> comp) {
    Dataset<Row> sizes = comp.groupBy(LABEL).agg(count(lit(1)).as(CLUSTER_SIZE));
    return comp.join(sizes, seq(LABEL));
  }

  /**
   * Connected components of an undirected edge list {@code (src, dst)}: one row per vertex with
   * {@code id} and {@code label} (the smallest id of its component). Vertices are the edges' end
   * points; isolated accounts do not appear.
   */
  public static Dataset<Row> components(Dataset<Row> edges, LinkingConfig cfg) {
    long maxLocal = localMaxEdges(edges.sparkSession());
    if (maxLocal > 0 && stringIds(edges)) {
      // One job: at most maxLocal + 1 edges ever reach the driver, whatever the graph.
      List<Row> local = edges.select(col(SRC), col(DST)).limit((int) maxLocal + 1).collectAsList();
      if (local.size() <= maxLocal) {
        return localComponents(edges.sparkSession(), local);
      }
      LOG.info("clusters: more than {} edges; connected components by label propagation", maxLocal);
    }
    return propagated(edges, cfg);
  }

  /**
   * Spark setting: edge lists of at most this many rows are collected and solved on the driver
   * (union-find, one Spark job instead of several per round); larger ones use label propagation. 0
   * always propagates.
   */
  public static final String LOCAL_MAX_EDGES_CONF = "spark.unmask.linking.localComponentsMaxEdges";

  /** Default of {@link #LOCAL_MAX_EDGES_CONF}: about 150 MB of driver memory at its largest. */
  public static final long DEFAULT_LOCAL_MAX_EDGES = 1_000_000L;

  private static long localMaxEdges(SparkSession spark) {
    long v =
        Long.parseLong(
            spark.conf().get(LOCAL_MAX_EDGES_CONF, String.valueOf(DEFAULT_LOCAL_MAX_EDGES)).trim());
    return Math.min(Math.max(0, v), Integer.MAX_VALUE - 1);
  }

  private static boolean stringIds(Dataset<Row> edges) {
    return edges.schema().apply(SRC).dataType().equals(DataTypes.StringType)
        && edges.schema().apply(DST).dataType().equals(DataTypes.StringType);
  }

  /**
   * Connected components of a small edge list on the driver: union-find, then each component's
   * smallest id (Spark's string order, UTF-8 bytes) as label: the same rows as {@link #propagated}.
   * Edges with a null end are ignored, as the joins of the propagation ignore them.
   */
  static Dataset<Row> localComponents(SparkSession spark, List<Row> edges) {
    Map<String, Integer> index = new HashMap<>();
    List<String> ids = new ArrayList<>();
    int[] ends = new int[2 * edges.size()];
    int m = 0;
    for (Row e : edges) {
      String a = e.getString(0);
      String b = e.getString(1);
      if (a != null && b != null) {
        ends[m++] = index.computeIfAbsent(a, k -> add(ids, k));
        ends[m++] = index.computeIfAbsent(b, k -> add(ids, k));
      }
    }
    int n = ids.size();
    int[] parent = new int[n];
    for (int v = 0; v < n; v++) {
      parent[v] = v;
    }
    for (int k = 0; k < m; k += 2) {
      int ra = root(parent, ends[k]);
      int rb = root(parent, ends[k + 1]);
      if (ra != rb) {
        parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
    // Smallest id of each component, compared as Spark compares strings (UTF-8 bytes).
    UTF8String[] smallest = new UTF8String[n];
    for (int v = 0; v < n; v++) {
      int r = root(parent, v);
      UTF8String id = UTF8String.fromString(ids.get(v));
      if (smallest[r] == null || id.compareTo(smallest[r]) < 0) {
        smallest[r] = id;
      }
    }
    List<Row> rows = new ArrayList<>(n);
    for (int v = 0; v < n; v++) {
      rows.add(RowFactory.create(ids.get(v), smallest[root(parent, v)].toString()));
    }
    StructType schema =
        new StructType().add(ID, DataTypes.StringType, true).add(LABEL, DataTypes.StringType, true);
    return spark.createDataFrame(rows, schema);
  }

  private static int add(List<String> ids, String id) {
    ids.add(id);
    return ids.size() - 1;
  }

  /** Root of v's tree, halving the path on the way. */
  private static int root(int[] parent, int v) {
    while (parent[v] != v) {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
    return v;
  }

  /** Label propagation with pointer jumping, in DataFrames (any edge count, any id type). */
  static Dataset<Row> propagated(Dataset<Row> edges, LinkingConfig cfg) {
    Dataset<Row> adj =
        edges
            .select(col(SRC), col(DST))
            .union(edges.select(col(DST).as(SRC), col(SRC).as(DST)))
            .distinct()
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> labels =
        adj.select(col(SRC).as(ID))
            .distinct()
            .withColumn(LABEL, col(ID))
            .persist(StorageLevel.MEMORY_AND_DISK());
    // Persisted rounds since the last checkpoint. They are released only once a checkpoint no
    // longer needs them: unpersisting a cache that a later cached round was built on makes Spark
    // drop and rebuild that round from the whole lineage.
    List<Dataset<Row>> cached = new ArrayList<>(List.of(adj, labels));
    boolean converged = false;
    int iteration = 0;
    while (iteration < cfg.maxIterations()) {
      iteration++;
      Dataset<Row> neighbourMin =
          adj.join(labels.select(col(ID).as(DST), col(LABEL).as("nl")), seq(DST))
              .groupBy(SRC)
              .agg(min("nl").as("m"));
      Dataset<Row> propagated =
          labels
              .join(neighbourMin, labels.col(ID).equalTo(neighbourMin.col(SRC)), "left")
              .select(col(ID), least(col(LABEL), col("m")).as(LABEL));
      // Pointer jumping: a label is an account of the same component, so its label is too.
      Dataset<Row> jumped =
          propagated
              .join(
                  propagated.select(col(ID).as("p"), col(LABEL).as("pl")),
                  col(LABEL).equalTo(col("p")))
              .select(col(ID), col("pl").as(LABEL));
      boolean checkpointNow = iteration % cfg.checkpointInterval() == 0;
      Dataset<Row> next =
          checkpointNow
              ? io.unmask.common.Lineage.cut(jumped)
              : jumped.persist(StorageLevel.MEMORY_AND_DISK());
      long changed =
          next.join(labels.select(col(ID), col(LABEL).as("old")), seq(ID))
              .filter(col(LABEL).notEqual(col("old")))
              .count();
      labels = next;
      if (checkpointNow) {
        // adj stays: every round joins it.
        cached.subList(1, cached.size()).forEach(Dataset::unpersist);
        cached.subList(1, cached.size()).clear();
      } else {
        cached.add(next);
      }
      if (changed == 0) {
        converged = true;
        break;
      }
    }
    if (!converged) {
      LOG.warn(
          "clusters: labels still changing after {} iterations; components may be split",
          cfg.maxIterations());
    }
    // The result must not depend on the caches released below: checkpoint it unless it is.
    boolean lastWasCheckpoint = iteration > 0 && iteration % cfg.checkpointInterval() == 0;
    Dataset<Row> result = lastWasCheckpoint ? labels : labels.localCheckpoint();
    cached.forEach(Dataset::unpersist);
    return result;
  }

  /** Adds the counts of in-graph links of each type inside each member's cluster. */
  private static Dataset<Row> withLinkCounts(Dataset<Row> members, Dataset<Row> graph) {
    Dataset<Row> ca = members.select(col(ACCOUNT_ID).as(ACCOUNT_A), col(CLUSTER_ID).as("ca"));
    Dataset<Row> cb = members.select(col(ACCOUNT_ID).as(ACCOUNT_B), col(CLUSTER_ID).as("cb"));
    List<Column> sums = new ArrayList<>();
    for (LinkType t : LinkType.values()) {
      sums.add(sum(when(col(LINK_TYPE).equalTo(t.code), 1L).otherwise(0L)).as(countColumn(t)));
    }
    Dataset<Row> counts =
        graph
            .join(ca, seq(ACCOUNT_A))
            .join(cb, seq(ACCOUNT_B))
            .filter(col("ca").equalTo(col("cb")))
            .groupBy(col("ca").as(CLUSTER_ID))
            .agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new));
    List<Column> out =
        new ArrayList<>(List.of(col(ACCOUNT_ID), col(CLUSTER_ID), col(CLUSTER_SIZE)));
    for (LinkType t : LinkType.values()) {
      out.add(coalesce(col(countColumn(t)), lit(0L)).as(countColumn(t)));
    }
    return members.join(counts, seq(CLUSTER_ID), "left").select(out.toArray(Column[]::new));
  }

  /** The clusters column counting links of one type, e.g. {@code device_links}. */
  public static String countColumn(LinkType t) {
    return t.code + "_links";
  }
}

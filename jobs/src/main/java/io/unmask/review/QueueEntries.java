package io.unmask.review;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The queue as an investigator works it: a ring (the accounts of one {@code cluster_id}) is one
 * entry, placed at its best-ranked member, with its members folded under it; an account in no
 * cluster is an entry of its own. Only the first entries and a bounded number of members per entry
 * reach the driver.
 */
public final class QueueEntries {
  private static final String KEY = "_entry";

  /**
   * One entry of the queue.
   *
   * @param clusterId the ring's id, null for a lone account
   * @param members its ranked rows, best rank first, at most the {@code maxMembers} asked for
   * @param size how many of the given rows the entry holds in all (members may show fewer)
   */
  public record Entry(String clusterId, List<Row> members, long size) {
    public boolean isRing() {
      return clusterId != null;
    }

    /** The best rank among its members: where the entry stands in the queue. */
    public int rank() {
      return members.get(0).<Integer>getAs(Cols.RANK);
    }
  }

  private QueueEntries() {}

  /**
   * The first {@code limit} entries of {@code ranked} (risk_scores rows, any filter already
   * applied), by their best rank.
   *
   * @param maxMembers members kept per entry (the best-ranked ones)
   */
  public static List<Entry> first(Dataset<Row> ranked, int limit, int maxMembers) {
    Dataset<Row> keyed =
        ranked.withColumn(
            KEY, coalesce(col(Cols.CLUSTER_ID), concat(lit("\u0000"), col(Cols.ACCOUNT_ID))));
    Dataset<Row> entries =
        keyed
            .groupBy(col(KEY))
            .agg(min(col(Cols.RANK)).as("_first"), count(lit(1)).as("_size"))
            .orderBy(col("_first"))
            .limit(limit);
    List<Row> rows =
        keyed
            .join(broadcast(entries), KEY)
            .withColumn(
                "_m", row_number().over(Window.partitionBy(col(KEY)).orderBy(col(Cols.RANK))))
            .filter(col("_m").leq(maxMembers))
            .orderBy(col("_first"), col(Cols.RANK))
            .collectAsList();
    Map<String, List<Row>> members = new LinkedHashMap<>();
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (Row r : rows) {
      String k = r.getAs(KEY);
      members.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
      sizes.put(k, r.<Long>getAs("_size"));
    }
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<String, List<Row>> e : members.entrySet()) {
      Row lead = e.getValue().get(0);
      out.add(new Entry(lead.getAs(Cols.CLUSTER_ID), e.getValue(), sizes.get(e.getKey())));
    }
    return out;
  }
}

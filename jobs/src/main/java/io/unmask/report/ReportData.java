package io.unmask.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Everything the investigator report shows, as small plain records: what {@link ReportGatherer}
 * collects from the warehouse (aggregates and top-N only) and {@link ReportRenderer} turns into
 * HTML. Every string in here may come from the data and is untrusted.
 *
 * @param header what was scored, by which model, when
 * @param histogram the score distribution
 * @param labels the confirmed labels and the precision-recall curves on them
 * @param importances what the model leans on, and which reasons the accounts carry
 * @param review the review queue (rings folded) and the confirmed accounts
 * @param clusters the largest suspicious clusters, most suspicious first
 * @param clustersRequested how many clusters were asked for ({@code --clusters})
 */
public record ReportData(
    Header header,
    Histogram histogram,
    Labels labels,
    Importances importances,
    Review review,
    List<Cluster> clusters,
    int clustersRequested) {

  /**
   * @param warehouse the warehouse as given
   * @param asOf the day of the scores
   * @param modelVersion {@code risk_scores.model_version}
   * @param modelKind {@code graph_stacked}, {@code gbt}, {@code logistic_regression} or {@code
   *     rule_score}
   * @param accounts accounts scored that day
   * @param runId the run that wrote the scores
   * @param generatedAt when the report was made
   * @param modelMetrics the model's out-of-fold figures from {@code model_metrics} (may be empty)
   */
  public record Header(
      String warehouse,
      LocalDate asOf,
      String modelVersion,
      String modelKind,
      long accounts,
      String runId,
      Instant generatedAt,
      Map<String, Double> modelMetrics) {}

  /** One histogram bin {@code [lo, hi)} (the last one closed) with its labelled accounts. */
  public record Bin(double lo, double hi, long count, long confirmed, long genuine) {}

  /** The score distribution, bins in score order. */
  public record Histogram(List<Bin> bins) {
    /** The largest bin count (0 when empty). */
    public long maxCount() {
      return bins.stream().mapToLong(Bin::count).max().orElse(0);
    }

    /**
     * Very skewed: the fullest bin holds over 50 times the median of the non-empty bins, so that a
     * linear axis flattens most bins to nothing.
     */
    public boolean skewed() {
      long[] nonEmpty = bins.stream().mapToLong(Bin::count).filter(c -> c > 0).sorted().toArray();
      if (nonEmpty.length < 3) {
        return false;
      }
      long median = nonEmpty[nonEmpty.length / 2];
      return maxCount() > 50 * median;
    }
  }

  /** A point of a precision-recall curve, taken at the score of a confirmed positive. */
  public record PrPoint(double recall, double precision, double threshold) {}

  /**
   * A precision-recall curve.
   *
   * @param negatives what counts as negative, in words shown on the chart
   * @param points points in decreasing score order (possibly thinned out for drawing)
   * @param averagePrecision the mean precision at each confirmed positive, over all of them
   */
  public record PrCurve(String negatives, List<PrPoint> points, double averagePrecision) {}

  /**
   * The labels of the day (latest per account) among the scored accounts.
   *
   * @param positives confirmed concealed identities (label 1)
   * @param genuine confirmed genuine (label 0)
   * @param curves against confirmed genuine, then against every other account; empty without
   *     positives
   */
  public record Labels(long positives, long genuine, List<PrCurve> curves) {
    public boolean none() {
      return positives == 0;
    }
  }

  /** One bar of an importance chart: a feature or reason code, its value and its group. */
  public record Importance(String name, double value, String group) {}

  /** The mean weight of a reason code over the accounts that carry it. */
  public record ReasonStat(String code, double meanWeight, long accounts) {}

  /**
   * @param source how the model importances were obtained, in words
   * @param model importance per feature, largest first
   * @param reasons mean reason weight per code, largest first
   */
  public record Importances(String source, List<Importance> model, List<ReasonStat> reasons) {}

  /** One reason as written in {@code risk_scores.reasons}. */
  public record Reason(String code, double weight, String detail) {}

  /** A top-ranked account. {@code label} is null when unlabelled. */
  public record TopAccount(
      int rank,
      String accountId,
      double score,
      String clusterId,
      String displayName,
      String claimedCountry,
      Integer label,
      List<Reason> reasons,
      List<Mitigation> mitigating) {
    /** Without clearing evidence (tables written before {@code mitigating} existed). */
    public TopAccount(
        int rank,
        String accountId,
        double score,
        String clusterId,
        String displayName,
        String claimedCountry,
        Integer label,
        List<Reason> reasons) {
      this(
          rank,
          accountId,
          score,
          clusterId,
          displayName,
          claimedCountry,
          label,
          reasons,
          List.of());
    }
  }

  /** One recorded decision of the {@code decisions} table. Name and note are untrusted text. */
  public record Decision(Instant decidedAt, String decidedBy, String decision, String note) {}

  /**
   * A ranked account as the review sections show it.
   *
   * @param reviewState {@code io.unmask.review.ReviewQueue}'s state: to_review, evidence_changed,
   *     confirmed, genuine or unsure
   * @param reviewedAt when its latest review was given (null: never reviewed)
   * @param reviewedBy who or what gave it (an export source, or review:who)
   * @param history its latest decisions, newest first (at most {@link
   *     ReportGatherer#MAX_DECISIONS})
   */
  public record ReviewedAccount(
      TopAccount account,
      String reviewState,
      Instant reviewedAt,
      String reviewedBy,
      List<Decision> history) {
    public boolean evidenceChanged() {
      return "evidence_changed".equals(reviewState);
    }
  }

  /**
   * One entry of the review queue: a ring (the queued accounts of one cluster, folded into one
   * entry at its best rank) or a lone account.
   *
   * @param clusterId the ring's id; null for a lone account
   * @param inQueue how many of the ring's accounts are in the queue (members may show fewer)
   * @param members its queued accounts, best rank first
   */
  public record QueueEntry(String clusterId, long inQueue, List<ReviewedAccount> members) {
    public boolean isRing() {
      return clusterId != null;
    }

    /** The best-ranked member: the one that places the entry in the queue. */
    public ReviewedAccount lead() {
      return members.get(0);
    }
  }

  /**
   * What investigators still have to look at and what they confirmed.
   *
   * @param queue the first entries of the queue (accounts to_review or evidence_changed), by their
   *     best rank
   * @param queueAccounts accounts in the whole queue
   * @param queueEntries entries in the whole queue (a ring counts once)
   * @param confirmed the highest-ranked confirmed accounts, rank order
   * @param confirmedAccounts confirmed accounts in all
   * @param settled accounts judged genuine or unsure with no new evidence since (out of the queue)
   * @param cleared the highest-ranked of those settled accounts, rank order: listed so that a
   *     second investigator can audit clearances
   */
  public record Review(
      List<QueueEntry> queue,
      long queueAccounts,
      long queueEntries,
      List<ReviewedAccount> confirmed,
      long confirmedAccounts,
      long settled,
      List<ReviewedAccount> cleared) {
    /**
     * Every account the page shows in the review sections: queue members, confirmed, then cleared.
     */
    public List<ReviewedAccount> shown() {
      List<ReviewedAccount> out = new java.util.ArrayList<>();
      queue.forEach(e -> out.addAll(e.members()));
      out.addAll(confirmed);
      out.addAll(cleared);
      return out;
    }
  }

  /** One entry of {@code risk_scores.mitigating}: evidence that clears, in words. */
  public record Mitigation(String code, String detail) {}

  /** A member of a drawn cluster. {@code label} is null when unlabelled. */
  public record Member(
      String accountId, double score, int rank, Integer label, String displayName) {}

  /** One {@code account_links} row between two drawn members. */
  public record Link(String a, String b, String type, double weight, boolean inGraph) {}

  /**
   * A suspicious cluster.
   *
   * @param size all members
   * @param members the members drawn (the highest-scored ones when capped)
   * @param links links between drawn members
   */
  public record Cluster(
      String clusterId,
      long size,
      double maxScore,
      double meanScore,
      List<Member> members,
      List<Link> links) {
    public boolean capped() {
      return members.size() < size;
    }
  }
}

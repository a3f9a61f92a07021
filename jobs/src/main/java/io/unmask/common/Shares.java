package io.unmask.common;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;

/** Shares of an account's events, judged with how many events they are a share of. */
public final class Shares {
  private Shares() {}

  /**
   * The lower confidence bound (Wilson score interval, one standard error) of a share of {@code n}
   * events, never below 0: two late sign-ins of twelve (17 %) bound at 9 %, a fifth of fifty at 15
   * %. A null share reads as 0, a null or zero count as one event.
   */
  public static Column lowerBound(Column share, Column n) {
    Column p = coalesce(share.cast("double"), lit(0.0));
    Column m = greatest(coalesce(n.cast("double"), lit(0.0)), lit(1.0));
    Column k = lit(1.0).divide(m); // z^2 / n with z = 1
    Column center = p.plus(k.divide(2)).divide(lit(1.0).plus(k));
    Column margin =
        sqrt(p.multiply(lit(1.0).minus(p)).divide(m).plus(k.divide(m).divide(4)))
            .divide(lit(1.0).plus(k));
    return greatest(center.minus(margin), lit(0.0));
  }
}

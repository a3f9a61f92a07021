package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import java.sql.Timestamp;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Per-account money features: earnings and their velocity, clients, and where the money goes:
 * payout accounts shared with other owners, payout country and holder name against the profile,
 * crypto, sanctioned wallets (a hard flag) and a new payout account after a long history.
 */
public final class PaymentFeatures {
  private PaymentFeatures() {}

  /** {@link NameMatch#mismatch} as a Spark function of (display name, holder name). */
  static final UserDefinedFunction HOLDER_MISMATCH =
      udf((UDF2<String, String, Double>) NameMatch::mismatch, DataTypes.DoubleType);

  /**
   * Mismatch degree ({@link NameMatch}) of each distinct (account, holder name) of the withdrawals:
   * names are compared once per pair, not once per payment.
   */
  static Dataset<Row> holderMismatch(Dataset<Row> withdrawals) {
    return withdrawals
        .filter(col(Cols.PAYOUT_HOLDER_NAME).isNotNull())
        .select(Cols.ACCOUNT_ID, Cols.DISPLAY_NAME, Cols.PAYOUT_HOLDER_NAME)
        .distinct()
        .select(
            col(Cols.ACCOUNT_ID),
            col(Cols.PAYOUT_HOLDER_NAME),
            HOLDER_MISMATCH
                .apply(col(Cols.DISPLAY_NAME), col(Cols.PAYOUT_HOLDER_NAME))
                .as("_holder_mismatch"));
  }

  public static Dataset<Row> perAccount(
      Dataset<Row> payments,
      Dataset<Row> profiles,
      Dataset<Row> sanctioned,
      Timestamp asOfEnd,
      FeatureConfig cfg) {
    Dataset<Row> p =
        profiles.select(
            col(Cols.ACCOUNT_ID),
            col(Cols.CLAIMED_COUNTRY),
            col(Cols.DISPLAY_NAME),
            col(Cols.AGENCY_ID),
            coalesce(concat(lit("agency:"), col(Cols.AGENCY_ID)), col(Cols.ACCOUNT_ID))
                .as(LoginFeatures.OWNER),
            when(col(Cols.AGENCY_ID).isNotNull(), concat(lit("agency:"), col(Cols.AGENCY_ID)))
                .otherwise(
                    concat_ws(
                        "/",
                        col(Cols.CLAIMED_COUNTRY),
                        lower(trim(coalesce(col(Cols.CLAIMED_CITY), lit(""))))))
                .as(LoginFeatures.PLACE));
    Dataset<Row> pay = payments.join(p, Cols.ACCOUNT_ID);
    Column days30 = col(Cols.TS).geq(lit(new Timestamp(asOfEnd.getTime() - 30L * 86_400_000L)));
    Column earning = col(Cols.KIND).equalTo("earning");
    Column withdrawal = col(Cols.KIND).equalTo("withdrawal");

    Dataset<Row> earnings =
        pay.groupBy(Cols.ACCOUNT_ID)
            .agg(
                sum(when(earning, col(Cols.AMOUNT))).cast("double").as(EARNINGS_TOTAL),
                sum(when(earning.and(days30), col(Cols.AMOUNT))).cast("double").as("_e30"),
                countDistinct(when(earning, col(Cols.CLIENT_ID))).as(N_CLIENTS),
                sum(when(withdrawal, col(Cols.AMOUNT))).cast("double").as("_w"),
                sum(when(withdrawal.and(col(Cols.METHOD).equalTo("crypto")), col(Cols.AMOUNT)))
                    .cast("double")
                    .as("_crypto"))
            .withColumn(EARNINGS_30D_SHARE, col("_e30").divide(col(EARNINGS_TOTAL)))
            .withColumn(WITHDRAWAL_RATIO, col("_w").divide(col(EARNINGS_TOTAL)))
            .withColumn(CRYPTO_SHARE, coalesce(col("_crypto").divide(col("_w")), lit(0.0)))
            .drop("_e30", "_w", "_crypto");

    Dataset<Row> w = pay.filter(withdrawal.and(col(Cols.PAYOUT_ACCOUNT).isNotNull()));
    Dataset<Row> byPayout =
        w.groupBy(Cols.PAYOUT_ACCOUNT)
            .agg(
                countDistinct(col(LoginFeatures.OWNER)).as("_owners"),
                countDistinct(col(LoginFeatures.PLACE)).as("_places"),
                countDistinct(col(Cols.ACCOUNT_ID)).as("_accounts"));
    // Inside one agency a shared payout account in the agency's name is the norm, not a tell.
    Column agencyPayout =
        col(Cols.AGENCY_ID).isNotNull().and(col("_owners").equalTo(1)).and(col("_accounts").gt(1));
    // a payout account first used lately, on an account that withdrew before: the first use of
    // each payout account by a window, folded into the per-account pass below (not two more
    // groupings and a join over the withdrawals)
    Timestamp recentStart = new Timestamp(asOfEnd.getTime() - 30L * 86_400_000L);
    w =
        w.withColumn(
            "_first_use",
            min(Cols.TS).over(Window.partitionBy(Cols.ACCOUNT_ID, Cols.PAYOUT_ACCOUNT)));
    Dataset<Row> payout =
        w.join(byPayout, Cols.PAYOUT_ACCOUNT)
            .join(
                holderMismatch(w), new String[] {Cols.ACCOUNT_ID, Cols.PAYOUT_HOLDER_NAME}, "left")
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                countDistinct(col(Cols.PAYOUT_ACCOUNT)).as(N_PAYOUT_ACCOUNTS),
                max(col("_owners").minus(1)).as(PAYOUT_SHARED_ACCOUNTS),
                max(col("_places").minus(1)).as(PAYOUT_OTHER_PLACES),
                avg(when(
                        col(Cols.PAYOUT_COUNTRY).isNotNull(),
                        when(not(ClearingFeatures.payoutHome()), 1.0).otherwise(0.0)))
                    .as(PAYOUT_FOREIGN_SHARE),
                mode(when(
                        col(Cols.PAYOUT_COUNTRY)
                            .isNotNull()
                            .and(not(ClearingFeatures.payoutHome())),
                        col(Cols.PAYOUT_COUNTRY)))
                    .as(TOP_PAYOUT_COUNTRY),
                avg(when(not(agencyPayout), col("_holder_mismatch"))).as(HOLDER_MISMATCH_SHARE),
                max(when(col("_first_use").geq(lit(recentStart)), 1).otherwise(0))
                    .as("_new_recent"),
                min(Cols.TS).as("_first_withdrawal"))
            .withColumn(
                NEW_PAYOUT_RECENT,
                when(
                        col("_new_recent")
                            .equalTo(1)
                            .and(col("_first_withdrawal").lt(lit(recentStart))),
                        1)
                    .otherwise(0))
            .drop("_new_recent", "_first_withdrawal");

    Dataset<Row> hits = sanctionedHits(w, sanctioned);
    return earnings
        .join(payout, Cols.ACCOUNT_ID, "left")
        .join(hits, Cols.ACCOUNT_ID, "left")
        .withColumn(SANCTIONED_HITS, coalesce(col(SANCTIONED_HITS), lit(0L)));
  }

  /**
   * Withdrawals to a wallet on a sanctions list: exact match (Base58 addresses are case-sensitive),
   * and lower-case match for hex (0x…) and bech32 addresses, as the reference README advises. Two
   * equi-joins against the small broadcast list, never an OR-join.
   */
  static Dataset<Row> sanctionedHits(Dataset<Row> withdrawals, Dataset<Row> sanctioned) {
    Dataset<Row> s =
        sanctioned.select(
            col(Cols.ADDRESS).as("_addr"),
            concat_ws(
                    " ",
                    coalesce(col(Cols.ENTITY), col(Cols.SOURCE), lit("sanctions list")),
                    when(
                        col(Cols.PROGRAMS).isNotNull(),
                        concat(lit("["), col(Cols.PROGRAMS), lit("]"))))
                .as("_entity"));
    Dataset<Row> caseFree =
        s.filter(
                col("_addr")
                    .rlike("^(0x|bc1|ltc1|bnb1|tb1)")
                    .or(col("_addr").equalTo(lower(col("_addr")))))
            .select(lower(col("_addr")).as("_addr_lc"), col("_entity"));
    Dataset<Row> w = withdrawals.select(Cols.ACCOUNT_ID, Cols.PAYMENT_ID, Cols.PAYOUT_ACCOUNT);
    Dataset<Row> exact =
        w.join(broadcast(s), w.col(Cols.PAYOUT_ACCOUNT).equalTo(col("_addr")))
            .select(Cols.ACCOUNT_ID, Cols.PAYMENT_ID, "_entity");
    Dataset<Row> lowered =
        w.join(broadcast(caseFree), lower(w.col(Cols.PAYOUT_ACCOUNT)).equalTo(col("_addr_lc")))
            .select(Cols.ACCOUNT_ID, Cols.PAYMENT_ID, "_entity");
    return exact
        .unionByName(lowered)
        .dropDuplicates(Cols.PAYMENT_ID)
        .groupBy(Cols.ACCOUNT_ID)
        .agg(count(lit(1)).as(SANCTIONED_HITS), min("_entity").as(SANCTIONED_ENTITY));
  }
}

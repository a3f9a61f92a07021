package io.unmask.features;

import static io.unmask.common.FeatureCols.HOLDER_MISMATCH_SHARE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.reference.ReferenceData;
import io.unmask.testing.SparkTest;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code holder_mismatch_share} on a tiny platform: each withdrawal counts its {@link NameMatch}
 * degree (0, 0.5 for the person's company, 1 for a stranger); withdrawals without a holder name do
 * not count.
 */
class HolderMismatchTest extends SparkTest {
  private static Map<String, Row> f;

  private static Row profile(StructType schema, String id, String name) {
    Map<String, Object> m = new HashMap<>();
    m.put(Cols.ACCOUNT_ID, id);
    m.put(Cols.CREATED_AT, Timestamp.from(Instant.parse("2025-01-01T00:00:00Z")));
    m.put(Cols.DISPLAY_NAME, name);
    m.put(Cols.CLAIMED_COUNTRY, "US");
    m.put(Cols.ID_VERIFIED, false);
    Object[] v = new Object[schema.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = m.get(schema.fields()[i].name());
    }
    return RowFactory.create(v);
  }

  private static Row withdrawal(String id, String account, String payout, String holder) {
    return RowFactory.create(
        id,
        account,
        Timestamp.from(Instant.parse("2026-03-20T00:00:00Z")),
        "withdrawal",
        new BigDecimal(100),
        "USD",
        null,
        "bank",
        payout,
        "US",
        holder);
  }

  @BeforeAll
  static void build() {
    var spark = spark();
    StructType ps = Schemas.PROFILES_SPEC.cleanSchema();
    Dataset<Row> profiles =
        spark.createDataFrame(
            List.of(
                profile(ps, "a1", "Indah S."),
                profile(ps, "a2", "Ryan N."),
                profile(ps, "a3", "José Álvarez"),
                profile(ps, "a4", "Ryan Nelson")),
            ps);
    Dataset<Row> payments =
        spark.createDataFrame(
            List.of(
                // a1: her own name twice (one pair, compared once), her company once
                withdrawal("p1", "a1", "b1", "Indah Santoso"),
                withdrawal("p2", "a1", "b1", "Indah Santoso"),
                withdrawal("p3", "a1", "b2", "Santoso Consulting LLC"),
                // a2: Last, First; then a stranger
                withdrawal("p4", "a2", "b3", "Nelson, Ryan"),
                withdrawal("p5", "a2", "b4", "Wei Zhang"),
                // a3: no accents, upper case; a withdrawal without a holder name
                withdrawal("p6", "a3", "b5", "JOSE ALVAREZ"),
                withdrawal("p7", "a3", "b5", null),
                // a4: no holder name at all
                withdrawal("p8", "a4", "b6", null)),
            Schemas.PAYMENTS_SPEC.cleanSchema());
    Dataset<Row> out =
        PaymentFeatures.perAccount(
            payments,
            profiles,
            ReferenceData.shippedSanctioned(spark),
            FeaturesJob.endOf(LocalDate.parse("2026-03-31")),
            FeatureConfig.defaults());
    f = new HashMap<>();
    for (Row r : out.collectAsList()) {
      f.put(r.getAs(Cols.ACCOUNT_ID), r);
    }
  }

  private static Double share(String account) {
    return f.get(account).getAs(HOLDER_MISMATCH_SHARE);
  }

  @Test
  void eachWithdrawalCountsItsDegree() {
    assertThat(share("a1")).isCloseTo(0.5 / 3, within(1e-9)); // 0, 0, 0.5
    assertThat(share("a2")).isCloseTo(0.5, within(1e-9)); // 0, 1
    assertThat(share("a3")).isZero(); // the holder-less withdrawal does not count
    assertThat(share("a4")).isNull(); // nothing to compare
  }

  @Test
  void namesAreComparedOncePerAccountAndHolder() {
    Dataset<Row> w =
        spark()
            .createDataFrame(
                List.of(
                    RowFactory.create("a1", "Indah S.", "Indah Santoso"),
                    RowFactory.create("a1", "Indah S.", "Indah Santoso"),
                    RowFactory.create("a1", "Indah S.", null)),
                new StructType()
                    .add(Cols.ACCOUNT_ID, "string")
                    .add(Cols.DISPLAY_NAME, "string")
                    .add(Cols.PAYOUT_HOLDER_NAME, "string"));
    List<Row> pairs = PaymentFeatures.holderMismatch(w).collectAsList();
    assertThat(pairs).hasSize(1);
    assertThat(pairs.get(0).<Double>getAs("_holder_mismatch")).isEqualTo(NameMatch.MATCH);
  }
}

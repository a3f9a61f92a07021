package io.unmask.score;

import static io.unmask.common.FeatureCols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.model.ModelJob;
import io.unmask.testing.SparkTest;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Clearing evidence reaches risk_scores as the optional {@code mitigating} column. */
class MitigatingTest extends SparkTest {
  @Test
  void mitigatingEntriesAppearInRiskScoresWithTheAccountsOwnValues() {
    StructType fs =
        new StructType()
            .add(Cols.ACCOUNT_ID, DataTypes.StringType)
            .add(VPN_SHARE, DataTypes.DoubleType)
            .add(HOSTING_SHARE, DataTypes.DoubleType)
            .add(N_DEVICES, DataTypes.LongType)
            .add(TOP_BROWSER_TZ, DataTypes.StringType)
            .add(EAST_ASIA_OFFICE_SHARE, DataTypes.DoubleType)
            .add(PAYOUT_HOME_SHARE, DataTypes.DoubleType)
            .add(ANONYMIZER_CONSISTENT, DataTypes.IntegerType)
            .add(RELOCATION_CLEAN, DataTypes.IntegerType)
            .add(RELOCATED_FROM, DataTypes.StringType)
            .add(RELOCATED_ON, DataTypes.DateType)
            .add(SANCTIONED_HITS, DataTypes.LongType);
    java.sql.Date moved = java.sql.Date.valueOf("2026-02-20");
    Dataset<Row> features =
        spark()
            .createDataFrame(
                List.of(
                    RowFactory.create(
                        "vpn", 0.8, 0.0, 1L, "America/Chicago", 0.0, 1.0, 1, 0, null, null, 0L),
                    RowFactory.create(
                        "moved",
                        0.0,
                        0.0,
                        2L,
                        "America/New_York",
                        0.0,
                        null,
                        0,
                        1,
                        "DE",
                        moved,
                        0L),
                    RowFactory.create(
                        "plain", 0.0, 0.0, 1L, null, 0.0, null, 0, 0, null, null, 0L)),
                fs);
    Dataset<Row> profiles =
        spark()
            .createDataFrame(
                List.of(
                    RowFactory.create("vpn", "US", "America/Chicago", null),
                    RowFactory.create("moved", "US", "America/New_York", null),
                    RowFactory.create("plain", "US", null, null)),
                new StructType()
                    .add(Cols.ACCOUNT_ID, DataTypes.StringType)
                    .add(Cols.CLAIMED_COUNTRY, DataTypes.StringType)
                    .add(Cols.CLAIMED_TIMEZONE, DataTypes.StringType)
                    .add(Cols.ID_DOCUMENT_COUNTRY, DataTypes.StringType));
    ModelJob.Choice rule = new ModelJob.Choice("rule", "rule-v1", List.of(), null, null, null);
    Dataset<Row> rs =
        ScoringJob.riskScores(
            ScoringJob.score(spark(), features, profiles, rule),
            rule.version(),
            LocalDate.parse("2026-03-31"),
            "r1");
    assertThat(rs.schema().fieldNames()).containsExactly(Schemas.RISK_SCORES.fieldNames());
    Map<String, List<Row>> m = new HashMap<>();
    for (Row r : rs.collectAsList()) {
      m.put(r.getAs(Cols.ACCOUNT_ID), r.getList(r.fieldIndex(Schemas.MITIGATING)));
    }
    assertThat(m.get("vpn"))
        .extracting(x -> x.<String>getAs("code"))
        .containsExactly(ANONYMIZER_CONSISTENT);
    assertThat(m.get("vpn").get(0).<String>getAs("detail"))
        .contains("80% of sign-ins through VPN or hosting exits")
        .contains("claimed US")
        .contains("America/Chicago")
        .contains("0% of sign-ins at night in the claimed zone during East-Asian office hours")
        .contains("100% of withdrawals paid in US");
    assertThat(m.get("moved"))
        .extracting(x -> x.<String>getAs("code"))
        .containsExactly(RELOCATION_CLEAN);
    assertThat(m.get("moved").get(0).<String>getAs("detail"))
        .contains("from DE to US on 2026-02-20");
    assertThat(m.get("plain")).isNotNull().isEmpty();
  }

  @Test
  void anOlderFeatureTableWithoutClearingColumnsGivesEmptyArrays() {
    Dataset<Row> f =
        spark()
            .createDataFrame(
                List.of(RowFactory.create("a", 0.5)),
                new StructType()
                    .add(Cols.ACCOUNT_ID, DataTypes.StringType)
                    .add(VPN_SHARE, DataTypes.DoubleType));
    Row r = f.select(Mitigating.of(f).as(Schemas.MITIGATING)).first();
    assertThat(r.getList(0)).isEmpty();
  }
}

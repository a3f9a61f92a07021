package io.unmask.score;

import static io.unmask.common.FeatureCols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Reasons read as sentences: a count of one takes the singular, never "(s)". */
class ReasonsTest extends SparkTest {
  @Test
  void countsTakeTheRightNumber() {
    Dataset<Row> f =
        Reasons.withEvidence(
            spark()
                .createDataFrame(
                    List.of(
                        RowFactory.create("one", 1L, 1L, 2L, 1L, 1L),
                        RowFactory.create("two", 2L, 2L, 3L, 2L, 3L)),
                    new StructType()
                        .add(Cols.ACCOUNT_ID, DataTypes.StringType)
                        .add(KP_HITS, DataTypes.LongType)
                        .add(IP_SHARED_ACCOUNTS, DataTypes.LongType)
                        .add(Cols.CLUSTER_SIZE, DataTypes.LongType)
                        .add(Cols.CLUSTER_DISTINCT_NAMES, DataTypes.LongType)
                        .add(Cols.CLUSTER_DISTINCT_CITIES, DataTypes.LongType)));
    List<Row> rows =
        f.select(
                Reasons.detail(KP_HITS),
                Reasons.detail(IP_SHARED_ACCOUNTS),
                Reasons.detail(Cols.CLUSTER_SIZE),
                Reasons.detail(Cols.CLUSTER_DISTINCT_NAMES))
            .orderBy(Reasons.detail(KP_HITS))
            .collectAsList();
    assertThat(rows.get(0).getString(0)).startsWith("1 sign-in from North Korean address space");
    assertThat(rows.get(1).getString(0)).startsWith("2 sign-ins from North Korean address space");
    assertThat(rows.get(0).getString(1)).contains("shared with 1 other account;");
    assertThat(rows.get(1).getString(1)).contains("shared with 2 other accounts;");
    assertThat(rows.get(0).getString(2)).startsWith("linked with 1 other account in a cluster");
    assertThat(rows.get(1).getString(2)).startsWith("linked with 2 other accounts in a cluster");
    assertThat(rows.get(0).getString(2)).contains("(1 name, 1 claimed city)");
    assertThat(rows.get(1).getString(2)).contains("(2 names, 3 claimed cities)");
    assertThat(rows.get(0).getString(3)).isEqualTo("linked group holds 1 different profile name");
    for (Row r : rows) {
      for (int i = 0; i < r.size(); i++) {
        assertThat(r.getString(i)).doesNotContain("(s)").doesNotContain("(es)");
      }
    }
  }
}

package io.unmask.io;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.testing.SparkTest;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** A per-day table written by an older version takes the columns a newer version adds. */
class DeltaIOTest extends SparkTest {
  @Test
  void aNewerVersionsExtraColumnIsMergedAndOlderDaysReadItAsNull() {
    String wh = tempDir("deltaio").toString();
    LocalDate d1 = LocalDate.parse("2026-10-01");
    LocalDate d2 = LocalDate.parse("2026-10-02");
    Dataset<Row> old =
        spark()
            .range(3)
            .select(col("id").cast("string").as(Cols.ACCOUNT_ID))
            .withColumn(Cols.AS_OF, lit(java.sql.Date.valueOf(d1)));
    DeltaIO.replaceDay(old, wh, "t", d1);
    Dataset<Row> newer =
        spark()
            .range(2)
            .select(col("id").cast("string").as(Cols.ACCOUNT_ID))
            .withColumn("mitigating", lit("x"))
            .withColumn(Cols.AS_OF, lit(java.sql.Date.valueOf(d2)));
    DeltaIO.replaceDay(newer, wh, "t", d2);
    DeltaIO.replaceDay(newer.withColumn(Cols.AS_OF, lit(java.sql.Date.valueOf(d2))), wh, "t", d2);
    Dataset<Row> t = DeltaIO.read(spark(), wh, "t");
    assertThat(List.of(t.columns())).contains("mitigating");
    assertThat(t.count()).isEqualTo(5);
    assertThat(
            t.filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(d1))))
                .filter(col("mitigating").isNull())
                .count())
        .isEqualTo(3);
  }
}

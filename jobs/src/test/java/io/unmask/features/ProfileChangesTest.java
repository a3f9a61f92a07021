package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.testing.SparkTest;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ProfileChangesTest extends SparkTest {
  static final LocalDate DAY = LocalDate.parse("2026-06-30");

  static Row v(String id, String name, String phone, String photo, String country, String from) {
    Date d = Date.valueOf(from);
    return RowFactory.create(id, name, phone, photo, country, null, null, d, d);
  }

  @Test
  void identityAndClaimChangesInTheWindowOnly() {
    StructType schema =
        new StructType()
            .add(Cols.ACCOUNT_ID, DataTypes.StringType)
            .add(Cols.DISPLAY_NAME, DataTypes.StringType)
            .add(Cols.PHONE, DataTypes.StringType)
            .add(Cols.PHOTO_HASH, DataTypes.StringType)
            .add(Cols.CLAIMED_COUNTRY, DataTypes.StringType)
            .add(Cols.CLAIMED_CITY, DataTypes.StringType)
            .add(Cols.CLAIMED_TIMEZONE, DataTypes.StringType)
            .add(Cols.VALID_FROM, DataTypes.DateType)
            .add(Cols.INGESTED_ON, DataTypes.DateType);
    List<Row> rows =
        List.of(
            // rented: name and phone changed 10 days ago, photo 5 days ago
            v("rent", "Ann Lee", "+1555", "aa", "US", "2025-01-01"),
            v("rent", "John Park", null, "aa", "US", "2026-06-20"),
            v("rent", "John Park", null, "bb", "US", "2026-06-25"),
            // moved: only the claimed country changed
            v("move", "Bo", "+1666", "cc", "US", "2025-03-01"),
            v("move", "Bo", "+1666", "cc", "PT", "2026-06-01"),
            // an old change, outside the 90 days
            v("old", "Cy", "+1777", "dd", "US", "2024-01-01"),
            v("old", "Cy Old", "+1777", "dd", "US", "2025-01-01"),
            // one version only: nothing changed
            v("one", "Di", "+1888", "ee", "US", "2026-06-29"));
    Map<String, Row> out = new TreeMap<>();
    for (Row r :
        ProfileChanges.perAccount(
                spark().createDataFrame(rows, schema), DAY, FeatureConfig.defaults())
            .collectAsList()) {
      out.put(r.getAs(Cols.ACCOUNT_ID), r);
    }
    assertThat(out.keySet()).containsExactly("move", "rent");
    Row rent = out.get("rent");
    assertThat(rent.<Long>getAs(PROFILE_CHANGES)).isEqualTo(2L);
    assertThat(rent.<Long>getAs(IDENTITY_CHANGES)).isEqualTo(2L);
    assertThat(rent.<Long>getAs(CLAIM_CHANGES)).isZero();
    assertThat(rent.<Date>getAs(IDENTITY_CHANGED_ON).toLocalDate())
        .isEqualTo(LocalDate.parse("2026-06-25"));
    assertThat(rent.<String>getAs(IDENTITY_CHANGED)).isEqualTo("photo");
    Row move = out.get("move");
    assertThat(move.<Long>getAs(IDENTITY_CHANGES)).isZero();
    assertThat(move.<Long>getAs(CLAIM_CHANGES)).isEqualTo(1L);
    assertThat(move.<Date>getAs(IDENTITY_CHANGED_ON)).isNull();
  }
}

package io.unmask.linking;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.ingest.IpAddress;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Tiny typed frames for the linking tests, written as JSON lines or compact rows. */
final class LinkFixtures {
  private LinkFixtures() {}

  /** The login input linking expects from the features stage. */
  static final StructType LOGINS =
      new StructType()
          .add(Cols.ACCOUNT_ID, DataTypes.StringType)
          .add(Cols.TS, DataTypes.TimestampType)
          .add(Cols.IP, DataTypes.StringType)
          .add(Cols.IP_BYTES, DataTypes.BinaryType)
          .add(Cols.DEVICE_ID, DataTypes.StringType)
          .add(Cols.IS_ANONYMIZER, DataTypes.BooleanType);

  static Dataset<Row> json(SparkSession spark, StructType schema, String... lines) {
    return spark
        .read()
        .schema(schema)
        .json(spark.createDataset(Arrays.asList(lines), Encoders.STRING()));
  }

  static Dataset<Row> profiles(SparkSession spark, String... lines) {
    return json(spark, Schemas.PROFILES_SPEC.cleanSchema(), lines);
  }

  static Dataset<Row> payments(SparkSession spark, String... lines) {
    return json(spark, Schemas.PAYMENTS_SPEC.cleanSchema(), lines);
  }

  static Dataset<Row> labels(SparkSession spark, String... lines) {
    return json(spark, Schemas.LABELS_SPEC.cleanSchema(), lines);
  }

  /** One sign-in: account, ISO time, ip, device (or null), VPN/hosting exit. */
  static Object[] login(String account, String ts, String ip, String device, boolean anonymizer) {
    return new Object[] {account, ts, ip, device, anonymizer};
  }

  static Dataset<Row> logins(SparkSession spark, Object[]... rows) {
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      String ip = (String) r[2];
      out.add(
          RowFactory.create(
              r[0],
              Timestamp.from(Instant.parse((String) r[1])),
              ip,
              IpAddress.toBytes(ip),
              r[3],
              r[4]));
    }
    return spark.createDataFrame(out, LOGINS);
  }

  static Dataset<Row> noLogins(SparkSession spark) {
    return spark.createDataFrame(List.of(), LOGINS);
  }

  static Dataset<Row> noPayments(SparkSession spark) {
    return spark.createDataFrame(List.of(), Schemas.PAYMENTS_SPEC.cleanSchema());
  }

  /** A minimal valid profile row as JSON. */
  static String profile(String id, String extraJsonFields) {
    return "{\"account_id\":\""
        + id
        + "\",\"created_at\":\"2025-01-01T00:00:00Z\",\"claimed_country\":\"US\""
        + (extraJsonFields.isEmpty() ? "" : "," + extraJsonFields)
        + "}";
  }

  /** Rows as "a|b|type|value" strings, sorted, for compact assertions. */
  static List<String> pairs(Dataset<Row> links) {
    return links
        .select(Cols.ACCOUNT_A, Cols.ACCOUNT_B, Cols.LINK_TYPE, Cols.SHARED_VALUE)
        .orderBy(Cols.LINK_TYPE, Cols.ACCOUNT_A, Cols.ACCOUNT_B)
        .collectAsList()
        .stream()
        .map(r -> r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2) + "|" + r.get(3))
        .toList();
  }
}

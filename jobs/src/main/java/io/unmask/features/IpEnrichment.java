package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Adds what the range tables know of each sign-in's address: country, AS, VPN, hosting. */
public final class IpEnrichment {
  private static final StructType INFO =
      new StructType()
          .add(IP_COUNTRY, DataTypes.StringType, true)
          .add(IP_ASN, DataTypes.LongType, true)
          .add(IP_AS_NAME, DataTypes.StringType, true)
          .add(IS_VPN, DataTypes.BooleanType, false)
          .add(IS_HOSTING, DataTypes.BooleanType, false);

  private IpEnrichment() {}

  public static Broadcast<IpLookup> broadcast(SparkSession spark, IpLookup lookup) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(lookup);
  }

  /**
   * Adds ip_country, ip_asn, ip_as_name, is_vpn, is_hosting and is_anonymizer (VPN or hosting) to
   * rows holding {@code ip_bytes}. A binary search per row against the broadcast ranges: a UDF,
   * because Spark has no range look-up built-in that avoids a range join.
   */
  public static Dataset<Row> enrich(Dataset<Row> logins, Broadcast<IpLookup> lookup) {
    UserDefinedFunction f =
        udf(
            (UDF1<byte[], Row>)
                b -> {
                  IpLookup.Info i = lookup.value().lookup(b);
                  return i == null
                      ? null
                      : RowFactory.create(i.country(), i.asn(), i.asName(), i.vpn(), i.hosting());
                },
            INFO);
    Column info = f.apply(col(Cols.IP_BYTES));
    return logins
        .withColumn("_ip_info", info)
        .withColumn(IP_COUNTRY, col("_ip_info." + IP_COUNTRY))
        .withColumn(IP_ASN, col("_ip_info." + IP_ASN))
        .withColumn(IP_AS_NAME, col("_ip_info." + IP_AS_NAME))
        .withColumn(IS_VPN, coalesce(col("_ip_info." + IS_VPN), lit(false)))
        .withColumn(IS_HOSTING, coalesce(col("_ip_info." + IS_HOSTING), lit(false)))
        .withColumn(IS_ANONYMIZER, col(IS_VPN).or(col(IS_HOSTING)))
        .drop("_ip_info");
  }
}

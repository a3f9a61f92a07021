package io.unmask.features;

import io.unmask.reference.ReferenceData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The tz database tables Unmask ships (country_timezones.csv, timezone_links.csv) as small frames
 * for broadcast joins: which zones belong to a country, the canonical name of an alias browsers
 * report (Asia/Calcutta → Asia/Kolkata), and one representative zone per country for profiles that
 * name a country but no zone.
 */
public final class TimeZones {
  public static final String ALIAS = "tz_alias";
  public static final String TARGET = "tz_target";
  public static final String ZONE_COUNTRY = "tz_country";
  public static final String ZONE = "tz_zone";
  public static final String DEFAULT_ZONE = "tz_default_zone";

  /** Middle-of-the-country zones for countries with several; others take their first zone. */
  private static final Map<String, String> PREFERRED =
      Map.ofEntries(
          Map.entry("US", "America/Chicago"),
          Map.entry("CA", "America/Toronto"),
          Map.entry("RU", "Europe/Moscow"),
          Map.entry("BR", "America/Sao_Paulo"),
          Map.entry("AU", "Australia/Sydney"),
          Map.entry("MX", "America/Mexico_City"),
          Map.entry("ID", "Asia/Jakarta"),
          Map.entry("CN", "Asia/Shanghai"),
          Map.entry("KZ", "Asia/Almaty"),
          Map.entry("AR", "America/Argentina/Buenos_Aires"),
          Map.entry("ES", "Europe/Madrid"),
          Map.entry("PT", "Europe/Lisbon"),
          Map.entry("DE", "Europe/Berlin"),
          Map.entry("UA", "Europe/Kyiv"),
          Map.entry("CL", "America/Santiago"),
          Map.entry("NZ", "Pacific/Auckland"),
          Map.entry("MY", "Asia/Kuala_Lumpur"),
          Map.entry("EC", "America/Guayaquil"),
          Map.entry("MN", "Asia/Ulaanbaatar"),
          Map.entry("CD", "Africa/Kinshasa"));

  private TimeZones() {}

  /** (tz_alias, tz_target): every alias and every canonical zone mapped to its canonical name. */
  public static Dataset<Row> canonical(SparkSession spark) {
    Map<String, String> map = new LinkedHashMap<>();
    ReferenceData.forEachCsvRow("country_timezones.csv", r -> map.put(r.get(1), r.get(1)));
    ReferenceData.forEachCsvRow("timezone_links.csv", r -> map.putIfAbsent(r.get(0), r.get(1)));
    map.putIfAbsent("UTC", "Etc/UTC");
    map.putIfAbsent("Etc/UTC", "Etc/UTC");
    map.putIfAbsent("GMT", "Etc/GMT");
    map.putIfAbsent("Etc/GMT", "Etc/GMT");
    List<Row> rows = new ArrayList<>();
    map.forEach((a, t) -> rows.add(RowFactory.create(a, t)));
    StructType s =
        new StructType()
            .add(ALIAS, DataTypes.StringType, false)
            .add(TARGET, DataTypes.StringType, false);
    return spark.createDataFrame(rows, s);
  }

  /** (tz_country, tz_zone): the zones used in each country. */
  public static Dataset<Row> countryZones(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    ReferenceData.forEachCsvRow(
        "country_timezones.csv", r -> rows.add(RowFactory.create(r.get(0), r.get(1))));
    StructType s =
        new StructType()
            .add(ZONE_COUNTRY, DataTypes.StringType, false)
            .add(ZONE, DataTypes.StringType, false);
    return spark.createDataFrame(rows, s);
  }

  /** (tz_country, tz_default_zone): one zone per country for local-time features. */
  public static Dataset<Row> defaultZones(SparkSession spark) {
    Map<String, String> first = new LinkedHashMap<>();
    ReferenceData.forEachCsvRow(
        "country_timezones.csv", r -> first.putIfAbsent(r.get(0), r.get(1)));
    List<Row> rows = new ArrayList<>();
    first.forEach((c, z) -> rows.add(RowFactory.create(c, PREFERRED.getOrDefault(c, z))));
    StructType s =
        new StructType()
            .add(ZONE_COUNTRY, DataTypes.StringType, false)
            .add(DEFAULT_ZONE, DataTypes.StringType, false);
    return spark.createDataFrame(rows, s);
  }
}

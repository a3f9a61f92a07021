package io.unmask.reference;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.ingest.IpAddress;
import io.unmask.io.CsvRecordReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The public reference data Unmask ships (see {@code reference/README.md} in the resources: RIR
 * country ranges, X4BNet VPN and data-centre lists, OFAC SDN wallets) and how a user's own {@code
 * ip_ranges} and {@code sanctioned_addresses} inputs combine with it: they extend the shipped rows
 * (and win in look-ups, see {@code origin}), or replace them with {@code --replace-reference}.
 */
public final class ReferenceData {
  public static final String ORIGIN_INPUT = "input";
  public static final String ORIGIN_COUNTRY = "shipped:rir-country";
  public static final String ORIGIN_VPN = "shipped:x4bnet-vpn";
  public static final String ORIGIN_HOSTING = "shipped:x4bnet-datacenter";
  public static final String ORIGIN_SDN = "shipped:ofac-sdn";

  /** Changes whenever the shipped files change, so stored reference tables get rewritten. */
  public static final String SHIPPED_VERSION = "shipped-2026-11-v1";

  private static final String DIR = "/reference/";

  private ReferenceData() {}

  /** Reads a CSV shipped in the jar, header first; each record's fields go to {@code row}. */
  public static void forEachCsvRow(String file, Consumer<List<String>> row) {
    try (InputStream in = resource(file);
        CsvRecordReader r =
            new CsvRecordReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      boolean header = true;
      while (r.next()) {
        if (header) {
          header = false;
          continue;
        }
        row.accept(new ArrayList<>(r.fields()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read shipped reference " + file, e);
    }
  }

  private static InputStream resource(String file) {
    InputStream in = ReferenceData.class.getResourceAsStream(DIR + file);
    if (in == null) {
      throw new IllegalStateException("Shipped reference file missing from the jar: " + file);
    }
    return in;
  }

  private static void forEachLine(String file, Consumer<String> line) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(resource(file), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (!l.isBlank()) {
          line.accept(l.trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read shipped reference " + file, e);
    }
  }

  /** ASNs of VPN providers (X4BNet's VPN input list). */
  public static Set<Long> vpnAsns() {
    Set<Long> out = new TreeSet<>();
    forEachCsvRow(
        "vpn_datacenter_asns.csv",
        r -> {
          if ("vpn".equals(r.get(2))) {
            out.add(Long.parseLong(r.get(0)));
          }
        });
    return out;
  }

  /** ASNs of data centres, clouds and hosting (X4BNet's lists and brianhama's bad-ASN list). */
  public static Set<Long> hostingAsns() {
    Set<Long> out = new TreeSet<>();
    forEachCsvRow("vpn_datacenter_asns.csv", r -> out.add(Long.parseLong(r.get(0))));
    forEachCsvRow("bad_asns.csv", r -> out.add(Long.parseLong(r.get(0))));
    return out;
  }

  /** Every shipped range in the {@link Schemas#IP_RANGES} shape. */
  public static Dataset<Row> shippedIpRanges(SparkSession spark) {
    List<Row> rows = new ArrayList<>(300_000);
    for (String f : List.of("ipv4_country_ranges.csv", "ipv6_country_ranges.csv")) {
      forEachCsvRow(
          f,
          r -> {
            byte[] s = IpAddress.toBytes(r.get(0));
            byte[] e = IpAddress.toBytes(r.get(1));
            rows.add(range(r.get(0), r.get(1), s, e, r.get(2), null, null, ORIGIN_COUNTRY));
          });
    }
    for (String f : List.of("vpn_ipv4_cidrs.txt", "vpn_ipv6_cidrs.txt")) {
      forEachLine(f, c -> rows.add(cidrRow(c, Boolean.TRUE, null, ORIGIN_VPN)));
    }
    for (String f : List.of("datacenter_ipv4_cidrs.txt", "datacenter_ipv6_cidrs.txt")) {
      forEachLine(f, c -> rows.add(cidrRow(c, null, Boolean.TRUE, ORIGIN_HOSTING)));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // 64 slices: the ranges travel inside the tasks, and so each task stays under Spark's 1 MB
    // advice (3 slices of 100,000 ranges made tasks of 12 MB and a warning on every first load)
    return spark.createDataFrame(jsc.parallelize(rows, 64), Schemas.IP_RANGES);
  }

  private static Row cidrRow(String cidr, Boolean vpn, Boolean hosting, String origin) {
    byte[][] b = IpAddress.cidr(cidr);
    if (b == null) {
      throw new IllegalStateException("Shipped reference holds an invalid CIDR: " + cidr);
    }
    return range(
        IpAddress.format(b[0]), IpAddress.format(b[1]), b[0], b[1], null, vpn, hosting, origin);
  }

  private static Row range(
      String start,
      String end,
      byte[] s,
      byte[] e,
      String country,
      Boolean vpn,
      Boolean hosting,
      String origin) {
    if (s == null || e == null) {
      throw new IllegalStateException("Shipped reference holds an invalid range: " + start);
    }
    return RowFactory.create(
        start, end, IpAddress.version(s), s, e, country, null, null, hosting, vpn, origin);
  }

  /**
   * A user's accepted {@code ip_ranges} rows in the stored shape. A row with an ASN but no
   * is_vpn/is_hosting flag gets them from the shipped ASN lists.
   */
  public static Dataset<Row> inputIpRanges(Dataset<Row> accepted) {
    Column asn = col(Cols.ASN);
    Object[] vpn = vpnAsns().toArray();
    Object[] hosting = hostingAsns().toArray();
    return accepted.select(
        col(Cols.START_IP),
        col(Cols.END_IP),
        col(Cols.ipVersionOf(Cols.START_IP)).as(Cols.IP_VERSION),
        col(Cols.START_BYTES),
        col(Cols.END_BYTES),
        col(Cols.COUNTRY),
        asn,
        col(Cols.AS_NAME),
        coalesce(col(Cols.IS_HOSTING), when(asn.isNotNull(), asn.isin(hosting)))
            .as(Cols.IS_HOSTING),
        coalesce(col(Cols.IS_VPN), when(asn.isNotNull(), asn.isin(vpn))).as(Cols.IS_VPN),
        lit(ORIGIN_INPUT).as(Cols.ORIGIN));
  }

  /** The shipped OFAC SDN wallets with their entity and programmes. */
  public static Dataset<Row> shippedSanctioned(SparkSession spark) {
    Map<String, List<String[]>> entities = new LinkedHashMap<>();
    forEachCsvRow(
        "sanctioned_addresses_entities.csv",
        r ->
            entities
                .computeIfAbsent(r.get(0) + "\u0000" + r.get(1), k -> new ArrayList<>())
                .add(new String[] {r.get(2), r.get(3)}));
    List<Row> rows = new ArrayList<>();
    forEachCsvRow(
        "sanctioned_addresses.csv",
        r -> {
          List<String[]> e = entities.getOrDefault(r.get(0) + "\u0000" + r.get(1), List.of());
          String entity =
              e.isEmpty()
                  ? null
                  : String.join(" / ", e.stream().map(x -> x[0]).distinct().toList());
          String programs =
              e.isEmpty()
                  ? null
                  : String.join(
                      ";",
                      e.stream()
                          .flatMap(
                              x ->
                                  java.util.Arrays.stream(
                                      x[1] == null ? new String[0] : x[1].split(";")))
                          .distinct()
                          .toList());
          rows.add(RowFactory.create(r.get(0), r.get(1), r.get(2), entity, programs, ORIGIN_SDN));
        });
    return spark.createDataFrame(rows, Schemas.SANCTIONED_ADDRESSES);
  }

  /** A user's accepted {@code sanctioned_addresses} rows in the stored shape. */
  public static Dataset<Row> inputSanctioned(Dataset<Row> accepted) {
    return accepted.select(
        col(Cols.ADDRESS),
        col(Cols.CURRENCY),
        col(Cols.SOURCE),
        lit(null).cast(DataTypes.StringType).as(Cols.ENTITY),
        lit(null).cast(DataTypes.StringType).as(Cols.PROGRAMS),
        lit(ORIGIN_INPUT).as(Cols.ORIGIN));
  }
}

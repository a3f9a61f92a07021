package io.unmask.features;

import io.unmask.common.Cols;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Range look-up of IP addresses (16-byte form from ingest) against the {@code ip_ranges} table:
 * country, ASN and AS name, VPN and hosting flags. The ranges are reference data (a few hundred
 * thousand rows), collected once on the driver, sorted, and shipped to executors as a broadcast;
 * each look-up is a binary search, so sign-ins are never joined against ranges (no cartesian
 * product, no shuffle of the sign-ins). Rows of {@code origin = input} take precedence over the
 * shipped ones.
 */
public final class IpLookup implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Sorted intervals [start, end] as (hi, lo) pairs with the sign bit flipped for ordering. */
  static final class Intervals implements Serializable {
    private static final long serialVersionUID = 1L;
    final long[] startHi;
    final long[] startLo;
    final long[] endHi;
    final long[] endLo;
    final int[] payload;

    Intervals(List<long[]> rows) {
      int n = rows.size();
      startHi = new long[n];
      startLo = new long[n];
      endHi = new long[n];
      endLo = new long[n];
      payload = new int[n];
      for (int i = 0; i < n; i++) {
        long[] r = rows.get(i);
        startHi[i] = r[0];
        startLo[i] = r[1];
        endHi[i] = r[2];
        endLo[i] = r[3];
        payload[i] = (int) r[4];
      }
    }

    /** Index of an interval containing (hi, lo), or -1; looks back a few for nested ranges. */
    int find(long hi, long lo) {
      int loIdx = 0;
      int hiIdx = startHi.length - 1;
      int last = -1;
      while (loIdx <= hiIdx) {
        int mid = (loIdx + hiIdx) >>> 1;
        if (cmp(startHi[mid], startLo[mid], hi, lo) <= 0) {
          last = mid;
          loIdx = mid + 1;
        } else {
          hiIdx = mid - 1;
        }
      }
      for (int i = last, k = 0; i >= 0 && k < 16; i--, k++) {
        if (cmp(endHi[i], endLo[i], hi, lo) >= 0) {
          return i;
        }
      }
      return -1;
    }
  }

  static int cmp(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compare(aHi, bHi);
    return c != 0 ? c : Long.compare(aLo, bLo);
  }

  /** The high and low halves of a 16-byte address, sign-flipped so signed order = address order. */
  static long[] key(byte[] b) {
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 0xff);
      lo = (lo << 8) | (b[8 + i] & 0xff);
    }
    return new long[] {hi ^ Long.MIN_VALUE, lo ^ Long.MIN_VALUE};
  }

  private final Intervals inputCountry;
  private final Intervals shippedCountry;
  private final Intervals vpn;
  private final Intervals hosting;
  private final Intervals asn;
  private final String[] countries;
  private final long[] asns;
  private final String[] asNames;

  private IpLookup(
      Intervals inputCountry,
      Intervals shippedCountry,
      Intervals vpn,
      Intervals hosting,
      Intervals asn,
      String[] countries,
      long[] asns,
      String[] asNames) {
    this.inputCountry = inputCountry;
    this.shippedCountry = shippedCountry;
    this.vpn = vpn;
    this.hosting = hosting;
    this.asn = asn;
    this.countries = countries;
    this.asns = asns;
    this.asNames = asNames;
  }

  /** What is known of one address. */
  public record Info(String country, Long asn, String asName, boolean vpn, boolean hosting) {}

  public Info lookup(byte[] ip) {
    if (ip == null || ip.length != 16) {
      return null;
    }
    long[] k = key(ip);
    int c = inputCountry.find(k[0], k[1]);
    String country = c >= 0 ? countries[inputCountry.payload[c]] : null;
    if (country == null) {
      int s = shippedCountry.find(k[0], k[1]);
      country = s >= 0 ? countries[shippedCountry.payload[s]] : null;
    }
    int a = asn.find(k[0], k[1]);
    Long asNumber = a >= 0 ? asns[asn.payload[a]] : null;
    String asName = a >= 0 ? asNames[asn.payload[a]] : null;
    return new Info(
        country, asNumber, asName, vpn.find(k[0], k[1]) >= 0, hosting.find(k[0], k[1]) >= 0);
  }

  /**
   * Builds the look-up from the stored {@code ip_ranges} table. Collects it to the driver: it is
   * reference data (about 270,000 shipped rows plus the user's), not platform data.
   */
  public static IpLookup fromRanges(Dataset<Row> ipRanges) {
    List<Row> rows =
        ipRanges
            .select(
                Cols.START_BYTES,
                Cols.END_BYTES,
                Cols.COUNTRY,
                Cols.ASN,
                Cols.AS_NAME,
                Cols.IS_VPN,
                Cols.IS_HOSTING,
                Cols.ORIGIN)
            .collectAsList();
    // In one order whatever order the table was read in: ranges that start at one address (a
    // user's block inside a shipped one) resolve to the narrowest, and the same table always gives
    // the same look-up.
    rows = new ArrayList<>(rows);
    rows.sort(IpLookup::byRange);
    List<String> countryNames = new ArrayList<>();
    java.util.Map<String, Integer> countryIdx = new java.util.HashMap<>();
    List<long[]> inCountry = new ArrayList<>();
    List<long[]> shipCountry = new ArrayList<>();
    List<long[]> vpnRows = new ArrayList<>();
    List<long[]> hostRows = new ArrayList<>();
    List<long[]> asnRows = new ArrayList<>();
    List<Long> asnValues = new ArrayList<>();
    List<String> asnNames = new ArrayList<>();
    for (Row r : rows) {
      long[] s = key((byte[]) r.get(0));
      long[] e = key((byte[]) r.get(1));
      boolean input = "input".equals(r.getString(7));
      if (!r.isNullAt(2)) {
        int idx =
            countryIdx.computeIfAbsent(
                r.getString(2),
                c -> {
                  countryNames.add(c);
                  return countryNames.size() - 1;
                });
        (input ? inCountry : shipCountry).add(new long[] {s[0], s[1], e[0], e[1], idx});
      }
      if (!r.isNullAt(3)) {
        asnValues.add(r.getLong(3));
        asnNames.add(r.isNullAt(4) ? null : r.getString(4));
        asnRows.add(new long[] {s[0], s[1], e[0], e[1], asnValues.size() - 1});
      }
      if (!r.isNullAt(5) && r.getBoolean(5)) {
        vpnRows.add(new long[] {s[0], s[1], e[0], e[1], 0});
      }
      if (!r.isNullAt(6) && r.getBoolean(6)) {
        hostRows.add(new long[] {s[0], s[1], e[0], e[1], 0});
      }
    }
    return new IpLookup(
        sorted(inCountry),
        sorted(shipCountry),
        new Intervals(merged(vpnRows)),
        new Intervals(merged(hostRows)),
        sorted(asnRows),
        countryNames.toArray(String[]::new),
        asnValues.stream().mapToLong(Long::longValue).toArray(),
        asnNames.toArray(String[]::new));
  }

  /** Start ascending, end descending, then every other column: a total order of range rows. */
  static int byRange(Row a, Row b) {
    int c = java.util.Arrays.compareUnsigned((byte[]) a.get(0), (byte[]) b.get(0));
    if (c == 0) {
      c = java.util.Arrays.compareUnsigned((byte[]) b.get(1), (byte[]) a.get(1));
    }
    for (int i = 2; c == 0 && i < a.length(); i++) {
      c =
          java.util.Objects.compare(
              String.valueOf(a.get(i)), String.valueOf(b.get(i)), String::compareTo);
    }
    return c;
  }

  private static final Comparator<long[]> BY_START = (a, b) -> cmp(a[0], a[1], b[0], b[1]);

  private static Intervals sorted(List<long[]> rows) {
    rows.sort(BY_START);
    return new Intervals(rows);
  }

  /** Union of possibly overlapping intervals: sorted, disjoint, for yes/no membership. */
  static List<long[]> merged(List<long[]> rows) {
    rows.sort(BY_START);
    List<long[]> out = new ArrayList<>();
    for (long[] r : rows) {
      if (!out.isEmpty()) {
        long[] last = out.get(out.size() - 1);
        if (cmp(r[0], r[1], last[2], last[3]) <= 0 || adjacent(last, r)) {
          if (cmp(r[2], r[3], last[2], last[3]) > 0) {
            last[2] = r[2];
            last[3] = r[3];
          }
          continue;
        }
      }
      out.add(r.clone());
    }
    return out;
  }

  private static boolean adjacent(long[] last, long[] next) {
    // last.end + 1 == next.start (with carry from lo into hi)
    long lo = last[3] + 1;
    long hi = last[3] == Long.MAX_VALUE ? last[2] + 1 : last[2];
    if (last[3] == Long.MAX_VALUE) {
      lo = Long.MIN_VALUE;
    }
    return hi == next[0] && lo == next[1];
  }
}

package io.unmask.generate;

import io.unmask.ingest.IpAddress;
import io.unmask.reference.ReferenceData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where the synthetic sign-ins come from, built once on the driver from the shipped reference files
 * and broadcast: per country its registry IPv4 ranges (and IPv6 /64 space), minus every VPN and
 * data-centre block, so a "residential" address really is one of that country's eyeball addresses;
 * the VPN exit and data-centre lists for VPN and hosting sign-ins; and small shared pools (VPN
 * exits, mobile carrier-grade NAT and campus gateways) that many unrelated accounts use.
 */
public final class IpPools implements Serializable {
  private static final long serialVersionUID = 1L;

  /** VPN exit addresses everyone shares (a real VPN has few exits and many users). */
  static final int VPN_EXITS = 3000;

  /** Carrier-grade NAT gateways per country: each is used by thousands at 1M accounts. */
  static final int CGNAT_PER_COUNTRY = 6;

  /** Campus NAT gateways per country. */
  static final int CAMPUS_PER_COUNTRY = 3;

  private final Map<String, long[][]> v4; // country -> {starts, ends, cumulative sizes}
  private final Map<String, long[][]> v6; // country -> {start hi64, end hi64}
  private final long[][] excluded4; // merged VPN + data-centre IPv4 intervals
  private final long[][] excluded6; // merged VPN + data-centre IPv6 hi64 intervals
  private final long[][] vpn4; // VPN CIDRs as intervals
  private final long[][] hosting4; // data-centre CIDRs that are not VPN, as intervals
  private final String[] vpnExits;
  private final Map<String, String[]> cgnat;
  private final Map<String, String[]> campus;

  private IpPools(
      Map<String, long[][]> v4,
      Map<String, long[][]> v6,
      long[][] excluded4,
      long[][] excluded6,
      long[][] vpn4,
      long[][] hosting4,
      long seed) {
    this.v4 = v4;
    this.v6 = v6;
    this.excluded4 = excluded4;
    this.excluded6 = excluded6;
    this.vpn4 = vpn4;
    this.hosting4 = hosting4;
    Rng rng = new Rng(seed, Rng.POOLS, 0);
    this.vpnExits = new String[VPN_EXITS];
    for (int i = 0; i < VPN_EXITS; i++) {
      vpnExits[i] = fromIntervals(vpn4, rng);
    }
    this.cgnat = new HashMap<>();
    this.campus = new HashMap<>();
    for (String c : Countries.allCodes()) {
      String[] g = new String[CGNAT_PER_COUNTRY];
      for (int i = 0; i < g.length; i++) {
        g[i] = residential(c, rng);
      }
      cgnat.put(c, g);
      String[] u = new String[CAMPUS_PER_COUNTRY];
      for (int i = 0; i < u.length; i++) {
        u[i] = residential(c, rng);
      }
      campus.put(c, u);
    }
  }

  /** Reads the shipped reference files (a second or two) and builds the pools for a seed. */
  public static IpPools load(long seed) {
    Set<String> wanted = Set.copyOf(Countries.allCodes());
    Map<String, List<long[]>> ranges4 = new HashMap<>();
    ReferenceData.forEachCsvRow(
        "ipv4_country_ranges.csv",
        r -> {
          if (wanted.contains(r.get(2))) {
            ranges4
                .computeIfAbsent(r.get(2), k -> new ArrayList<>())
                .add(new long[] {v4ToLong(r.get(0)), v4ToLong(r.get(1))});
          }
        });
    Map<String, List<long[]>> ranges6 = new HashMap<>();
    ReferenceData.forEachCsvRow(
        "ipv6_country_ranges.csv",
        r -> {
          if (!wanted.contains(r.get(2))) {
            return;
          }
          byte[] s = IpAddress.toBytes(r.get(0));
          byte[] e = IpAddress.toBytes(r.get(1));
          if (lo64(s) == 0 && lo64(e) == -1L) {
            ranges6
                .computeIfAbsent(r.get(2), k -> new ArrayList<>())
                .add(new long[] {hi64(s), hi64(e)});
          }
        });
    List<long[]> vpn = new ArrayList<>();
    List<long[]> dc = new ArrayList<>();
    List<long[]> ex6 = new ArrayList<>();
    forEachLine("vpn_ipv4_cidrs.txt", c -> vpn.add(cidr4(c)));
    forEachLine("datacenter_ipv4_cidrs.txt", c -> dc.add(cidr4(c)));
    for (String f : List.of("vpn_ipv6_cidrs.txt", "datacenter_ipv6_cidrs.txt")) {
      forEachLine(
          f,
          c -> {
            byte[][] b = IpAddress.cidr(c);
            ex6.add(new long[] {hi64(b[0]), hi64(b[1])});
          });
    }
    List<long[]> all4 = new ArrayList<>(vpn);
    all4.addAll(dc);
    long[][] excluded4 = merge(all4);
    long[][] vpnMerged = merge(vpn);
    List<long[]> hostingOnly = new ArrayList<>();
    for (long[] d : dc) {
      if (!overlaps(vpnMerged, d[0], d[1])) {
        hostingOnly.add(d);
      }
    }
    Map<String, long[][]> v4 = new HashMap<>();
    ranges4.forEach((c, l) -> v4.put(c, withCumulative(l)));
    Map<String, long[][]> v6 = new HashMap<>();
    ranges6.forEach((c, l) -> v6.put(c, columns(l)));
    return new IpPools(v4, v6, excluded4, merge(ex6), vpnMerged, withCumulative(hostingOnly), seed);
  }

  // ---------------------------------------------------------------- sampling

  /** A residential (non-VPN, non-hosting) IPv4 address of a country's registry space. */
  public String residential(String country, Rng rng) {
    long[][] r = v4.get(country);
    if (r == null) {
      throw new IllegalArgumentException("No IPv4 ranges for " + country);
    }
    long total = r[2][r[2].length - 1];
    long a = 0;
    for (int attempt = 0; attempt < 64; attempt++) {
      long x = rng.nextLong(total);
      int i = upper(r[2], x);
      long before = i == 0 ? 0 : r[2][i - 1];
      a = r[0][i] + (x - before);
      int last = (int) (a & 0xff);
      if (last != 0 && last != 255 && !contains(excluded4, a)) {
        return longToV4(a);
      }
    }
    return longToV4(a);
  }

  /** A residential IPv6 address (a random host in a random /64 of the country), or null. */
  public String residentialV6(String country, Rng rng) {
    long[][] r = v6.get(country);
    if (r == null || r[0].length == 0) {
      return null;
    }
    for (int attempt = 0; attempt < 32; attempt++) {
      int i = rng.nextInt(r[0].length);
      long span = r[1][i] - r[0][i];
      long hi = span == -1L ? rng.nextLong() : r[0][i] + unsignedBelow(rng, span + 1);
      if (contains6(hi)) {
        continue;
      }
      byte[] b = new byte[16];
      long lo = rng.nextLong() | 1L;
      for (int k = 0; k < 8; k++) {
        b[k] = (byte) (hi >>> (56 - 8 * k));
        b[8 + k] = (byte) (lo >>> (56 - 8 * k));
      }
      return IpAddress.format(b);
    }
    return null;
  }

  /** One of the shared VPN exits. */
  public String vpnExit(Rng rng) {
    return vpnExits[rng.nextInt(vpnExits.length)];
  }

  /** The i-th shared VPN exit (a user's favourite servers). */
  public String vpnExit(int i) {
    return vpnExits[Math.floorMod(i, vpnExits.length)];
  }

  /** A data-centre (VPS, cloud) address outside the VPN list. */
  public String hosting(Rng rng) {
    return fromIntervals(hosting4, rng);
  }

  /** A mobile carrier's NAT gateway in the country: shared by very many subscribers. */
  public String cgnat(String country, Rng rng) {
    String[] g = cgnat.get(country);
    return g[rng.nextInt(g.length)];
  }

  /** A university's NAT gateway in the country. */
  public String campus(String country, int which) {
    String[] g = campus.get(country);
    return g[Math.floorMod(which, g.length)];
  }

  // ---------------------------------------------------------------- look-ups (tests, checks)

  /** True when the IPv4 address lies in the country's registry ranges. */
  public boolean inCountry(String country, String ip) {
    long[][] r = v4.get(country);
    long a = v4ToLong(ip);
    int i = upperStart(r[0], a) - 1;
    return i >= 0 && a <= r[1][i];
  }

  public boolean isVpn(String ip) {
    return contains(vpn4, v4ToLong(ip));
  }

  public boolean isHostingOrVpn(String ip) {
    return contains(excluded4, v4ToLong(ip));
  }

  // ---------------------------------------------------------------- helpers

  private String fromIntervals(long[][] r, Rng rng) {
    if (r.length == 3) {
      long x = rng.nextLong(r[2][r[2].length - 1]);
      int i = upper(r[2], x);
      long before = i == 0 ? 0 : r[2][i - 1];
      return longToV4(r[0][i] + (x - before));
    }
    int i = rng.nextInt(r[0].length);
    return longToV4(r[0][i] + rng.nextLong(r[1][i] - r[0][i] + 1));
  }

  private static long unsignedBelow(Rng rng, long bound) {
    return bound > 0 ? rng.nextLong(bound) : Long.remainderUnsigned(rng.nextLong(), bound);
  }

  private boolean contains6(long hi) {
    int i = upperStartUnsigned(excluded6[0], hi) - 1;
    return i >= 0 && Long.compareUnsigned(hi, excluded6[1][i]) <= 0;
  }

  /** Index of the first cumulative value above x. */
  private static int upper(long[] cum, long x) {
    int lo = 0;
    int hi = cum.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cum[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Number of starts at or below a. */
  private static int upperStart(long[] starts, long a) {
    int i = Arrays.binarySearch(starts, a);
    return i >= 0 ? i + 1 : -i - 1;
  }

  private static int upperStartUnsigned(long[] starts, long a) {
    int lo = 0;
    int hi = starts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(starts[mid], a) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static boolean contains(long[][] merged, long a) {
    int i = upperStart(merged[0], a) - 1;
    return i >= 0 && a <= merged[1][i];
  }

  private static boolean overlaps(long[][] merged, long s, long e) {
    int i = upperStart(merged[0], e) - 1;
    return i >= 0 && merged[1][i] >= s;
  }

  /** Sorted, merged intervals as {starts, ends} (unsigned order, for IPv6 hi64 too). */
  private static long[][] merge(List<long[]> in) {
    List<long[]> l = new ArrayList<>(in);
    l.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
    List<long[]> out = new ArrayList<>();
    for (long[] r : l) {
      long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && Long.compareUnsigned(r[0], last[1] + 1) <= 0 && last[1] != -1L) {
        if (Long.compareUnsigned(r[1], last[1]) > 0) {
          last[1] = r[1];
        }
      } else {
        out.add(new long[] {r[0], r[1]});
      }
    }
    return columns(out);
  }

  private static long[][] columns(List<long[]> s) {
    long[][] c = new long[2][s.size()];
    for (int i = 0; i < s.size(); i++) {
      c[0][i] = s.get(i)[0];
      c[1][i] = s.get(i)[1];
    }
    return c;
  }

  private static long[][] withCumulative(List<long[]> l) {
    List<long[]> sorted = new ArrayList<>(l);
    sorted.sort(Comparator.comparingLong((long[] x) -> x[0]));
    long[][] c = columns(sorted);
    long[] cum = new long[c[0].length];
    long t = 0;
    for (int i = 0; i < cum.length; i++) {
      t += c[1][i] - c[0][i] + 1;
      cum[i] = t;
    }
    return new long[][] {c[0], c[1], cum};
  }

  static long v4ToLong(String ip) {
    byte[] b = IpAddress.toBytes(ip);
    return ((b[12] & 0xffL) << 24)
        | ((b[13] & 0xffL) << 16)
        | ((b[14] & 0xffL) << 8)
        | (b[15] & 0xffL);
  }

  static String longToV4(long a) {
    return ((a >>> 24) & 0xff)
        + "."
        + ((a >>> 16) & 0xff)
        + "."
        + ((a >>> 8) & 0xff)
        + "."
        + (a & 0xff);
  }

  private static long[] cidr4(String c) {
    byte[][] b = IpAddress.cidr(c);
    return new long[] {v4ToLong(IpAddress.format(b[0])), v4ToLong(IpAddress.format(b[1]))};
  }

  private static long hi64(byte[] b) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }

  private static long lo64(byte[] b) {
    long v = 0;
    for (int i = 8; i < 16; i++) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }

  private static void forEachLine(String file, Consumer<String> line) {
    try (InputStream in = IpPools.class.getResourceAsStream("/reference/" + file);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (!l.isBlank()) {
          line.accept(l.trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read shipped reference " + file, e);
    }
  }
}

package io.unmask.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.ingest.IpAddress;
import io.unmask.reference.ReferenceData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The population without Spark: shares of archetypes and look-alikes, where sign-ins come from
 * (checked against the shipped reference files, read independently here), what the evasive scenario
 * hides, and partial labels.
 */
class GeneratePopulationTest {
  static final int N = 20_000;
  static World world;
  static List<Account> standard;
  static Accounts standardAccounts;

  /** The reference ranges, read here without the generator's code: start -> {end, country}. */
  static final TreeMap<BigInteger, Object[]> COUNTRY = new TreeMap<>();

  static final TreeMap<BigInteger, BigInteger> VPN = new TreeMap<>();
  static final TreeMap<BigInteger, BigInteger> HOSTING = new TreeMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    world = World.load(3);
    standardAccounts = new Accounts(new Plan(N, 3, Scenario.STANDARD, 20), world);
    standard = new ArrayList<>();
    for (long i = 0; i < N; i++) {
      standard.add(standardAccounts.build(i));
    }
    for (String f : List.of("ipv4_country_ranges.csv", "ipv6_country_ranges.csv")) {
      ReferenceData.forEachCsvRow(
          f, r -> COUNTRY.put(num(r.get(0)), new Object[] {num(r.get(1)), r.get(2)}));
    }
    readCidrs("vpn_ipv4_cidrs.txt", VPN);
    readCidrs("vpn_ipv6_cidrs.txt", VPN);
    readCidrs("datacenter_ipv4_cidrs.txt", HOSTING);
    readCidrs("datacenter_ipv6_cidrs.txt", HOSTING);
  }

  static BigInteger num(String ip) {
    return new BigInteger(1, IpAddress.toBytes(ip));
  }

  static void readCidrs(String file, TreeMap<BigInteger, BigInteger> into) throws Exception {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                GeneratePopulationTest.class.getResourceAsStream("/reference/" + file),
                StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (!l.isBlank()) {
          byte[][] b = IpAddress.cidr(l.trim());
          into.merge(new BigInteger(1, b[0]), new BigInteger(1, b[1]), BigInteger::max);
        }
      }
    }
  }

  static String countryOf(String ip) {
    BigInteger a = num(ip);
    Map.Entry<BigInteger, Object[]> e = COUNTRY.floorEntry(a);
    return e != null && a.compareTo((BigInteger) e.getValue()[0]) <= 0
        ? (String) e.getValue()[1]
        : null;
  }

  static boolean in(TreeMap<BigInteger, BigInteger> cidrs, String ip) {
    BigInteger a = num(ip);
    // CIDRs nest at most a little; look back over a few earlier starts.
    Map.Entry<BigInteger, BigInteger> e = cidrs.floorEntry(a);
    for (int i = 0; i < 8 && e != null; i++, e = cidrs.lowerEntry(e.getKey())) {
      if (a.compareTo(e.getValue()) <= 0) {
        return true;
      }
    }
    return false;
  }

  static long count(List<Account> l, java.util.function.Predicate<Account> p) {
    return l.stream().filter(p).count();
  }

  @Test
  void concealedAccountsAreOneToTwoPercent() {
    double share = count(standard, Account::concealed) / (double) N;
    assertThat(share).isBetween(0.01, 0.02);
    assertThat(count(standard, a -> a.archetype.equals(Account.RING_MEMBER)) / (double) N)
        .isBetween(0.008, 0.012);
    assertThat(count(standard, a -> a.archetype.equals(Account.RENTED))).isBetween(20L, 90L);
    assertThat(count(standard, a -> a.archetype.equals(Account.LONE))).isBetween(25L, 100L);
  }

  @Test
  void lookAlikesHaveTheirShares() {
    Map<String, Long> by = new HashMap<>();
    standard.stream()
        .filter(a -> a.lookalike != null)
        .forEach(a -> by.merge(a.lookalike, 1L, Long::sum));
    Map<String, double[]> ranges =
        Map.ofEntries(
            Map.entry(Account.AGENCY, new double[] {0.025, 0.035}),
            Map.entry(Account.FAMILY, new double[] {0.015, 0.025}),
            Map.entry(Account.PRIVACY_VPN, new double[] {0.02, 0.04}),
            Map.entry(Account.TRAVELLER, new double[] {0.02, 0.04}),
            Map.entry(Account.NIGHT_OWL, new double[] {0.03, 0.05}),
            Map.entry(Account.CGNAT, new double[] {0.04, 0.06}),
            Map.entry(Account.CAMPUS, new double[] {0.01, 0.03}),
            Map.entry(Account.CRYPTO, new double[] {0.01, 0.02}),
            Map.entry(Account.EXPAT, new double[] {0.01, 0.03}),
            Map.entry(Account.EAST_ASIA, new double[] {0.025, 0.06}),
            Map.entry(Account.PAYONEER, new double[] {0.07, 0.12}));
    ranges.forEach(
        (type, r) ->
            assertThat(by.getOrDefault(type, 0L) / (double) N).as(type).isBetween(r[0], r[1]));
    // About 40 countries of residence among genuine accounts.
    Set<String> countries = new HashSet<>();
    standard.stream().filter(a -> !a.concealed()).forEach(a -> countries.add(a.country.code()));
    assertThat(countries.size()).isBetween(38, 45);
  }

  @Test
  void ringsShareDevicesNetworkAndPayouts() {
    Map<String, List<Account>> rings = new TreeMap<>();
    standard.stream()
        .filter(a -> a.ringId != null)
        .forEach(a -> rings.computeIfAbsent(a.ringId, k -> new ArrayList<>()).add(a));
    assertThat(rings).hasSizeGreaterThan(20);
    for (List<Account> ring : rings.values()) {
      assertThat(ring.size()).isBetween(3, 9);
      Set<String> devices = new HashSet<>();
      Set<String> payouts = new HashSet<>();
      int deviceUses = 0;
      for (Account a : ring) {
        devices.addAll(a.devices);
        deviceUses += a.devices.size();
        a.payouts.forEach(p -> payouts.add(p[1]));
        assertThat(a.ringIps).isEqualTo(ring.get(0).ringIps);
        assertThat(a.country).isEqualTo(ring.get(0).country);
        assertThat(
                Long.bitCount(
                    Long.parseUnsignedLong(a.photoHash, 16)
                        ^ Long.parseUnsignedLong(ring.get(0).photoHash, 16)))
            .isLessThanOrEqualTo(8);
      }
      assertThat(devices.size()).isLessThan(deviceUses);
      assertThat(payouts.size()).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void labelsArePartial() {
    List<Account> concealed = standard.stream().filter(Account::concealed).toList();
    double labeled = count(concealed, a -> a.labelPlan == 1) / (double) concealed.size();
    assertThat(labeled).isBetween(0.1, 0.5);
    Map<String, int[]> rings = new TreeMap<>();
    concealed.stream()
        .filter(a -> a.ringId != null)
        .forEach(
            a -> {
              int[] c = rings.computeIfAbsent(a.ringId, k -> new int[2]);
              c[0]++;
              c[1] += a.labelPlan == 1 ? 1 : 0;
            });
    long whole = rings.values().stream().filter(c -> c[1] == c[0]).count();
    long one = rings.values().stream().filter(c -> c[1] == 1 && c[0] > 1).count();
    long none = rings.values().stream().filter(c -> c[1] == 0).count();
    assertThat(whole).isPositive();
    assertThat(one).isPositive();
    assertThat(none).isGreaterThanOrEqualTo((long) (rings.size() * 0.35));
    long cleared = count(standard, a -> !a.concealed() && a.labelPlan == 2);
    assertThat(cleared).isPositive();
    assertThat(count(standard, a -> !a.concealed() && a.labelPlan == 1)).isZero();
  }

  @Test
  void signInsComeFromTheRightRanges() {
    Activity act = new Activity(standardAccounts, world);
    int v6 = 0;
    int checked = 0;
    for (Account a : standard.subList(0, 4000)) {
      List<String[]> rows = new ArrayList<>();
      act.logins(a, rows::add);
      String cc = a.country.code();
      for (String[] r : rows) {
        String ip = r[3];
        checked++;
        v6 += ip.contains(":") ? 1 : 0;
        boolean vpn = in(VPN, ip);
        boolean hosting = in(HOSTING, ip);
        String where = countryOf(ip);
        if (a.archetype.equals(Account.GENUINE) && a.trips == null) {
          if (vpn) {
            assertThat(a.mix[Accounts.VPN]).as("VPN use of " + a.lookalike).isPositive();
          } else {
            assertThat(where).as(ip + " of a genuine " + cc + " account").isEqualTo(cc);
            assertThat(hosting).as(ip + " is residential").isFalse();
          }
        } else if (a.archetype.equals(Account.RING_MEMBER)) {
          boolean facilitator = a.ringIps.contains(ip) && cc.equals(where) && !hosting;
          boolean leak = a.leakIps.contains(ip) && a.leakCountry.equals(where);
          boolean vps = a.vpsIps.contains(ip) && hosting && !vpn;
          assertThat(facilitator || leak || vps || vpn).as(ip + " of a ring member").isTrue();
        }
      }
    }
    assertThat(checked).isGreaterThan(50_000);
    assertThat(v6).isPositive();
  }

  @Test
  void claimedZonesBelongToTheClaimedCountry() {
    Map<String, Set<String>> zones = new HashMap<>();
    ReferenceData.forEachCsvRow(
        "country_timezones.csv",
        r -> zones.computeIfAbsent(r.get(0), k -> new HashSet<>()).add(r.get(1)));
    for (Countries.Country c : Countries.HOMES) {
      assertThat(zones.get(c.code())).as(c.code()).containsAll(c.zones());
    }
  }

  @Test
  void evasiveRingsHideTheEasyTells() {
    Plan plan = new Plan(N, 3, Scenario.EVASIVE, 20);
    Accounts accs = new Accounts(plan, world);
    Activity act = new Activity(accs, world);
    Set<String> sanctioned = new HashSet<>();
    world.dprkWallets.forEach(w -> sanctioned.add(w[0]));
    int rings = 0;
    for (long i = 0; i < N; i++) {
      Account a = accs.build(i);
      if (a.concealed()) {
        for (String[] p : a.payouts) {
          assertThat(sanctioned).doesNotContain(p[1]);
        }
      }
      if (!a.archetype.equals(Account.RING_MEMBER)) {
        continue;
      }
      rings++;
      List<String[]> rows = new ArrayList<>();
      act.logins(a, rows::add);
      for (String[] r : rows) {
        assertThat(a.ringIps).contains(r[3]);
        assertThat(r[6]).isEqualTo(a.zone());
        assertThat(in(VPN, r[3]) || in(HOSTING, r[3])).isFalse();
      }
    }
    assertThat(rings).isGreaterThan(100);
    // The standard scenario does use a few sanctioned wallets.
    long hits = count(standard, a -> a.payouts.stream().anyMatch(p -> sanctioned.contains(p[1])));
    assertThat(hits).isPositive();
  }
}

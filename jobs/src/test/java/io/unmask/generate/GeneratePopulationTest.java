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
            Map.entry(Account.PAYONEER, new double[] {0.07, 0.12}),
            Map.entry(Account.INTERNET_CAFE, new double[] {0.015, 0.025}),
            Map.entry(Account.COWORKING, new double[] {0.02, 0.03}),
            Map.entry(Account.NOMAD, new double[] {0.012, 0.025}),
            Map.entry(Account.DIASPORA, new double[] {0.012, 0.025}),
            Map.entry(Account.RELOCATED, new double[] {0.008, 0.02}),
            Map.entry(Account.CHINA_VPN, new double[] {0.008, 0.02}));
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
        if (a.archetype.equals(Account.GENUINE) && a.trips == null && a.after == null) {
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

  // ------------------------------------------------------------------ the newer look-alikes

  static Map<String, List<Account>> groups(List<Account> l, String lookalike) {
    Map<String, List<Account>> g = new TreeMap<>();
    l.stream()
        .filter(a -> lookalike.equals(a.lookalike))
        .forEach(a -> g.computeIfAbsent(a.groupId, k -> new ArrayList<>()).add(a));
    return g;
  }

  static List<String[]> logins(Accounts accs, Account a) {
    List<String[]> rows = new ArrayList<>();
    new Activity(accs, world).logins(a, rows::add);
    return rows;
  }

  static List<String[]> payments(Accounts accs, Account a) {
    List<String[]> rows = new ArrayList<>();
    new Activity(accs, world).payments(a, rows::add);
    return rows;
  }

  static final Set<String> ASIAN_ZONES =
      Set.of("Asia/Shanghai", "Asia/Vladivostok", "Asia/Pyongyang");

  @Test
  void internetCafeGroupsShareOneMachineOneAddressAndOneTown() {
    Map<String, List<Account>> cafes = groups(standard, Account.INTERNET_CAFE);
    assertThat(cafes).hasSizeGreaterThan(20);
    for (List<Account> cafe : cafes.values()) {
      assertThat(cafe.size()).isBetween(4, 15);
      Account first = cafe.get(0);
      Set<String> payouts = new HashSet<>();
      for (Account a : cafe) {
        assertThat(a.concealed()).isFalse();
        assertThat(a.country).isEqualTo(first.country);
        assertThat(a.city).isEqualTo(first.city);
        assertThat(a.devices.get(0)).isEqualTo(first.devices.get(0));
        assertThat(a.homeIp).isEqualTo(first.homeIp);
        for (String[] p : a.payouts) {
          assertThat(payouts.add(p[1])).as("own payout account").isTrue();
          assertThat(p[3]).contains(a.displayName.split(" ")[1]);
        }
      }
    }
    // Sign-ins: the café's machine on the café's address, in the town's zone.
    List<Account> cafe = cafes.values().iterator().next();
    Set<String> machines = new HashSet<>();
    Set<String> addresses = new HashSet<>();
    for (Account a : cafe) {
      for (String[] r : logins(standardAccounts, a)) {
        assertThat(r[6]).isIn(a.zone(), Accounts.ALIASES.get(a.zone()));
        if (r[4].equals(a.devices.get(0))) {
          machines.add(r[4]);
          addresses.add(r[3]);
        }
      }
    }
    assertThat(machines).hasSize(1);
    assertThat(addresses).containsExactly(cafe.get(0).homeIp);
  }

  @Test
  void coworkingMembersShareAnOfficeAddressButNotDevicesOrPayouts() {
    Map<String, List<Account>> spaces = groups(standard, Account.COWORKING);
    assertThat(spaces).hasSizeGreaterThan(8);
    for (List<Account> space : spaces.values()) {
      assertThat(space.size()).isBetween(10, 40);
      Set<String> devices = new HashSet<>();
      Set<String> payouts = new HashSet<>();
      for (Account a : space) {
        assertThat(a.ringIps).isEqualTo(space.get(0).ringIps);
        assertThat(a.city).isEqualTo(space.get(0).city);
        assertThat(a.country).isEqualTo(space.get(0).country);
        a.devices.forEach(d -> assertThat(devices.add(d)).isTrue());
        a.payouts.forEach(p -> assertThat(payouts.add(p[1])).isTrue());
      }
    }
    Account a = spaces.values().iterator().next().get(0);
    long office =
        logins(standardAccounts, a).stream().filter(r -> r[3].equals(a.ringIps.get(0))).count();
    assertThat(office).isPositive();
  }

  @Test
  void nomadsSpendMonthsAbroadWithTheirOwnDevicesAndPayoutAtHome() {
    List<Account> nomads =
        standard.stream().filter(a -> Account.NOMAD.equals(a.lookalike)).toList();
    int abroad = 0;
    int vpn = 0;
    int total = 0;
    for (Account a : nomads.subList(0, 40)) {
      long days = 0;
      for (long[] t : a.trips) {
        days += (t[1] - t[0]) / Accounts.DAY;
        assertThat(Countries.HOMES.get((int) t[2]).code()).isNotEqualTo(a.country.code());
      }
      assertThat(days).isGreaterThanOrEqualTo(21);
      // At home (an own Wise account may sit in GB, BE or the US).
      a.payouts.forEach(p -> assertThat(p[2]).isIn(a.country.code(), "GB", "BE", "US"));
      for (String[] r : logins(standardAccounts, a)) {
        total++;
        assertThat(a.devices).contains(r[4]);
        if (in(VPN, r[3])) {
          vpn++;
        } else if (!a.country.code().equals(countryOf(r[3]))) {
          abroad++;
        }
      }
    }
    assertThat(abroad / (double) total).isBetween(0.1, 0.7);
    assertThat(vpn).isPositive();
  }

  @Test
  void diasporaHaveHeritageNamesLanguageVisitsAndSendMoneyHome() {
    List<Account> diaspora =
        standard.stream().filter(a -> Account.DIASPORA.equals(a.lookalike)).toList();
    long heritageLanguage =
        count(diaspora, a -> a.language.equals("ko-KR") || a.language.equals("zh-CN"));
    assertThat(heritageLanguage / (double) diaspora.size()).isBetween(0.6, 0.9);
    for (Account a : diaspora) {
      assertThat(List.of(Accounts.DIASPORA_HOMES)).contains(a.country.code());
      String surname = a.displayName.split(" ")[1];
      boolean korean = Texts.NAMES.get("korean").get(1).contains(surname);
      assertThat(korean || Texts.NAMES.get("chinese").get(1).contains(surname)).isTrue();
      String heritage = korean ? "KR" : "CN";
      assertThat(a.trips.length).isBetween(1, 2);
      for (long[] t : a.trips) {
        assertThat(Countries.HOMES.get((int) t[2]).code()).isEqualTo(heritage);
        assertThat((t[1] - t[0]) / Accounts.DAY).isBetween(14L, 28L);
      }
      String[] home = a.payouts.get(a.payouts.size() - 1);
      assertThat(home[2]).isEqualTo(heritage);
      assertThat(home[3]).isEqualTo(a.displayName);
      assertThat(a.payouts.get(0)[2]).isIn(a.country.code(), "GB", "BE", "US");
    }
    // A share of the withdrawals goes home.
    long home = 0;
    long all = 0;
    for (Account a : diaspora.subList(0, 40)) {
      for (String[] p : payments(standardAccounts, a)) {
        if (p[3].equals("withdrawal")) {
          all++;
          home += p[9].equals("KR") || p[9].equals("CN") ? 1 : 0;
        }
      }
    }
    assertThat(home / (double) all).isBetween(0.15, 0.45);
  }

  @Test
  void expatsHoldHomeDocumentsAndArePaidInTheirOwnName() {
    List<Account> expats =
        standard.stream().filter(a -> Account.EXPAT.equals(a.lookalike)).toList();
    assertThat(expats).hasSizeGreaterThan(20);
    for (Account a : expats) {
      assertThat(a.idDocCountry).isNotEqualTo(a.country.code());
      String initialled = a.displayName.charAt(0) + ". " + a.displayName.split(" ")[1];
      for (String[] p : a.payouts) {
        // their own accounts, in the name the profile shows (no pay to another person)
        assertThat(p[3]).isIn(a.displayName, initialled);
      }
    }
  }

  @Test
  void familiesArePaidInTheirOwnNameOrToAJointAccountOfTheFamily() {
    List<Account> families =
        standard.stream().filter(a -> Account.FAMILY.equals(a.lookalike)).toList();
    assertThat(families).hasSizeGreaterThan(20);
    long joint = 0;
    for (Account a : families) {
      String surname = a.displayName.split(" ")[1];
      String initialled = a.displayName.charAt(0) + ". " + surname;
      for (String[] p : a.payouts) {
        if (!p[3].equals(a.displayName) && !p[3].equals(initialled)) {
          assertThat(p[3].split(" ")[1]).isEqualTo(surname);
          joint++;
        }
      }
    }
    assertThat(joint).isPositive();
  }

  @Test
  void holderNamesFollowARename() {
    assertThat(Accounts.holderRenamed("Ana Silva", "Ana Silva", "Ravi Rao")).isEqualTo("Ravi Rao");
    assertThat(Accounts.holderRenamed("A. Silva", "Ana Silva", "Ravi Rao")).isEqualTo("R. Rao");
    assertThat(Accounts.holderRenamed("Li Wei", "Ana Silva", "Ravi Rao")).isEqualTo("Li Wei");
  }

  @Test
  void relocatedAccountsChangeCountryOnce() {
    List<Account> moved =
        standard.stream().filter(a -> Account.RELOCATED.equals(a.lookalike)).toList();
    assertThat(moved).hasSizeGreaterThan(100);
    for (Account a : moved.subList(0, 40)) {
      String from = a.netCountry;
      String to = a.country.code();
      assertThat(from).isNotEqualTo(to);
      assertThat(a.concealed()).isFalse();
      assertThat(a.takeoverAt).isZero();
      List<String[]> rows = logins(standardAccounts, a);
      int changes = 0;
      String last = null;
      for (String[] r : rows) {
        long t = java.time.Instant.parse(r[2]).getEpochSecond();
        String where = countryOf(r[3]);
        assertThat(where).isEqualTo(t < a.movedAt ? from : to);
        assertThat(t < a.movedAt ? a.devices : a.after.devices).contains(r[4]);
        assertThat(r[6]).isIn(t < a.movedAt ? a.browserZone : a.after.browserZone);
        changes += last != null && !last.equals(where) ? 1 : 0;
        last = where;
      }
      assertThat(changes).isLessThanOrEqualTo(1);
      assertThat(a.devices).doesNotContainAnyElementsOf(a.after.devices);
      for (String[] p : payments(standardAccounts, a)) {
        if (p[3].equals("withdrawal")) {
          long t = java.time.Instant.parse(p[2]).getEpochSecond();
          String payTo = p[9];
          Set<String> ok = new HashSet<>(List.of(t < a.movedAt ? from : to, "GB", "BE", "US"));
          assertThat(payTo).isIn(ok);
        }
      }
    }
  }

  @Test
  void chinaFreelancersMostlyUseVpnsAndArePaidInHongKong() {
    List<Account> cn =
        standard.stream().filter(a -> Account.CHINA_VPN.equals(a.lookalike)).toList();
    assertThat(cn).hasSizeGreaterThan(100);
    long vpn = 0;
    long direct = 0;
    for (Account a : cn) {
      assertThat(a.country.code()).isEqualTo("CN");
      assertThat(a.browserZone).isEqualTo("Asia/Shanghai");
      assertThat(a.payouts)
          .allSatisfy(
              p -> {
                assertThat(p[2]).isEqualTo("HK");
                assertThat(p[3]).isEqualTo(a.displayName);
              });
    }
    for (Account a : cn.subList(0, 30)) {
      for (String[] r : logins(standardAccounts, a)) {
        if (in(VPN, r[3])) {
          vpn++;
        } else {
          assertThat(countryOf(r[3])).isEqualTo("CN");
          direct++;
        }
      }
    }
    assertThat(vpn / (double) (vpn + direct)).isBetween(0.55, 0.85);
    assertThat(direct).isPositive();
  }

  @Test
  void realisticConcealedAccountsDropTheImplausibleTells() {
    Accounts accs = new Accounts(new Plan(N, 3, Scenario.REALISTIC, 20), world);
    List<Account> all = new ArrayList<>();
    for (long i = 0; i < N; i++) {
      all.add(accs.build(i));
    }
    List<Account> concealed = all.stream().filter(Account::concealed).toList();
    assertThat(concealed.size() / (double) N).isBetween(0.01, 0.02);
    // More look-alikes than standard (those drawn for what they do, not for where they live).
    java.util.function.Predicate<Account> drawn =
        a ->
            a.lookalike != null
                && !a.lookalike.equals(Account.PAYONEER)
                && !a.lookalike.equals(Account.EAST_ASIA);
    assertThat(count(all, drawn)).isGreaterThan((long) (count(standard, drawn) * 1.4));
    // Most concealed accounts never show an Asian zone or language.
    int hidden = 0;
    long asianHours = 0;
    long signIns = 0;
    for (Account a : concealed) {
      boolean asian = false;
      for (String[] r : logins(accs, a)) {
        asian |= ASIAN_ZONES.contains(r[6]) || "ko-KR".equals(r[7]) || "zh-CN".equals(r[7]);
        if (a.archetype.equals(Account.RING_MEMBER)) {
          signIns++;
          int h = java.time.Instant.parse(r[2]).atZone(java.time.ZoneId.of(a.asianZone)).getHour();
          asianHours += h >= 9 && h < 18 ? 1 : 0;
        }
      }
      hidden += asian ? 0 : 1;
      Account m = a.after != null ? a.after : a;
      assertThat(m.asianShare).isBetween(0.2, 0.5);
    }
    assertThat(hidden / (double) concealed.size()).isBetween(0.6, 0.95);
    // Ring work is partly in Asian office hours (a day worker in the claimed zone gives some too).
    assertThat(asianHours / (double) signIns).isBetween(0.15, 0.6);
    // Rates near the market, few VoIP phones.
    long cheap = count(concealed, a -> a.after == null && a.rate < a.country.rateMedian() * 0.5);
    assertThat(cheap / (double) concealed.size()).isLessThan(0.2);
    assertThat(count(concealed, a -> "voip".equals(a.phoneType)) / (double) concealed.size())
        .isLessThan(0.3);
    // Genuine users replace a device about once a year.
    List<Account> genuine = all.stream().filter(a -> !a.concealed() && a.after == null).toList();
    assertThat(count(genuine, a -> a.deviceSwap != 0) / (double) genuine.size())
        .isBetween(0.6, 0.9);
    // Rings still share devices and payout accounts.
    Map<String, List<Account>> rings = new TreeMap<>();
    concealed.stream()
        .filter(a -> a.ringId != null)
        .forEach(a -> rings.computeIfAbsent(a.ringId, k -> new ArrayList<>()).add(a));
    for (List<Account> ring : rings.values()) {
      Set<String> devices = new HashSet<>();
      int uses = 0;
      for (Account a : ring) {
        devices.addAll(a.devices);
        uses += a.devices.size();
      }
      assertThat(devices.size()).isLessThan(uses);
    }
  }
}

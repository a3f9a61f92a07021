package io.unmask.generate;

import io.unmask.generate.Countries.Country;
import io.unmask.generate.Plan.Kind;
import io.unmask.generate.Plan.Membership;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds an {@link Account} from its index alone (plus the broadcast plan and world): the same
 * index always gives the same account, on whichever executor and in whichever table's pass.
 */
final class Accounts {
  /** End of the synthetic history (exclusive); the data describe the year before it. */
  static final long END = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();

  static final long DAY = 86_400L;
  static final long YEAR = 365 * DAY;
  static final long FIRST_CREATED = Instant.parse("2017-01-01T00:00:00Z").getEpochSecond();

  // Network kinds (indices into Account.mix).
  static final int HOME = 0;
  static final int MOBILE = 1;
  static final int OTHER = 2;
  static final int VPN = 3;
  static final int HOSTING = 4;
  static final int LEAK = 5;
  static final int CAMPUS = 6;
  static final int OFFICE = 7;

  /** Old zone names browsers still report (normalised through timezone_links.csv). */
  static final Map<String, String> ALIASES =
      Map.of(
          "Asia/Kolkata", "Asia/Calcutta",
          "Europe/Kyiv", "Europe/Kiev",
          "Asia/Ho_Chi_Minh", "Asia/Saigon",
          "Asia/Kathmandu", "Asia/Katmandu",
          "America/Argentina/Buenos_Aires", "America/Buenos_Aires",
          "America/New_York", "US/Eastern");

  static final String DEFAULT_AVATAR = "c3c3e7ff7e3c1800";

  private final Plan plan;
  private final World world;
  private final IpPools ips;
  private final long clientPool;

  Accounts(Plan plan, World world) {
    this.plan = plan;
    this.world = world;
    this.ips = world.ips;
    this.clientPool = Math.max(50, plan.accounts / 8);
  }

  Plan plan() {
    return plan;
  }

  Account build(long index) {
    Rng rng = new Rng(plan.seed, Rng.ACCOUNT, index);
    Account a = new Account();
    a.index = index;
    a.id = Plan.accountId(index);
    Membership m = plan.membership(index);
    if (m == null) {
      single(a, rng);
    } else if (m.kind() == Kind.RING) {
      ring(a, m, rng);
    } else if (m.kind() == Kind.AGENCY) {
      agency(a, m, rng);
    } else if (m.kind() == Kind.CAFE) {
      cafe(a, m, rng);
    } else if (m.kind() == Kind.COWORKING) {
      coworking(a, m, rng);
    } else {
      family(a, m, rng);
    }
    if (realistic() && !a.concealed() && a.after == null) {
      replaceDevice(a, rng);
    }
    return a;
  }

  // ------------------------------------------------------------------ genuine accounts

  private void single(Account a, Rng rng) {
    double x = rng.nextDouble();
    if (x < Plan.RENTED_SHARE) {
      rented(a, rng);
      return;
    }
    if (x < Plan.RENTED_SHARE + Plan.LONE_SHARE) {
      lone(a, rng);
      return;
    }
    String[] types = {
      null,
      Account.PRIVACY_VPN,
      Account.TRAVELLER,
      Account.NIGHT_OWL,
      Account.CGNAT,
      Account.CAMPUS,
      Account.CRYPTO,
      Account.EXPAT,
      Account.NOMAD,
      Account.DIASPORA,
      Account.RELOCATED,
      Account.CHINA_VPN
    };
    double[] weights = {0, 3, 3, 4, 5, 2, 1.5, 2, 2, 2, 1.5, 1.5};
    double more = realistic() ? Plan.REALISTIC_LOOKALIKES : 1;
    double rest = 100;
    for (int i = 1; i < weights.length; i++) {
      weights[i] *= more;
      rest -= weights[i];
    }
    weights[0] = rest;
    String type = types[rng.weighted(weights)];
    Country c =
        switch (type == null ? "" : type) {
          case Account.CHINA_VPN -> Countries.of("CN");
          case Account.DIASPORA -> pick(rng, DIASPORA_HOMES, DIASPORA_WEIGHTS);
          case Account.NOMAD -> pick(rng, NOMAD_HOMES, null);
          default -> Countries.home(rng);
        };
    String names = c.names();
    if (Account.DIASPORA.equals(type)) {
      names = rng.chance(0.5) ? "korean" : "chinese";
    }
    genuine(a, rng, c, rng.nextInt(c.cities().size()), names);
    if (type == null) {
      if (Countries.EAST_ASIA.contains(c.code())) {
        type = Account.EAST_ASIA;
      } else if (Countries.SOUTH_ASIA.contains(c.code()) && rng.chance(0.6)) {
        type = Account.PAYONEER;
      }
    }
    a.lookalike = type;
    if (type != null) {
      lookalike(a, rng, type);
    }
    labelGenuine(a, rng);
  }

  /** Where diaspora freelancers live (and say so), with weights. */
  static final String[] DIASPORA_HOMES = {"US", "CA", "GB", "DE", "AU"};

  static final double[] DIASPORA_WEIGHTS = {50, 15, 15, 10, 10};

  /** Home countries of digital nomads, and where they spend months. */
  static final String[] NOMAD_HOMES = {"US", "GB", "DE", "CA", "AU", "NL", "FR", "PL", "UA", "BR"};

  static final String[] NOMAD_DESTINATIONS = {
    "TH", "MX", "PT", "ES", "ID", "CO", "VN", "AR", "BR", "MY", "TR", "IT"
  };

  /** Countries with many internet cafés and public PCs. */
  static final String[] CAFE_COUNTRIES = {
    "PH", "IN", "NG", "PK", "BD", "KE", "EG", "VN", "ID", "UA", "BR", "MX"
  };

  private static Country pick(Rng rng, String[] codes, double[] weights) {
    return Countries.of(weights == null ? rng.pick(codes) : codes[rng.weighted(weights)]);
  }

  private boolean realistic() {
    return plan.scenario == Scenario.REALISTIC;
  }

  /** A genuine freelancer living where the profile says. */
  private void genuine(Account a, Rng rng, Country c, int city, String nameStyle) {
    a.country = c;
    a.city = city;
    a.displayName = Texts.name(rng, nameStyle);
    a.email = email(rng, a.displayName);
    phone(a, rng, new double[] {85, 5, 4, 6});
    double age = StrictMath.pow(rng.nextDouble(), 0.7); // more recent accounts than old ones
    a.createdAt = END - 20 * DAY - (long) (age * (END - 20 * DAY - FIRST_CREATED));
    int fam = rng.nextInt(Texts.FAMILIES.size());
    profileText(a, rng, fam, c);
    a.rate = round2(c.rateMedian() * Texts.FAMILIES.get(fam).rateFactor() * rng.logNormal(1, 0.35));
    a.photoHash = rng.chance(0.03) ? DEFAULT_AVATAR : rng.hex(16);
    a.idVerified = rng.chance(0.65) ? Boolean.TRUE : (rng.chance(0.5) ? Boolean.FALSE : null);
    a.idDocCountry = Boolean.TRUE.equals(a.idVerified) ? c.code() : null;
    a.activityZone = a.zone();
    a.hours = 0;
    String z = a.zone();
    a.browserZone = ALIASES.containsKey(z) && rng.chance(0.15) ? ALIASES.get(z) : z;
    a.language = !c.language().startsWith("en") && rng.chance(0.2) ? "en-US" : c.language();
    a.loginRate = plan.loginsPerAccount * rng.logNormal(0.85, 0.6);
    a.homeIp = ips.residential(c.code(), rng);
    a.homeIp2 = rng.chance(0.4) ? ips.residential(c.code(), rng) : null;
    a.homeSwitch = END - rng.between(10, 300) * DAY;
    a.homeIp6 = rng.chance(0.25) ? ips.residentialV6(c.code(), rng) : null;
    a.devices = new ArrayList<>(List.of(device(rng), device(rng)));
    if (rng.chance(0.3)) {
      a.devices.add(device(rng));
    }
    a.mix = new double[] {72, 18, 10, 0, 0, 0, 0, 0};
    a.vpnFavourite = rng.nextInt(IpPools.VPN_EXITS);
    a.earningsPerMonth = rng.chance(0.2) ? rng.nextDouble() * 0.3 : rng.logNormal(1.2, 0.6);
    a.clients = clients(rng, rng.between(1, 5));
    a.payouts = new ArrayList<>();
    a.payouts.add(ownPayout(rng, a, c.code()));
    if (rng.chance(0.08)) {
      a.payouts.add(ownPayout(rng, a, c.code())); // changed bank once
    }
  }

  private void lookalike(Account a, Rng rng, String type) {
    String cc = a.country.code();
    switch (type) {
      case Account.PRIVACY_VPN -> a.mix = new double[] {28, 5, 2, 65, 0, 0, 0, 0};
      case Account.TRAVELLER -> {
        int n = rng.between(1, 3);
        a.trips = new long[n][];
        for (int i = 0; i < n; i++) {
          long start = END - rng.between(10, 350) * DAY;
          Country to = Countries.home(rng);
          if (to.code().equals(cc)) {
            to = Countries.of(cc.equals("US") ? "MX" : "US");
          }
          a.trips[i] =
              new long[] {
                start,
                start + rng.between(4, 21) * DAY,
                Countries.HOMES.indexOf(to),
                rng.nextInt(to.cities().size())
              };
        }
      }
      case Account.NIGHT_OWL -> a.hours = 1;
      case Account.CGNAT -> {
        a.mix = new double[] {15, 85, 0, 0, 0, 0, 0, 0};
        a.devices.set(0, a.devices.get(1));
      }
      case Account.CAMPUS -> {
        a.mix = new double[] {20, 10, 0, 0, 0, 0, 70, 0};
        a.rate = round2(a.rate * 0.5);
        a.createdAt = Math.max(a.createdAt, END - rng.between(60, 700) * DAY + rng.nextInt(86_400));
      }
      case Account.CRYPTO -> {
        a.payouts.clear();
        a.payouts.add(cryptoPayout(rng, a.displayName, rng.chance(0.5) ? cc : null));
      }
      case Account.EXPAT -> {
        Country from = Countries.home(rng);
        if (from.code().equals(cc)) {
          from = Countries.of(cc.equals("IN") ? "UA" : "IN");
        }
        String before = a.displayName;
        a.displayName = Texts.name(rng, from.names());
        // the payout accounts are the expat's own: in the name the profile now shows
        a.payouts.replaceAll(p -> withHolder(p, holderRenamed(p[3], before, a.displayName)));
        a.email = email(rng, a.displayName);
        a.language = from.language();
        a.idVerified = Boolean.TRUE;
        a.idDocCountry = from.code();
        if (rng.chance(0.3)) {
          a.payouts.add(new String[] {"bank", "bank:" + rng.hex(12), from.code(), a.displayName});
        }
      }
      case Account.EAST_ASIA -> {
        if (cc.equals("CN") && rng.chance(0.4)) {
          a.mix = new double[] {45, 15, 5, 35, 0, 0, 0, 0};
        }
      }
      case Account.PAYONEER -> {
        a.payouts.clear();
        a.payouts.add(new String[] {"payoneer", "pyn:" + rng.digits(10), cc, a.displayName});
      }
      case Account.NOMAD -> nomad(a, rng);
      case Account.DIASPORA -> diaspora(a, rng);
      case Account.RELOCATED -> relocated(a, rng);
      case Account.CHINA_VPN -> {
        // Behind the firewall a VPN is the norm; paid to Hong Kong, in their own name.
        a.mix = new double[] {22, 8, 0, 70, 0, 0, 0, 0};
        a.browserZone = "Asia/Shanghai";
        a.language = rng.chance(0.85) ? "zh-CN" : "en-US";
        String[] method = {"bank", "payoneer", "wise"};
        String mth = method[rng.weighted(new double[] {60, 25, 15})];
        String key =
            switch (mth) {
              case "bank" -> "bank:" + rng.hex(12);
              case "payoneer" -> "pyn:" + rng.digits(10);
              default -> "wise:" + rng.hex(10);
            };
        a.payouts.clear();
        a.payouts.add(new String[] {mth, key, "HK", a.displayName});
      }
      default -> throw new IllegalStateException(type);
    }
  }

  /**
   * Months abroad: 1-3 stretches of 3-16 weeks in 1-3 other countries, on residential and hotel
   * networks there, the browser zone following the local one only sometimes, a VPN home for banking
   * now and then; same devices and a payout account at home throughout.
   */
  private void nomad(Account a, Rng rng) {
    String cc = a.country.code();
    int places = rng.between(1, 3);
    List<Country> to = new ArrayList<>();
    while (to.size() < places) {
      Country c = Countries.of(rng.pick(NOMAD_DESTINATIONS));
      if (!c.code().equals(cc) && !to.contains(c)) {
        to.add(c);
      }
    }
    int n = rng.between(1, 3);
    List<long[]> trips = new ArrayList<>();
    long cursor = END - YEAR + rng.between(0, 60) * DAY;
    for (int i = 0; i < n; i++) {
      long start = cursor + rng.between(7, 60) * DAY;
      long end = start + rng.between(21, 112) * DAY;
      if (start >= END) {
        break;
      }
      Country c = to.get(i % to.size());
      trips.add(
          new long[] {
            start, Math.min(end, END), Countries.HOMES.indexOf(c), rng.nextInt(c.cities().size())
          });
      cursor = end;
    }
    a.trips = trips.toArray(long[][]::new);
    a.tripZone = rng.chance(0.5) ? 0.3 : 0.0;
    a.tripVpn = 0.1 + 0.15 * rng.nextDouble();
    a.mix = new double[] {70, 18, 7, 5, 0, 0, 0, 0};
  }

  /**
   * Korean or Chinese heritage in a Western country: the heritage language in the browser, a family
   * visit once or twice a year, part of the money sent home to an account in their own name.
   */
  private void diaspora(Account a, Rng rng) {
    boolean korean = isKorean(a.displayName);
    Country home = Countries.of(korean ? "KR" : "CN");
    a.language = rng.chance(0.75) ? home.language() : a.language;
    int n = rng.between(1, 2);
    a.trips = new long[n][];
    for (int i = 0; i < n; i++) {
      long start = END - YEAR + (i * YEAR / n) + rng.between(0, (int) (YEAR / n / DAY) - 30) * DAY;
      a.trips[i] =
          new long[] {
            start,
            start + rng.between(14, 28) * DAY,
            Countries.HOMES.indexOf(home),
            rng.nextInt(home.cities().size())
          };
    }
    a.payouts.add(new String[] {"bank", "bank:" + rng.hex(12), home.code(), a.displayName});
  }

  private static boolean isKorean(String name) {
    return Texts.NAMES.get("korean").get(1).contains(name.split(" ")[1]);
  }

  /**
   * Moved country once: before the move the old country's addresses, zone, devices and payout
   * account; after it the new country's, which the profile claims.
   */
  private void relocated(Account a, Rng rng) {
    Country from = Countries.home(rng);
    if (from.code().equals(a.country.code())) {
      from = Countries.of(a.country.code().equals("IN") ? "GB" : "IN");
    }
    int fromCity = rng.nextInt(from.cities().size());
    long moved = END - rng.between(45, 300) * DAY + rng.nextInt(86_400);
    a.createdAt = Math.min(a.createdAt, moved - rng.between(90, 900) * DAY);
    // The new life, as the account is now.
    Account b = new Account();
    b.country = a.country;
    b.city = a.city;
    b.rate = a.rate;
    b.browserZone = a.browserZone;
    b.language = a.language;
    b.activityZone = a.activityZone;
    b.hours = a.hours;
    b.loginRate = a.loginRate;
    b.homeIp = a.homeIp;
    b.homeIp6 = a.homeIp6;
    b.devices = new ArrayList<>(List.of(device(rng), device(rng)));
    b.mix = a.mix;
    b.vpnFavourite = a.vpnFavourite;
    b.earningsPerMonth = a.earningsPerMonth;
    b.clients = a.clients;
    b.payouts = new ArrayList<>();
    b.payouts.add(ownPayout(rng, a, a.country.code()));
    // The old life.
    String z = from.zoneOf(fromCity);
    a.netCountry = from.code();
    a.browserZone = z;
    a.activityZone = z;
    a.language = from.language();
    a.homeIp = ips.residential(from.code(), rng);
    a.homeIp2 = null;
    a.homeIp6 = null;
    a.payouts.clear();
    a.payouts.add(ownPayout(rng, a, from.code()));
    a.after = b;
    a.movedAt = moved;
  }

  /** A personal device replaced at some time of the year (realistic scenario). */
  private static void replaceDevice(Account a, Rng rng) {
    if (!rng.chance(0.8) || a.devices.size() < 2) {
      return;
    }
    // In a group the first device may be shared (a café PC, an office workstation): keep it.
    int i = a.groupId != null ? a.devices.size() - 1 : rng.nextInt(a.devices.size());
    a.newDevices = new ArrayList<>(a.devices);
    a.newDevices.set(i, device(rng));
    a.deviceSwap = END - rng.between(5, 360) * DAY + rng.nextInt(86_400);
  }

  /**
   * An internet café or public PC: people of one town on one machine and one address, each with
   * their own name, payout account and phone, at local hours.
   */
  private void cafe(Account a, Membership m, Rng rng) {
    Rng g = new Rng(plan.seed, Rng.GROUP, m.group());
    Country c = Countries.of(g.pick(CAFE_COUNTRIES));
    int city = g.nextInt(c.cities().size());
    String address = ips.residential(c.code(), g);
    String pc = device(g);
    genuine(a, rng, c, city, c.names());
    a.lookalike = Account.INTERNET_CAFE;
    a.groupId = String.format("IC%05d", m.ordinal());
    a.homeIp = address;
    a.homeIp2 = null;
    a.homeIp6 = null;
    a.devices = new ArrayList<>(List.of(pc, device(rng)));
    a.mix = new double[] {85, 15, 0, 0, 0, 0, 0, 0};
    a.rate = round2(a.rate * 0.7);
    labelGenuine(a, rng);
  }

  /** A coworking space: members of one city on one office address, own devices and payouts. */
  private void coworking(Account a, Membership m, Rng rng) {
    Rng g = new Rng(plan.seed, Rng.GROUP, m.group());
    Country c = Countries.home(g);
    int city = g.nextInt(c.cities().size());
    String office = ips.residential(c.code(), g);
    genuine(a, rng, c, city, c.names());
    a.lookalike = Account.COWORKING;
    a.groupId = String.format("CW%05d", m.ordinal());
    a.ringIps = List.of(office);
    a.mix = new double[] {30, 12, 3, 0, 0, 0, 0, 55};
    labelGenuine(a, rng);
  }

  private void labelGenuine(Account a, Rng rng) {
    double p = a.lookalike == null ? 0.002 : 0.015;
    if (rng.chance(p)) {
      a.labelPlan = rng.chance(0.6) ? 2 : 3;
      a.labelAt =
          Math.max(a.createdAt + 10 * DAY, END - rng.between(15, 200) * DAY + rng.nextInt(36_000));
    }
  }

  private void agency(Account a, Membership m, Rng rng) {
    Rng g = new Rng(plan.seed, Rng.GROUP, m.group());
    Country c = Countries.home(g);
    int city = g.nextInt(c.cities().size());
    String agencyName =
        g.pick(Texts.AGENCY_WORDS) + g.pick(Texts.AGENCY_WORDS) + " " + g.pick(Texts.AGENCY_SUFFIX);
    String office = ips.residential(c.code(), g);
    String workstation = device(g);
    String[] payout = {"bank", "bank:" + g.hex(12), c.code(), agencyName};
    int fam = g.nextInt(Texts.FAMILIES.size());
    String stem =
        agencyName
            + " is a "
            + m.size()
            + "-person "
            + Texts.FAMILIES.get(fam).title()
            + " team in "
            + c.cities().get(city)
            + ", working with clients worldwide since "
            + g.between(2012, 2022)
            + ".";
    List<String> agencyClients = clients(g, 6);
    genuine(a, rng, c, city, c.names());
    a.lookalike = Account.AGENCY;
    a.agencyId = String.format("ag-%05d", m.ordinal());
    a.groupId = a.agencyId;
    profileText(a, rng, fam, c);
    a.bio = stem + (rng.chance(0.5) ? "\n\n" : " ") + a.bio;
    a.rate = round2(c.rateMedian() * Texts.FAMILIES.get(fam).rateFactor() * g.logNormal(1, 0.1));
    a.homeIp2 = office;
    a.mix = new double[] {20, 5, 0, 0, 0, 0, 0, 75};
    a.ringIps = List.of(office);
    if (rng.chance(0.5)) {
      a.devices.add(0, workstation);
    }
    a.clients = rng.chance(0.7) ? agencyClients : a.clients;
    a.payouts = new ArrayList<>();
    a.payouts.add(rng.chance(0.85) ? payout : ownPayout(rng, a, c.code()));
    labelGenuine(a, rng);
  }

  private void family(Account a, Membership m, Rng rng) {
    Rng g = new Rng(plan.seed, Rng.GROUP, m.group());
    Country c = Countries.home(g);
    int city = g.nextInt(c.cities().size());
    String surname = Texts.name(g, c.names()).split(" ")[1];
    String home = ips.residential(c.code(), g);
    String home6 = g.chance(0.3) ? ips.residentialV6(c.code(), g) : null;
    String shared = device(g);
    String spouse = Texts.name(g, c.names()).split(" ")[0] + " " + surname;
    String[] jointPayout = {"bank", "bank:" + g.hex(12), c.code(), spouse};
    boolean joint = g.chance(0.5);
    genuine(a, rng, c, city, c.names());
    String before = a.displayName;
    a.displayName =
        (m.member() == 0 ? spouse.split(" ")[0] : a.displayName.split(" ")[0]) + " " + surname;
    a.payouts.replaceAll(p -> withHolder(p, holderRenamed(p[3], before, a.displayName)));
    a.email = email(rng, a.displayName);
    a.lookalike = Account.FAMILY;
    a.groupId = String.format("F%05d", m.ordinal());
    a.homeIp = home;
    a.homeIp2 = null;
    a.homeIp6 = home6;
    a.devices.add(0, shared);
    if (joint) {
      a.payouts = new ArrayList<>();
      a.payouts.add(jointPayout);
    }
    labelGenuine(a, rng);
  }

  // ------------------------------------------------------------------ concealed identities

  private void ring(Account a, Membership m, Rng rng) {
    boolean evasive = plan.scenario == Scenario.EVASIVE;
    Rng g = new Rng(plan.seed, Rng.GROUP, m.group());
    Country claim = Countries.of(g.pick(Countries.RING_CLAIMS));
    List<String> facilitator = List.of(ips.residential(claim.code(), g));
    List<String> vps = List.of(ips.hosting(g), ips.hosting(g), ips.hosting(g));
    // Where the team really sits shows through now and then: mostly China, some Russia, rarely
    // a sign-in straight from North Korea's own address block.
    String leak = new String[] {"CN", "RU", "KP"}[g.weighted(new double[] {65, 30, 5})];
    List<String> leakIps = List.of(ips.residential(leak, g), ips.residential(leak, g));
    List<String> devices = new ArrayList<>();
    int nd = g.between(2, Math.max(2, m.size() - 1));
    for (int i = 0; i < nd; i++) {
      devices.add(device(g));
    }
    String[] zones = {"Asia/Shanghai", "Asia/Shanghai", "Asia/Vladivostok", "Asia/Pyongyang"};
    double z = g.nextDouble();
    String ringZone = z < 0.2 ? null : zones[g.nextInt(zones.length)];
    String activity =
        switch (leak) {
          case "RU" -> "Asia/Vladivostok";
          case "KP" -> "Asia/Pyongyang";
          default -> "Asia/Shanghai";
        };
    String[] langs = {"en-US", "en-US", "en-US", "en-US", "ko-KR", "zh-CN"};
    String lang = g.pick(langs);
    int fam = g.pick(Texts.RING_FAMILIES);
    String template = g.pick(Texts.RING_TEMPLATES);
    List<String> famSkills = Texts.FAMILIES.get(fam).skills();
    String s1 = famSkills.get(0);
    String s2 = famSkills.get(1 + g.nextInt(famSkills.size() - 1));
    int years = g.between(6, 11);
    String ringSkills = skills(g, fam);
    long photo = g.nextLong();
    List<String[]> pool = new ArrayList<>();
    int np = g.between(1, 3);
    boolean realistic = realistic();
    boolean sanctioned =
        !evasive && g.chance(realistic ? 0.05 : 0.15) && !world.dprkWallets.isEmpty();
    // Realistic: most rings keep the browser on the claimed zone and language.
    boolean hideZone = realistic && g.chance(0.75);
    double asianShare = 0.2 + 0.3 * g.nextDouble();
    for (int i = 0; i < np; i++) {
      pool.add(ringPayout(g, claim, sanctioned && i == 0));
    }
    int labelMode = g.weighted(new double[] {60, 20, 20}); // none, whole ring, one member
    long labelAt = END - g.between(5, 60) * DAY + g.nextInt(36_000);
    String source = g.chance(0.3) ? "law-enforcement" : "investigation";
    long created = END - g.between(60, 540) * DAY;
    List<String> ringClients = clients(g, 4);
    // Half the rings reuse one VoIP number on several profiles.
    String ringPhone = g.chance(realistic ? 0.15 : 0.5) ? "+" + claim.dial() + g.digits(9) : null;

    a.archetype = Account.RING_MEMBER;
    a.ringId = String.format("R%04d", m.ordinal());
    a.groupId = a.ringId;
    a.country = claim;
    a.city = rng.nextInt(claim.cities().size());
    a.displayName = Texts.name(rng, claim.names());
    a.email = ringEmail(rng, a.displayName);
    phone(a, rng, realistic ? new double[] {75, 3, 12, 10} : new double[] {25, 0, 65, 10});
    if (ringPhone != null && rng.chance(0.6)) {
      a.phone = ringPhone;
      a.phoneType = "voip";
    }
    a.createdAt = created + rng.between(0, 45) * DAY + rng.nextInt(86_400);
    Texts.Family f = Texts.FAMILIES.get(fam);
    a.headline = (rng.chance(0.6) ? "Senior " : "") + f.title() + " | " + s1 + " | " + s2;
    a.bio = Texts.nearCopy(rng, String.format(Locale.ROOT, template, f.title(), years, s1, s2));
    a.skills = rng.chance(0.8) ? ringSkills : skills(rng, fam);
    a.rate = round2(claim.rateMedian() * f.rateFactor() * marketShare(rng));
    a.photoHash = String.format("%016x", flipBits(photo, rng.between(1, 4), rng));
    a.idVerified = rng.chance(0.7);
    a.idDocCountry =
        a.idVerified
            ? (rng.chance(0.5) ? claim.code() : rng.pick(new String[] {"CN", "RU", "VN", "LA"}))
            : null;
    a.devices =
        new ArrayList<>(List.of(devices.get(m.member() % nd), devices.get((m.member() + 1) % nd)));
    a.loginRate = plan.loginsPerAccount * 1.8 * rng.logNormal(1, 0.3);
    a.ringIps = facilitator;
    a.vpsIps = vps;
    a.leakCountry = leak;
    a.leakIps = leakIps;
    a.vpnFavourite = rng.nextInt(IpPools.VPN_EXITS);
    if (evasive) {
      a.mix = new double[] {0, 0, 0, 0, 0, 0, 0, 100};
      a.browserZone = a.zone();
      a.language = claim.language();
      a.activityZone = a.zone();
      a.hours = 0;
    } else if (realistic) {
      // Mostly the facilitator's network and VPNs, residential proxies now and then, a direct
      // sign-in from where the team sits rarely.
      a.mix = new double[] {0, 0, 8, 27, 10, 1.5, 0, 53.5};
      a.browserZone = hideZone || ringZone == null ? a.zone() : ringZone;
      a.language = hideZone ? claim.language() : lang;
      a.activityZone = a.zone();
      a.hours = 0;
      a.asianZone = activity;
      a.asianShare = asianShare;
    } else {
      a.mix = new double[] {0, 0, 0, 25, 20, 4, 0, 51};
      a.browserZone = ringZone == null ? a.zone() : ringZone;
      a.language = lang;
      a.activityZone = activity;
      a.hours = 2;
    }
    a.earningsPerMonth = rng.logNormal(3, 0.3);
    a.clients = rng.chance(0.6) ? ringClients : clients(rng, 3);
    a.payouts = new ArrayList<>();
    a.payouts.add(pool.get(m.member() % np));
    if (np > 1 && rng.chance(0.5)) {
      a.payouts.add(pool.get((m.member() + 1) % np));
    }
    if (labelMode == 1 || (labelMode == 2 && m.member() == 0)) {
      a.labelPlan = 1;
      a.labelAt = labelAt + rng.between(0, 3) * DAY;
      a.labelSource = source;
    }
  }

  private void rented(Account a, Rng rng) {
    boolean evasive = plan.scenario == Scenario.EVASIVE;
    String[] owners = {"US", "US", "US", "UA", "KE", "PH", "GB", "CA", "PL", "NG"};
    Country c = Countries.of(rng.pick(owners));
    genuine(a, rng, c, rng.nextInt(c.cities().size()), c.names());
    a.archetype = Account.RENTED;
    a.createdAt = END - rng.between(3 * 365, 8 * 365) * DAY + rng.nextInt(86_400);
    a.takeoverAt = END - rng.between(20, 120) * DAY;
    Account b = new Account();
    b.archetype = Account.RENTED;
    b.country = c;
    b.rate = a.rate;
    b.city = a.city;
    b.devices = new ArrayList<>(List.of(device(rng)));
    boolean realistic = realistic();
    b.loginRate = plan.loginsPerAccount * (realistic ? 1.3 : 2.0) * rng.logNormal(1, 0.3);
    b.ringIps = List.of(ips.residential(c.code(), rng));
    b.vpsIps = List.of(ips.hosting(rng));
    b.leakCountry = rng.chance(0.7) ? "CN" : "RU";
    b.leakIps = List.of(ips.residential(b.leakCountry, rng));
    b.vpnFavourite = rng.nextInt(IpPools.VPN_EXITS);
    if (evasive) {
      b.mix = new double[] {0, 0, 0, 0, 0, 0, 0, 100};
      b.browserZone = a.browserZone;
      b.language = a.language;
      b.activityZone = a.zone();
      b.hours = 0;
    } else if (realistic) {
      b.mix = new double[] {0, 0, 40, 32, 10, 2, 0, 16};
      boolean hide = rng.chance(0.75);
      String asian = b.leakCountry.equals("RU") ? "Asia/Vladivostok" : "Asia/Shanghai";
      b.browserZone = hide ? a.browserZone : asian;
      b.language = hide ? a.language : (rng.chance(0.7) ? "en-US" : "ko-KR");
      b.activityZone = a.zone();
      b.hours = 0;
      b.asianZone = asian;
      b.asianShare = 0.2 + 0.3 * rng.nextDouble();
    } else {
      b.mix = new double[] {0, 0, 25, 45, 20, 5, 0, 5};
      b.browserZone = b.leakCountry.equals("RU") ? "Asia/Vladivostok" : "Asia/Shanghai";
      b.language = rng.chance(0.7) ? "en-US" : "ko-KR";
      b.activityZone = b.browserZone;
      b.hours = 2;
    }
    b.earningsPerMonth = rng.logNormal(4, 0.3);
    b.clients = clients(rng, 3);
    b.payouts = new ArrayList<>();
    b.payouts.add(ringPayout(rng, c, !evasive && rng.chance(0.05) && !world.dprkWallets.isEmpty()));
    a.after = b;
    if (rng.chance(0.15)) {
      a.labelPlan = 1;
      a.labelAt = END - rng.between(1, 15) * DAY + rng.nextInt(36_000);
      a.labelSource = "investigation";
    }
  }

  private void lone(Account a, Rng rng) {
    boolean evasive = plan.scenario == Scenario.EVASIVE;
    Country c = Countries.of(rng.pick(Countries.RING_CLAIMS));
    genuine(a, rng, c, rng.nextInt(c.cities().size()), c.names());
    a.archetype = Account.LONE;
    a.createdAt = END - rng.between(30, 400) * DAY + rng.nextInt(86_400);
    a.email = ringEmail(rng, a.displayName);
    phone(a, rng, realistic() ? new double[] {75, 3, 12, 10} : new double[] {30, 0, 60, 10});
    int fam = rng.pick(Texts.RING_FAMILIES);
    Texts.Family f = Texts.FAMILIES.get(fam);
    a.headline = f.title() + " | " + f.skills().get(0);
    a.bio =
        Texts.nearCopy(
            rng,
            String.format(
                Locale.ROOT,
                rng.pick(Texts.RING_TEMPLATES),
                f.title(),
                rng.between(5, 10),
                f.skills().get(0),
                f.skills().get(1)));
    a.skills = skills(rng, fam);
    a.rate = round2(c.rateMedian() * f.rateFactor() * marketShare(rng));
    a.photoHash = rng.hex(16);
    a.idVerified = rng.chance(0.5);
    a.idDocCountry = a.idVerified ? rng.pick(new String[] {"CN", "RU", "VN", c.code()}) : null;
    a.loginRate = plan.loginsPerAccount * 1.5 * rng.logNormal(1, 0.3);
    a.vpsIps = List.of(ips.hosting(rng));
    a.leakCountry = rng.chance(0.7) ? "CN" : "RU";
    a.leakIps = List.of(ips.residential(a.leakCountry, rng));
    a.devices = new ArrayList<>(List.of(device(rng)));
    if (evasive) {
      a.mix = new double[] {10, 0, 90, 0, 0, 0, 0, 0};
    } else if (realistic()) {
      a.mix = new double[] {0, 0, 30, 55, 12, 3, 0, 0};
      String asian = a.leakCountry.equals("RU") ? "Asia/Vladivostok" : "Asia/Shanghai";
      if (!rng.chance(0.75)) {
        a.browserZone = asian;
        a.language = rng.chance(0.8) ? "en-US" : "ko-KR";
      }
      a.asianZone = asian;
      a.asianShare = 0.2 + 0.3 * rng.nextDouble();
    } else {
      a.mix = new double[] {0, 0, 0, 75, 18, 7, 0, 0};
      a.browserZone = a.leakCountry.equals("RU") ? "Asia/Vladivostok" : "Asia/Shanghai";
      a.language = rng.chance(0.8) ? "en-US" : "ko-KR";
      a.activityZone = a.browserZone;
      a.hours = 2;
    }
    a.earningsPerMonth = rng.logNormal(3, 0.3);
    a.payouts = new ArrayList<>();
    a.payouts.add(ringPayout(rng, c, !evasive && rng.chance(0.05) && !world.dprkWallets.isEmpty()));
    if (rng.chance(0.2)) {
      a.labelPlan = 1;
      a.labelAt = END - rng.between(1, 40) * DAY + rng.nextInt(36_000);
      a.labelSource = "investigation";
    }
  }

  // ------------------------------------------------------------------ pieces

  private void profileText(Account a, Rng rng, int fam, Country c) {
    Texts.Family f = Texts.FAMILIES.get(fam);
    String title = f.title();
    a.headline =
        (rng.chance(0.4) ? rng.pick(Texts.SENIORITY) + " " : "")
            + title
            + (rng.chance(0.5) ? " | " + rng.pick(f.skills()) + ", " + rng.pick(f.skills()) : "");
    String first = a.displayName.split(" ")[0];
    StringBuilder bio = new StringBuilder();
    bio.append(
        String.format(
            Locale.ROOT,
            rng.pick(Texts.OPENERS),
            first,
            title.toLowerCase(Locale.ROOT),
            rng.between(1, 15)));
    int n = rng.between(1, 3);
    String sep = rng.chance(0.35) ? "\n\n" : " ";
    for (int i = 0; i < n; i++) {
      String mid = rng.pick(Texts.MIDDLES);
      if (mid.contains("%s")) {
        String arg =
            mid.contains("speak")
                ? Locale.forLanguageTag(c.language()).getDisplayLanguage(Locale.ENGLISH)
                : rng.pick(Texts.INDUSTRIES);
        mid = String.format(Locale.ROOT, mid, arg);
      }
      bio.append(i == 0 ? sep : " ").append(mid);
    }
    bio.append(" ").append(rng.pick(Texts.CLOSERS));
    a.bio = bio.toString();
    a.skills = skills(rng, fam);
  }

  private static String skills(Rng rng, int fam) {
    List<String> all = new ArrayList<>(Texts.FAMILIES.get(fam).skills());
    int n = Math.min(all.size(), rng.between(3, 7));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(all.remove(rng.nextInt(all.size())));
    }
    return String.join(";", out);
  }

  private static void phone(Account a, Rng rng, double[] mobileLandlineVoipUnknown) {
    String[] types = {"mobile", "landline", "voip", null};
    a.phoneType = types[rng.weighted(mobileLandlineVoipUnknown)];
    a.phone =
        a.phoneType == null && rng.chance(0.5) ? null : "+" + a.country.dial() + rng.digits(9);
  }

  private static String email(Rng rng, String name) {
    String[] p = name.toLowerCase(Locale.ROOT).split(" ");
    String local =
        switch (rng.nextInt(4)) {
          case 0 -> p[0] + "." + p[1];
          case 1 -> p[0] + p[1] + rng.between(1, 99);
          case 2 -> p[0].charAt(0) + p[1];
          default -> p[0] + "_" + p[1] + rng.between(1970, 2004);
        };
    return local + "@" + rng.pick(Texts.MAIL_DOMAINS);
  }

  private static String ringEmail(Rng rng, String name) {
    String[] p = name.toLowerCase(Locale.ROOT).split(" ");
    String[] domains = {"gmail.com", "outlook.com", "proton.me"};
    return p[0]
        + "."
        + p[1]
        + (rng.chance(0.5) ? ".dev" : "")
        + rng.between(1, 999)
        + "@"
        + rng.pick(domains);
  }

  private static String device(Rng rng) {
    return "d-" + rng.hex(12);
  }

  /** The user agent of a device: fixed per device. */
  static String userAgent(String device) {
    return Texts.USER_AGENTS.get(Math.floorMod(device.hashCode(), Texts.USER_AGENTS.size()));
  }

  private List<String> clients(Rng rng, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          String.format("c%010x", Plan.scramble40(1_000_000_000_000L + rng.nextLong(clientPool))));
    }
    return out;
  }

  private String[] ownPayout(Rng rng, Account a, String cc) {
    String holder = rng.chance(0.1) ? initialled(a.displayName) : a.displayName;
    return switch (rng.weighted(new double[] {40, 25, 15, 20})) {
      case 0 -> new String[] {"bank", "bank:" + rng.hex(12), cc, holder};
      case 1 -> new String[] {"paypal", "pp:" + rng.hex(10), cc, holder};
      case 2 -> new String[] {"payoneer", "pyn:" + rng.digits(10), cc, holder};
      default ->
          new String[] {
            "wise",
            "wise:" + rng.hex(10),
            rng.chance(0.3) ? rng.pick(new String[] {"GB", "BE", "US"}) : cc,
            holder
          };
    };
  }

  /**
   * A holder name written for {@code before} ("Ana Silva" or "A. Silva"), written for {@code
   * after}.
   */
  static String holderRenamed(String holder, String before, String after) {
    if (holder == null || holder.equals(before)) {
      return holder == null ? null : after;
    }
    return holder.equals(initialled(before)) ? initialled(after) : holder;
  }

  private static String initialled(String name) {
    return name.charAt(0) + ". " + name.split(" ")[1];
  }

  private static String[] withHolder(String[] payout, String holder) {
    String[] out = payout.clone();
    out[3] = holder;
    return out;
  }

  private static String[] cryptoPayout(Rng rng, String holder, String country) {
    String addr = rng.chance(0.7) ? "T" + rng.base58(33) : "0x" + rng.hex(40);
    return new String[] {"crypto", addr, country, holder};
  }

  /** A payout account used by concealed workers: abroad, in another name, or crypto. */
  private String[] ringPayout(Rng rng, Country claim, boolean sanctioned) {
    if (sanctioned) {
      String[] w = world.dprkWallets.get(rng.nextInt(world.dprkWallets.size()));
      return new String[] {"crypto", w[0], null, null};
    }
    String mule = Texts.name(rng, rng.chance(realistic() ? 0.3 : 0.6) ? "chinese" : claim.names());
    double[] w = realistic() ? new double[] {20, 35, 15, 30} : new double[] {30, 15, 20, 35};
    return switch (rng.weighted(w)) {
      case 0 ->
          new String[] {"bank", "bank:" + rng.hex(12), rng.pick(new String[] {"CN", "HK"}), mule};
      case 1 -> new String[] {"bank", "bank:" + rng.hex(12), claim.code(), mule};
      case 2 -> new String[] {"payoneer", "pyn:" + rng.digits(10), "HK", mule};
      default -> cryptoPayout(rng, null, null);
    };
  }

  /** A concealed worker's rate as a share of the market: far under it, or near it (realistic). */
  private double marketShare(Rng rng) {
    return realistic() ? 0.75 + 0.4 * rng.nextDouble() : 0.35 + 0.3 * rng.nextDouble();
  }

  private static long flipBits(long v, int n, Rng rng) {
    for (int i = 0; i < n; i++) {
      v ^= 1L << rng.nextInt(64);
    }
    return v;
  }

  static double round2(double x) {
    return Math.round(x * 100) / 100.0;
  }
}

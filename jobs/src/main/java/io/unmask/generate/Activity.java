package io.unmask.generate;

import io.unmask.generate.Countries.Country;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns an {@link Account} into its rows: the profile, its sign-ins, its payments, its labels and
 * its truth row, each as text values in the contract's column order (null for empty).
 */
final class Activity {
  /** Hour-of-day weights: a day worker, a night owl, East-Asian office hours. */
  private static final double[][] HOURS = {
    {
      .2, .1, .05, .03, .03, .05, .2, .6, 1.2, 1.6, 1.6, 1.5, 1.1, 1.4, 1.5, 1.5, 1.4, 1.1, .8, .8,
      .9, .9, .7, .4
    },
    {
      1.4, 1.3, 1.1, .8, .5, .3, .1, .05, .05, .05, .1, .2, .4, .5, .6, .7, .8, .9, 1, 1.1, 1.2,
      1.4, 1.5, 1.5
    },
    {
      .03, .03, .03, .03, .03, .05, .1, .4, 1.2, 2, 2, 2, .8, 1.8, 2, 2, 2, 1.8, 1, .8, .6, .4, .2,
      .1
    }
  };

  private static final double[][] CUM = new double[3][24];

  static {
    for (int p = 0; p < 3; p++) {
      double t = 0;
      for (int h = 0; h < 24; h++) {
        t += HOURS[p][h];
        CUM[p][h] = t;
      }
    }
  }

  private final Accounts accounts;
  private final IpPools ips;
  private final Map<String, ZoneRules> zones = new HashMap<>();

  Activity(Accounts accounts, World world) {
    this.accounts = accounts;
    this.ips = world.ips;
  }

  // ------------------------------------------------------------------ profiles

  static String[] profile(Account a) {
    return new String[] {
      a.id,
      Dates.iso(a.createdAt),
      a.displayName,
      a.email,
      a.phone,
      a.phoneType,
      a.country.code(),
      a.country.cities().get(a.city),
      a.zone(),
      a.headline,
      a.bio,
      a.skills,
      money(a.rate),
      a.photoHash,
      a.idVerified == null ? null : a.idVerified.toString(),
      a.idDocCountry,
      a.agencyId
    };
  }

  static String[] truth(Account a) {
    return new String[] {
      a.id,
      Boolean.toString(a.concealed()),
      a.archetype,
      a.lookalike,
      a.ringId,
      a.groupId,
      a.takeoverAt == 0 ? null : Dates.iso(a.takeoverAt),
      a.labelPlan == 0 ? null : a.labelPlan == 1 ? "1" : "0"
    };
  }

  // ------------------------------------------------------------------ logins

  void logins(Account a, Consumer<String[]> out) {
    Rng rng = new Rng(accounts.plan().seed, Rng.LOGINS, a.index);
    long start = Math.max(a.createdAt, Accounts.END - Accounts.YEAR);
    long[] times;
    boolean[] after;
    if (a.after == null) {
      times = times(rng, a, start, Accounts.END);
      after = new boolean[times.length];
    } else {
      long change = a.changeAt();
      long[] pre = times(rng, a, start, change);
      long[] post = times(rng, a.after, Math.max(start, change), Accounts.END);
      times = new long[pre.length + post.length];
      after = new boolean[times.length];
      System.arraycopy(pre, 0, times, 0, pre.length);
      System.arraycopy(post, 0, times, pre.length, post.length);
      Arrays.fill(after, pre.length, times.length, true);
    }
    for (int i = 0; i < times.length; i++) {
      Account m = after[i] ? a.after : a;
      long t = times[i];
      String zone = m.browserZone;
      String ip;
      long[] trip = trip(a, t);
      int kind = -1;
      if (trip != null) {
        Country to = Countries.HOMES.get((int) trip[2]);
        if (a.tripVpn > 0 && rng.chance(a.tripVpn)) {
          ip = ips.vpnExit(a.vpnFavourite + rng.nextInt(3)); // the VPN home, for banking
        } else {
          ip = rng.chance(0.8) ? ips.residential(to.code(), rng) : ips.cgnat(to.code(), rng);
        }
        if (rng.chance(a.tripZone)) {
          zone = to.zoneOf((int) trip[3]);
        }
      } else {
        kind = rng.weighted(m.mix);
        ip = ip(a, m, kind, t, rng);
      }
      List<String> devices = m.deviceSwap != 0 && t >= m.deviceSwap ? m.newDevices : m.devices;
      String device;
      if (kind == Accounts.MOBILE && devices.size() > 1) {
        device = devices.get(1);
      } else {
        device = rng.chance(0.8) ? devices.get(0) : devices.get(rng.nextInt(devices.size()));
      }
      String success = rng.chance(0.025) ? "false" : (rng.chance(0.1) ? null : "true");
      out.accept(
          new String[] {
            a.id + "-L" + String.format("%05d", i),
            a.id,
            Dates.iso(t),
            ip,
            device,
            Accounts.userAgent(device),
            zone,
            m.language,
            success
          });
    }
  }

  private String ip(Account a, Account m, int kind, long t, Rng rng) {
    String cc = m.netCountry != null ? m.netCountry : m.country.code();
    return switch (kind) {
      case Accounts.HOME -> {
        if (m.homeIp6 != null && rng.chance(0.4)) {
          yield m.homeIp6;
        }
        yield m.homeIp2 != null && t >= m.homeSwitch && m.agencyId == null ? m.homeIp2 : m.homeIp;
      }
      case Accounts.MOBILE -> ips.cgnat(cc, rng);
      case Accounts.OTHER -> ips.residential(cc, rng);
      case Accounts.VPN ->
          a.lookalike != null ? ips.vpnExit(m.vpnFavourite + rng.nextInt(3)) : ips.vpnExit(rng);
      case Accounts.HOSTING -> m.vpsIps.get(rng.nextInt(m.vpsIps.size()));
      case Accounts.LEAK -> m.leakIps.get(rng.nextInt(m.leakIps.size()));
      case Accounts.CAMPUS -> ips.campus(cc, m.vpnFavourite);
      default -> m.ringIps.get(rng.nextInt(m.ringIps.size()));
    };
  }

  private static long[] trip(Account a, long t) {
    if (a.trips == null) {
      return null;
    }
    for (long[] trip : a.trips) {
      if (t >= trip[0] && t < trip[1]) {
        return trip;
      }
    }
    return null;
  }

  /** Sorted sign-in times in [from, to) following the model's hours in its activity zone. */
  private long[] times(Rng rng, Account m, long from, long to) {
    if (to <= from) {
      return new long[0];
    }
    double days = (to - from) / (double) Accounts.DAY;
    int n = rng.poisson(m.loginRate * days / 365.0);
    long[] out = new long[n];
    ZoneRules home = zones.computeIfAbsent(m.activityZone, z -> ZoneId.of(z).getRules());
    ZoneRules asian =
        m.asianShare > 0 ? zones.computeIfAbsent(m.asianZone, z -> ZoneId.of(z).getRules()) : null;
    long firstDay = Math.floorDiv(from, Accounts.DAY);
    long span = Math.floorDiv(to - 1, Accounts.DAY) - firstDay + 1;
    for (int i = 0; i < n; i++) {
      long t;
      int tries = 0;
      // Part of a realistic concealed worker's sign-ins fall in East-Asian office hours.
      boolean east = asian != null && rng.chance(m.asianShare);
      ZoneRules rules = east ? asian : home;
      double[] cum = CUM[east ? 2 : m.hours];
      do {
        long day = firstDay + rng.nextLong(span);
        double x = rng.nextDouble() * cum[23];
        int h = 0;
        while (cum[h] <= x && h < 23) {
          h++;
        }
        long local = day * Accounts.DAY + h * 3600L + rng.nextInt(3600);
        t = local - rules.getOffset(Instant.ofEpochSecond(local)).getTotalSeconds();
      } while ((t < from || t >= to) && ++tries < 10);
      out[i] = Math.min(to - 1, Math.max(from, t));
    }
    Arrays.sort(out);
    return out;
  }

  // ------------------------------------------------------------------ payments

  void payments(Account a, Consumer<String[]> out) {
    Rng rng = new Rng(accounts.plan().seed, Rng.PAYMENTS, a.index);
    long start = Math.max(a.createdAt + 3 * Accounts.DAY, Accounts.END - Accounts.YEAR);
    List<long[]> earnings = new ArrayList<>(); // time, cents, client index, owner(0/1)
    long change = a.after == null ? Accounts.END : Math.max(start, a.changeAt());
    addEarnings(rng, a, start, change, 0, earnings);
    if (a.after != null) {
      addEarnings(rng, a.after, change, Accounts.END, 1, earnings);
    }
    earnings.sort((x, y) -> Long.compare(x[0], y[0]));
    int seq = 0;
    long balance = 0;
    long nextWithdrawal = Long.MIN_VALUE;
    for (int i = 0; i <= earnings.size(); i++) {
      long t = i < earnings.size() ? earnings.get(i)[0] : Accounts.END;
      while (nextWithdrawal != Long.MIN_VALUE && nextWithdrawal < t && balance >= 5000) {
        Account m = a.after != null && nextWithdrawal >= change ? a.after : a;
        String[] p = m.payouts.get(rng.nextInt(m.payouts.size()));
        if (m == a && a.payouts.size() > 1 && a.lookalike == null && !a.concealed()) {
          p = nextWithdrawal < a.homeSwitch ? a.payouts.get(0) : a.payouts.get(1);
        } else if (m == a && Account.DIASPORA.equals(a.lookalike)) {
          // About a third sent home, the rest to the account where they live.
          p = rng.chance(0.3) ? a.payouts.get(a.payouts.size() - 1) : a.payouts.get(0);
        }
        long amount = (long) (balance * (0.7 + 0.3 * rng.nextDouble()));
        balance -= amount;
        out.accept(
            new String[] {
              a.id + "-P" + String.format("%04d", seq++),
              a.id,
              Dates.iso(nextWithdrawal),
              "withdrawal",
              cents(amount),
              "USD",
              null,
              p[0],
              p[1],
              p[2],
              p[3]
            });
        nextWithdrawal = gap(rng, m, nextWithdrawal);
      }
      if (i == earnings.size()) {
        break;
      }
      long[] e = earnings.get(i);
      Account m = e[3] == 1 ? a.after : a;
      balance += e[1];
      if (nextWithdrawal == Long.MIN_VALUE || nextWithdrawal < t) {
        nextWithdrawal = gap(rng, m, t);
      }
      out.accept(
          new String[] {
            a.id + "-P" + String.format("%04d", seq++),
            a.id,
            Dates.iso(t),
            "earning",
            cents(e[1]),
            "USD",
            m.clients.get((int) e[2]),
            null,
            null,
            null,
            null
          });
    }
  }

  private static long gap(Rng rng, Account m, long t) {
    boolean fast = m.concealed();
    return t
        + (fast ? rng.between(2, 9) : rng.between(10, 40)) * Accounts.DAY
        + rng.nextInt(86_400);
  }

  private static void addEarnings(
      Rng rng, Account m, long from, long to, int owner, List<long[]> out) {
    if (to <= from) {
      return;
    }
    double months = (to - from) / (30.0 * Accounts.DAY);
    int n = rng.poisson(m.earningsPerMonth * months);
    double rate = m.rate > 0 ? m.rate : 30;
    for (int i = 0; i < n; i++) {
      long t = from + rng.nextLong(to - from);
      long cents = Math.max(500, Math.round(rate * rng.logNormal(10, 0.8) * 100));
      out.add(new long[] {t, cents, rng.nextInt(m.clients.size()), owner});
    }
  }

  // ------------------------------------------------------------------ labels

  static void labels(Account a, Consumer<String[]> out) {
    switch (a.labelPlan) {
      case 1 -> out.accept(new String[] {a.id, "1", Dates.iso(a.labelAt), a.labelSource});
      case 2 -> {
        out.accept(new String[] {a.id, "1", Dates.iso(a.labelAt), "investigation"});
        out.accept(
            new String[] {
              a.id,
              "0",
              Dates.iso(Math.min(Accounts.END - 1, a.labelAt + 12 * Accounts.DAY)),
              "appeal"
            });
      }
      case 3 -> out.accept(new String[] {a.id, "0", Dates.iso(a.labelAt), "investigation"});
      default -> {}
    }
  }

  static String money(double v) {
    return cents(Math.round(v * 100));
  }

  static String cents(long c) {
    long abs = Math.abs(c);
    String frac = Long.toString(abs % 100);
    return (c < 0 ? "-" : "") + abs / 100 + "." + (frac.length() == 1 ? "0" + frac : frac);
  }
}

package io.unmask.generate;

import io.unmask.generate.Countries.Country;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the one generated world is delivered as daily exports ({@code generate --daily DAYS}): the
 * UTC days D1..DN ending on the generator's last day, D1 a snapshot of everything before its end,
 * D2..DN increments. Every decision is a hash of (seed, key) or a stream of (seed, account index),
 * never state, so the split does not depend on how accounts are spread over tasks.
 *
 * <ul>
 *   <li>an event is delivered on its UTC day (events before D1 in D1), except {@link #LATE} of
 *       those from D1 on, delivered 1 to {@link #LATE_MAX_DAYS} days later (at most on DN);
 *   <li>{@link #REDELIVERED} of the events of D1 and later days are delivered again, an identical
 *       copy, 1 or 2 days after their first delivery (at most on DN);
 *   <li>some profiles change during the window: an earlier version is delivered first (in D1 or on
 *       the creation day), the final row, as the plain snapshot has it, on a later day;
 *   <li>labels on the day of {@code labeled_at} (before D1 or without it: in D1).
 * </ul>
 */
final class Daily implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Share of the events from D1 on that arrive 1 to {@link #LATE_MAX_DAYS} days late. */
  static final double LATE = 0.02;

  static final int LATE_MAX_DAYS = 3;

  /** Share of the events from D1 on that are delivered a second time, 1 or 2 days later. */
  static final double REDELIVERED = 0.01;

  /** Profile changes during the window, per account: rented accounts (the operators). */
  static final double CHANGE_RENTED = 0.40;

  /** Ring members and lone workers (a persona's new phone or photo). */
  static final double CHANGE_CONCEALED = 0.04;

  /** Relocated genuine accounts: the profile catches up with the move. */
  static final double CHANGE_RELOCATED = 0.30;

  /** Other genuine accounts: a move within the country, a new phone or a new photo. */
  static final double CHANGE_GENUINE = 0.06;

  /** Most days a daily export may hold: the history is a year. */
  static final int MAX_DAYS = 365;

  /** Stream of the profile changes (see {@link Rng}). */
  static final int STREAM = 10;

  private static final int LATE_HASH = 1;
  private static final int COPY_HASH = 2;
  private static final int CHANGE_HASH = 3;

  final long seed;
  final int days;

  /** Folder names, D1 first: {@code yyyy-mm-dd}. */
  final String[] names;

  Daily(long seed, int days) {
    if (days < 2 || days > MAX_DAYS) {
      throw new IllegalArgumentException("--daily must be between 2 and " + MAX_DAYS + " days");
    }
    this.seed = seed;
    this.days = days;
    this.names = new String[days];
    long last = Math.floorDiv(Accounts.END - 1, Accounts.DAY);
    for (int i = 0; i < days; i++) {
      names[i] = Dates.iso((last - (days - 1) + i) * Accounts.DAY).substring(0, 10);
    }
  }

  /** The last day DN (the generator's as_of). */
  static String lastDay() {
    return Dates.iso(Accounts.END - 1).substring(0, 10);
  }

  /** Index of the day of an ISO UTC time: -1 before D1 (times are never after DN). */
  int dayOf(String iso) {
    int i = Arrays.binarySearch(names, iso.substring(0, 10));
    if (i >= 0) {
      return i;
    }
    int at = -i - 1; // insertion point
    return at == 0 ? -1 : Math.min(days - 1, at - 1);
  }

  /** Day an event with this key and time-of-day index is first delivered on. */
  int delivery(String key, int tsDay) {
    if (tsDay < 0) {
      return 0;
    }
    long h = hash(LATE_HASH, key);
    if (unit(h) < LATE) {
      return Math.min(days - 1, tsDay + 1 + (int) ((h & 0xffff) % LATE_MAX_DAYS));
    }
    return tsDay;
  }

  /** Day a copy of the event is delivered again, or -1 for none. */
  int redelivery(String key, int tsDay, int delivered) {
    if (tsDay < 0 || delivered >= days - 1) {
      return -1;
    }
    long h = hash(COPY_HASH, key);
    if (unit(h) < REDELIVERED) {
      return Math.min(days - 1, delivered + 1 + (int) (h & 1));
    }
    return -1;
  }

  /** Day a label is delivered on. */
  int labelDay(String labeledAt) {
    return labeledAt == null ? 0 : Math.max(0, dayOf(labeledAt));
  }

  /**
   * One version of a profile row and the day it is delivered on.
   *
   * @param kind {@code created}, {@code earlier} or {@code changed}
   */
  record Version(int day, String[] row, String kind) {}

  /**
   * The versions of an account's profile, the final one ({@code row}, as the snapshot has it) last.
   */
  List<Version> profile(Account a, String[] row) {
    int created = Math.max(0, dayOf(row[1]));
    List<Version> out = new ArrayList<>(2);
    String[] earlier = created < days - 1 ? earlier(a, row) : null;
    if (earlier == null) {
      out.add(new Version(created, row, "created"));
      return out;
    }
    int changed =
        created + 1 + (int) Long.remainderUnsigned(hash(CHANGE_HASH, row[0]), days - 1 - created);
    out.add(new Version(created, earlier, "earlier"));
    out.add(new Version(changed, row, "changed"));
    return out;
  }

  /** The profile before a change in the window, or null when the account does not change. */
  String[] earlier(Account a, String[] row) {
    Rng rng = new Rng(seed, STREAM, a.index);
    double x = rng.nextDouble();
    String[] e = row.clone();
    Country c = a.country;
    if (Account.RENTED.equals(a.archetype)) {
      if (x >= CHANGE_RENTED) {
        return null;
      }
      // The operators replace the owner's name, number or photo.
      boolean name = rng.chance(0.5);
      boolean phone = rng.chance(0.6);
      boolean photo = rng.chance(0.6) || !(name || phone);
      if (name) {
        e[2] = otherName(rng, c, row[2]);
      }
      if (phone) {
        e[4] = otherPhone(rng, c, row[4]);
      }
      if (photo) {
        e[13] = otherPhoto(rng, row[13]);
      }
    } else if (a.concealed()) {
      if (x >= CHANGE_CONCEALED) {
        return null;
      }
      if (rng.chance(0.5)) {
        e[4] = otherPhone(rng, c, row[4]);
      } else {
        e[13] = otherPhoto(rng, row[13]);
      }
    } else if (Account.RELOCATED.equals(a.lookalike)) {
      if (x >= CHANGE_RELOCATED || a.netCountry == null) {
        return null;
      }
      // Still claiming the country they left, then the profile catches up.
      Country from = Countries.of(a.netCountry);
      int city = Math.max(0, from.zones().indexOf(a.activityZone));
      e[6] = from.code();
      e[7] = from.cities().get(city);
      e[8] = from.zoneOf(city);
    } else {
      if (x >= CHANGE_GENUINE) {
        return null;
      }
      double kind = rng.nextDouble();
      if (kind < 0.4 && c.cities().size() > 1) {
        // Moved within the country: city and zone.
        int city = (a.city + 1 + rng.nextInt(c.cities().size() - 1)) % c.cities().size();
        e[7] = c.cities().get(city);
        e[8] = c.zoneOf(city);
      } else if (kind < 0.7) {
        e[4] = otherPhone(rng, c, row[4]);
      } else {
        e[13] = otherPhoto(rng, row[13]);
      }
    }
    return Arrays.equals(e, row) ? null : e;
  }

  private static String otherName(Rng rng, Country c, String now) {
    for (int i = 0; i < 10; i++) {
      String n = Texts.name(rng, c.names());
      if (!n.equals(now)) {
        return n;
      }
    }
    return now == null ? "Freelancer" : now + " Jr";
  }

  private static String otherPhone(Rng rng, Country c, String now) {
    String p = "+" + c.dial() + rng.digits(9);
    return p.equals(now) ? "+" + c.dial() + rng.digits(9) : p;
  }

  private static String otherPhoto(Rng rng, String now) {
    // A third replaced the default avatar with their own photo.
    if (!Accounts.DEFAULT_AVATAR.equals(now) && rng.chance(0.3)) {
      return Accounts.DEFAULT_AVATAR;
    }
    return rng.hex(16);
  }

  /** FNV-1a of the key, mixed with the seed and purpose: uniform 64 bits. */
  long hash(int purpose, String key) {
    long h = 0xcbf29ce484222325L ^ Rng.mix(seed * 31 + purpose);
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    return Rng.mix(h);
  }

  private static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}

package io.unmask.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is in the population, fixed on the driver before any row is made and small enough to
 * broadcast: the groups of accounts that act together (laptop-farm rings, agencies, families,
 * internet cafés, coworking spaces), as runs of "slots", and a permutation that scatters slots over
 * account indices so that group members are not neighbours in the account list. Everything else
 * about an account is drawn from its own random stream, seeded from (seed, account index).
 */
public final class Plan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Kinds of groups. */
  public enum Kind {
    RING,
    AGENCY,
    FAMILY,
    CAFE,
    COWORKING
  }

  /** Shares of accounts in each kind of group. */
  static final double RING_SHARE = 0.010;

  static final double AGENCY_SHARE = 0.03;
  static final double FAMILY_SHARE = 0.02;
  static final double CAFE_SHARE = 0.02;
  static final double COWORKING_SHARE = 0.025;

  /** How much more common every look-alike is in the realistic scenario. */
  static final double REALISTIC_LOOKALIKES = 1.5;

  /** Shares among accounts outside groups. */
  static final double RENTED_SHARE = 0.0025;

  static final double LONE_SHARE = 0.003;

  public final long accounts;
  public final long seed;
  public final Scenario scenario;

  /** Mean sign-ins per account over the year of history. */
  public final double loginsPerAccount;

  private final long[] starts;
  private final int[] sizes;
  private final Kind[] kinds;

  /** Per group: its number among the groups of its kind (R0001, ag-00001, ...). */
  private final int[] ordinals;

  private final long groupedSlots;
  private final long mult;
  private final long add;

  /** The group an account belongs to and its place in it. */
  public record Membership(Kind kind, int group, int ordinal, int member, int size) {}

  public Plan(long accounts, long seed, Scenario scenario, double loginsPerAccount) {
    if (accounts < 1 || accounts > 2_000_000_000L) {
      throw new IllegalArgumentException("--accounts must be between 1 and 2,000,000,000");
    }
    this.accounts = accounts;
    this.seed = seed;
    this.scenario = scenario;
    this.loginsPerAccount = loginsPerAccount;
    Rng rng = new Rng(seed, Rng.PLAN, 0);
    List<long[]> groups = new ArrayList<>(); // start, size, kind
    long slot = 0;
    int[] counts = new int[Kind.values().length];
    List<Integer> ords = new ArrayList<>();
    // Rings first, then agencies, families, internet cafés and coworking spaces; each kind fills
    // its share of the accounts.
    double more = scenario == Scenario.REALISTIC ? REALISTIC_LOOKALIKES : 1;
    Object[][] spec = {
      {Kind.RING, RING_SHARE, 3, 9},
      {Kind.AGENCY, AGENCY_SHARE * more, 3, 12},
      {Kind.FAMILY, FAMILY_SHARE * more, 2, 4},
      {Kind.CAFE, CAFE_SHARE * more, 4, 15},
      {Kind.COWORKING, COWORKING_SHARE * more, 10, 40}
    };
    for (Object[] s : spec) {
      Kind k = (Kind) s[0];
      long target = Math.round(accounts * (double) s[1]);
      long filled = 0;
      while (filled < target) {
        int size =
            Math.min(
                rng.between((int) s[2], (int) s[3]), Math.max((int) s[2], (int) (target - filled)));
        if (slot + size > accounts) {
          break;
        }
        groups.add(new long[] {slot, size, k.ordinal()});
        ords.add(++counts[k.ordinal()]);
        slot += size;
        filled += size;
      }
    }
    this.groupedSlots = slot;
    this.starts = new long[groups.size()];
    this.sizes = new int[groups.size()];
    this.kinds = new Kind[groups.size()];
    this.ordinals = new int[groups.size()];
    for (int i = 0; i < groups.size(); i++) {
      starts[i] = groups.get(i)[0];
      sizes[i] = (int) groups.get(i)[1];
      kinds[i] = Kind.values()[(int) groups.get(i)[2]];
      ordinals[i] = ords.get(i);
    }
    // slot = (mult * index + add) mod accounts, with mult coprime to accounts: a bijection.
    long m = Math.max(1, (long) (accounts * 0.6180339887) | 1L);
    while (gcd(m, accounts) != 1) {
      m++;
    }
    this.mult = m % accounts == 0 ? 1 : m % accounts;
    this.add = Math.floorMod(rng.nextLong(), accounts);
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** The slot of an account index (no overflow: accounts are at most 2 billion). */
  long slotOf(long index) {
    return (mult * index + add) % accounts;
  }

  /** The group of an account, or null for an account on its own. */
  public Membership membership(long index) {
    long slot = slotOf(index);
    if (slot >= groupedSlots) {
      return null;
    }
    int lo = 0;
    int hi = starts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= slot) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return new Membership(kinds[lo], lo, ordinals[lo], (int) (slot - starts[lo]), sizes[lo]);
  }

  /** Number of groups of each kind. */
  public int groups(Kind k) {
    int n = 0;
    for (Kind x : kinds) {
      n += x == k ? 1 : 0;
    }
    return n;
  }

  /** The account key of an index: a bijective scramble, so ids carry no order or group. */
  public static String accountId(long index) {
    return String.format("u%010x", scramble40(index));
  }

  /** A bijection on 40-bit values (xor-shift and odd multiply steps, each invertible). */
  static long scramble40(long x) {
    long mask = (1L << 40) - 1;
    x = (x + 0x5DEECE66DL) & mask;
    for (int i = 0; i < 3; i++) {
      x ^= x >>> 17;
      x = (x * 0x9E3779B97L) & mask;
      x ^= x >>> 23;
    }
    return x;
  }
}

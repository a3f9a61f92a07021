package io.unmask.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic random stream for one purpose of one entity: seeded from (run seed, stream,
 * entity index) only, never from partitioning or time, so that the same seed gives the same data
 * however the work is split.
 */
public final class Rng {
  /** Stream numbers: one independent stream per purpose. */
  public static final int PLAN = 1;

  public static final int ACCOUNT = 2;
  public static final int GROUP = 3;
  public static final int LOGINS = 4;
  public static final int PAYMENTS = 5;
  public static final int LABELS = 6;
  public static final int FAULTS = 7;
  public static final int POOLS = 8;
  public static final int TEXT = 9;

  private final SplittableRandom r;

  public Rng(long seed, int stream, long index) {
    this.r = new SplittableRandom(mix(mix(seed ^ 0x9E3779B97F4A7C15L * stream) + index));
  }

  /** SplitMix64's finaliser: a bijective scramble of 64 bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public int nextInt(int bound) {
    return r.nextInt(bound);
  }

  /** Uniform in [lo, hi] inclusive. */
  public int between(int lo, int hi) {
    return lo + r.nextInt(hi - lo + 1);
  }

  public long nextLong() {
    return r.nextLong();
  }

  /** Uniform in [0, bound). */
  public long nextLong(long bound) {
    return r.nextLong(bound);
  }

  public double nextDouble() {
    return r.nextDouble();
  }

  public boolean chance(double p) {
    return r.nextDouble() < p;
  }

  /**
   * Standard normal (Box-Muller; one value per call keeps the stream simple). StrictMath, so that
   * every JVM and CPU computes the same bits.
   */
  public double gaussian() {
    double u = 1.0 - r.nextDouble();
    double v = r.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and spread (sigma of the log). */
  public double logNormal(double median, double sigma) {
    return median * StrictMath.exp(sigma * gaussian());
  }

  /** Poisson count (Knuth for small means, a rounded normal above 50). */
  public int poisson(double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 50) {
      return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * gaussian()));
    }
    double l = StrictMath.exp(-mean);
    int k = 0;
    double p = 1.0;
    do {
      k++;
      p *= r.nextDouble();
    } while (p > l);
    return k - 1;
  }

  public <T> T pick(T[] items) {
    return items[r.nextInt(items.length)];
  }

  public <T> T pick(List<T> items) {
    return items.get(r.nextInt(items.size()));
  }

  /** An index drawn with the given (not necessarily normalised) weights. */
  public int weighted(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = r.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** {@code n} lower-case hex digits. */
  public String hex(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(Character.forDigit(r.nextInt(16), 16));
    }
    return sb.toString();
  }

  /** {@code n} decimal digits (the first one not zero). */
  public String digits(int n) {
    StringBuilder sb = new StringBuilder(n);
    sb.append((char) ('1' + r.nextInt(9)));
    for (int i = 1; i < n; i++) {
      sb.append((char) ('0' + r.nextInt(10)));
    }
    return sb.toString();
  }

  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  /** A random Base58 string (the shape of a TRON or Bitcoin address, not a valid checksum). */
  public String base58(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(BASE58.charAt(r.nextInt(BASE58.length())));
    }
    return sb.toString();
  }
}

package io.unmask.ingest;

/**
 * Parses IPv4 and IPv6 text into 16 big-endian bytes without any DNS look-up ({@code
 * InetAddress.getByName} would resolve anything that is not a literal). IPv4 is mapped into {@code
 * ::ffff:0:0/96}, so unsigned byte order is address order for both families and one range table
 * serves both.
 */
public final class IpAddress {
  private static final int V4_PREFIX = 12;

  private IpAddress() {}

  /** The address as 16 bytes, or null when the text is not an IP address. */
  public static byte[] toBytes(String text) {
    if (text == null) {
      return null;
    }
    String s = text.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    if (s.isEmpty() || s.length() > 45) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      byte[] out = new byte[16];
      out[10] = (byte) 0xff;
      out[11] = (byte) 0xff;
      return parseV4(s, out, V4_PREFIX) ? out : null;
    }
    return parseV6(s);
  }

  /** 4 or 6 for a parsed address (IPv4-mapped IPv6 counts as 4). */
  public static int version(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return 6;
      }
    }
    return (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) ? 4 : 6;
  }

  /** Dotted quad for IPv4, RFC 5952 compressed text for IPv6. */
  public static String format(byte[] b) {
    if (version(b) == 4) {
      return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /** The last address of a CIDR block given its first address's bytes and prefix length. */
  public static byte[] lastOf(byte[] first, int prefixBits) {
    byte[] last = first.clone();
    for (int bit = prefixBits; bit < 128; bit++) {
      last[bit / 8] |= (byte) (0x80 >>> (bit % 8));
    }
    return last;
  }

  /** First and last address of a CIDR ("1.2.3.0/24", "2001:db8::/32"), or null if invalid. */
  public static byte[][] cidr(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      byte[] b = toBytes(text);
      return b == null ? null : new byte[][] {b, b};
    }
    byte[] first = toBytes(text.substring(0, slash));
    if (first == null) {
      return null;
    }
    int bits;
    try {
      bits = Integer.parseInt(text.substring(slash + 1).trim());
    } catch (NumberFormatException e) {
      return null;
    }
    int offset = version(first) == 4 ? 96 : 0;
    if (bits < 0 || bits + offset > 128) {
      return null;
    }
    return new byte[][] {first, lastOf(first, bits + offset)};
  }

  private static boolean parseV4(String s, byte[] out, int at) {
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return false;
        }
      } else if (c == '.') {
        if (value < 0 || part > 3) {
          return false;
        }
        out[at + part++] = (byte) value;
        value = -1;
        digits = 0;
      } else {
        return false;
      }
    }
    return part == 4;
  }

  private static byte[] parseV6(String s) {
    byte[] out = new byte[16];
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    String head = dbl >= 0 ? s.substring(0, dbl) : s;
    String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
    int[] headGroups = new int[8];
    int[] tailGroups = new int[8];
    int nh = groups(head, headGroups, out, true);
    if (nh < 0) {
      return null;
    }
    int nt = dbl >= 0 ? groups(tail, tailGroups, out, true) : 0;
    if (nt < 0) {
      return null;
    }
    boolean v4Tail = nh >= 100 || nt >= 100;
    int headCount = nh % 100;
    int tailCount = nt % 100;
    int total = headCount + tailCount + (v4Tail ? 2 : 0);
    if (dbl >= 0 ? total > 7 : total != 8) {
      return null;
    }
    if (v4Tail && dbl >= 0 && nh >= 100) {
      return null; // IPv4 part must come last
    }
    byte[] v4 = new byte[4];
    if (v4Tail) {
      System.arraycopy(out, 12, v4, 0, 4);
    }
    java.util.Arrays.fill(out, (byte) 0);
    for (int i = 0; i < headCount; i++) {
      out[2 * i] = (byte) (headGroups[i] >>> 8);
      out[2 * i + 1] = (byte) headGroups[i];
    }
    int tailStart = 8 - tailCount - (v4Tail ? 2 : 0);
    for (int i = 0; i < tailCount; i++) {
      out[2 * (tailStart + i)] = (byte) (tailGroups[i] >>> 8);
      out[2 * (tailStart + i) + 1] = (byte) tailGroups[i];
    }
    if (v4Tail) {
      System.arraycopy(v4, 0, out, 12, 4);
    }
    return out;
  }

  /**
   * Parses ':'-separated hex groups. Returns the group count, plus 100 when the last group was a
   * dotted IPv4 (its 4 bytes are left in out[12..15]); -1 when invalid.
   */
  private static int groups(String s, int[] into, byte[] out, boolean allowV4) {
    if (s.isEmpty()) {
      return 0;
    }
    String[] parts = s.split(":", -1);
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && allowV4 && p.indexOf('.') >= 0) {
        return parseV4(p, out, 12) ? n + 100 : -1;
      }
      if (p.isEmpty() || p.length() > 4 || n >= 8) {
        return -1;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        int d = Character.digit(p.charAt(k), 16);
        if (d < 0) {
          return -1;
        }
        v = v * 16 + d;
      }
      into[n++] = v;
    }
    return n;
  }
}

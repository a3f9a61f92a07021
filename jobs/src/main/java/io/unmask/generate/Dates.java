package io.unmask.generate;

/**
 * Fast, allocation-light ISO-8601 UTC formatting of epoch seconds ({@code 2026-03-04T10:11:12Z}).
 */
final class Dates {
  private Dates() {}

  static String iso(long epochSecond) {
    long days = Math.floorDiv(epochSecond, 86_400L);
    int secs = (int) Math.floorMod(epochSecond, 86_400L);
    // civil-from-days (H. Hinnant)
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) {
      y++;
    }
    char[] c = new char[20];
    put(c, 0, (int) y, 4);
    c[4] = '-';
    put(c, 5, (int) m, 2);
    c[7] = '-';
    put(c, 8, (int) d, 2);
    c[10] = 'T';
    put(c, 11, secs / 3600, 2);
    c[13] = ':';
    put(c, 14, secs / 60 % 60, 2);
    c[16] = ':';
    put(c, 17, secs % 60, 2);
    c[19] = 'Z';
    return new String(c);
  }

  private static void put(char[] c, int at, int v, int width) {
    for (int i = width - 1; i >= 0; i--) {
      c[at + i] = (char) ('0' + v % 10);
      v /= 10;
    }
  }
}

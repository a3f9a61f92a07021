package io.unmask.report;

import java.util.Locale;

/**
 * The one escaping function of the report, used for every piece of text that reaches the page:
 * element text, attribute values (always double-quoted) and SVG text alike. Also number formatting
 * that does not depend on the machine's locale.
 */
public final class Html {
  private Html() {}

  /**
   * Escapes {@code & < > " '} and replaces control characters (other than tab, new line and
   * carriage return) and unpaired surrogates by U+FFFD, so the text can neither close an element or
   * an attribute nor open a new one. {@code null} becomes the empty string.
   */
  public static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            b.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)
              || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
              || (c >= 0x7f && c < 0xa0)) {
            b.append('\uFFFD');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** At most {@code max} characters (code points kept whole), with an ellipsis when cut. */
  public static String shorten(String s, int max) {
    if (s == null || s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
  }

  /** A number with {@code decimals} decimals, locale-independent. */
  public static String num(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A count with thousands separators, locale-independent. */
  public static String count(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** A count with its noun in the right number: "1 account", "2,413 accounts". */
  public static String count(long v, String one, String many) {
    return count(v) + " " + (v == 1 ? one : many);
  }

  /** A coordinate for SVG: one decimal, locale-independent. */
  static String xy(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}

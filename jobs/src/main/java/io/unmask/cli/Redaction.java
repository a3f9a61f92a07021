package io.unmask.cli;

import java.util.regex.Pattern;

/**
 * Masks personal data that can be recognised by its shape (e-mail addresses, IPv4 and IPv6
 * addresses, phone numbers in international form) in text Unmask prints about a failure: the
 * one-line cause and, with {@code --verbose}, the stack trace. The same patterns mask Spark's log
 * lines in {@code bin/log4j2-verbose.properties}. Names and payout accounts have no shape: they are
 * kept out by never putting data values into messages.
 */
final class Redaction {
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  private static final Pattern IPV4 =
      Pattern.compile("(?<![0-9.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?![0-9.])");
  private static final Pattern IPV6 =
      Pattern.compile(
          "(?i)(?<![0-9a-z:])(?:(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}"
              + "|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?"
              + "|::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})(?![0-9a-z:])");
  private static final Pattern PHONE = Pattern.compile("\\+[0-9][0-9 ().-]{6,}[0-9]");

  private Redaction() {}

  static String mask(String text) {
    if (text == null) {
      return null;
    }
    String s = EMAIL.matcher(text).replaceAll("<email>");
    s = IPV4.matcher(s).replaceAll("<ip>");
    s = IPV6.matcher(s).replaceAll("<ip>");
    return PHONE.matcher(s).replaceAll("<phone>");
  }
}

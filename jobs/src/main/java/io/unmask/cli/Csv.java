package io.unmask.cli;

/**
 * Text from the data is untrusted: CSV cells are quoted and a leading {@code = + - @} (or tab,
 * carriage return) is neutralised with a quote so spreadsheets do not run it as a formula; table
 * output drops control characters.
 */
final class Csv {
  private Csv() {}

  static String cell(String v) {
    if (v == null) {
      return "";
    }
    String s = v;
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  static String printable(String v) {
    return v == null ? "" : v.replaceAll("\\p{Cntrl}", " ");
  }
}

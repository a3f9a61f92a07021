package io.unmask.generate;

import io.unmask.common.Cols;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One gzip-compressed CSV or JSON Lines part file, written by one task: first to a hidden temporary
 * name (readers skip names starting with '.'), renamed to {@code part-NNNNN.<ext>} when complete,
 * so a retried task simply writes it again. java.util.zip's gzip header carries no time, so the
 * same rows give the same bytes.
 */
final class TableFile implements Closeable {
  /**
   * File-format quirks of the dirty scenario (all legal: the ingest must accept them).
   *
   * @param order output column i holds source column order[i]; -1 is the extra column
   */
  record Quirks(boolean bom, boolean crlf, boolean mixedCaseHeader, int[] order, String extraName) {
    static Quirks none(int width) {
      int[] order = new int[width];
      for (int i = 0; i < width; i++) {
        order[i] = i;
      }
      return new Quirks(false, false, false, order, null);
    }
  }

  private static final Set<String> NUMERIC = Set.of(Cols.HOURLY_RATE, Cols.AMOUNT, Cols.LABEL);
  private static final Set<String> BOOLEAN = Set.of(Cols.SUCCESS, Cols.ID_VERIFIED);

  private final FileSystem fs;
  private final Path tmp;
  private final Path target;
  private final OutputFormat format;
  private final List<String> columns;
  private final Quirks q;
  private final String[] names;
  private final String eol;
  private final Writer out;
  private final StringBuilder line = new StringBuilder(512);
  private long extraCounter;

  TableFile(FileSystem fs, Path dir, int part, OutputFormat format, List<String> columns, Quirks q)
      throws IOException {
    this(fs, dir, part, format, columns, q, 1 << 18);
  }

  /**
   * @param buffer characters buffered before compression (small for the many small files of the
   *     daily increments)
   */
  TableFile(
      FileSystem fs,
      Path dir,
      int part,
      OutputFormat format,
      List<String> columns,
      Quirks q,
      int buffer)
      throws IOException {
    this.fs = fs;
    String name = String.format("part-%05d%s", part, format.extension);
    this.target = new Path(dir, name);
    this.tmp = new Path(dir, "." + name + ".tmp");
    this.format = format;
    this.columns = columns;
    this.q = q;
    this.eol = q.crlf() ? "\r\n" : "\n";
    this.names = new String[q.order().length];
    for (int i = 0; i < names.length; i++) {
      String n = q.order()[i] < 0 ? q.extraName() : columns.get(q.order()[i]);
      names[i] = q.mixedCaseHeader() ? mixedCase(n) : n;
    }
    OutputStream raw = fs.create(tmp, true);
    this.out =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(raw, Math.min(1 << 16, buffer)), StandardCharsets.UTF_8),
            buffer);
    if (q.bom()) {
      out.write('\uFEFF');
    }
    if (format == OutputFormat.CSV) {
      for (int i = 0; i < names.length; i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(names[i]);
      }
      out.write(eol);
    }
  }

  /** {@code event_id} becomes {@code Event_ID}: the contract compares names ignoring case. */
  static String mixedCase(String n) {
    StringBuilder sb = new StringBuilder();
    for (String p : n.split("_")) {
      if (sb.length() > 0) {
        sb.append('_');
      }
      if (p.equals("id") || p.equals("ts") || p.equals("ip")) {
        sb.append(p.toUpperCase(Locale.ROOT));
      } else {
        sb.append(Character.toUpperCase(p.charAt(0))).append(p.substring(1));
      }
    }
    return sb.toString();
  }

  private String[] ordered(String[] values) {
    String[] o = new String[q.order().length];
    for (int i = 0; i < o.length; i++) {
      o[i] =
          q.order()[i] < 0
              ? Long.toString(1000 + (extraCounter++ * 7919) % 90000)
              : values[q.order()[i]];
    }
    return o;
  }

  /** A normal record. */
  void row(String[] values) throws IOException {
    String[] o = ordered(values);
    line.setLength(0);
    if (format == OutputFormat.CSV) {
      csv(o, o.length);
    } else {
      json(o);
    }
    out.append(line).append(eol);
  }

  /** A record cut short: CSV loses its last fields, JSON is cut mid-text. */
  void cut(String[] values) throws IOException {
    String[] o = ordered(values);
    line.setLength(0);
    if (format == OutputFormat.CSV) {
      csv(o, Math.max(2, o.length / 2));
    } else {
      json(o);
      line.setLength(Math.max(5, line.length() / 2));
    }
    out.append(line).append(eol);
  }

  /** A record with one stray value too many: CSV an extra field, JSON an array, not an object. */
  void extra(String[] values) throws IOException {
    String[] o = ordered(values);
    line.setLength(0);
    if (format == OutputFormat.CSV) {
      csv(o, o.length);
      line.append(",stray");
    } else {
      line.append('[');
      for (int i = 0; i < o.length; i++) {
        if (i > 0) {
          line.append(',');
        }
        jsonString(o[i]);
      }
      line.append(']');
    }
    out.append(line).append(eol);
  }

  /**
   * The file's last record, cut inside the quoted {@code bio} (a truncated export): no line end and
   * nothing after it. JSON Lines: the line cut in half.
   */
  void truncatedLast(String[] values) throws IOException {
    String[] o = ordered(values);
    line.setLength(0);
    if (format == OutputFormat.CSV) {
      int bio = -1;
      for (int i = 0; i < o.length; i++) {
        if (q.order()[i] >= 0 && columns.get(q.order()[i]).equals(Cols.BIO)) {
          bio = i;
        }
      }
      csv(o, bio);
      String text = o[bio] == null ? "Experienced developer" : o[bio];
      line.append(',')
          .append('"')
          .append(text.replace("\"", ""), 0, Math.max(1, text.replace("\"", "").length() / 2));
    } else {
      json(o);
      line.setLength(Math.max(5, line.length() / 2));
    }
    out.append(line);
  }

  private void csv(String[] o, int n) {
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        line.append(',');
      }
      String v = o[i];
      if (v == null) {
        continue;
      }
      if (needsQuotes(v)) {
        line.append('"');
        for (int k = 0; k < v.length(); k++) {
          char c = v.charAt(k);
          if (c == '"') {
            line.append('"');
          }
          line.append(c);
        }
        line.append('"');
      } else {
        line.append(v);
      }
    }
  }

  private static boolean needsQuotes(String v) {
    if (v.isEmpty()) {
      return false;
    }
    if (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' ') {
      return true;
    }
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        return true;
      }
    }
    return false;
  }

  private void json(String[] o) {
    line.append('{');
    boolean first = true;
    for (int i = 0; i < o.length; i++) {
      String v = o[i];
      if (v == null) {
        continue;
      }
      if (!first) {
        line.append(',');
      }
      first = false;
      jsonString(names[i]);
      line.append(':');
      String col = q.order()[i] < 0 ? null : columns.get(q.order()[i]);
      if (col != null && NUMERIC.contains(col) && v.matches("-?[0-9]+(\\.[0-9]+)?")) {
        line.append(v);
      } else if (col != null && BOOLEAN.contains(col) && (v.equals("true") || v.equals("false"))) {
        line.append(v);
      } else if (col == null) {
        line.append(v);
      } else {
        jsonString(v);
      }
    }
    line.append('}');
  }

  private void jsonString(String v) {
    if (v == null) {
      line.append("null");
      return;
    }
    line.append('"');
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < 0x20) {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }

  @Override
  public void close() throws IOException {
    out.close();
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("Cannot rename " + tmp + " to " + target);
    }
    Path crc = new Path(tmp.getParent(), "." + tmp.getName() + ".crc");
    if (fs.exists(crc)) {
      fs.delete(crc, false);
    }
    Path targetCrc = new Path(target.getParent(), "." + target.getName() + ".crc");
    if (fs.exists(targetCrc)) {
      fs.delete(targetCrc, false);
    }
  }
}

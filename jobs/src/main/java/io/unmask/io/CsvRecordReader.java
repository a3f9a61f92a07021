package io.unmask.io;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader that knows the physical line each record starts on and keeps the
 * record's raw text: what Spark's CSV source cannot give, and what the quarantine needs. Quoted
 * fields may hold commas, doubled quotes and newlines; CRLF and LF line ends; a leading UTF-8 BOM
 * is dropped; blank lines are skipped. Empty fields (quoted or not) are null, as the contract says.
 */
public final class CsvRecordReader implements AutoCloseable {
  /** Raw text kept for one record is capped so one broken quote cannot exhaust memory. */
  public static final int MAX_RAW_CHARS = 1 << 20;

  private final Reader in;
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int len;
  private boolean first = true;
  private long line = 1;

  private final List<String> fields = new ArrayList<>();
  private final StringBuilder field = new StringBuilder();
  private final StringBuilder raw = new StringBuilder();
  private long recordLine;
  private boolean unterminatedQuote;

  public CsvRecordReader(Reader in) {
    this.in = in;
  }

  private int read() throws IOException {
    if (pos == len) {
      len = in.read(buf, 0, buf.length);
      pos = 0;
      if (len <= 0) {
        len = 0;
        return -1;
      }
    }
    return buf[pos++];
  }

  private int peek() throws IOException {
    if (pos == len) {
      len = in.read(buf, 0, buf.length);
      pos = 0;
      if (len <= 0) {
        len = 0;
        return -1;
      }
    }
    return buf[pos];
  }

  /** Reads the next record; false at the end of input. */
  public boolean next() throws IOException {
    fields.clear();
    raw.setLength(0);
    field.setLength(0);
    unterminatedQuote = false;
    int c = read();
    if (first) {
      first = false;
      if (c == '\uFEFF') {
        c = read();
      }
    }
    while (c == '\n' || c == '\r') {
      if (c == '\r' && peek() == '\n') {
        read();
      }
      line++;
      c = read();
    }
    if (c == -1) {
      return false;
    }
    recordLine = line;
    boolean inQuotes = false;
    boolean fieldStart = true;
    while (true) {
      if (c == -1) {
        unterminatedQuote = inQuotes;
        endField();
        return true;
      }
      if (inQuotes) {
        appendRaw(c);
        if (c == '"') {
          if (peek() == '"') {
            read();
            appendRaw('"');
            field.append('"');
          } else {
            inQuotes = false;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
      } else if (c == ',') {
        appendRaw(c);
        endField();
        fieldStart = true;
        c = read();
        continue;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && peek() == '\n') {
          read();
        }
        line++;
        endField();
        return true;
      } else if (c == '"' && fieldStart) {
        appendRaw(c);
        inQuotes = true;
      } else {
        appendRaw(c);
        field.append((char) c);
      }
      fieldStart = false;
      c = read();
    }
  }

  private void appendRaw(int c) {
    if (raw.length() < MAX_RAW_CHARS) {
      raw.append((char) c);
    }
  }

  private void endField() {
    String v = field.toString().trim();
    fields.add(v.isEmpty() ? null : v);
    field.setLength(0);
  }

  /** The fields of the current record; empty fields are null. */
  public List<String> fields() {
    return fields;
  }

  /** The record as it appeared in the file (without its line end). */
  public String raw() {
    return raw.toString();
  }

  /** 1-based physical line the current record starts on. */
  public long line() {
    return recordLine;
  }

  /** True when the input ended inside a quoted field. */
  public boolean unterminatedQuote() {
    return unterminatedQuote;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

package io.unmask.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Streams the records of one CSV or JSON Lines file as raw rows: {@code [source_file, line, raw,
 * parse_error, <contract columns as text>...]} (see {@link RawTables#rawSchema}). Runs on the
 * executors, one file at a time, holding one record in memory.
 */
public final class TextRecords implements Iterator<Row>, AutoCloseable {
  /** Parse errors, reported as quarantine rules. */
  public static final String MALFORMED = "malformed_record";

  /**
   * A file that stops being readable part-way (a truncated or corrupt {@code .gz}, an I/O error):
   * the records before the damage are kept, and one quarantine row under {@code
   * damaged_file:truncated} or {@code damaged_file:corrupt} names the file and how many records
   * were read, so nothing is lost silently and the run goes on.
   */
  public static final String DAMAGED = "damaged_file";

  private final String file;
  private final List<String> columns;
  private final SourceFormat format;
  private final CsvRecordReader csv;
  private final BufferedReader lines;
  private final ObjectMapper json;
  private int[] csvIndex;
  private int headerWidth;
  private long lineNo;
  private Row next;
  private boolean firstLine = true;
  private long records;
  private IOException damage;
  private boolean ended;

  public TextRecords(String file, InputStream in, SourceFormat format, List<String> columns)
      throws IOException {
    this.file = file;
    this.columns = columns;
    this.format = format;
    InputStream body = in;
    if (file.toLowerCase(Locale.ROOT).endsWith(".gz")) {
      try {
        body = gunzip(in);
      } catch (IOException e) {
        damage = e; // not a gzip stream, or cut before its first block
        body = InputStream.nullInputStream();
      }
    }
    InputStreamReader reader = new InputStreamReader(body, StandardCharsets.UTF_8);
    if (format == SourceFormat.CSV) {
      this.csv = new CsvRecordReader(reader);
      this.lines = null;
      this.json = null;
      if (damage == null) {
        try {
          readHeader();
        } catch (IOException e) {
          damage = e;
        }
      }
    } else {
      this.csv = null;
      this.lines = new BufferedReader(reader, 1 << 16);
      this.json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }
  }

  private static InputStream gunzip(InputStream in) throws IOException {
    return new GZIPInputStream(in, 1 << 16);
  }

  /** The lower-cased, trimmed header names of a CSV file (its first record). */
  public static List<String> csvHeader(CsvRecordReader r) throws IOException {
    if (!r.next()) {
      return List.of();
    }
    return r.fields().stream()
        .map(h -> h == null ? "" : h.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT))
        .toList();
  }

  private void readHeader() throws IOException {
    List<String> header = csvHeader(csv);
    headerWidth = header.size();
    Map<String, Integer> pos = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      pos.putIfAbsent(header.get(i), i);
    }
    csvIndex = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      csvIndex[i] = pos.getOrDefault(columns.get(i), -1);
    }
  }

  @Override
  public boolean hasNext() {
    if (next == null && !ended) {
      if (damage == null) {
        try {
          next = format == SourceFormat.CSV ? nextCsv() : nextJson();
        } catch (IOException e) {
          damage = e;
        }
      }
      if (damage != null) {
        next = damaged();
      }
      if (next == null) {
        ended = true;
      } else {
        records++;
      }
    }
    return next != null;
  }

  /** The one row that stands for the unreadable rest of the file; then the file ends. */
  private Row damaged() {
    ended = true;
    boolean cut = damage instanceof java.io.EOFException;
    Object[] v = new Object[4 + columns.size()];
    v[0] = file;
    v[1] = (format == SourceFormat.CSV ? csv.line() : lineNo + 1);
    v[2] =
        String.format(
            "%s; records read before it: %d; %s",
            cut ? "the file ends early" : "the rest of the file cannot be read",
            records,
            damage.getClass().getSimpleName()
                + (damage.getMessage() == null ? "" : " " + damage.getMessage()));
    v[3] = DAMAGED + (cut ? ":truncated" : ":corrupt");
    return RowFactory.create(v);
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Row r = next;
    next = null;
    return r;
  }

  private Row nextCsv() throws IOException {
    if (!csv.next()) {
      return null;
    }
    Object[] v = new Object[4 + columns.size()];
    v[0] = file;
    v[1] = csv.line();
    v[2] = csv.raw();
    List<String> f = csv.fields();
    if (csv.unterminatedQuote()) {
      v[3] = MALFORMED + ":unterminated_quote";
      return RowFactory.create(v);
    }
    if (f.size() < headerWidth) {
      v[3] = MALFORMED + ":too_few_fields";
      return RowFactory.create(v);
    }
    for (int i = headerWidth; i < f.size(); i++) {
      if (f.get(i) != null) {
        v[3] = MALFORMED + ":too_many_fields";
        return RowFactory.create(v);
      }
    }
    for (int i = 0; i < csvIndex.length; i++) {
      v[4 + i] = csvIndex[i] < 0 ? null : f.get(csvIndex[i]);
    }
    return RowFactory.create(v);
  }

  private Row nextJson() throws IOException {
    String text;
    do {
      text = lines.readLine();
      if (text == null) {
        return null;
      }
      lineNo++;
      if (firstLine) {
        firstLine = false;
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
          text = text.substring(1);
        }
      }
    } while (text.isBlank());
    Object[] v = new Object[4 + columns.size()];
    v[0] = file;
    v[1] = lineNo;
    v[2] = text;
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (IOException e) {
      v[3] = MALFORMED + ":invalid_json";
      return RowFactory.create(v);
    }
    if (node == null || !node.isObject()) {
      v[3] = MALFORMED + ":not_an_object";
      return RowFactory.create(v);
    }
    Map<String, JsonNode> byName = new HashMap<>();
    node.fields()
        .forEachRemaining(
            e -> byName.putIfAbsent(e.getKey().trim().toLowerCase(Locale.ROOT), e.getValue()));
    for (int i = 0; i < columns.size(); i++) {
      v[4 + i] = text(byName.get(columns.get(i)));
    }
    return RowFactory.create(v);
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    String s;
    if (n.isTextual()) {
      s = n.textValue();
    } else if (n.isNumber()) {
      s = n.decimalValue().toPlainString();
      if (n.isIntegralNumber()) {
        s = n.bigIntegerValue().toString();
      }
    } else if (n.isValueNode()) {
      s = n.asText();
    } else {
      s = n.toString();
    }
    s = s.trim();
    return s.isEmpty() ? null : s;
  }

  @Override
  public void close() throws IOException {
    if (csv != null) {
      csv.close();
    }
    if (lines != null) {
      lines.close();
    }
  }
}

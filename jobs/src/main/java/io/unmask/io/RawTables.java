package io.unmask.io;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Schemas.TableSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Reads a contract table, in any format the contract allows, into one "raw" frame of text columns:
 * {@code _source_file, _line, _raw, _parse_error} followed by every contract column of the table
 * (null where absent). Type enforcement happens later, in one place ({@code ingest.Validation});
 * this class only finds the text and where it came from.
 */
public final class RawTables {
  public static final String FILE = "_source_file";
  public static final String LINE = "_line";
  public static final String RAW = "_raw";
  public static final String PARSE_ERROR = "_parse_error";

  /** Rows of a JSON Lines file inspected on the driver to tell a missing column. */
  private static final int JSON_SAMPLE = 1000;

  private RawTables() {}

  public static StructType rawSchema(TableSpec spec) {
    StructType s =
        new StructType()
            .add(FILE, DataTypes.StringType, true)
            .add(LINE, DataTypes.LongType, true)
            .add(RAW, DataTypes.StringType, true)
            .add(PARSE_ERROR, DataTypes.StringType, true);
    for (String c : spec.columnNames()) {
      s = s.add(c, DataTypes.StringType, true);
    }
    return s;
  }

  /**
   * What stops {@code source} from being read as {@code spec}, checked on the driver before
   * anything is read in bulk or written, one message per problem, each naming the file: a file that
   * cannot be opened (permission denied), a CSV file that is not text (a binary file under a {@code
   * .csv} name), a Parquet file that is not Parquet, and the required columns missing from CSV
   * headers, Parquet/Delta schemas, or the keys of the first rows of a JSON Lines file (a key that
   * never appears there is taken as missing). A compressed file that is damaged after it opens is
   * not a problem here: its readable records are kept and the rest is quarantined (see {@link
   * TextRecords#DAMAGED}).
   */
  public static List<String> inputProblems(SparkSession spark, TableSource source, TableSpec spec) {
    List<String> problems = new ArrayList<>();
    Set<String> missing = new LinkedHashSet<>();
    Set<String> missingIn = new LinkedHashSet<>();
    FileSystem fs;
    try {
      fs = FileSystem.get(java.net.URI.create(source.inputRoot()), hadoopConf(spark));
    } catch (IOException e) {
      return List.of("cannot open the file system of " + source.inputRoot() + ": " + oneLine(e));
    }
    if (source.delta() != null) {
      try {
        List<String> m = absent(spec, spark.read().format("delta").load(source.delta()).columns());
        if (!m.isEmpty()) {
          missing.addAll(m);
          missingIn.add(TableSource.relativeTo(source.inputRoot(), source.delta()));
        }
      } catch (RuntimeException e) {
        problems.add("cannot read the Delta table " + source.delta() + ": " + oneLine(e));
      }
    }
    for (List<String> group : parquetGroups(fs, source, problems).values()) {
      List<String> m = absent(spec, ParquetSchemas.columns(fs, group.get(0)));
      if (!m.isEmpty()) {
        missing.addAll(m);
        group.forEach(f -> missingIn.add(TableSource.relativeTo(source.inputRoot(), f)));
      }
    }
    for (String f : source.filesOf(SourceFormat.CSV)) {
      String rel = TableSource.relativeTo(source.inputRoot(), f);
      InputStream raw;
      try {
        raw = fs.open(new Path(f));
      } catch (IOException e) {
        problems.add("cannot read " + rel + ": " + oneLine(e));
        continue;
      }
      try (InputStream in = unzipped(raw, f);
          CsvRecordReader r =
              new CsvRecordReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        List<String> header = TextRecords.csvHeader(r);
        if (header.isEmpty()) {
          continue; // an empty file adds no rows and needs no header
        }
        if (header.stream().anyMatch(h -> h.indexOf('\u0000') >= 0 || h.indexOf('\uFFFD') >= 0)) {
          problems.add(rel + " is not UTF-8 CSV text (a binary file under a CSV name?)");
          continue;
        }
        List<String> m = absent(spec, header.toArray(String[]::new));
        if (!m.isEmpty()) {
          missing.addAll(m);
          missingIn.add(rel);
        }
      } catch (IOException e) {
        // damaged inside the compressed stream: read in bulk, quarantined as damaged_file
      }
    }
    for (String f : source.filesOf(SourceFormat.JSONL)) {
      String rel = TableSource.relativeTo(source.inputRoot(), f);
      InputStream in;
      try {
        in = fs.open(new Path(f)); // TextRecords unzips .gz itself
      } catch (IOException e) {
        problems.add("cannot read " + rel + ": " + oneLine(e));
        continue;
      }
      try (TextRecords r = new TextRecords(f, in, SourceFormat.JSONL, spec.columnNames())) {
        boolean[] seen = new boolean[spec.columnNames().size()];
        int n = 0;
        boolean any = false;
        while (n < JSON_SAMPLE && r.hasNext()) {
          Row row = r.next();
          n++;
          if (!row.isNullAt(3)) {
            continue;
          }
          any = true;
          for (int i = 0; i < seen.length; i++) {
            seen[i] |= !row.isNullAt(4 + i);
          }
        }
        if (!any) {
          continue;
        }
        for (int i = 0; i < seen.length; i++) {
          String c = spec.columnNames().get(i);
          if (!seen[i] && spec.requiredColumns().contains(c)) {
            missing.add(c);
            missingIn.add(rel);
          }
        }
      } catch (IOException e) {
        // closing a damaged stream: its records were quarantined as damaged_file
      }
    }
    if (!missing.isEmpty()) {
      List<String> files = new ArrayList<>(missingIn);
      problems.add(
          "table "
              + spec.name()
              + (missing.size() == 1 ? " lacks required column " : " lacks required columns ")
              + String.join(", ", missing)
              + " (in "
              + (files.size() <= 3
                  ? String.join(", ", files)
                  : String.join(", ", files.subList(0, 3)) + " and " + (files.size() - 3) + " more")
              + ")");
    }
    return problems;
  }

  /**
   * The Parquet files of {@code source} grouped by their schema (column names and types, read from
   * each footer on the driver): files written with different types are read group by group, so one
   * file with the wrong types cannot fail the read of the others. A file whose footer cannot be
   * read is added to {@code problems}.
   */
  static java.util.Map<String, List<String>> parquetGroups(
      FileSystem fs, TableSource source, List<String> problems) {
    java.util.Map<String, List<String>> groups = new java.util.LinkedHashMap<>();
    for (String f : source.filesOf(SourceFormat.PARQUET)) {
      try {
        groups.computeIfAbsent(ParquetSchemas.key(fs, f), k -> new ArrayList<>()).add(f);
      } catch (IOException | RuntimeException e) {
        problems.add(
            "cannot read "
                + TableSource.relativeTo(source.inputRoot(), f)
                + " as Parquet: "
                + oneLine(e));
      }
    }
    return groups;
  }

  /** An exception as one line: its type and first message line, never a stack trace. */
  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? "" : e.getMessage().strip();
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    if (m.length() > 200) {
      m = m.substring(0, 200) + "...";
    }
    return e.getClass().getSimpleName() + (m.isEmpty() ? "" : " (" + m + ")");
  }

  private static List<String> absent(TableSpec spec, String[] present) {
    Set<String> have = new LinkedHashSet<>();
    for (String p : present) {
      have.add(p.trim().toLowerCase(Locale.ROOT));
    }
    return spec.requiredColumns().stream().filter(c -> !have.contains(c)).toList();
  }

  private static InputStream unzipped(InputStream in, String file) throws IOException {
    try {
      return file.toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(in) : in;
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  private static org.apache.hadoop.conf.Configuration hadoopConf(SparkSession spark) {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** The raw frame of one table: every record of every file, good or bad. */
  public static Dataset<Row> read(SparkSession spark, TableSource source, TableSpec spec) {
    StructType schema = rawSchema(spec);
    List<Dataset<Row>> parts = new ArrayList<>();
    List<String> text = new ArrayList<>(source.filesOf(SourceFormat.CSV));
    text.addAll(source.filesOf(SourceFormat.JSONL));
    if (!text.isEmpty()) {
      parts.add(readText(spark, source, spec, schema, text));
    }
    if (!source.filesOf(SourceFormat.PARQUET).isEmpty()) {
      FileSystem fs;
      try {
        fs = FileSystem.get(java.net.URI.create(source.inputRoot()), hadoopConf(spark));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      for (List<String> group : parquetGroups(fs, source, new ArrayList<>()).values()) {
        Dataset<Row> df = spark.read().parquet(group.toArray(String[]::new));
        parts.add(fromTyped(df, source, spec, true));
      }
    }
    if (source.delta() != null) {
      parts.add(fromTyped(spark.read().format("delta").load(source.delta()), source, spec, false));
    }
    Dataset<Row> out = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      out = out.unionByName(parts.get(i));
    }
    return out;
  }

  private static Dataset<Row> readText(
      SparkSession spark,
      TableSource source,
      TableSpec spec,
      StructType schema,
      List<String> files) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String root = source.inputRoot();
    List<String> columns = spec.columnNames();
    JavaRDD<Row> rows =
        jsc.binaryFiles(String.join(",", files), Math.max(1, files.size()))
            .flatMap(
                (Tuple2<String, PortableDataStream> f) -> {
                  String name = f._1();
                  SourceFormat format = SourceFormat.ofFile(name).orElseThrow();
                  String rel = TableSource.relativeTo(root, name);
                  TextRecords records = new TextRecords(rel, f._2().open(), format, columns);
                  return closing(records);
                });
    return spark.createDataFrame(rows, schema);
  }

  /** Closes the file once its last record has been handed on. */
  private static Iterator<Row> closing(TextRecords records) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = records.hasNext();
        if (!more) {
          try {
            records.close();
          } catch (IOException e) {
            // nothing left to read; a failing close loses no data
          }
        }
        return more;
      }

      @Override
      public Row next() {
        return records.next();
      }
    };
  }

  /** Parquet or Delta: typed columns matched by name ignoring case, turned back into text. */
  private static Dataset<Row> fromTyped(
      Dataset<Row> df, TableSource source, TableSpec spec, boolean rowIndex) {
    String root = source.inputRoot();
    String prefix = root.endsWith("/") ? root : root + "/";
    Column path = col("_metadata.file_path");
    List<Column> cols = new ArrayList<>();
    cols.add(
        when(path.startsWith(lit(prefix)), path.substr(prefix.length() + 1, Integer.MAX_VALUE))
            .otherwise(path)
            .as(FILE));
    cols.add(
        rowIndex
            ? col("_metadata.row_index").plus(lit(1L)).cast(DataTypes.LongType).as(LINE)
            : lit(null).cast(DataTypes.LongType).as(LINE));
    Column[] all =
        java.util.Arrays.stream(df.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    cols.add(to_json(struct(all)).as(RAW));
    cols.add(lit(null).cast(DataTypes.StringType).as(PARSE_ERROR));
    for (String c : spec.columnNames()) {
      String match = null;
      for (String have : df.columns()) {
        if (have.trim().equalsIgnoreCase(c)) {
          match = have;
          break;
        }
      }
      if (match == null) {
        cols.add(lit(null).cast(DataTypes.StringType).as(c));
      } else {
        org.apache.spark.sql.types.DataType type = df.schema().apply(match).dataType();
        Column typed = col("`" + match + "`");
        // A typed timestamp keeps its instant whatever the session time zone: written with
        // its offset, read back by the one timestamp parser.
        Column t =
            type.equals(DataTypes.TimestampType)
                ? date_format(typed, "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
                : trim(typed.cast(DataTypes.StringType));
        cols.add(when(t.equalTo(lit("")), lit(null)).otherwise(t).as(c));
      }
    }
    return df.select(cols.toArray(Column[]::new));
  }
}

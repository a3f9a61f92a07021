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
   * The required columns of {@code spec} that {@code source} lacks, checked on the driver before
   * anything is read in bulk: CSV headers, Parquet/Delta schemas, and for JSON Lines the keys of
   * the first rows of each file (a key that never appears there is taken as missing).
   */
  public static List<String> missingRequiredColumns(
      SparkSession spark, TableSource source, TableSpec spec) throws IOException {
    Set<String> missing = new LinkedHashSet<>();
    FileSystem fs = FileSystem.get(java.net.URI.create(source.inputRoot()), hadoopConf(spark));
    if (source.delta() != null) {
      missing.addAll(absent(spec, spark.read().format("delta").load(source.delta()).columns()));
    }
    List<String> parquet = source.filesOf(SourceFormat.PARQUET);
    if (!parquet.isEmpty()) {
      missing.addAll(absent(spec, spark.read().parquet(parquet.toArray(String[]::new)).columns()));
    }
    for (String f : source.filesOf(SourceFormat.CSV)) {
      try (InputStream in = open(fs, f);
          CsvRecordReader r =
              new CsvRecordReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        List<String> header = TextRecords.csvHeader(r);
        if (header.isEmpty()) {
          continue; // an empty file adds no rows and needs no header
        }
        missing.addAll(absent(spec, header.toArray(String[]::new)));
      }
    }
    for (String f : source.filesOf(SourceFormat.JSONL)) {
      try (InputStream in = fs.open(new Path(f)); // TextRecords unzips .gz itself
          TextRecords r = new TextRecords(f, in, SourceFormat.JSONL, spec.columnNames())) {
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
          }
        }
      }
    }
    return new ArrayList<>(missing);
  }

  private static List<String> absent(TableSpec spec, String[] present) {
    Set<String> have = new LinkedHashSet<>();
    for (String p : present) {
      have.add(p.trim().toLowerCase(Locale.ROOT));
    }
    return spec.requiredColumns().stream().filter(c -> !have.contains(c)).toList();
  }

  private static InputStream open(FileSystem fs, String file) throws IOException {
    InputStream in = fs.open(new Path(file));
    return file.toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(in) : in;
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
    List<String> parquet = source.filesOf(SourceFormat.PARQUET);
    if (!parquet.isEmpty()) {
      Dataset<Row> df = spark.read().parquet(parquet.toArray(String[]::new));
      parts.add(fromTyped(df, source, spec, true));
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

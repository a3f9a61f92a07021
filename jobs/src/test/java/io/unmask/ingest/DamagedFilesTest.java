package io.unmask.ingest;

import static io.unmask.testing.Fixtures.write;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.testing.Fixtures;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Files damaged as they are in real exports: each gives quarantine rows that name the file and what
 * was lost, or a one-line error naming the file before anything is written.
 */
class DamagedFilesTest extends SparkTest {
  private static final LocalDate DAY = LocalDate.parse("2026-03-05");

  private static IngestJob.Result ingest(Path in, Path wh, ByteArrayOutputStream out) {
    return IngestJob.run(
        spark(),
        new IngestJob.Options(in.toString(), wh.toString(), DAY, "run-test", false),
        new Progress(new PrintStream(out, true, StandardCharsets.UTF_8)));
  }

  private static String logins(int from, int to) {
    StringBuilder sb = new StringBuilder("event_id,account_id,ts,ip,device_id\n");
    for (int i = from; i < to; i++) {
      sb.append("e")
          .append(i)
          .append(",a1,2026-03-01T10:00:00Z,8.8.")
          .append(i % 200)
          .append('.')
          .append(i % 250)
          .append(",d1\n");
    }
    return sb.toString();
  }

  /** A payments Parquet schema with the given types for ts and amount. */
  private static StructType payments(
      org.apache.spark.sql.types.DataType ts, org.apache.spark.sql.types.DataType amount) {
    return new StructType()
        .add("payment_id", DataTypes.StringType)
        .add("account_id", DataTypes.StringType)
        .add("ts", ts)
        .add("kind", DataTypes.StringType)
        .add("amount", amount);
  }

  private static void writePayments(Path dir, String name, StructType schema, Row... rows)
      throws IOException {
    Path tmp = SparkTest.tempDir("pq");
    spark()
        .createDataFrame(List.of(rows), schema)
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(tmp.toString());
    try (Stream<Path> files = Files.list(tmp)) {
      Path part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.createDirectories(dir);
      Files.copy(part, dir.resolve(name));
    }
  }

  @Test
  void damagedPartsKeepWhatIsReadableAndQuarantineTheRest() throws Exception {
    Path in = SparkTest.tempDir("damaged");
    write(in, "profiles.csv", Fixtures.PROFILES_CSV);
    write(in, "logins/part-0.csv.gz", logins(0, 100));
    Path cut = write(in, "logins/part-1.csv.gz", logins(100, 20_100));
    byte[] whole = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2)); // a transfer cut short
    write(in, "logins/part-2.csv", ""); // an empty part, as writers leave
    write(in, "logins/part-3.csv", "event_id,account_id,ts,ip,device_id\n"); // header only
    Files.write(in.resolve("logins/part-4.csv.gz"), new byte[0]); // a .gz of no bytes
    writePayments(
        in.resolve("payments"),
        "part-0.parquet",
        payments(DataTypes.TimestampType, DataTypes.DoubleType),
        RowFactory.create(
            "p1",
            "a1",
            java.sql.Timestamp.from(java.time.Instant.parse("2026-03-03T00:00:00Z")),
            "earning",
            100.0));
    // another writer's file: ts as epoch seconds, amount as text
    writePayments(
        in.resolve("payments"),
        "part-1.parquet",
        payments(DataTypes.LongType, DataTypes.StringType),
        RowFactory.create("p2", "a1", 1_772_496_000L, "earning", "50"),
        RowFactory.create("p3", "a2", 1_772_496_000L, "earning", "fifty"));
    Path wh = SparkTest.tempDir("wh");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    IngestJob.Result r = ingest(in, wh, out);

    IngestJob.TableReport l = r.table(Tables.LOGINS).orElseThrow();
    assertThat(l.byRule()).containsOnlyKeys("damaged_file:truncated");
    assertThat(l.byRule().get("damaged_file:truncated")).isEqualTo(2L); // part-1 and part-4
    long keptOfCut = l.accepted() - 100;
    assertThat(keptOfCut).isBetween(1_000L, 19_999L); // what was readable of the cut part is kept
    assertThat(l.rowsRead()).isEqualTo(l.accepted() + l.quarantined());
    Dataset<Row> q = DeltaIO.read(spark(), wh.toString(), Tables.QUARANTINE);
    Row damaged =
        q.filter(col(Cols.SOURCE_FILE).equalTo("logins/part-1.csv.gz")).collectAsList().get(0);
    assertThat(damaged.<String>getAs(Cols.RULE)).isEqualTo("damaged_file:truncated");
    assertThat(damaged.<String>getAs(Cols.RAW))
        .startsWith("the file ends early; records read before it: " + keptOfCut + ";");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("logins/part-1.csv.gz is damaged: the file ends early; records read before it: ")
        .contains("logins/part-4.csv.gz is damaged");
    assertThat(DeltaIO.read(spark(), wh.toString(), Tables.LOGINS).count()).isEqualTo(l.accepted());

    // Parquet files of different types are read file by file: nothing fails, bad values go to
    // quarantine with their raw row
    assertThat(r.table(Tables.PAYMENTS).orElseThrow().accepted()).isEqualTo(1);
    assertThat(r.table(Tables.PAYMENTS).orElseThrow().byRule())
        .containsExactlyEntriesOf(Map.of("bad_timestamp:ts", 2L));
    assertThat(
            q.filter(col(Cols.SOURCE_FILE).equalTo("payments/part-1.parquet"))
                .select(Cols.RAW)
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .anyMatch(raw -> raw.contains("\"amount\":\"fifty\""));
  }

  @Test
  void aBinaryFileUnderACsvNameStopsBeforeWriting() throws Exception {
    Path in = Fixtures.minimalInput("binary");
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);
    junk[10] = 0;
    Files.createDirectories(in.resolve("labels"));
    Files.write(in.resolve("labels/part-0.csv"), junk);
    Path wh = SparkTest.tempDir("wh");
    assertThatThrownBy(() -> ingest(in, wh, new ByteArrayOutputStream()))
        .isInstanceOf(IngestJob.InputException.class)
        .hasMessageContaining("labels/part-0.csv is not UTF-8 CSV text")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(wh.toFile().list()).isEmpty();
  }

  /** The local file system, refusing to open any file whose name says "denied". */
  public static final class DenyingFileSystem extends LocalFileSystem {
    @Override
    public FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
      if (f.getName().contains("denied")) {
        throw new java.nio.file.AccessDeniedException(f.toString(), null, "Permission denied");
      }
      return super.open(f, bufferSize);
    }
  }

  @Test
  void anUnreadableFileStopsBeforeWritingAndIsNamed() {
    // Tests run as root, whom file modes do not stop: the file system refuses instead.
    Path in = Fixtures.minimalInput("denied");
    write(in, "labels/part-denied.csv", "account_id,label\na1,1\n");
    Path wh = SparkTest.tempDir("wh");
    Configuration conf = spark().sparkContext().hadoopConfiguration();
    conf.set("fs.file.impl", DenyingFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    try {
      assertThatThrownBy(() -> ingest(in, wh, new ByteArrayOutputStream()))
          .isInstanceOf(IngestJob.InputException.class)
          .hasMessageContaining("cannot read labels/part-denied.csv: AccessDeniedException")
          .hasMessageContaining("Permission denied");
    } finally {
      conf.unset("fs.file.impl");
      conf.unset("fs.file.impl.disable.cache");
    }
    assertThat(wh.toFile().list()).isEmpty();
  }
}

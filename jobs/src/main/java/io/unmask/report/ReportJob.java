package io.unmask.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code report} command's work: gather, render, write one UTF-8 HTML file through the Hadoop
 * FileSystem API (a local path, {@code hdfs://}, {@code s3a://}, ...).
 */
public final class ReportJob {
  /** Where the page went and how many bytes it has. */
  public record Result(String path, long bytes, ReportData data) {}

  private ReportJob() {}

  public static Result run(
      SparkSession spark, String warehouse, LocalDate asOf, ReportGatherer.Options o, String out) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path target = new Path(out);
    checkTarget(target, conf);
    ReportData data = ReportGatherer.gather(spark, warehouse, asOf, o, Instant.now());
    byte[] html = ReportRenderer.render(data).getBytes(StandardCharsets.UTF_8);
    String written = write(target, html, conf);
    return new Result(written, html.length, data);
  }

  /** Fails early, before any Spark work, when the output cannot be a file. */
  static void checkTarget(Path target, Configuration conf) {
    try {
      FileSystem fs = target.getFileSystem(conf);
      if (fs.exists(target) && fs.getFileStatus(target).isDirectory()) {
        throw new IllegalArgumentException("Invalid --out: " + target + " is a directory");
      }
    } catch (IOException e) {
      // no cause attached: the one-line error must stay this "Invalid --out" message (exit 2)
      throw new IllegalArgumentException(
          "Invalid --out: " + target + " cannot be reached (" + e.getMessage() + ")");
    }
  }

  /** Writes {@code bytes} to {@code target}, replacing it; returns the qualified path. */
  public static String write(Path target, byte[] bytes, Configuration conf) {
    try {
      FileSystem fs = target.getFileSystem(conf);
      // The local file system would leave a .crc file beside the page: write through the raw one.
      FileSystem raw = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
      Path qualified = raw.makeQualified(target);
      if (qualified.getParent() != null) {
        raw.mkdirs(qualified.getParent());
      }
      try (OutputStream os = raw.create(qualified, true)) {
        os.write(bytes);
      }
      return qualified.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report to " + target, e);
    }
  }
}

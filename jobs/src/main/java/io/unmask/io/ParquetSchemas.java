package io.unmask.io;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** A Parquet file's schema from its footer alone, read on the driver without a Spark job. */
final class ParquetSchemas {
  private ParquetSchemas() {}

  static MessageType schema(FileSystem fs, String file) throws IOException {
    try (ParquetFileReader r =
        ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), fs.getConf()))) {
      return r.getFooter().getFileMetaData().getSchema();
    }
  }

  /** The top-level column names. */
  static String[] columns(FileSystem fs, String file) {
    try {
      return schema(fs, file).getFields().stream().map(Type::getName).toArray(String[]::new);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Names and types, lower-cased names: files with equal keys read as one Spark relation. */
  static String key(FileSystem fs, String file) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Type t : schema(fs, file).getFields()) {
      sb.append(t.toString().toLowerCase(java.util.Locale.ROOT)).append(';');
    }
    return sb.toString();
  }
}

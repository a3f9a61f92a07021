package io.unmask.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where one contract table lies under {@code --input}: a folder of part files ({@code
 * logins/part-0001.csv.gz}), a Delta folder ({@code logins/_delta_log}) or one file ({@code
 * logins.csv}). Paths are qualified Hadoop paths, so HDFS, S3 and local inputs work alike.
 *
 * @param table the contract table name
 * @param inputRoot the qualified {@code --input} directory
 * @param delta the qualified Delta folder when the table is a Delta table, else null
 * @param files data files with their formats, sorted by path (the contract's read order)
 */
public record TableSource(String table, String inputRoot, String delta, List<DataFile> files) {

  /** One data file and its format. */
  public record DataFile(String path, SourceFormat format) {}

  /** Path relative to {@code --input}, as the quarantine reports it. */
  public String relative(String qualifiedPath) {
    return relativeTo(inputRoot, qualifiedPath);
  }

  static String relativeTo(String root, String path) {
    String r = root.endsWith("/") ? root : root + "/";
    return path.startsWith(r) ? path.substring(r.length()) : path;
  }

  public List<String> filesOf(SourceFormat f) {
    return files.stream().filter(d -> d.format() == f).map(DataFile::path).toList();
  }

  /**
   * Finds a table's entry under the input directory (names compared ignoring case).
   *
   * @return empty when the table is absent
   * @throws IllegalArgumentException when the entry exists but holds no data files, or when both a
   *     folder and a file claim the table
   */
  public static Optional<TableSource> locate(FileSystem fs, Path input, String table)
      throws IOException {
    Path root = fs.makeQualified(input);
    List<FileStatus> matches = new ArrayList<>();
    for (FileStatus st : fs.listStatus(root)) {
      String name = st.getPath().getName().toLowerCase(Locale.ROOT);
      if (st.isDirectory() && name.equals(table)) {
        matches.add(st);
      } else if (st.isFile()
          && name.startsWith(table + ".")
          && SourceFormat.ofFile(name).isPresent()) {
        matches.add(st);
      }
    }
    if (matches.isEmpty()) {
      return Optional.empty();
    }
    if (matches.size() > 1) {
      throw new IllegalArgumentException(
          "Invalid --input: table "
              + table
              + " is given "
              + matches.size()
              + " times ("
              + String.join(", ", matches.stream().map(m -> m.getPath().getName()).toList())
              + "); keep one entry per table");
    }
    FileStatus entry = matches.get(0);
    String rootText = root.toString();
    if (entry.isFile()) {
      SourceFormat f = SourceFormat.ofFile(entry.getPath().getName()).orElseThrow();
      return Optional.of(
          new TableSource(
              table, rootText, null, List.of(new DataFile(entry.getPath().toString(), f))));
    }
    if (fs.exists(new Path(entry.getPath(), "_delta_log"))) {
      return Optional.of(new TableSource(table, rootText, entry.getPath().toString(), List.of()));
    }
    List<DataFile> files = new ArrayList<>();
    collect(fs, entry.getPath(), files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid --input: folder "
              + table
              + "/ holds no .csv, .csv.gz, .json(l)(.gz) or .parquet files");
    }
    files.sort(Comparator.comparing(DataFile::path));
    return Optional.of(new TableSource(table, rootText, null, List.copyOf(files)));
  }

  private static void collect(FileSystem fs, Path dir, List<DataFile> out) throws IOException {
    for (FileStatus st : fs.listStatus(dir)) {
      String name = st.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue; // _SUCCESS, .crc and other writer by-products
      }
      if (st.isDirectory()) {
        collect(fs, st.getPath(), out);
      } else {
        SourceFormat.ofFile(name).ifPresent(f -> out.add(new DataFile(st.getPath().toString(), f)));
      }
    }
  }
}

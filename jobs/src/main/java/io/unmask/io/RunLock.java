package io.unmask.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One run at a time per day of a warehouse: a lock file {@code _locks/<as_of>.lock} under the
 * warehouse, created atomically before a run writes anything for that day and held until the run
 * ends, so that two runs of one day never mix their tables; runs of different days go on side by
 * side. The holder touches the file every {@link #HEARTBEAT}; a lock untouched for {@link #STALE},
 * or held by a process of this host that no longer runs, belongs to a run that died (a killed
 * driver) and is taken over. Atomic creation is exclusive on local disks and HDFS; on object stores
 * without conditional writes, keep one run per day in the scheduler (the DAG's {@code
 * max_active_runs=1}).
 */
public final class RunLock {
  public static final String DIR = "_locks";
  static final Duration HEARTBEAT = Duration.ofSeconds(20);
  static final Duration STALE = Duration.ofSeconds(90);

  /** Thrown when another live run holds the day. */
  public static final class HeldException extends RuntimeException {
    public HeldException(String message) {
      super(message);
    }
  }

  private static final Map<String, Path> HELD = new ConcurrentHashMap<>();
  private static ScheduledExecutorService heartbeat;

  private RunLock() {}

  /**
   * Takes the day's lock for this JVM, or does nothing when it already holds it.
   *
   * @throws HeldException when a live run holds it
   */
  public static synchronized void hold(
      Configuration conf, String warehouse, LocalDate day, String runId) {
    String key = warehouse + "|" + day;
    if (HELD.containsKey(key)) {
      return;
    }
    Path lock = new Path(new Path(warehouse, DIR), day + ".lock");
    try {
      FileSystem fs = lock.getFileSystem(conf);
      fs.mkdirs(lock.getParent());
      String who =
          "run_id="
              + runId
              + " host="
              + hostName()
              + " pid="
              + ProcessHandle.current().pid()
              + " started="
              + Instant.now()
              + "\n";
      for (int attempt = 0; attempt < 2; attempt++) {
        if (create(fs, lock, who)) {
          HELD.put(key, lock);
          startHeartbeat(conf);
          return;
        }
        long age;
        String holder;
        try {
          age = System.currentTimeMillis() - fs.getFileStatus(lock).getModificationTime();
          holder = read(fs, lock);
        } catch (java.io.FileNotFoundException gone) {
          continue; // released meanwhile: try again
        }
        if (age < STALE.toMillis() && !deadOnThisHost(holder)) {
          throw new HeldException(
              "another run is writing "
                  + day
                  + " of this warehouse ("
                  + holder.strip()
                  + "); this run stopped before writing anything: rerun when it has ended");
        }
        fs.delete(lock, false); // its holder died; whoever creates it next wins
      }
      throw new HeldException(
          "another run took the lock of " + day + " of this warehouse at the same moment");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot take the run lock of " + day, e);
    }
  }

  /** Releases every lock this JVM holds (the end of a command). */
  public static synchronized void releaseAll(Configuration conf) {
    for (Path lock : HELD.values()) {
      try {
        lock.getFileSystem(conf).delete(lock, false);
      } catch (IOException e) {
        // a lock left behind goes stale and is taken over
      }
    }
    HELD.clear();
  }

  private static boolean create(FileSystem fs, Path lock, String who) throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      // Hadoop's local create checks and then creates; NIO's is one exclusive system call
      try {
        Files.writeString(
            Paths.get(lock.toUri().getPath()),
            who,
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (FSDataOutputStream out = fs.create(lock, false)) {
      out.write(who.getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  /**
   * True when the holder ran on this host and its process is gone (or the pid now belongs to a
   * process started after the lock): a driver killed here need not wait for the lock to go stale.
   */
  static boolean deadOnThisHost(String holder) {
    Map<String, String> f = new java.util.HashMap<>();
    for (String part : holder.strip().split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        f.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    try {
      if (!hostName().equals(f.get("host"))) {
        return false;
      }
      long pid = Long.parseLong(f.get("pid"));
      Instant started = Instant.parse(f.get("started"));
      java.util.Optional<ProcessHandle> p = ProcessHandle.of(pid);
      return p.isEmpty()
          || !p.get().isAlive()
          || p.get().info().startInstant().map(s -> s.isAfter(started)).orElse(false);
    } catch (RuntimeException | IOException e) {
      return false; // unreadable: only its age can tell
    }
  }

  private static String hostName() throws IOException {
    return java.net.InetAddress.getLocalHost().getHostName();
  }

  private static String read(FileSystem fs, Path lock) throws IOException {
    try (var in = fs.open(lock)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void startHeartbeat(Configuration conf) {
    if (heartbeat != null) {
      return;
    }
    heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "unmask-run-lock");
              t.setDaemon(true);
              return t;
            });
    heartbeat.scheduleAtFixedRate(
        () -> {
          for (Path lock : HELD.values()) {
            try {
              lock.getFileSystem(conf).setTimes(lock, System.currentTimeMillis(), -1);
            } catch (IOException | RuntimeException e) {
              // the next beat tries again; a lock that stays untouched goes stale
            }
          }
        },
        HEARTBEAT.toMillis(),
        HEARTBEAT.toMillis(),
        TimeUnit.MILLISECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> releaseAll(conf)));
  }
}

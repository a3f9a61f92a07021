package io.unmask.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.testing.Processes;
import io.unmask.testing.SparkTest;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof that the cluster path works: a Spark standalone Master and two Workers on 127.0.0.1, run
 * from the Maven-resolved Spark jars laid out as a SPARK_HOME, and the application jar submitted
 * there through {@code bin/unmask --master spark://...}, which then uses that SPARK_HOME's
 * spark-submit. Executors run in their own JVMs and get Delta from the application jar only.
 */
class StandaloneClusterIT extends SparkTest {
  private static final List<String> JVM_FLAGS = Processes.SPARK_JVM_FLAGS;

  private static Path sparkHome;
  private static Process master;

  /** Two workers of one core each: one executor on each, so that one can be lost. */
  private static final int WORKERS = 2;

  private static final List<Process> workers = new ArrayList<>();
  private static int masterPort;
  private static Path logs;

  @BeforeAll
  static void startCluster() throws Exception {
    sparkHome = SparkTest.tempDir("spark-home");
    logs = SparkTest.tempDir("cluster-logs");
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    String cp = Files.readString(Path.of(System.getProperty("unmask.sparkClasspath"))).trim();
    for (String jar : cp.split(File.pathSeparator)) {
      Path j = Path.of(jar);
      Files.createSymbolicLink(jars.resolve(j.getFileName()), j);
    }
    // A spark-submit like the distribution's, so bin/unmask takes its SPARK_HOME path.
    Path bin = Files.createDirectories(sparkHome.resolve("bin"));
    Path submit = bin.resolve("spark-submit");
    Files.writeString(
        submit,
        "#!/usr/bin/env bash\nexec \"${JAVA_HOME:-/usr}/bin/java\" "
            + String.join(" ", JVM_FLAGS)
            + " -cp \"$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));

    masterPort = freePort();
    master =
        Processes.start(
            daemon(
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(masterPort),
                "--webui-port",
                String.valueOf(freePort())),
            env(),
            logs.resolve("master.log").toFile());
    await(logs.resolve("master.log"), "I have been elected leader", 60);
    for (int w = 0; w < WORKERS; w++) {
      String log = "worker-" + w + ".log";
      workers.add(
          Processes.start(
              daemon(
                  "org.apache.spark.deploy.worker.Worker",
                  "--host",
                  "127.0.0.1",
                  "--cores",
                  "1",
                  "--memory",
                  "2g",
                  "--webui-port",
                  String.valueOf(freePort()),
                  "--work-dir",
                  logs.resolve("work-" + w).toString(),
                  "spark://127.0.0.1:" + masterPort),
              env(),
              logs.resolve(log).toFile()));
      await(logs.resolve(log), "Successfully registered with master", 60);
    }
  }

  private static Map<String, String> env() {
    return Map.of(
        "SPARK_HOME", sparkHome.toString(),
        "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1");
  }

  private static List<String> daemon(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM_FLAGS);
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + "/*");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void await(Path log, String text, int seconds) throws Exception {
    for (int i = 0; i < seconds * 4; i++) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("'" + text + "' not seen in " + log + ":\n" + Files.readString(log));
  }

  @AfterAll
  static void stopCluster() {
    workers.forEach(Process::destroy);
    if (master != null) {
      master.destroy();
    }
  }

  /**
   * The application jar submitted to the cluster through {@code bin/unmask --master spark://...}
   * does its work in executor JVMs on the workers; one of them is killed with SIGKILL as linking
   * starts, Spark reruns its tasks elsewhere, and the ranking equals a local run's.
   */
  @Test
  void aRunThatLosesAnExecutorInTheMiddleOfLinkingEndsWithTheSameResult() throws Exception {
    Path dir = SparkTest.tempDir("lost-executor");
    Path in = dir.resolve("in");
    Processes.Result gen =
        Processes.unmask(
            Map.of(),
            "generate",
            "--output",
            in.toString(),
            "--accounts",
            "200",
            "--logins-per-account",
            "40",
            "--seed",
            "11");
    assertThat(gen.exit()).as(gen.output()).isZero();
    Processes.Result local =
        Processes.unmask(
            Map.of(), "pipeline", "--input", in.toString(), "--warehouse", dir + "/local");
    assertThat(local.exit()).as(local.output()).isZero();

    Map<String, String> env = new java.util.HashMap<>(env());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("UNMASK_SKIP_BUILD", "1");
    Path out = dir.resolve("cluster.log");
    Process run =
        Processes.start(
            List.of(
                Processes.root().resolve("bin/unmask").toString(),
                "pipeline",
                "--input",
                in.toString(),
                "--warehouse",
                dir + "/cluster",
                "--master",
                "spark://127.0.0.1:" + masterPort,
                "--conf",
                "spark.executor.memory=1g",
                "--conf",
                "spark.cores.max=2"),
            env,
            out.toFile());
    // ingest's line is printed when it ends: linking has begun
    await(out, "\ningest ", 300);
    List<ProcessHandle> executors =
        ProcessHandle.allProcesses()
            .filter(
                p ->
                    p.info()
                        .commandLine()
                        .orElse("")
                        .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"))
            .toList();
    assertThat(executors).hasSize(WORKERS);
    executors.get(0).destroyForcibly(); // SIGKILL
    assertThat(run.waitFor(1800, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(out);
    assertThat(run.exitValue()).as(output).isZero();
    assertThat(output).contains("Lost executor");
    assertThat(output.indexOf("Lost executor")).isLessThan(output.indexOf("\nlinking "));
    assertThat(ranking(dir + "/cluster")).isEqualTo(ranking(dir + "/local"));
    // the work ran in executor JVMs on the workers, which got Delta from the application jar
    try (var files = Files.walk(logs)) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("stderr")).count())
          .isGreaterThanOrEqualTo(WORKERS);
    }
  }

  private static List<String> ranking(String warehouse) {
    return DeltaIO.read(spark(), warehouse, Tables.RISK_SCORES)
        .orderBy("rank")
        .select("account_id", "rank", "score")
        .collectAsList()
        .stream()
        .map(org.apache.spark.sql.Row::toString)
        .toList();
  }
}

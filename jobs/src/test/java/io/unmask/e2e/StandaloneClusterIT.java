package io.unmask.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.testing.Fixtures;
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
 * Proof that the cluster path works: a Spark standalone Master and one Worker on 127.0.0.1, run
 * from the Maven-resolved Spark jars laid out as a SPARK_HOME, and the application jar submitted
 * there through {@code bin/unmask --master spark://...}, which then uses that SPARK_HOME's
 * spark-submit. Executors run in their own JVMs and get Delta from the application jar only.
 */
class StandaloneClusterIT extends SparkTest {
  private static final List<String> JVM_FLAGS = Processes.SPARK_JVM_FLAGS;

  private static Path sparkHome;
  private static Process master;
  private static Process worker;
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
    worker =
        Processes.start(
            daemon(
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--cores",
                "2",
                "--memory",
                "2g",
                "--webui-port",
                String.valueOf(freePort()),
                "--work-dir",
                logs.resolve("work").toString(),
                "spark://127.0.0.1:" + masterPort),
            env(),
            logs.resolve("worker.log").toFile());
    await(logs.resolve("worker.log"), "Successfully registered with master", 60);
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
    if (worker != null) {
      worker.destroy();
    }
    if (master != null) {
      master.destroy();
    }
  }

  @Test
  void applicationJarRunsOnStandaloneCluster() throws Exception {
    Path in = Fixtures.minimalInput("cluster-in");
    Path wh = SparkTest.tempDir("cluster-wh");
    Map<String, String> env = new java.util.HashMap<>(env());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    List<String> cmd =
        List.of(
            Processes.root().resolve("bin/unmask").toString(),
            "pipeline",
            "--input",
            in.toString(),
            "--warehouse",
            wh.toString(),
            "--master",
            "spark://127.0.0.1:" + masterPort,
            "--conf",
            "spark.executor.memory=1g",
            "--conf",
            "spark.cores.max=2");
    Processes.Result r = Processes.run(cmd, env, 600);

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("ingest");
    assertThat(DeltaIO.read(spark(), wh.toString(), Tables.LOGINS).count()).isEqualTo(2);
    // the work really ran in an executor JVM on the worker
    try (var dirs = Files.walk(logs.resolve("work"))) {
      assertThat(dirs.filter(p -> p.getFileName().toString().equals("stderr")).count())
          .isPositive();
    }
  }
}

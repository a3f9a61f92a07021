package io.unmask.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class RunLockTest {
  private static final Configuration CONF = new Configuration();

  private static String holder(String host, long pid, Instant started) {
    return "run_id=r1 host=" + host + " pid=" + pid + " started=" + started + "\n";
  }

  private static Path lockOf(Path warehouse, LocalDate day) throws Exception {
    Path dir = Files.createDirectories(warehouse.resolve(RunLock.DIR));
    return dir.resolve(day + ".lock");
  }

  @Test
  void aLiveRunKeepsTheDayAndADeadOnesLockIsTakenOver() throws Exception {
    Path wh = Files.createTempDirectory("unmask-lock");
    String host = InetAddress.getLocalHost().getHostName();
    LocalDate day = LocalDate.parse("2026-03-01");
    // held by a live process of this host (this JVM stands in for another run)
    Files.writeString(lockOf(wh, day), holder(host, ProcessHandle.current().pid(), Instant.now()));
    assertThatThrownBy(() -> RunLock.hold(CONF, wh.toString(), day, "r2"))
        .isInstanceOf(RunLock.HeldException.class)
        .hasMessageContaining("another run is writing 2026-03-01 of this warehouse (run_id=r1")
        .hasMessageContaining("stopped before writing anything");

    // held by a process of this host that is gone (a killed driver): taken over at once
    LocalDate other = LocalDate.parse("2026-03-02");
    Files.writeString(lockOf(wh, other), holder(host, 4_194_000L, Instant.now()));
    RunLock.hold(CONF, wh.toString(), other, "r3");
    assertThat(Files.readString(lockOf(wh, other))).startsWith("run_id=r3 ");
    RunLock.releaseAll(CONF);
    assertThat(Files.exists(lockOf(wh, other))).isFalse();
  }

  @Test
  void onlyThisHostsProcessesCanBeSeenDead() throws Exception {
    String host = InetAddress.getLocalHost().getHostName();
    long me = ProcessHandle.current().pid();
    assertThat(RunLock.deadOnThisHost(holder(host, me, Instant.now()))).isFalse();
    assertThat(RunLock.deadOnThisHost(holder(host, 4_194_000L, Instant.now()))).isTrue();
    // the pid now runs a process started after the lock was written: a reused pid
    assertThat(RunLock.deadOnThisHost(holder(host, me, Instant.parse("2020-01-01T00:00:00Z"))))
        .isTrue();
    assertThat(RunLock.deadOnThisHost(holder("elsewhere", 4_194_000L, Instant.now()))).isFalse();
    assertThat(RunLock.deadOnThisHost("garbage")).isFalse();
  }
}

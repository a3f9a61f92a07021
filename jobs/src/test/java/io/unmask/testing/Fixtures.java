package io.unmask.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes tiny input files for tests, as a user's export would look. */
public final class Fixtures {
  private Fixtures() {}

  public static Path write(Path dir, String relative, String content) {
    try {
      Path p = dir.resolve(relative);
      Files.createDirectories(p.getParent());
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      if (relative.endsWith(".gz")) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
          out.write(bytes);
        }
      } else {
        Files.write(p, bytes);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Two valid profiles (a1 in the US, a2 in Japan). */
  public static final String PROFILES_CSV =
      "account_id,created_at,display_name,claimed_country,claimed_timezone,hourly_rate\n"
          + "a1,2025-01-01T00:00:00Z,Ann Lee,US,America/Chicago,40\n"
          + "a2,2025-02-01,Ken Sato,JP,Asia/Tokyo,55.5\n";

  public static final String LOGINS_CSV =
      "event_id,account_id,ts,ip,device_id\n"
          + "e1,a1,2026-03-01T10:00:00Z,8.8.8.8,d1\n"
          + "e2,a2,2026-03-02T10:00:00Z,2001:db8::1,d2\n";

  public static final String PAYMENTS_CSV =
      "payment_id,account_id,ts,kind,amount\n" + "p1,a1,2026-03-03T00:00:00Z,earning,100\n";

  /** A minimal valid input folder: profiles, logins and payments as plain CSV. */
  public static Path minimalInput(String name) {
    Path in = SparkTest.tempDir(name);
    write(in, "profiles.csv", PROFILES_CSV);
    write(in, "logins.csv", LOGINS_CSV);
    write(in, "payments.csv", PAYMENTS_CSV);
    return in;
  }
}

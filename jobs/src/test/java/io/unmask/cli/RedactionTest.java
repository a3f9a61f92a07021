package io.unmask.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void masksEmailsAddressesAndPhonesButNotTimesOrVersions() {
    String in =
        "login of zebulon.q@example.org from 203.0.113.77 and 2001:db8:cafe::77 and"
            + " fe80:0:0:0:202:b3ff:fe1e:8329, phone +1 (555) 000-1111, at 10:00:00 on"
            + " 2026-03-01, Spark 4.1.0, stage 3.0";
    assertThat(Redaction.mask(in))
        .isEqualTo(
            "login of <email> from <ip> and <ip> and <ip>, phone <phone>, at 10:00:00 on"
                + " 2026-03-01, Spark 4.1.0, stage 3.0");
  }
}

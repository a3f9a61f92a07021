package io.unmask.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {
  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void ipv4IsMappedIntoIpv6Space() {
    assertThat(hex(IpAddress.toBytes("1.2.3.4"))).isEqualTo("00000000000000000000ffff01020304");
    assertThat(IpAddress.version(IpAddress.toBytes(" 175.45.176.1 "))).isEqualTo(4);
  }

  @Test
  void ipv6CompressedAndEmbeddedForms() {
    assertThat(hex(IpAddress.toBytes("2001:db8::1"))).isEqualTo("20010db8000000000000000000000001");
    assertThat(hex(IpAddress.toBytes("::"))).isEqualTo("00000000000000000000000000000000");
    assertThat(hex(IpAddress.toBytes("fe80::1%eth0")))
        .isEqualTo("fe800000000000000000000000000001");
    assertThat(hex(IpAddress.toBytes("[2001:DB8:0:0:0:0:0:2]")))
        .isEqualTo("20010db8000000000000000000000002");
    assertThat(hex(IpAddress.toBytes("64:ff9b::192.0.2.33")))
        .isEqualTo("0064ff9b0000000000000000c0000221");
    assertThat(IpAddress.version(IpAddress.toBytes("::ffff:10.0.0.1"))).isEqualTo(4);
    assertThat(IpAddress.version(IpAddress.toBytes("2001:db8::1"))).isEqualTo(6);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "1.2.3.-4",
        "1..2.3",
        "abc",
        "example.com",
        "2001:db8::1::2",
        "2001:db8:0:0:0:0:0:0:1",
        "12345::",
        "1:2:3:4:5:6:7",
        "::1.2.3.4.5",
        "g::1"
      })
  void rejectsWhatIsNotAnAddressWithoutAnyLookUp(String text) {
    assertThat(IpAddress.toBytes(text)).isNull();
  }

  @Test
  void formatsCanonically() {
    assertThat(IpAddress.format(IpAddress.toBytes("010.000.000.001"))).isEqualTo("10.0.0.1");
    assertThat(IpAddress.format(IpAddress.toBytes("2001:0db8:0000:0000:0001:0000:0000:0001")))
        .isEqualTo("2001:db8::1:0:0:1");
    assertThat(IpAddress.format(IpAddress.toBytes("::1"))).isEqualTo("::1");
  }

  @Test
  void cidrGivesFirstAndLastAddress() {
    byte[][] v4 = IpAddress.cidr("175.45.176.0/22");
    assertThat(IpAddress.format(v4[0])).isEqualTo("175.45.176.0");
    assertThat(IpAddress.format(v4[1])).isEqualTo("175.45.179.255");
    byte[][] v6 = IpAddress.cidr("2001:db8::/32");
    assertThat(IpAddress.format(v6[1])).isEqualTo("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
    assertThat(IpAddress.cidr("1.2.3.0/33")).isNull();
  }

  @Test
  void byteOrderIsAddressOrder() {
    assertThat(
            java.util.Arrays.compareUnsigned(
                IpAddress.toBytes("9.255.255.255"), IpAddress.toBytes("10.0.0.0")))
        .isNegative();
    assertThat(
            java.util.Arrays.compareUnsigned(
                IpAddress.toBytes("200.0.0.1"), IpAddress.toBytes("2001::")))
        .isNegative();
  }
}

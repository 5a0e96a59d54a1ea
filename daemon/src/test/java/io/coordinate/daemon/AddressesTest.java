package io.coordinate.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {
  @Test
  void hostAndPort() {
    InetSocketAddress a = Addresses.parse("127.0.0.1:6000", 5932);
    assertThat(a.getHostString()).isEqualTo("127.0.0.1");
    assertThat(a.getPort()).isEqualTo(6000);
  }

  @Test
  void portAloneListensOnLoopback() {
    assertThat(Addresses.parse(":7000", 5932).getHostString()).isEqualTo("127.0.0.1");
    assertThat(Addresses.parse("7000", 5932).getPort()).isEqualTo(7000);
  }

  @Test
  void hostAloneTakesTheDefaultPort() {
    InetSocketAddress a = Addresses.parse("localhost", 5932);
    assertThat(a.getHostString()).isEqualTo("localhost");
    assertThat(a.getPort()).isEqualTo(5932);
  }

  @Test
  void ipv6InBrackets() {
    InetSocketAddress a = Addresses.parse("[::1]:6001", 5932);
    assertThat(a.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(a.getPort()).isEqualTo(6001);
  }

  @Test
  void badPortsAreRejected() {
    assertThatThrownBy(() -> Addresses.parse("host:http", 5932)).hasMessageContaining("bad port");
    assertThatThrownBy(() -> Addresses.parse("host:70000", 5932)).hasMessageContaining("out of range");
    assertThatThrownBy(() -> Addresses.parse("[::1:5", 5932)).hasMessageContaining("missing ]");
  }
}

package io.unmask.generate;

import io.unmask.reference.ReferenceData;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the executors need besides the plan, broadcast once: the IP pools and the sanctioned
 * wallets of North Korea programmes (from the shipped OFAC list) that a few rings withdraw to.
 */
public final class World implements Serializable {
  private static final long serialVersionUID = 1L;

  public final IpPools ips;

  /** {address, currency} of TRX/USDT/ETH wallets listed under a DPRK programme. */
  public final List<String[]> dprkWallets;

  private World(IpPools ips, List<String[]> dprkWallets) {
    this.ips = ips;
    this.dprkWallets = dprkWallets;
  }

  public static World load(long seed) {
    Set<String> seen = new LinkedHashSet<>();
    List<String[]> wallets = new ArrayList<>();
    ReferenceData.forEachCsvRow(
        "sanctioned_addresses_entities.csv",
        r -> {
          String programs = r.get(3) == null ? "" : r.get(3);
          String cur = r.get(1);
          if (programs.contains("DPRK")
              && (cur.equals("USDT") || cur.equals("TRX") || cur.equals("ETH"))
              && seen.add(r.get(0))) {
            wallets.add(new String[] {r.get(0), cur});
          }
        });
    return new World(IpPools.load(seed), List.copyOf(wallets));
  }
}

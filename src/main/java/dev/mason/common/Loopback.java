package dev.mason.common;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether a request came from this machine: the check for routes only Mason's own shells and processes may use. */
public final class Loopback {
  private Loopback() {}

  /** @param remoteAddress the request's peer address, as the servlet reports it */
  public static boolean is(String remoteAddress) {
    try {
      return remoteAddress != null && InetAddress.getByName(remoteAddress).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

package dev.mason.terminal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The leanest WebSocket client the benchmark can have: one blocking socket read into a large buffer
 * per batch of frames, on the caller's thread. A browser showing a terminal runs on the user's
 * machine; the benchmark's client shares the server's two cores, so it should take as little of
 * them as it can. It speaks just enough of RFC 6455 for that: the upgrade, masked text frames out,
 * unfragmented frames in.
 */
final class FrameReader implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  static final int BINARY = 2;

  /** One frame from the server: the opcode (1 text, {@link #BINARY}, 8 close) and the payload. */
  record Frame(int opcode, byte[] payload) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private FrameReader(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 256 * 1024));
    this.out = socket.getOutputStream();
  }

  static FrameReader connect(String url, String user) throws IOException {
    URI uri = URI.create(url);
    Socket socket = new Socket(uri.getHost(), uri.getPort());
    socket.setTcpNoDelay(true);
    socket.setReceiveBufferSize(1 << 20);
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\n"
        + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "X-Forwarded-Email: " + user + "\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    FrameReader reader = new FrameReader(socket);
    String status = reader.headerLine();
    if (!status.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("the upgrade was refused: " + status);
    }
    while (!reader.headerLine().isEmpty()) {
      // skip the response headers
    }
    return reader;
  }

  void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    if (payload.length > 0xffff) {
      throw new IllegalArgumentException("the benchmark sends control messages of up to 64 KiB");
    }
    int header = payload.length < 126 ? 2 : 4;
    byte[] frame = new byte[header + 4 + payload.length];
    frame[0] = (byte) 0x81;
    if (header == 2) {
      frame[1] = (byte) (0x80 | payload.length);
    } else {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (payload.length >>> 8);
      frame[3] = (byte) payload.length;
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    System.arraycopy(mask, 0, frame, header, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[header + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    out.write(frame);
  }

  /** The next frame; blocks until one has arrived whole. */
  Frame next() throws IOException {
    int opcode = in.readUnsignedByte() & 0x0f;
    byte[] payload = new byte[Math.toIntExact(payloadLength())];
    in.readFully(payload);
    return new Frame(opcode, payload);
  }

  /** Reads the next frame and forgets it, allocating nothing; answers its payload's length. */
  long skip() throws IOException {
    in.readUnsignedByte();
    long length = payloadLength();
    in.skipNBytes(length);
    return length;
  }

  private long payloadLength() throws IOException {
    long length = in.readUnsignedByte() & 0x7f;
    if (length == 126) {
      return in.readUnsignedShort();
    }
    return length == 127 ? in.readLong() : length;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private String headerLine() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the connection closed during the upgrade");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}

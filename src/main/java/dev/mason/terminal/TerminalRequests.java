package dev.mason.terminal;

import dev.mason.web.ApiError;
import java.util.List;
import java.util.Map;

/**
 * The bodies of the terminal HTTP API, the reference's shapes plus optional fields, each record
 * validating itself (a broken rule is a 400 naming the field).
 *
 * <p>{@code offset} makes reads exact: output is answered from that byte on, and the answer's
 * {@code next_offset} is the one to send next. {@code reader_id} names the reader (say, a browser
 * tab) so that its position survives a switch between WebSocket and polling; without one, polls
 * share the reader "http" and continue where the last poll ended.
 */
final class TerminalRequests {
  static final String DEFAULT_READER = "http";
  static final int DEFAULT_POLL_BYTES = 256 * 1024;
  static final int DEFAULT_BATCH_BYTES = 64 * 1024;
  static final int MAX_POLL_BYTES = 1024 * 1024;
  private static final int MAX_LABEL_LENGTH = 100;
  private static final int MAX_READER_ID_LENGTH = 100;
  private static final int MAX_BATCH_SESSIONS = 100;

  private TerminalRequests() {}

  /**
   * {@code cols} and {@code rows} are optional: the first screen is drawn at the right size when
   * given. {@code cli} (optional) names a coding-agent CLI to start in the new shell; {@code
   * directory} (optional) is the project folder to start in, relative to the terminals' projects
   * folder.
   */
  record NewSession(String label, Integer cols, Integer rows, String cli, String directory) {
    NewSession {
      label = label == null || label.isBlank() ? "Shell" : label.replaceAll("\\p{Cntrl}", " ").strip();
      cli = cli == null || cli.isBlank() ? null : cli.strip();
      directory = directory == null || directory.isBlank() ? null : directory.strip();
      if (directory != null && (directory.indexOf('\0') >= 0 || directory.length() > 1000)) {
        throw ApiError.badRequest("directory", "directory must be a folder name under the projects folder");
      }
      if (label.length() > MAX_LABEL_LENGTH) {
        throw ApiError.badRequest("label", "label is longer than " + MAX_LABEL_LENGTH + " characters");
      }
      cols = dimension("cols", cols, 80);
      rows = dimension("rows", rows, 24);
    }
  }

  record SessionRef(String sessionId) {
    SessionRef {
      required(sessionId);
    }
  }

  record Input(String sessionId, String input) {
    Input {
      required(sessionId);
      if (input == null) {
        throw ApiError.badRequest("input", "input is required");
      }
    }
  }

  record Resize(String sessionId, Integer cols, Integer rows) {
    Resize {
      required(sessionId);
      cols = dimension("cols", cols, 80);
      rows = dimension("rows", rows, 24);
    }
  }

  record Poll(String sessionId, Long offset, String readerId, Integer maxBytes) {
    Poll {
      required(sessionId);
      checkOffset(offset, "offset");
      readerId = pollerId(readerId);
      maxBytes = byteLimit(maxBytes, DEFAULT_POLL_BYTES);
    }
  }

  /** {@code offsets} maps a session id to the offset to read it from; sessions without one continue the reader's position. */
  record BatchPoll(List<String> sessionIds, Map<String, Long> offsets, String readerId, Integer maxBytes) {
    BatchPoll {
      if (sessionIds == null) {
        throw ApiError.badRequest("session_ids", "session_ids is required");
      }
      if (sessionIds.size() > MAX_BATCH_SESSIONS) {
        throw ApiError.badRequest("session_ids", "at most " + MAX_BATCH_SESSIONS + " sessions per batch");
      }
      offsets = offsets == null ? Map.of() : offsets;
      offsets.values().forEach(value -> checkOffset(value, "offsets"));
      readerId = pollerId(readerId);
      maxBytes = byteLimit(maxBytes, DEFAULT_BATCH_BYTES);
    }
  }

  record Heartbeat(String sessionId, String readerId) {
    Heartbeat {
      required(sessionId);
      readerId = pollerId(readerId);
    }
  }

  /** Without an offset, attach replays everything the ring still holds. */
  record Attach(String sessionId, Long offset, String readerId) {
    Attach {
      required(sessionId);
      checkOffset(offset, "offset");
      readerId = pollerId(readerId);
    }
  }

  static void required(String sessionId) {
    if (sessionId == null || sessionId.isBlank()) {
      throw ApiError.badRequest("session_id", "session_id is required");
    }
  }

  /** A poller's reader id: "http" when absent. */
  static String pollerId(String readerId) {
    String valid = optionalReaderId(readerId);
    return valid == null ? DEFAULT_READER : valid;
  }

  /** A reader id, or null when absent. */
  static String optionalReaderId(String readerId) {
    if (readerId == null || readerId.isBlank()) {
      return null;
    }
    if (readerId.length() > MAX_READER_ID_LENGTH || !readerId.matches("[A-Za-z0-9._:-]+")) {
      throw ApiError.badRequest("reader_id", "reader_id must be 1 to " + MAX_READER_ID_LENGTH
          + " letters, digits or . _ : -");
    }
    return readerId;
  }

  static int dimension(String field, Integer value, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value < 1 || value > 1000) {
      throw ApiError.badRequest(field, field + " must be between 1 and 1000, was " + value);
    }
    return value;
  }

  private static void checkOffset(Long offset, String field) {
    if (offset != null && offset < 0) {
      throw ApiError.badRequest(field, "an offset cannot be negative");
    }
  }

  private static int byteLimit(Integer maxBytes, int fallback) {
    if (maxBytes == null) {
      return fallback;
    }
    if (maxBytes < 1 || maxBytes > MAX_POLL_BYTES) {
      throw ApiError.badRequest("max_bytes", "max_bytes must be between 1 and " + MAX_POLL_BYTES);
    }
    return maxBytes;
  }
}

package dev.mason.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Which database failures are worth another try: lost or refused connections, not bad SQL. */
final class TransientErrors {
  private TransientErrors() {}

  static boolean isTransient(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 08: connection exceptions; 57P01-03: server shutting down or starting; 53300: too many connections
        if (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300")) {
          return true;
        }
      }
      if (t instanceof java.net.ConnectException || t instanceof java.io.EOFException) {
        return true;
      }
    }
    return false;
  }
}

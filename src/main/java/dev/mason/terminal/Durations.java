package dev.mason.terminal;

import java.time.Duration;

/** Durations as people read them in a terminal: "19 h 12 min", "4 min", "3 s". */
final class Durations {
  private Durations() {}

  static String spoken(Duration duration) {
    long seconds = Math.max(0, (duration.toMillis() + 500) / 1000);
    if (seconds < 60) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + " min";
    }
    long hours = minutes / 60;
    return minutes % 60 == 0 ? hours + " h" : hours + " h " + minutes % 60 + " min";
  }
}
